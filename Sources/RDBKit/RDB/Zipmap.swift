/// Decodes a zipmap (format.md §5.8, Redis 2.4 hashes) into fields and values.
enum Zipmap {
    static func decode<F: ElementSink, V: ElementSink>(_ p: UnsafeRawBufferPointer, _ ctx: BlobContext, fields: inout F,
                                                       values: inout V, duplicates: inout DuplicateFinder) throws {
        let n = p.count
        guard n >= 2 else { throw ctx.error(at: 0, expected: "a zipmap of at least 2 bytes", found: "\(n) bytes") }
        guard p[n - 1] == 0xFF else { throw ctx.error(at: n - 1, expected: "zipmap terminator 0xff", found: hex(p[n - 1])) }
        let declared = Int(p[0])
        var i = 1
        func length() throws -> Int {
            guard i < n - 1 else { throw ctx.error(at: i, expected: "a zipmap length", found: "end of blob") }
            let b = p[i]
            if b < 254 { i += 1; return Int(b) }
            guard b == 254, i + 5 <= n - 1 else { throw ctx.error(at: i, expected: "a zipmap length", found: hex(b)) }
            let v = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i + 1, as: UInt32.self)))
            i += 5
            return v
        }
        func bytes(_ len: Int) throws -> UnsafeRawBufferPointer {
            guard i + len <= n - 1 else { throw ctx.error(at: i, expected: "\(len) bytes of zipmap entry", found: "\(n - 1 - i)") }
            defer { i += len }
            return UnsafeRawBufferPointer(rebasing: p[i..<i + len])
        }
        var pairs = 0
        duplicates.reset()
        while p[i] != 0xFF {
            let fieldAt = i
            let flen = try length()
            if let j = fields.addUnique(.bytes(try bytes(flen)), &duplicates) {
                throw ctx.error(at: fieldAt, expected: "unique hash fields", found: "a repeat of field \(j)")
            }
            let vlen = try length()
            guard i < n - 1 else { throw ctx.error(at: i, expected: "a zipmap free byte", found: "end of blob") }
            let free = Int(p[i]); i += 1
            values.add(try bytes(vlen))
            _ = try bytes(free)
            pairs += 1
            guard i < n else { break }
        }
        guard i == n - 1 else { throw ctx.error(at: i, expected: "terminator at the last byte", found: "byte \(i) of \(n)") }
        if declared < 254 && declared != pairs {
            throw ctx.error(at: 0, expected: "zipmap length \(pairs)", found: "\(declared)")
        }
    }
}
