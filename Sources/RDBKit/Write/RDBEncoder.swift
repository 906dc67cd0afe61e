/// The RDB primitives as Redis's saver writes them (format.md §4): lengths in their shortest
/// form (`rdbSaveLen`), strings integer-encoded or LZF-compressed where `rdbSaveRawString`
/// would, little-endian times and doubles. Appends to `out`, which the writer drains.
struct RDBEncoder {
    var out: [UInt8] = []
    /// `rdbcompression`: try LZF on strings over 20 bytes.
    let compression: Bool
    private var lzf = LZFCompressor()

    init(compression: Bool) {
        self.compression = compression
    }

    mutating func append(byte: UInt8) { out.append(byte) }

    mutating func appendLength(_ v: UInt64) {
        if v < 64 {
            out.append(UInt8(v))
        } else if v < 16384 {
            out.append(0x40 | UInt8(v >> 8))
            out.append(UInt8(v & 0xFF))
        } else if v <= UInt64(UInt32.max) {
            out.append(0x80)
            withUnsafeBytes(of: UInt32(v).bigEndian) { out.append(contentsOf: $0) }
        } else {
            out.append(0x81)
            withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) }
        }
    }

    mutating func appendLength(_ v: Int) { appendLength(UInt64(v)) }

    /// `rdbSaveRawString`: canonical integers of at most 11 characters that fit 32 bits as
    /// INT8/16/32; strings over 20 bytes as LZF when that saves 4 bytes or more; else plain.
    mutating func appendString(_ s: UnsafeRawBufferPointer) {
        if s.count <= 11, let v = Decimal64.parseCanonical(s), v >= Int64(Int32.min), v <= Int64(Int32.max) {
            switch v {
            case Int64(Int8.min)...Int64(Int8.max):
                out.append(0xC0)
                out.append(UInt8(bitPattern: Int8(v)))
            case Int64(Int16.min)...Int64(Int16.max):
                out.append(0xC1)
                appendLittleEndian(Int16(v), to: &out)
            default:
                out.append(0xC2)
                appendLittleEndian(Int32(v), to: &out)
            }
            return
        }
        if compression && s.count > 20, let packed = lzf.compress(s, budget: s.count - 4) {
            out.append(0xC3)
            appendLength(packed.count)
            appendLength(s.count)
            out += packed
            return
        }
        appendLength(s.count)
        out.append(contentsOf: s)
    }

    mutating func appendString(_ s: [UInt8]) {
        s.withUnsafeBytes { appendString($0) }
    }

    mutating func appendString(_ s: ArraySlice<UInt8>) {
        s.withUnsafeBytes { appendString($0) }
    }

    mutating func appendString(_ s: String) {
        appendString(Array(s.utf8))
    }

    /// EXPIRETIME_MS and stream times: 8 bytes little-endian.
    mutating func appendMillisecondTime(_ ms: Int64) {
        appendLittleEndian(ms, to: &out)
    }

    mutating func appendBinaryDouble(_ v: Double) {
        appendLittleEndian(v.bitPattern, to: &out)
    }

    /// A stream id as PEL entries and node keys store it: 16 bytes, big-endian.
    mutating func appendRawStreamID(_ id: StreamID) {
        out += Self.rawStreamID(id)
    }

    static func rawStreamID(_ id: StreamID) -> [UInt8] {
        var b: [UInt8] = []
        withUnsafeBytes(of: id.ms.bigEndian) { b.append(contentsOf: $0) }
        withUnsafeBytes(of: id.seq.bigEndian) { b.append(contentsOf: $0) }
        return b
    }

    mutating func appendLengthStreamID(_ id: StreamID) {
        appendLength(id.ms)
        appendLength(id.seq)
    }
}
