/// Writes a stream (format.md §5.12) as a server of the target version saves it: entries
/// packed into listpack nodes as `streamAppendItem` fills them (`stream-node-max-bytes`,
/// `stream-node-max-entries`), each node with a master entry of its first entry's fields and
/// SAMEFIELDS entries where the fields match; then the metadata, groups, PELs and consumers of
/// type 15 (RDB 9), 19 (RDB 10) or 21 (RDB 11+).
///
/// Deleted entries are not part of the value, so nodes hold no tombstones. Fields a type
/// lacks are left out; fields the value lacks (it came from an older file) get what the
/// server's loader derives for them: first id from the entries, max deleted id 0-0, entries
/// added = length, an unknown group read counter, consumer active time = seen time.
enum StreamEncoder {
    private static let sameFields: Int64 = 2
    /// `STREAM_LISTPACK_MAX_SIZE`.
    private static let maxNodeBytes = 1 << 30

    static func write(_ s: StreamValue, type: RDBType, limits: EncodingLimits, to enc: inout RDBEncoder) {
        let nodes = pack(s.entries, limits: limits)
        enc.appendLength(nodes.count)
        for node in nodes {
            enc.appendString(RDBEncoder.rawStreamID(node.master))
            enc.appendString(node.listpack)
        }
        enc.appendLength(s.length)
        enc.appendLengthStreamID(s.lastID)
        let v2 = type != .streamListpacks
        let v3 = v2 && type != .streamListpacks2
        if v2 {
            enc.appendLengthStreamID(s.firstID ?? s.entries.ids.first ?? .zero)
            enc.appendLengthStreamID(s.maxDeletedID ?? .zero)
            enc.appendLength(s.entriesAdded ?? s.length)
        }
        let groups = s.groups.sorted { $0.name.lexicographicallyPrecedes($1.name) }
        enc.appendLength(groups.count)
        for g in groups {
            enc.appendString(g.name)
            enc.appendLengthStreamID(g.lastDeliveredID)
            if v2 { enc.appendLength(g.entriesRead ?? UInt64.max) }
            let pel = g.pending.sorted { $0.id < $1.id }
            enc.appendLength(pel.count)
            for p in pel {
                enc.appendRawStreamID(p.id)
                enc.appendMillisecondTime(p.deliveryTimeMs)
                enc.appendLength(p.deliveryCount)
            }
            let consumers = g.consumers.sorted { $0.name.lexicographicallyPrecedes($1.name) }
            enc.appendLength(consumers.count)
            for c in consumers {
                enc.appendString(c.name)
                enc.appendMillisecondTime(c.seenTimeMs)
                if v3 { enc.appendMillisecondTime(c.activeTimeMs ?? c.seenTimeMs) }
                enc.appendLength(c.pending.count)
                for id in c.pending.sorted() { enc.appendRawStreamID(id) }
            }
        }
    }

    struct Node {
        var master: StreamID
        var listpack: [UInt8]
    }

    static func pack(_ entries: StreamEntries, limits: EncodingLimits) -> [Node] {
        let maxBytes = limits.streamNodeMaxBytes == 0 || limits.streamNodeMaxBytes > maxNodeBytes
            ? maxNodeBytes : limits.streamNodeMaxBytes
        var nodes: [Node] = []
        var master = StreamID.zero
        var masterFields: [Int] = []  // item indices of the master entry's fields
        var count = 0
        var tail = ListpackEncoder()  // everything after the count entry
        func close() {
            guard count > 0 else { return }
            var head = ListpackEncoder()
            head.append(integer: Int64(count))
            nodes.append(Node(master: master, listpack: ListpackEncoder.join(head, tail)))
            count = 0
            tail = ListpackEncoder()
        }
        entries.items.withUnsafeElements { items in
            for i in entries.indices {
                let id = entries.ids[i]
                let range = entries.itemRange(i)
                let fields = Array(stride(from: range.lowerBound, to: range.upperBound - 1, by: 2))  // each followed by its value
                if count > 0 {
                    var total = 0
                    for j in range { total += items[j].count }
                    let nodeBytes = 6 + ListpackEncoder.integerEntrySize(Int64(count)) + tail.body.count + 1
                    if nodeBytes + total >= maxBytes || (limits.streamNodeMaxEntries > 0 && count >= limits.streamNodeMaxEntries) {
                        close()
                    }
                }
                var flags: Int64 = 0
                if count == 0 {
                    master = id
                    masterFields = fields
                    tail.append(integer: 0)  // deleted
                    tail.append(integer: Int64(fields.count))
                    for f in fields { tail.append(items[f]) }
                    tail.append(integer: 0)  // master entry terminator
                    flags = sameFields
                } else if fields.count == masterFields.count
                            && zip(fields, masterFields).allSatisfy({ items.compare($0, $1) == 0 }) {
                    flags = sameFields
                }
                tail.append(integer: flags)
                tail.append(integer: Int64(bitPattern: id.ms &- master.ms))
                tail.append(integer: Int64(bitPattern: id.seq &- master.seq))
                if flags == sameFields {
                    for f in fields { tail.append(items[f + 1]) }
                    tail.append(integer: Int64(fields.count + 3))
                } else {
                    tail.append(integer: Int64(fields.count))
                    for f in fields {
                        tail.append(items[f])
                        tail.append(items[f + 1])
                    }
                    tail.append(integer: Int64(2 * fields.count + 4))
                }
                count += 1
            }
        }
        close()
        return nodes
    }
}
