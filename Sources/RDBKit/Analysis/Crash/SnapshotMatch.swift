/// Which prefix of a write history a snapshot file holds, read from its content. Its `ctime`
/// places the fork only to the second (and the child reads the clock just after the fork, so
/// the fork may also close the second before); replaying the history through those two seconds
/// and comparing every key they change with the file's copy leaves the prefixes the file can
/// hold.
public enum SnapshotMatch {
    /// The entry counts `n` for which "the file holds the first n entries" agrees with the file on
    /// every key the entries of the seconds `ctime - 1` and `ctime` change, from the first such `n`
    /// to the last; nil when none agrees (the file is not a snapshot of this history then).
    /// Reads the file once and replays the history up to the end of `ctime`'s second.
    /// Throws `RDBError`, `AOFError` or `ReplayError`.
    public static func heldPrefixes(ofRDB path: String, ctime: Int64, timeline: WriteTimeline) throws -> ClosedRange<Int>? {
        let entries = timeline.entries
        let (from, to) = ((ctime - 1) * 1000, ctime * 1000 + 999)
        let lo = entries.firstIndex { $0.hiMs >= from } ?? entries.count
        var hi = lo
        while hi < entries.count && entries[hi].loMs <= to { hi += 1 }

        var watched: [Replayer.KeyRef: Int] = [:]
        var refs: [Replayer.KeyRef] = []
        for i in lo..<hi {
            for id in timeline.keys(of: i) where watched[timeline.keys[Int(id)]] == nil {
                watched[timeline.keys[Int(id)]] = refs.count
                refs.append(timeline.keys[Int(id)])
            }
        }
        var file = [KeyRecord?](repeating: nil, count: refs.count)
        let reader = try RDBReader(path: path)
        while let event = try reader.next() {
            if case .key(let r) = event, let j = watched[Replayer.KeyRef(db: r.db, key: r.key)] { file[j] = r }
        }

        var options = DiffOptions()
        // Relative TTLs replay from the command's second, not its millisecond.
        options.ttlToleranceMs = 1000
        let engine = DiffEngine(options: options)
        let replayer = Replayer(options: Replayer.Options(skipUnsupported: true))
        var mismatched = Set<Int>()
        var held: [Int] = []
        var started = false
        func check(_ j: Int) {
            if engine.diff(file[j], replayer.dataset.record(db: refs[j].db, key: refs[j].key, now: nil)) == nil {
                mismatched.remove(j)
            } else {
                mismatched.insert(j)
            }
        }
        /// Compares the file with the dataset after the first `n` entries.
        func compare(after n: Int, keys: [Int]) {
            if !started { started = true; for j in refs.indices { check(j) } } else { for j in keys { check(j) } }
            if mismatched.isEmpty { held.append(n) }
        }
        try timeline.replay(into: replayer) { c, apply in
            if c.index == lo { compare(after: lo, keys: []) }
            // The last second the file can hold is replayed.
            if c.index >= hi { return false }
            try apply()
            if c.index >= lo { compare(after: c.index + 1, keys: timeline.keys(of: c.index).compactMap { watched[timeline.keys[Int($0)]] }) }
            return true
        }
        if !started { compare(after: lo, keys: []) }
        guard let first = held.first, let last = held.last else { return nil }
        return first...last
    }
}
