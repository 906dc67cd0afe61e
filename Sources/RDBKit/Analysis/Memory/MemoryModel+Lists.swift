/// Lists: a quicklist of packed nodes (7.2: a lone small node becomes a plain listpack).
extension MemoryModel {
    /// `packed_threshold`: elements this large get a PLAIN node of their own (7.0+).
    static let plainNodeThreshold = 1 << 30

    func list(_ l: ByteList, stored: Encoding, layout: StoredLayout?) -> ValueCost {
        var nodes: [(bytes: Int, plain: Bool)]
        let blobs = layout?.blobs ?? []
        switch stored {
        case .quicklist2 where !blobs.isEmpty, .quicklist where !blobs.isEmpty:
            // Nodes are loaded one for one (empty ones skipped); only their format may change.
            nodes = []
            var first = 0
            for blob in blobs where blob.elements > 0 {
                let range = first..<first + blob.elements
                first = range.upperBound
                let plain = stored == .quicklist2 && blob.elements == 1 && blob.bytes == l.length(of: range.lowerBound)
                if plain && version != .redis62 {
                    nodes.append((blob.bytes, true))
                } else if (stored == .quicklist2) == (version != .redis62) {
                    nodes.append((blob.bytes, false))
                } else {
                    var size = PackedSize(packedKind)
                    size.append(l, range)
                    nodes.append((size.bytes, false))
                }
            }
        default:
            // Linked lists and ziplists (and lists read without layouts) are pushed element by
            // element into a fresh quicklist.
            nodes = pushedNodes(l)
        }
        // 7.2 turns a quicklist with one packed node into a listpack, except after a ziplist.
        if version == .redis72 && stored != .ziplist && nodes.count == 1 && !nodes[0].plain && fitsOneNode(nodes[0].bytes) {
            return ValueCost(bytes: structs.robj + Jemalloc.usableSize(nodes[0].bytes), encoding: .listpack)
        }
        var bytes = structs.robj + structs.quicklist
        for n in nodes { bytes += structs.quicklistNode + Jemalloc.usableSize(n.bytes) }
        return ValueCost(bytes: bytes, encoding: .quicklist)
    }

    /// Node sizes of a quicklist built by `quicklistPushTail` of every element.
    func pushedNodes(_ l: ByteList) -> [(bytes: Int, plain: Bool)] {
        var nodes: [(bytes: Int, plain: Bool)] = []
        var node = PackedSize(packedKind)
        for i in l.indices {
            let sz = l.length(of: i)
            if version != .redis62 && sz >= Self.plainNodeThreshold {
                if node.count > 0 { nodes.append((node.bytes, false)) }
                nodes.append((sz, true))
                node = PackedSize(packedKind)
                continue
            }
            if node.count > 0 && !allowsInsert(nodeBytes: node.bytes, nodeCount: node.count, elementSize: sz) {
                nodes.append((node.bytes, false))
                node = PackedSize(packedKind)
            }
            l.withElement(i) { node.append($0) }
        }
        if node.count > 0 { nodes.append((node.bytes, false)) }
        return nodes
    }

    /// `_quicklistNodeAllowInsert`: the node grows while its estimated size stays within the
    /// fill factor's class (negative) or its element count below it (positive), never past 8 KB
    /// for a count limit.
    func allowsInsert(nodeBytes: Int, nodeCount: Int, elementSize sz: Int) -> Bool {
        let overhead = (sz < 254 ? 1 : 5) + (sz < 64 ? 1 : sz < 16384 ? 2 : 5)
        let newSize = nodeBytes + sz + overhead
        let fill = limits.listMaxListpackSize
        if fill < 0, let limit = Self.nodeSizeLimit(fill), newSize <= limit { return true }
        if newSize > 8192 { return false }
        return nodeCount < fill
    }

    /// The byte limit of a negative fill factor (`optimization_level`), nil past -5.
    static func nodeSizeLimit(_ fill: Int) -> Int? {
        let levels = [4096, 8192, 16384, 32768, 65536]
        return -fill - 1 < levels.count ? levels[-fill - 1] : nil
    }

    /// 7.2's `listTypeTryConvertQuicklist`: the node must be within the size limit.
    private func fitsOneNode(_ bytes: Int) -> Bool {
        let fill = limits.listMaxListpackSize
        return fill < 0 ? bytes <= (Self.nodeSizeLimit(fill) ?? 0) : true
    }
}
