/// Builds a ziplist (format.md §5.7) as Redis ≤ 6.2's `ziplistPush` does: an element shorter
/// than 32 bytes that is the canonical decimal text of an `int64` becomes the smallest integer
/// entry (immediate 0–12, int8, int16, int24, int32, int64), any other a string entry; each
/// entry starts with the previous entry's size.
struct ZiplistEncoder {
    /// The entries, without the 10-byte header and the terminator.
    private(set) var body: [UInt8] = []
    private(set) var count = 0
    /// Offset in `body` of the last entry.
    private var lastEntry = 0
    private var previousSize = 0

    var totalBytes: Int { 10 + body.count + 1 }

    mutating func append(_ element: UnsafeRawBufferPointer) {
        let start = body.count
        if previousSize < 254 {
            body.append(UInt8(previousSize))
        } else {
            body.append(0xFE)
            appendLittleEndian(UInt32(previousSize), to: &body)
        }
        if element.count > 0 && element.count < 32, let v = Decimal64.parseCanonical(element) {
            appendInteger(v)
        } else {
            let n = element.count
            if n <= 0x3F {
                body.append(UInt8(n))
            } else if n <= 0x3FFF {
                body.append(0x40 | UInt8(n >> 8))
                body.append(UInt8(n & 0xFF))
            } else {
                body.append(0x80)
                withUnsafeBytes(of: UInt32(n).bigEndian) { body.append(contentsOf: $0) }
            }
            body.append(contentsOf: element)
        }
        lastEntry = start
        previousSize = body.count - start
        count += 1
    }

    mutating func append(_ element: [UInt8]) {
        element.withUnsafeBytes { append($0) }
    }

    private mutating func appendInteger(_ v: Int64) {
        switch v {
        case 0...12:
            body.append(0xF1 + UInt8(v))
        case Int64(Int8.min)...Int64(Int8.max):
            body.append(0xFE)
            body.append(UInt8(bitPattern: Int8(v)))
        case Int64(Int16.min)...Int64(Int16.max):
            body.append(0xC0)
            appendLittleEndian(UInt16(bitPattern: Int16(v)), to: &body)
        case -(1 << 23)...((1 << 23) - 1):
            let u = UInt32(bitPattern: Int32(v))
            body.append(0xF0)
            body.append(UInt8(u & 0xFF))
            body.append(UInt8((u >> 8) & 0xFF))
            body.append(UInt8((u >> 16) & 0xFF))
        case Int64(Int32.min)...Int64(Int32.max):
            body.append(0xD0)
            appendLittleEndian(UInt32(bitPattern: Int32(v)), to: &body)
        default:
            body.append(0xE0)
            appendLittleEndian(UInt64(bitPattern: v), to: &body)
        }
    }

    /// The ziplist: zlbytes, zltail (10 when empty), zllen (saturating at 65535), entries, 0xFF.
    func finish() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(totalBytes)
        appendLittleEndian(UInt32(totalBytes), to: &out)
        appendLittleEndian(UInt32(10 + lastEntry), to: &out)
        appendLittleEndian(UInt16(min(count, 65535)), to: &out)
        out += body
        out.append(0xFF)
        return out
    }
}
