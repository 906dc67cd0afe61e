/// Quicklists (format.md §5.10): type 14, nodes of ziplists; type 18, PLAIN or PACKED
/// (listpack) nodes.
extension RDBDecoder {
    func walkQuicklist<S: ElementSink>(into l: inout S) throws {
        let nodes = try readCount("quicklist node count")
        for _ in 0..<nodes {
            try withString("ziplist") { p, ctx in
                var it = try ZiplistIterator(p, ctx)
                while let e = try it.next() { l.add(e) }
                noteBlob(bytes: p.count, elements: it.seen)
            }
        }
    }

    func walkQuicklist2<S: ElementSink>(into l: inout S) throws {
        let nodes = try readCount("quicklist node count")
        for _ in 0..<nodes {
            let at = input.offset
            let container = try readLength()
            switch container {
            case 1:
                try withString { p, ctx in
                    guard !p.isEmpty else { throw ctx.error(at: 0, expected: "a non-empty PLAIN node", found: "0 bytes") }
                    l.add(p)
                    noteBlob(bytes: p.count, elements: 1)
                }
            case 2:
                try withString("listpack") { p, ctx in
                    var it = try ListpackIterator(p, ctx)
                    while let e = try it.next() { l.add(e) }
                    noteBlob(bytes: p.count, elements: it.seen)
                }
            default:
                throw RDBError(.structural, at: at, expected: "quicklist container 1 (PLAIN) or 2 (PACKED)", found: "\(container)")
            }
        }
    }
}
