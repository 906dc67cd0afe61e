/// Decodes an intset (format.md §5.9): members strictly increasing, size exact.
enum Intset {
    static func decode<S: ElementSink>(_ p: UnsafeRawBufferPointer, _ ctx: BlobContext, into out: inout S) throws {
        guard p.count >= 8 else { throw ctx.error(at: 0, expected: "an intset header of 8 bytes", found: "\(p.count) bytes") }
        let width = Int(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
        guard width == 2 || width == 4 || width == 8 else {
            throw ctx.error(at: 0, expected: "intset encoding 2, 4 or 8", found: "\(width)")
        }
        let count = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
        guard p.count == 8 + count * width else {
            throw ctx.error(at: 4, expected: "intset of \(8 + count * width) bytes for \(count) members", found: "\(p.count) bytes")
        }
        var previous: Int64? = nil
        for k in 0..<count {
            let at = 8 + k * width
            let v: Int64
            switch width {
            case 2: v = Int64(Int16(littleEndian: p.loadUnaligned(fromByteOffset: at, as: Int16.self)))
            case 4: v = Int64(Int32(littleEndian: p.loadUnaligned(fromByteOffset: at, as: Int32.self)))
            default: v = Int64(littleEndian: p.loadUnaligned(fromByteOffset: at, as: Int64.self))
            }
            if let previous, v <= previous {
                throw ctx.error(at: at, expected: "intset members in increasing order", found: "\(v) after \(previous)")
            }
            previous = v
            out.add(.integer(v))
        }
    }
}
