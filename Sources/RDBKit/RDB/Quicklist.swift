/// Quicklists (format.md §5.10): type 14, nodes of ziplists; type 18, PLAIN or PACKED
/// (listpack) nodes.
extension RDBDecoder {
    func walkQuicklist<S: ElementSink>(_ type: RDBType, into l: inout S) throws {
        try forEachNode(type) { s, layout in
            let p = try s.expanded(into: lzfOutput)
            let seen: Int
            switch layout {
            case .plainNode:
                try PackedWalk.plainNode(p, s.context, into: &l)
                seen = 1
            default:
                seen = try PackedWalk.list(listpack: layout == .listpackList, p, s.context, into: &l)
            }
            noteBlob(bytes: p.count, elements: seen)
        }
    }

    /// Reads the nodes of a quicklist (type 14 or 18) as stored, each with the walk that checks it.
    func forEachNode(_ type: RDBType, _ node: (StoredString, PackedLayout) throws -> Void) throws {
        let nodes = try readCount("quicklist node count")
        for _ in 0..<nodes {
            guard type == .listQuicklist2 else {
                try withStoredString(PackedLayout.ziplistList.kind) { try node($0, .ziplistList) }
                continue
            }
            let at = input.offset
            let container = try readLength()
            switch container {
            case 1: try withStoredString(PackedLayout.plainNode.kind) { try node($0, .plainNode) }
            case 2: try withStoredString(PackedLayout.listpackList.kind) { try node($0, .listpackList) }
            default:
                throw RDBError(.structural, at: at, expected: "quicklist container 1 (PLAIN) or 2 (PACKED)", found: "\(container)")
            }
        }
    }

    /// For a value made of packed containers only (`RDBType.isPackedOnly`): reads its strings
    /// as stored, unchecked, into `queue` with the walk that checks each. False, nothing
    /// read, for any other type.
    func readPackedStrings(_ type: RDBType, into queue: BlobCheckQueue) throws -> Bool {
        if type == .listQuicklist || type == .listQuicklist2 {
            try forEachNode(type) { queue.add($0, $1) }
            return true
        }
        guard let layout = PackedLayout(single: type) else { return false }
        try withStoredString(layout.kind) { queue.add($0, layout) }
        return true
    }
}
