/// Quicklists (format.md §5.10): type 14, nodes of ziplists; type 18, PLAIN or PACKED
/// (listpack) nodes.
extension RDBDecoder {
    func readQuicklist() throws -> ByteList {
        let nodes = try readCount("quicklist node count")
        var l = ByteList()
        for _ in 0..<nodes {
            try withString("ziplist") { p, ctx in
                var it = try ZiplistIterator(p, ctx)
                try it.forEach { $0.append(to: &l) }
                noteBlob(bytes: p.count, elements: it.seen)
            }
        }
        return l
    }

    func readQuicklist2() throws -> ByteList {
        let nodes = try readCount("quicklist node count")
        var l = ByteList()
        for _ in 0..<nodes {
            let at = input.offset
            let container = try readLength()
            switch container {
            case 1:
                try withString { p, ctx in
                    guard !p.isEmpty else { throw ctx.error(at: 0, expected: "a non-empty PLAIN node", found: "0 bytes") }
                    l.append(p)
                    noteBlob(bytes: p.count, elements: 1)
                }
            case 2:
                try withString("listpack") { p, ctx in
                    var it = try ListpackIterator(p, ctx)
                    try it.forEach { $0.append(to: &l) }
                    noteBlob(bytes: p.count, elements: it.seen)
                }
            default:
                throw RDBError(.structural, at: at, expected: "quicklist container 1 (PLAIN) or 2 (PACKED)", found: "\(container)")
            }
        }
        return l
    }
}
