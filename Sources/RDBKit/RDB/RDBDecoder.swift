#if canImport(Glibc)
import Glibc
#endif

/// Decodes RDB primitives and values from a `BufferedReader`: lengths (§4.1), strings with
/// their integer and LZF encodings (§4.2, §4.3), doubles (§4.4) and every value type (§5).
/// The file reader and DUMP payloads (RESTORE) share it.
public final class RDBDecoder {
    public let input: BufferedReader
    public let dialect: Dialect
    /// LZF output, reused across strings.
    let lzfOutput = ByteScratch()
    /// The encoding of the last string read: raw, int or LZF.
    private(set) var lastStringEncoding = Encoding.raw
    /// Oddities that do not stop reading (format.md §9), collected for the reader to report.
    var warnings: [RDBWarning] = []
    /// Finds repeated members and fields; reused across values.
    var duplicates = DuplicateFinder()
    /// Set while a record's shape is read into a `BlobCheckQueue`: the members of a plain
    /// collection that must be unique are listed there, to be compared on its thread.
    var memberQueue: BlobCheckQueue?
    /// Whether `noteBlob` records containers (the reader's `captureLayout`).
    var capturesLayout = false
    /// The containers of the value being read; created on its first container.
    var layout: StoredLayout?

    public init(input: BufferedReader, dialect: Dialect) {
        self.input = input
        self.dialect = dialect
    }

    /// Records a packed container of the value being read (when capturing layouts).
    @inline(__always) func noteBlob(bytes: Int, elements: Int) {
        guard capturesLayout else { return }
        if layout == nil { layout = StoredLayout() }
        layout?.blobs.append(StoredLayout.Blob(bytes: bytes, elements: elements))
    }

    // MARK: Lengths

    public func readLength() throws -> UInt64 {
        let at = input.offset
        let b = try input.readByte()
        switch b >> 6 {
        case 0: return UInt64(b & 0x3F)
        case 1: return UInt64(b & 0x3F) << 8 | UInt64(try input.readByte())
        case 2:
            if b == 0x80 { return UInt64(try input.readUInt32BE()) }
            if b == 0x81 { return try input.readUInt64BE() }
            throw RDBError(.structural, at: at, expected: "a length encoding", found: hex(b))
        default:
            throw RDBError(.structural, at: at, expected: "a length", found: "string encoding \(hex(b))")
        }
    }

    /// A count of things that follow in the file. Only its range is checked here: callers never
    /// reserve memory from it beyond what is bounded, so a huge claim fails at end of input.
    func readCount(_ what: String) throws -> Int {
        let at = input.offset
        let v = try readLength()
        guard v <= UInt64(Int32.max) * 64 else {
            throw RDBError(.structural, at: at, expected: "a plausible \(what)", found: "\(v)")
        }
        return Int(v)
    }

    // MARK: Strings

    /// Calls `body` with the decoded bytes of the next string, which are valid only inside it.
    func withString<R>(_ kind: String = "string", _ body: (UnsafeRawBufferPointer, BlobContext) throws -> R) throws -> R {
        try withStoredString(kind) { s in
            // The scratch only for LZF: touching it costs reference counting per string.
            guard s.uncompressedLength != nil else { return try body(s.bytes, s.context) }
            return try body(try s.expanded(into: lzfOutput), s.context)
        }
    }

    /// Calls `body` with the next string's bytes (an LZF one decompressed), valid only inside
    /// it. Inlined, unlike `withString`: the hot paths make no closure context per string.
    @inline(__always)
    func withStringBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        try withStoredString { s in
            // The scratch only for LZF: touching it costs reference counting per string.
            try body(s.uncompressedLength == nil ? s.bytes : try s.expanded(into: lzfOutput))
        }
    }

    /// Calls `body` with the next string as stored (an LZF one not yet decompressed), valid
    /// only inside it.
    @inline(__always)
    func withStoredString<R>(_ kind: String = "string", _ body: (StoredString) throws -> R) throws -> R {
        let at = input.offset
        let b = try input.readByte()
        if b >> 6 == 3 {
            switch b & 0x3F {
            case 0, 1, 2:
                let v: Int64
                switch b & 0x3F {
                case 0: v = Int64(Int8(bitPattern: try input.readByte()))
                case 1: v = Int64(Int16(bitPattern: UInt16(try input.read(2).loadUnaligned(as: UInt16.self).littleEndian)))
                default: v = Int64(Int32(bitPattern: try input.readUInt32LE()))
                }
                lastStringEncoding = .int
                return try Decimal64.withText(v) {
                    try body(StoredString(bytes: $0, uncompressedLength: nil, dataAt: at,
                                          context: BlobContext(fileOffset: at, compressed: true, kind: kind)))
                }
            case 3:
                let (compressed, ulen, dataAt) = try readLZFOperands(at: at)
                lastStringEncoding = .lzf
                return try body(StoredString(bytes: compressed, uncompressedLength: ulen, dataAt: dataAt,
                                             context: BlobContext(fileOffset: at, compressed: true, kind: kind)))
            default:
                throw RDBError(.structural, at: at, expected: "a string encoding (0-3)", found: "\(b & 0x3F)")
            }
        }
        let len = try lengthAfter(first: b, at: at)
        let dataAt = input.offset
        let p = try input.read(len)
        lastStringEncoding = .raw
        return try body(StoredString(bytes: p, uncompressedLength: nil, dataAt: dataAt,
                                     context: BlobContext(fileOffset: dataAt, compressed: false, kind: kind)))
    }

    /// After an LZF string's type byte at `at`: the compressed bytes (valid until the next read),
    /// the claimed uncompressed length and the compressed bytes' offset.
    private func readLZFOperands(at: Int64) throws -> (UnsafeRawBufferPointer, ulen: Int, dataAt: Int64) {
        let clen = try readCount("compressed length")
        let ulen = try readCount("uncompressed length")
        // LZF expands at most 264/3 times; anything larger is a lie, not an allocation.
        guard ulen <= clen * 88 + 64 else {
            throw RDBError(.structural, at: at, expected: "an LZF length consistent with \(clen) compressed bytes", found: "\(ulen)")
        }
        let dataAt = input.offset
        return (try input.read(clen), ulen, dataAt)
    }

    /// The next string as an owned byte array; long plain strings are copied in chunks.
    public func readString() throws -> [UInt8] {
        let at = input.offset
        guard let b = try input.peekByte() else { _ = try input.readByte(); return [] }
        if b >> 6 == 3 {
            return try withString { p, _ in Array(p) }
        }
        _ = try input.readByte()
        let len = try lengthAfter(first: b, at: at)
        var out: [UInt8] = []
        out.reserveCapacity(min(len, 1 << 20))
        try input.append(len, to: &out)
        lastStringEncoding = .raw
        return out
    }

    /// Consumes a string, still checking an LZF one decompresses to its stated length.
    func skipString() throws {
        _ = try skipStringReturningLength()
    }

    /// Consumes a string; returns its decoded length.
    func skipStringReturningLength() throws -> Int {
        let at = input.offset
        guard let b = try input.peekByte() else { _ = try input.readByte(); return 0 }
        if b == 0xC3 {
            // LZF: checked without decompressing.
            _ = try input.readByte()
            let (compressed, ulen, dataAt) = try readLZFOperands(at: at)
            do {
                try LZF.validate(compressed, expected: ulen)
            } catch {
                throw error.rdbError(dataAt: dataAt, clen: compressed.count, ulen: ulen)
            }
            lastStringEncoding = .lzf
            return ulen
        }
        if b >> 6 == 3 { return try withString { p, _ in p.count } }
        _ = try input.readByte()
        let len = try lengthAfter(first: b, at: at)
        try input.skip(len)
        lastStringEncoding = .raw
        return len
    }

    private func lengthAfter(first b: UInt8, at: Int64) throws -> Int {
        let v: UInt64
        switch b >> 6 {
        case 0: v = UInt64(b & 0x3F)
        case 1: v = UInt64(b & 0x3F) << 8 | UInt64(try input.readByte())
        default:
            if b == 0x80 { v = UInt64(try input.readUInt32BE()) }
            else if b == 0x81 { v = try input.readUInt64BE() }
            else { throw RDBError(.structural, at: at, expected: "a string length encoding", found: hex(b)) }
        }
        guard v <= UInt64(Int.max / 2) else {
            throw RDBError(.structural, at: at, expected: "a plausible string length", found: "\(v)")
        }
        return Int(v)
    }

    // MARK: Numbers

    /// The legacy text double of type-3 zsets (§4.4.1).
    func readTextDouble() throws -> Double {
        let at = input.offset
        let n = try input.readByte()
        switch n {
        case 253: return .nan
        case 254: return .infinity
        case 255: return -.infinity
        default:
            let p = try input.read(Int(n))
            guard let d = parseDouble(p) else {
                throw RDBError(.structural, at: at, expected: "a decimal score", found: Quoting.redisCLI(p, limit: 40))
            }
            return d
        }
    }

    func readBinaryDouble() throws -> Double {
        Double(bitPattern: try input.readUInt64LE())
    }

    /// Whether this file's v3–v8 expiries were written by a big-endian host; decided by the
    /// first expiry and applied to all (format.md §9.8).
    private(set) var bigEndianExpiries: Bool?

    /// 2000-01-01 and 2200-01-01 in Unix ms: where a real expiry lies.
    static let plausibleExpiries: ClosedRange<Int64> = 946_684_800_000...7_258_118_400_000

    /// EXPIRETIME_MS: little-endian since RDB 9; before, the saving host's order, so a value that
    /// only makes sense byte-swapped marks a big-endian producer.
    func readMillisecondTime() throws -> Int64 {
        let at = input.offset
        let raw = try input.readUInt64LE()
        guard dialect.version < 9 else { return Int64(bitPattern: raw) }
        if bigEndianExpiries == nil {
            let le = Int64(bitPattern: raw), be = Int64(bitPattern: raw.byteSwapped)
            let swap = !Self.plausibleExpiries.contains(le) && Self.plausibleExpiries.contains(be)
            bigEndianExpiries = swap
            if swap {
                warnings.append(RDBWarning(offset: at, message: "expiry times are big-endian (a big-endian producer of RDB "
                                           + "\(dialect.version)); reading them byte-swapped"))
            }
        }
        return Int64(bitPattern: bigEndianExpiries == true ? raw.byteSwapped : raw)
    }

    func readStreamID() throws -> StreamID {
        StreamID(ms: try input.readUInt64BE(), seq: try input.readUInt64BE())
    }

    func readLengthStreamID() throws -> StreamID {
        StreamID(ms: try readLength(), seq: try readLength())
    }
}

/// A string as the file stores it: its bytes, LZF-compressed or not, and where they are, so
/// that it can be decoded and checked away from the reader (`BlobCheckQueue`).
struct StoredString {
    var bytes: UnsafeRawBufferPointer
    /// An LZF string's decompressed length; nil for a raw string or an integer's text.
    var uncompressedLength: Int?
    /// File offset of `bytes` (an LZF stream's first byte, where its faults are counted from).
    var dataAt: Int64
    var context: BlobContext

    /// The string's bytes: `bytes`, or an LZF string decompressed into `scratch`.
    @inline(__always)
    func expanded(into scratch: ByteScratch) throws -> UnsafeRawBufferPointer {
        guard let ulen = uncompressedLength else { return bytes }
        let out = scratch.resize(ulen)
        do {
            try LZF.decompress(bytes, into: out)
        } catch {
            throw error.rdbError(dataAt: dataAt, clen: bytes.count, ulen: ulen)
        }
        return UnsafeRawBufferPointer(out)
    }
}

extension LZF.Failure {
    /// The fault as a structural error at its file offset, for a stream at `dataAt`.
    func rdbError(dataAt: Int64, clen: Int, ulen: Int) -> RDBError {
        switch self {
        case .inputOverrun(let i):
            return RDBError(.structural, at: dataAt + Int64(i), expected: "LZF operands within \(clen) compressed bytes", found: "a reference past the end")
        case .outputOverrun(let i):
            return RDBError(.structural, at: dataAt + Int64(i), expected: "LZF output of \(ulen) bytes", found: "more")
        case .backReferenceBeforeStart(let i, let distance, let produced):
            return RDBError(.structural, at: dataAt + Int64(i), expected: "an LZF back-reference within the \(produced) bytes produced",
                            found: "distance \(distance)")
        case .lengthMismatch(let produced):
            return RDBError(.structural, at: dataAt + Int64(clen), expected: "LZF output of \(ulen) bytes", found: "\(produced)")
        }
    }
}

/// Parses a score as Redis does with `strtod`; nil when the text is not entirely a number.
func parseDouble(_ p: UnsafeRawBufferPointer) -> Double? {
    let n = p.count
    guard n > 0, n < 512 else { return nil }
    if let d = parseShortDecimal(p) { return d }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf -> Double? in
        for i in 0..<n { buf[i] = CChar(bitPattern: p[i]) }
        buf[n] = 0
        var end: UnsafeMutablePointer<CChar>? = nil
        let v = strtod(buf.baseAddress!, &end)
        guard let end, end == buf.baseAddress! + n, isspace(Int32(buf[0])) == 0 else { return nil }
        return v
    }
}

/// Whether a score stored as text is one Redis accepts: entirely a number, not NaN. Plain
/// decimals (the form `%.17g` writes) are recognised without parsing their value.
func isScore(_ p: UnsafeRawBufferPointer) -> Bool {
    guard p.count > 0, p.count < 512 else { return false }
    if scanPlainDecimal(p) != nil { return true }  // strtod takes all of it, never as NaN
    return parseDouble(p).map { !$0.isNaN } ?? false
}

/// `-?digits(.digits)?`, the form most scores take: its digit count, the digits as an integer
/// (exact up to 18 of them) and how many follow the point; nil for any other form.
@inline(__always)
private func scanPlainDecimal(_ p: UnsafeRawBufferPointer) -> (digits: Int, mantissa: Int64, fraction: Int)? {
    let n = p.count
    var i = p[0] == UInt8(ascii: "-") ? 1 : 0
    var mantissa: Int64 = 0
    var digits = 0
    var fraction = -1
    while i < n {
        let c = p[i]
        if c == UInt8(ascii: "."), fraction < 0, digits > 0, i + 1 < n {
            fraction = 0
        } else {
            let d = c &- 48
            guard d <= 9 else { return nil }
            mantissa = mantissa &* 10 &+ Int64(d)
            digits += 1
            if fraction >= 0 { fraction += 1 }
        }
        i += 1
    }
    return digits > 0 ? (digits, mantissa, max(fraction, 0)) : nil
}

/// Up to 15 digits, the digits as an integer and the power of ten are both exact doubles, so
/// one division rounds as `strtod` does.
@inline(__always)
private func parseShortDecimal(_ p: UnsafeRawBufferPointer) -> Double? {
    guard let s = scanPlainDecimal(p), s.digits <= 15 else { return nil }
    let v = Double(s.mantissa) / powersOfTen[s.fraction]
    return p[0] == UInt8(ascii: "-") ? -v : v
}

private let powersOfTen: [Double] = (0...15).map { k in (0..<k).reduce(1.0) { r, _ in r * 10 } }
