extension Dataset {
    /// Writes the dataset as an RDB, judged at `nowMs`: keys (and hash fields) already expired
    /// then are left out, as a loading server drops them. Never over a path in `protecting`.
    public func writeRDB(path: String, options: RDBWriter.Options, nowMs: Int64?, protecting: [String]) throws -> RDBWriter.Summary {
        let writer = try RDBWriter(path: path, options: options, protecting: protecting)
        for library in functionLibraries { try writer.write(library) }
        // RESIZEDB needs each database's counts before its keys.
        let counts = counts(now: nowMs)
        var currentDB: Int? = nil
        try records(now: nowMs) { r in
            if r.db != currentDB {
                currentDB = r.db
                try writer.beginDatabase(r.db, keys: counts[r.db].keys, expires: counts[r.db].expires)
            }
            try writer.write(r)
        }
        return try writer.finish()
    }
}
