/// Walks a listpack (format.md §5.11), checking its header, every entry's encoding and
/// back-length, and the terminator, as Redis's deep sanitization does.
struct ListpackIterator: PackedElementIterator {
    private let p: UnsafeRawBufferPointer
    private let ctx: BlobContext
    private var i = 6
    private let declaredCount: Int
    private(set) var seen = 0
    /// Offset in the blob of the element `next` returned last.
    private(set) var lastStart = 6

    init(_ blob: UnsafeRawBufferPointer, _ ctx: BlobContext) throws {
        p = blob
        self.ctx = ctx
        guard blob.count >= 7 else {
            throw ctx.error(at: 0, expected: "a listpack of at least 7 bytes", found: "\(blob.count) bytes")
        }
        let total = Int(UInt32(littleEndian: blob.loadUnaligned(as: UInt32.self)))
        guard total == blob.count else {
            throw ctx.error(at: 0, expected: "listpack total_bytes \(blob.count)", found: "\(total)")
        }
        guard blob[blob.count - 1] == 0xFF else {
            throw ctx.error(at: blob.count - 1, expected: "listpack terminator 0xff", found: hex(blob[blob.count - 1]))
        }
        declaredCount = Int(UInt16(littleEndian: blob.loadUnaligned(fromByteOffset: 4, as: UInt16.self)))
    }

    mutating func next() throws -> PackedElement? {
        let n = p.count
        guard i < n else { throw ctx.error(at: i, expected: "a listpack entry", found: "end of blob") }
        let b = p[i]
        if b == 0xFF {
            guard i == n - 1 else { throw ctx.error(at: i, expected: "terminator at the last byte", found: "terminator at byte \(i) of \(n)") }
            if declaredCount != 65535 && declaredCount != seen {
                throw ctx.error(at: 4, expected: "listpack count \(seen)", found: "\(declaredCount)")
            }
            return nil
        }
        let start = i
        let element: PackedElement
        let size: Int
        // Inline: a nested throwing function here is a call per element.
        @inline(__always) func need(_ k: Int) throws {
            if start + k > n - 1 { throw shortEntry(at: start, needs: k) }
        }
        switch b {
        case 0x00...0x7F:
            element = .integer(Int64(b)); size = 1
        case 0x80...0xBF:
            let len = Int(b & 0x3F)
            try need(1 + len)
            element = .bytes(UnsafeRawBufferPointer(rebasing: p[start + 1..<start + 1 + len])); size = 1 + len
        case 0xC0...0xDF:
            try need(2)
            let u = (Int(b & 0x1F) << 8) | Int(p[start + 1])
            element = .integer(Int64(u < 4096 ? u : u - 8192)); size = 2
        case 0xE0...0xEF:
            try need(2)
            let len = (Int(b & 0x0F) << 8) | Int(p[start + 1])
            try need(2 + len)
            element = .bytes(UnsafeRawBufferPointer(rebasing: p[start + 2..<start + 2 + len])); size = 2 + len
        case 0xF0:
            try need(5)
            let len = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: start + 1, as: UInt32.self)))
            try need(5 + len)
            element = .bytes(UnsafeRawBufferPointer(rebasing: p[start + 5..<start + 5 + len])); size = 5 + len
        case 0xF1:
            try need(3)
            element = .integer(Int64(Int16(littleEndian: p.loadUnaligned(fromByteOffset: start + 1, as: Int16.self)))); size = 3
        case 0xF2:
            try need(4)
            let u = UInt32(p[start + 1]) | UInt32(p[start + 2]) << 8 | UInt32(p[start + 3]) << 16
            element = .integer(Int64(Int32(bitPattern: u << 8) >> 8)); size = 4
        case 0xF3:
            try need(5)
            element = .integer(Int64(Int32(littleEndian: p.loadUnaligned(fromByteOffset: start + 1, as: Int32.self)))); size = 5
        case 0xF4:
            try need(9)
            element = .integer(Int64(littleEndian: p.loadUnaligned(fromByteOffset: start + 1, as: Int64.self))); size = 9
        default:
            throw ctx.error(at: start, expected: "a listpack entry encoding", found: hex(b))
        }
        // The back-length: `size` in 7-bit groups, high group first, continuation bit on all but the first.
        let backlenBytes = size <= 127 ? 1 : size < 16383 ? 2 : size < 2097151 ? 3 : size < 268435455 ? 4 : 5
        try need(size + backlenBytes)
        var v = 0
        for j in 0..<backlenBytes {
            let byte = p[start + size + j]
            if (byte & 0x80 != 0) != (j > 0) {
                throw ctx.error(at: start + size + j, expected: "listpack back-length \(size)", found: "malformed byte \(hex(byte))")
            }
            v = (v << 7) | Int(byte & 0x7F)
        }
        guard v == size else {
            throw ctx.error(at: start + size, expected: "listpack back-length \(size)", found: "\(v)")
        }
        i = start + size + backlenBytes
        lastStart = start
        seen += 1
        return element
    }

    private func shortEntry(at start: Int, needs k: Int) -> RDBError {
        ctx.error(at: start, expected: "\(k) bytes of listpack entry", found: "\(p.count - 1 - start) before the terminator")
    }

}

func hex(_ b: UInt8) -> String {
    let s = String(b, radix: 16)
    return "0x" + (s.count == 1 ? "0" + s : s)
}
