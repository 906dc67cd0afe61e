extension Dataset {
    /// Writes the dataset as an RDB, judged at `nowMs`: keys (and hash fields) already expired
    /// then are left out, as a loading server drops them. Never over a path in `protecting`.
    public func writeRDB(path: String, options: RDBWriter.Options, nowMs: Int64?, protecting: [String]) throws -> RDBWriter.Summary {
        let writer = try RDBWriter(path: path, options: options, protecting: protecting)
        for library in functionLibraries { try writer.write(library) }
        // RESIZEDB needs each database's counts before its keys.
        let counts = counts(now: nowMs, jobs: options.jobs)
        for db in dbs.indices where counts[db].keys > 0 {
            try writer.beginDatabase(db, keys: counts[db].keys, expires: counts[db].expires)
            let keySpace = dbs[db]
            // Keys go in the table's slot order, as Redis writes in its hash table's order:
            // sorting them would hold an array of every key (and the sort's scratch) at the
            // peak, when the whole dataset is still there. They are converted and encoded in
            // chunks of slots on `jobs` threads and appended in order, at most a window of
            // chunks ahead of the appending: unbounded, the encoders run ahead of it (on as
            // many cores) and their output piles up in memory.
            let chunk = 2048
            let slots = keySpace.slotCount
            var failure: Error?
            ParallelMap.run(count: (slots + chunk - 1) / chunk, jobs: options.jobs, window: 4 * options.jobs, work: { c in
                let records = ((c * chunk)..<min(slots, (c + 1) * chunk)).compactMap { slot in
                    keySpace.node(atSlot: slot).flatMap { Self.record($0, db: db, now: nowMs) }
                }
                return RDBWriter.encode(records, options: options)
            }, emit: { _, encoded in
                guard failure == nil else { return }
                do { try writer.append(encoded) } catch { failure = error }
            })
            if let failure { throw failure }
        }
        return try writer.finish()
    }
}
