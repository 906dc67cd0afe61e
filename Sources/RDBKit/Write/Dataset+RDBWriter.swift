extension Dataset {
    /// Writes the dataset as an RDB, judged at `nowMs`: keys (and hash fields) already expired
    /// then are left out, as a loading server drops them. Never over a path in `protecting`.
    public func writeRDB(path: String, options: RDBWriter.Options, nowMs: Int64?, protecting: [String]) throws -> RDBWriter.Summary {
        let writer = try RDBWriter(path: path, options: options, protecting: protecting)
        for library in functionLibraries { try writer.write(library) }
        // RESIZEDB needs each database's counts before its keys: count first, then write.
        var counts: [Int: (keys: UInt64, expires: UInt64)] = [:]
        records(now: nowMs) { r in
            counts[r.db, default: (0, 0)].keys += 1
            if r.expireAtMs != nil { counts[r.db, default: (0, 0)].expires += 1 }
        }
        var currentDB: Int? = nil
        try records(now: nowMs) { r in
            if r.db != currentDB {
                currentDB = r.db
                let c = counts[r.db] ?? (0, 0)
                try writer.beginDatabase(r.db, keys: c.keys, expires: c.expires)
            }
            try writer.write(r)
        }
        return try writer.finish()
    }
}
