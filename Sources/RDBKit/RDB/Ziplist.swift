/// Walks a ziplist (format.md §5.7), checking zlbytes, zltail, zllen, every prevlen and
/// encoding, and the terminator.
struct ZiplistIterator: PackedElementIterator {
    private let p: UnsafeRawBufferPointer
    private let ctx: BlobContext
    private var i = 10
    private var previousSize = 0
    /// Offset in the blob of the element `next` returned last.
    private(set) var lastStart = 10
    private let declaredCount: Int
    private let tail: Int
    private(set) var seen = 0

    init(_ blob: UnsafeRawBufferPointer, _ ctx: BlobContext) throws {
        p = blob
        self.ctx = ctx
        guard blob.count >= 11 else {
            throw ctx.error(at: 0, expected: "a ziplist of at least 11 bytes", found: "\(blob.count) bytes")
        }
        let total = Int(UInt32(littleEndian: blob.loadUnaligned(as: UInt32.self)))
        guard total == blob.count else {
            throw ctx.error(at: 0, expected: "ziplist zlbytes \(blob.count)", found: "\(total)")
        }
        tail = Int(UInt32(littleEndian: blob.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
        declaredCount = Int(UInt16(littleEndian: blob.loadUnaligned(fromByteOffset: 8, as: UInt16.self)))
        guard blob[blob.count - 1] == 0xFF else {
            throw ctx.error(at: blob.count - 1, expected: "ziplist terminator 0xff", found: hex(blob[blob.count - 1]))
        }
    }

    mutating func next() throws -> PackedElement? {
        let n = p.count
        guard i < n else { throw ctx.error(at: i, expected: "a ziplist entry", found: "end of blob") }
        if p[i] == 0xFF {
            guard i == n - 1 else { throw ctx.error(at: i, expected: "terminator at the last byte", found: "terminator at byte \(i) of \(n)") }
            if declaredCount != 65535 && declaredCount != seen {
                throw ctx.error(at: 8, expected: "ziplist zllen \(seen)", found: "\(declaredCount)")
            }
            let expectedTail = seen == 0 ? 10 : lastStart
            if tail != expectedTail {
                throw ctx.error(at: 4, expected: "ziplist zltail \(expectedTail)", found: "\(tail)")
            }
            return nil
        }
        let start = i
        // Inline: a nested throwing function here is a call per element.
        @inline(__always) func need(_ k: Int) throws {
            if i + k > n - 1 { throw shortEntry(at: start, from: i, needs: k) }
        }
        var prevlen: Int
        if p[i] < 254 {
            prevlen = Int(p[i]); i += 1
        } else {
            try need(5)
            prevlen = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i + 1, as: UInt32.self))); i += 5
        }
        guard prevlen == previousSize else {
            throw ctx.error(at: start, expected: "ziplist prevlen \(previousSize)", found: "\(prevlen)")
        }
        try need(1)
        let b = p[i]
        let element: PackedElement
        switch b >> 6 {
        case 0:
            let len = Int(b & 0x3F)
            try need(1 + len)
            element = .bytes(UnsafeRawBufferPointer(rebasing: p[i + 1..<i + 1 + len])); i += 1 + len
        case 1:
            try need(2)
            let len = (Int(b & 0x3F) << 8) | Int(p[i + 1])
            try need(2 + len)
            element = .bytes(UnsafeRawBufferPointer(rebasing: p[i + 2..<i + 2 + len])); i += 2 + len
        case 2:
            guard b == 0x80 else { throw ctx.error(at: i, expected: "a ziplist string encoding", found: hex(b)) }
            try need(5)
            let len = Int(UInt32(bigEndian: p.loadUnaligned(fromByteOffset: i + 1, as: UInt32.self)))
            try need(5 + len)
            element = .bytes(UnsafeRawBufferPointer(rebasing: p[i + 5..<i + 5 + len])); i += 5 + len
        default:
            switch b {
            case 0xC0:
                try need(3)
                element = .integer(Int64(Int16(littleEndian: p.loadUnaligned(fromByteOffset: i + 1, as: Int16.self)))); i += 3
            case 0xD0:
                try need(5)
                element = .integer(Int64(Int32(littleEndian: p.loadUnaligned(fromByteOffset: i + 1, as: Int32.self)))); i += 5
            case 0xE0:
                try need(9)
                element = .integer(Int64(littleEndian: p.loadUnaligned(fromByteOffset: i + 1, as: Int64.self))); i += 9
            case 0xF0:
                try need(4)
                let u = UInt32(p[i + 1]) | UInt32(p[i + 2]) << 8 | UInt32(p[i + 3]) << 16
                element = .integer(Int64(Int32(bitPattern: u << 8) >> 8)); i += 4
            case 0xFE:
                try need(2)
                element = .integer(Int64(Int8(bitPattern: p[i + 1]))); i += 2
            case 0xF1...0xFD:
                element = .integer(Int64(b & 0x0F) - 1); i += 1
            default:
                throw ctx.error(at: i, expected: "a ziplist entry encoding", found: hex(b))
            }
        }
        previousSize = i - start
        lastStart = start
        seen += 1
        return element
    }

    private func shortEntry(at start: Int, from i: Int, needs k: Int) -> RDBError {
        ctx.error(at: start, expected: "\(k) more bytes of ziplist entry", found: "\(p.count - 1 - i) before the terminator")
    }

}
