/// Builds a listpack (format.md §5.11) as Redis's `lpAppend` does: an element that is the
/// canonical decimal text of an `int64` is stored as the smallest integer entry, any other as
/// a string entry; every entry is followed by its back-length.
struct ListpackEncoder {
    /// The entries, without the 6-byte header and the terminator.
    private(set) var body: [UInt8] = []
    private(set) var count = 0

    /// Bytes of the finished listpack.
    var totalBytes: Int { 6 + body.count + 1 }

    mutating func append(_ element: UnsafeRawBufferPointer) {
        if let v = Decimal64.parseCanonical(element) {
            append(integer: v)
            return
        }
        let n = element.count
        let start = body.count
        if n < 64 {
            body.append(0x80 | UInt8(n))
        } else if n < 4096 {
            body.append(0xE0 | UInt8(n >> 8))
            body.append(UInt8(n & 0xFF))
        } else {
            body.append(0xF0)
            appendLittleEndian(UInt32(n), to: &body)
        }
        body.append(contentsOf: element)
        appendBacklen(body.count - start)
        count += 1
    }

    mutating func append(_ element: [UInt8]) {
        element.withUnsafeBytes { append($0) }
    }

    mutating func append(integer v: Int64) {
        let start = body.count
        switch v {
        case 0...127:
            body.append(UInt8(v))
        case -4096...4095:
            let u = UInt16(bitPattern: Int16(v)) & 0x1FFF
            body.append(0xC0 | UInt8(u >> 8))
            body.append(UInt8(u & 0xFF))
        case Int64(Int16.min)...Int64(Int16.max):
            body.append(0xF1)
            appendLittleEndian(UInt16(bitPattern: Int16(v)), to: &body)
        case -(1 << 23)...((1 << 23) - 1):
            let u = UInt32(bitPattern: Int32(v))
            body.append(0xF2)
            body.append(UInt8(u & 0xFF))
            body.append(UInt8((u >> 8) & 0xFF))
            body.append(UInt8((u >> 16) & 0xFF))
        case Int64(Int32.min)...Int64(Int32.max):
            body.append(0xF3)
            appendLittleEndian(UInt32(bitPattern: Int32(v)), to: &body)
        default:
            body.append(0xF4)
            appendLittleEndian(UInt64(bitPattern: v), to: &body)
        }
        appendBacklen(body.count - start)
        count += 1
    }

    /// The size an integer entry takes, back-length included (stream nodes size their count).
    static func integerEntrySize(_ v: Int64) -> Int {
        var e = ListpackEncoder()
        e.append(integer: v)
        return e.body.count
    }

    /// `lpEncodeBacklen`: the entry size in 7-bit groups, most significant first, every byte but
    /// the first flagged with bit 7.
    private mutating func appendBacklen(_ size: Int) {
        let groups = size <= 127 ? 1 : size < 16383 ? 2 : size < 2_097_151 ? 3 : size < 268_435_455 ? 4 : 5
        for g in stride(from: groups - 1, through: 0, by: -1) {
            let bits = UInt8((size >> (7 * g)) & 0x7F)
            body.append(g == groups - 1 ? bits : bits | 0x80)
        }
    }

    /// The listpack: header (total bytes, count saturating at 65535), entries, terminator.
    func finish() -> [UInt8] {
        Self.join(self, ListpackEncoder())
    }

    /// One listpack of `head`'s entries followed by `tail`'s (a stream node's count is encoded
    /// last but stored first).
    static func join(_ head: ListpackEncoder, _ tail: ListpackEncoder) -> [UInt8] {
        var out: [UInt8] = []
        let total = 6 + head.body.count + tail.body.count + 1
        out.reserveCapacity(total)
        appendLittleEndian(UInt32(total), to: &out)
        appendLittleEndian(UInt16(min(head.count + tail.count, 65535)), to: &out)
        out += head.body
        out += tail.body
        out.append(0xFF)
        return out
    }
}

/// Little-endian bytes of a fixed-width integer, as every RDB blob header stores them.
func appendLittleEndian<T: FixedWidthInteger>(_ v: T, to out: inout [UInt8]) {
    withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
}
