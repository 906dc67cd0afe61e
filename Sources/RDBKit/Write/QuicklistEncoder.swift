/// Splits a list into quicklist nodes as a server of the target version fills them when the
/// list is pushed element by element (`_quicklistNodeAllowInsert`, redis/redis src/quicklist.c
/// at 6.2.16, 7.0.15, 7.2.6, 7.4.1), then writes type 14 (ziplist nodes, RDB 9) or type 18
/// (PACKED listpack nodes and PLAIN single-element nodes, RDB 10+).
enum QuicklistEncoder {
    /// `optimization_level`: node size limits for `list-max-listpack-size` -1 .. -5.
    static let sizeLevels = [4096, 8192, 16384, 32768, 65536]
    /// `SIZE_SAFETY_LIMIT`: the size cap of nodes limited by element count.
    static let safetyLimit = 8192

    enum Node {
        case packed([UInt8])
        /// One element too large for a packed node, stored as is.
        case plain(Int)
    }

    /// Writes the list's node count and nodes.
    static func write(_ list: ByteList, rdbVersion: Int, fill: Int, to enc: inout RDBEncoder) {
        let nodes = pack(list, rdbVersion: rdbVersion, fill: fill)
        enc.appendLength(nodes.count)
        list.withUnsafeElements { elements in
            for node in nodes {
                switch node {
                case .packed(let blob):
                    if rdbVersion >= 10 { enc.appendLength(2) }  // QUICKLIST_NODE_CONTAINER_PACKED
                    enc.appendString(blob)
                case .plain(let i):
                    enc.appendLength(1)  // QUICKLIST_NODE_CONTAINER_PLAIN
                    enc.appendString(elements[i])
                }
            }
        }
    }

    static func pack(_ list: ByteList, rdbVersion: Int, fill: Int) -> [Node] {
        var nodes: [Node] = []
        var lp = ListpackEncoder()
        var zl = ZiplistEncoder()
        var open = false
        func close() {
            guard open else { return }
            nodes.append(.packed(rdbVersion <= 9 ? zl.finish() : lp.finish()))
            lp = ListpackEncoder()
            zl = ZiplistEncoder()
            open = false
        }
        list.withUnsafeElements { elements in
            for i in 0..<elements.count {
                let e = elements[i]
                if rdbVersion >= 10 && isLarge(e.count, rdbVersion: rdbVersion, fill: fill) {
                    close()
                    nodes.append(.plain(i))
                    continue
                }
                if open {
                    let size = rdbVersion <= 9 ? zl.totalBytes : lp.totalBytes
                    let count = rdbVersion <= 9 ? zl.count : lp.count
                    if !allowsInsert(nodeBytes: size, nodeCount: count, elementBytes: e.count, rdbVersion: rdbVersion, fill: fill) {
                        close()
                    }
                }
                if rdbVersion <= 9 { zl.append(e) } else { lp.append(e) }
                open = true
            }
        }
        close()
        return nodes
    }

    /// PLAIN nodes: 7.0 and 7.2 use them for elements of 1 GiB or more; 7.4 for any element
    /// larger than a node may be.
    static func isLarge(_ size: Int, rdbVersion: Int, fill: Int) -> Bool {
        if rdbVersion <= 11 { return size >= 1 << 30 }
        return fill >= 0 ? size > safetyLimit : size > sizeLevels[min(-fill - 1, sizeLevels.count - 1)]
    }

    static func allowsInsert(nodeBytes: Int, nodeCount: Int, elementBytes sz: Int, rdbVersion: Int, fill: Int) -> Bool {
        if rdbVersion <= 10 {
            // 6.2 estimates the ziplist entry overhead, 7.0 adds a flat 8 bytes.
            let overhead = rdbVersion <= 9 ? (sz < 254 ? 1 : 5) + (sz < 64 ? 1 : sz < 16384 ? 2 : 5) : 8
            let newSize = nodeBytes + sz + overhead
            if fill < 0 && -fill - 1 < sizeLevels.count && newSize <= sizeLevels[-fill - 1] { return true }
            if newSize > safetyLimit { return false }
            return nodeCount < fill
        }
        // 7.2+ (`quicklistNodeExceedsLimit`).
        let newSize = nodeBytes + sz + 8
        if fill < 0 { return newSize <= sizeLevels[min(-fill - 1, sizeLevels.count - 1)] }
        if newSize > safetyLimit { return false }
        return nodeCount + 1 <= (fill == 0 ? 1 : fill)
    }
}
