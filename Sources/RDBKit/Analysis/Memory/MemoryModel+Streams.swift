/// Streams: listpack nodes in a radix tree, consumer groups with their pending-entry lists.
/// Radix trees are charged as `streamRadixTreeMemoryUsage` does: 16 bytes per element and a
/// flat 244 bytes per node (a 4-byte header plus 30 pointers' worth).
extension MemoryModel {
    func stream(_ s: StreamValue, layout: StoredLayout?, serializedBytes: Int) -> ValueCost {
        var bytes = structs.robj + structs.stream
        if let layout {
            // Each node's listpack is loaded into an allocation of exactly its size.
            bytes += radixTree(layout.streamNodeIDs)
            for blob in layout.blobs { bytes += Jemalloc.usableSize(blob.bytes) }
        } else if !s.entries.isEmpty {
            // Read without layouts: nodes of the default 100 entries, keyed by their first
            // entry, holding what the record takes on disk.
            bytes += radixTree(stride(from: 0, to: s.entries.count, by: 100).map { s.entries.ids[$0] })
            bytes += Jemalloc.usableSize(serializedBytes)
        } else {
            bytes += radixTree([])  // no entries, no nodes
        }
        for g in s.groups {
            bytes += structs.streamGroup + radixTree(g.pending.map(\.id)) + structs.streamNACK * g.pending.count
            for c in g.consumers {
                bytes += structs.streamConsumer + c.name.count + radixTree(c.pending)
            }
        }
        return ValueCost(bytes: bytes, encoding: .stream)
    }

    /// `streamRadixTreeMemoryUsage` of a rax holding `ids`.
    private func radixTree(_ ids: [StreamID]) -> Int {
        let sorted = zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 } ? ids : ids.sorted()
        return ids.count * 16 + RaxModel.nodeCount(sortedIDs: sorted) * (4 + 8 * 30)
    }
}
