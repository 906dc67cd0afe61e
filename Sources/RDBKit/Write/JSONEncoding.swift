/// Byte-level JSON building blocks for the dump writers (jsonl.md, "Bytes"): Redis strings
/// become JSON strings when they are valid UTF-8 and `{"b64":"..."}` objects otherwise;
/// numbers are written without going through `String` where it matters.
public enum JSONEncoding {
    // MARK: Output buffer entry points (reports)

    /// Appends `bytes` as a JSON string, or as `{"b64":"..."}` when they are not valid UTF-8.
    public static func appendBytes(_ bytes: UnsafeRawBufferPointer, to out: OutputBuffer) {
        var sink = out
        appendBytes(bytes, to: &sink)
    }

    /// Appends text known to be valid UTF-8 (a Swift `String`'s `utf8`: names and labels,
    /// never raw data) as a JSON string, without validating it again.
    public static func appendString<C: Collection>(_ utf8: C, to out: OutputBuffer) where C.Element == UInt8 {
        var sink = out
        appendString(utf8, to: &sink)
    }

    /// Appends a number as jsonl.md writes scores: the shortest round-trip form, infinities
    /// as the strings `"inf"` / `"-inf"`.
    public static func appendDouble(_ v: Double, to out: OutputBuffer) {
        var sink = out
        appendDouble(v, to: &sink)
    }

    // MARK: Bytes

    /// Appends `bytes` as a JSON string, or as `{"b64":"..."}` when they are not valid UTF-8.
    static func appendBytes<S: ByteSink & ~Copyable>(_ bytes: UnsafeRawBufferPointer, to sink: inout S) {
        if !appendIfValidUTF8(bytes, to: &sink) {
            sink.append("{\"b64\":\"")
            appendBase64(bytes, to: &sink)
            sink.append("\"}")
        }
    }

    static func appendBytes<S: ByteSink & ~Copyable>(_ bytes: [UInt8], to sink: inout S) {
        bytes.withUnsafeBytes { appendBytes($0, to: &sink) }
    }

    static func appendString<S: ByteSink & ~Copyable, C: Collection>(_ utf8: C, to sink: inout S) where C.Element == UInt8 {
        // nil when the text is not contiguous (a bridged or lazily decoded string). A Swift
        // string is valid UTF-8, so the append cannot refuse it.
        if utf8.withContiguousStorageIfAvailable({ _ = appendIfValidUTF8(UnsafeRawBufferPointer($0), to: &sink) }) == nil {
            _ = Array(utf8).withUnsafeBytes { appendIfValidUTF8($0, to: &sink) }
        }
    }

    /// Appends standard base64 with padding (RFC 4648 §4).
    static func appendBase64<S: ByteSink & ~Copyable>(_ bytes: UnsafeRawBufferPointer, to sink: inout S) {
        // Encoded through a stack chunk so the sink sees a few large appends, not one call
        // per character.
        let chunkInput = 3 * 256
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4 * 256) { scratch in
            base64Alphabet.withUnsafeBufferPointer { alphabet in
                var i = 0
                let n = bytes.count
                while i < n {
                    let end = Swift.min(n, i + chunkInput)
                    var o = 0
                    while i + 3 <= end {
                        let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                        scratch[o] = alphabet[Int(v >> 18)]
                        scratch[o + 1] = alphabet[Int((v >> 12) & 63)]
                        scratch[o + 2] = alphabet[Int((v >> 6) & 63)]
                        scratch[o + 3] = alphabet[Int(v & 63)]
                        i += 3
                        o += 4
                    }
                    if i < end {  // the last 1 or 2 bytes of the input
                        let two = end - i == 2
                        let v = UInt32(bytes[i]) << 16 | (two ? UInt32(bytes[i + 1]) << 8 : 0)
                        scratch[o] = alphabet[Int(v >> 18)]
                        scratch[o + 1] = alphabet[Int((v >> 12) & 63)]
                        scratch[o + 2] = two ? alphabet[Int((v >> 6) & 63)] : UInt8(ascii: "=")
                        scratch[o + 3] = UInt8(ascii: "=")
                        i = end
                        o += 4
                    }
                    sink.append(UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(scratch)[0..<o]))
                }
            }
        }
    }

    // MARK: Numbers

    /// A score as jsonl.md writes it: a JSON number with the fewest digits that read back as
    /// the same double, or the strings `"inf"` / `"-inf"` (and `"nan"`, which no zset can hold
    /// but an array element could).
    static func appendDouble<S: ByteSink & ~Copyable>(_ v: Double, to sink: inout S) {
        if v.isFinite {
            appendDoubleText(v, to: &sink)
        } else {
            sink.append(quote)
            appendDoubleText(v, to: &sink)
            sink.append(quote)
        }
    }

    /// The shortest text that parses back (with `strtod`, as Redis parses scores) to exactly
    /// `v`: integral values below 2^53 as plain integers (`3`, `-0`), others as Swift's
    /// shortest round-trip rendering (`1.5`, `1e+300`), and `inf` / `-inf` / `nan`.
    static func appendDoubleText<S: ByteSink & ~Copyable>(_ v: Double, to sink: inout S) {
        if v.isNaN {
            sink.append("nan")
        } else if v.isInfinite {
            sink.append(v < 0 ? "-inf" : "inf")
        } else if v == v.rounded(.towardZero) && v.magnitude < 9_007_199_254_740_992 {
            // Keeps the sign of -0.0, which Int64 conversion would drop.
            if v == 0 && v.sign == .minus { sink.append(UInt8(ascii: "-")) }
            sink.appendDecimal(Int64(v))
        } else {
            sink.append(text: v.description)
        }
    }

    /// The decimal text of an unsigned 64-bit value (stream ids and counters use the full
    /// range).
    static func appendDecimal<S: ByteSink & ~Copyable>(_ v: UInt64, to sink: inout S) {
        if let signed = Int64(exactly: v) {
            sink.appendDecimal(signed)
        } else {
            // v / 10 always fits an Int64; the last digit follows it.
            sink.appendDecimal(Int64(v / 10))
            sink.append(UInt8(48 + v % 10))
        }
    }

    /// `"<ms>-<seq>"`, the form `XRANGE` replies with.
    static func appendStreamID<S: ByteSink & ~Copyable>(_ id: StreamID, to sink: inout S) {
        sink.append(quote)
        appendStreamIDText(id, to: &sink)
        sink.append(quote)
    }

    /// `<ms>-<seq>` without quotes.
    static func appendStreamIDText<S: ByteSink & ~Copyable>(_ id: StreamID, to sink: inout S) {
        appendDecimal(id.ms, to: &sink)
        sink.append(UInt8(ascii: "-"))
        appendDecimal(id.seq, to: &sink)
    }

    // MARK: Validation

    /// True when `bytes` are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
    /// nothing above U+10FFFF), the same test a strict decoder applies.
    public static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let p = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = 0
        while i < n {
            // Skip ASCII a word at a time: most keys and values are ASCII.
            while i + 8 <= n && p.loadUnaligned(fromByteOffset: i, as: UInt64.self) & highBits == 0 {
                i += 8
            }
            guard i < n else { break }
            if p.load(fromByteOffset: i, as: UInt8.self) < 0x80 { i += 1; continue }
            let length = utf8SequenceLength(p, at: i, count: n)
            if length == 0 { return false }
            i += length
        }
        return true
    }

    /// The length of the well-formed multi-byte UTF-8 sequence starting at `p[i]` (a byte of
    /// 0x80 or more), or 0 when it is not one (RFC 3629 table 3-7).
    @inline(__always)
    static func utf8SequenceLength(_ p: UnsafeRawPointer, at i: Int, count n: Int) -> Int {
        let length: Int
        var lower: UInt8 = 0x80, upper: UInt8 = 0xBF  // range of the second byte
        switch p.load(fromByteOffset: i, as: UInt8.self) {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: return 0
        }
        guard i + length <= n, (lower...upper).contains(p.load(fromByteOffset: i + 1, as: UInt8.self)) else { return 0 }
        for k in 2..<length where p.load(fromByteOffset: i + k, as: UInt8.self) & 0xC0 != 0x80 { return 0 }
        return length
    }

    // MARK: Internals

    static let quote = UInt8(ascii: "\"")
    static let highBits: UInt64 = 0x8080_8080_8080_8080
    static let lowBits: UInt64 = 0x0101_0101_0101_0101
    static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The high bit of each byte of `w` that is not its own JSON string body: 0x80 or more, below
    /// 0x20, `"` or `\`. Exact for the lowest such byte; bytes above it may be flagged falsely
    /// (borrows), which only sends them through the slow path.
    @inline(__always) static func specialBytes(_ w: UInt64) -> UInt64 {
        (w | hasByteBelow0x20(w) | hasZeroByte(w ^ (lowBits &* 0x22)) | hasZeroByte(w ^ (lowBits &* 0x5C))) & highBits
    }

    /// High bit set in some byte iff `w` has a zero byte (exact as a yes/no answer).
    @inline(__always) static func hasZeroByte(_ w: UInt64) -> UInt64 {
        (w &- lowBits) & ~w & highBits
    }

    /// High bit set in some byte iff `w` has a byte below 0x20 (exact as a yes/no answer).
    @inline(__always) static func hasByteBelow0x20(_ w: UInt64) -> UInt64 {
        (w &- lowBits &* 0x20) & ~w & highBits
    }

    /// For each byte, its JSON string form packed little-endian in the low bytes and its length
    /// in the top byte: the byte itself, a two-byte escape, or `\u00XX`.
    static let escapeTable: [UInt64] = (0..<256).map { (b: Int) -> UInt64 in
        let seq: [UInt8]
        switch b {
        case 0x22: seq = Array(#"\""#.utf8)
        case 0x5C: seq = Array(#"\\"#.utf8)
        case 0x0A: seq = Array(#"\n"#.utf8)
        case 0x0D: seq = Array(#"\r"#.utf8)
        case 0x09: seq = Array(#"\t"#.utf8)
        case 0x08: seq = Array(#"\b"#.utf8)
        case 0x0C: seq = Array(#"\f"#.utf8)
        case 0..<0x20: seq = Array(#"\u00"#.utf8) + [hexDigit(UInt8(b) >> 4), hexDigit(UInt8(b) & 15)]
        default: seq = [UInt8(b)]
        }
        var packed = UInt64(seq.count) << 56
        for (i, c) in seq.enumerated() { packed |= UInt64(c) << (8 * i) }
        return packed
    }

    /// Appends `bytes` as a JSON string in one pass, or appends nothing and returns false when
    /// they are not valid UTF-8. Taken eight bytes at a time: a word with nothing to escape is
    /// copied whole; an ASCII word with `"`, `\` or a control character goes through the
    /// table without a branch per byte (one 8-byte store of each byte's entry, advancing by its
    /// length, up to six for `\u00XX`); only a word with a byte of 0x80 or more is walked byte
    /// by byte, checking each multi-byte sequence and copying it as it is.
    static func appendIfValidUTF8<S: ByteSink & ~Copyable>(_ bytes: UnsafeRawBufferPointer, to sink: inout S) -> Bool {
        guard let src = bytes.baseAddress else {
            sink.append(quote)
            sink.append(quote)
            return true
        }
        let n = bytes.count
        var valid = true
        // Output never passes 6 bytes per input byte plus the quotes; the slack absorbs the
        // overhang of the last 8-byte store.
        sink.appendInPlace(maxCount: n * 6 + 10) { out in
            let raw = UnsafeMutableRawPointer(out)
            out[0] = quote
            var o = 1, i = 0
            escapeTable.withUnsafeBufferPointer { table in
                /// One byte at `i`: its table entry, or a whole checked multi-byte sequence.
                func step() -> Bool {
                    let b = src.load(fromByteOffset: i, as: UInt8.self)
                    if b < 0x80 {
                        let e = table[Int(b)]
                        (raw + o).storeBytes(of: e.littleEndian, as: UInt64.self)
                        o += Int(e >> 56)
                        i += 1
                        return true
                    }
                    let length = utf8SequenceLength(src, at: i, count: n)
                    if length == 0 { return false }
                    (raw + o).copyMemory(from: src + i, byteCount: length)
                    o += length
                    i += length
                    return true
                }
                while i + 8 <= n {
                    let w = src.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    if specialBytes(w) == 0 {
                        (raw + o).storeBytes(of: w, as: UInt64.self)
                        o += 8
                        i += 8
                    } else if w & highBits == 0 {
                        for k in 0..<8 {
                            let e = table[Int(truncatingIfNeeded: w >> (8 * UInt64(k))) & 0xFF]
                            (raw + o).storeBytes(of: e.littleEndian, as: UInt64.self)
                            o += Int(e >> 56)
                        }
                        i += 8
                    } else {
                        // A sequence may run past the word's end; the next word starts after it.
                        let end = i + 8
                        while i < end {
                            guard step() else { valid = false; return }
                        }
                    }
                }
                while i < n {
                    guard step() else { valid = false; return }
                }
            }
            guard valid else { return 0 }
            out[o] = quote
            return o + 1
        }
        return valid
    }

    @inline(__always) static func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? 48 + v : 87 + v  // 87 + 10 == UInt8(ascii: "a")
    }
}
