/// The node count of a Redis radix tree (rax.c) over stream ids, which `MEMORY USAGE` charges
/// per node. A rax is a compressed trie whose shape does not depend on insertion order: its
/// nodes are the root, every key, every branching prefix, and every child of a branching
/// prefix (runs in between are folded into compressed nodes).
enum RaxModel {
    /// Nodes of a rax holding `ids` (16-byte big-endian keys), which must be sorted ascending.
    static func nodeCount<C: Collection>(sortedIDs ids: C) -> Int where C.Element == StreamID {
        let length = 16
        var nodes = 1  // the root, which also exists when empty
        guard var previous = ids.first else { return nodes }
        nodes += 1  // the first key, under a root compressed over all of it
        // For the prefixes of the previous key: which are nodes, and which branch.
        var isNode = [Bool](repeating: false, count: length + 1)
        var isBranch = [Bool](repeating: false, count: length + 1)
        isNode[0] = true
        isNode[length] = true
        for id in ids.dropFirst() {
            let d = commonPrefix(previous, id)
            guard d < length else { continue }  // a duplicate: not a new key
            if !isBranch[d] {
                isBranch[d] = true
                if !isNode[d] { nodes += 1; isNode[d] = true }
                if !isNode[d + 1] { nodes += 1 }  // the previous key's branch, now a child of one
            }
            for l in (d + 1)...length { isNode[l] = false; isBranch[l] = false }
            isNode[d + 1] = true
            isNode[length] = true
            nodes += d + 1 == length ? 1 : 2
            previous = id
        }
        return nodes
    }

    /// Leading bytes two ids share in their 16-byte big-endian form.
    static func commonPrefix(_ a: StreamID, _ b: StreamID) -> Int {
        if a.ms != b.ms { return (a.ms ^ b.ms).leadingZeroBitCount / 8 }
        if a.seq != b.seq { return 8 + (a.seq ^ b.seq).leadingZeroBitCount / 8 }
        return 16
    }
}
