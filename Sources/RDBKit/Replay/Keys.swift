/// Key-space commands: DEL/UNLINK, the EXPIRE family, PERSIST, RENAME(NX), MOVE, COPY, SWAPDB,
/// FLUSHDB/FLUSHALL, RESTORE (`db.c`, `expire.c`, `cluster.c`).
extension Replayer {
    static let keyCommands: [String: Handler] = [
        "DEL": { r, a in try r.del(a) },
        "UNLINK": { r, a in try r.del(a) },
        "EXPIRE": { r, a in try r.expire(a, unit: 1000, relative: true) },
        "PEXPIRE": { r, a in try r.expire(a, unit: 1, relative: true) },
        "EXPIREAT": { r, a in try r.expire(a, unit: 1000, relative: false) },
        "PEXPIREAT": { r, a in try r.expire(a, unit: 1, relative: false) },
        "PERSIST": { r, a in try r.persist(a) },
        "RENAME": { r, a in try r.rename(a, nx: false) },
        "RENAMENX": { r, a in try r.rename(a, nx: true) },
        "MOVE": { r, a in try r.move(a) },
        "COPY": { r, a in try r.copy(a) },
        "SWAPDB": { r, a in try r.swapdb(a) },
        "FLUSHDB": { r, a in try r.flush(a, all: false) },
        "FLUSHALL": { r, a in try r.flush(a, all: true) },
        "RESTORE": { r, a in try r.restore(a) },
        "RESTORE-ASKING": { r, a in try r.restore(a) },
    ]

    private func del(_ a: Args) throws {
        try a.arity(atLeast: 2)
        for i in 1..<a.count where remove(a.bytes(i)) { touched(a.bytes(i)) }
    }

    /// `unit` converts the argument to ms; `relative` adds the command time.
    private func expire(_ a: Args, unit: Int64, relative: Bool) throws {
        try a.arity(atLeast: 3)
        let key = a.bytes(1)
        var when = try a.int(2)
        var nx = false, xx = false, gt = false, lt = false
        for i in 3..<a.count {
            if a.isWord(i, "NX") { nx = true } else if a.isWord(i, "XX") { xx = true }
            else if a.isWord(i, "GT") { gt = true } else if a.isWord(i, "LT") { lt = true }
            else { throw a.error(.syntax, "Unsupported option \(Quoting.redisCLI(a[i], limit: 20))") }
        }
        if (nx && (xx || gt || lt)) || (gt && lt) {
            throw a.error(.syntax, "NX and XX, GT or LT options at the same time are not compatible")
        }
        let invalid = a.error(.outOfRange, "invalid expire time")
        if unit != 1 {
            let (m, o) = when.multipliedReportingOverflow(by: unit)
            if o { throw invalid }
            when = m
        }
        if relative {
            let (s, o) = when.addingReportingOverflow(nowMs)
            if o { throw invalid }
            when = s
        }
        guard let current = node(key).map({ $0.expireAtMs }) else { return }
        if nx && current != nil { return }
        if xx && current == nil { return }
        if gt, current == nil || when <= current! { return }
        if lt, let c = current, when >= c { return }
        // Loading never deletes for a past time (checkAlreadyExpired is false while loading):
        // the key keeps the past expiry and `records(now:)` drops it.
        setExpiry(key, when)
        touched(key)
    }

    private func persist(_ a: Args) throws {
        try a.arity(2)
        guard entry(a[1])?.expireAtMs != nil else { return }
        setExpiry(a[1], nil)
        touched(a[1])
    }

    private func rename(_ a: Args, nx: Bool) throws {
        try a.arity(3)
        let src = a[1], dst = a[2]
        guard let e = entry(src) else { throw a.error(.noSuchKey, "no such key") }
        if src == dst { return }
        if exists(dst) {
            if nx { return }
            remove(dst)
        }
        remove(src)
        dataset.dbs[db][dst] = e
        touched(src)
        touched(dst)
    }

    private func move(_ a: Args) throws {
        try a.arity(3)
        let target = try a.int(2)
        guard target >= 0, target < 1 << 20 else { throw a.error(.outOfRange, "DB index is out of range") }
        let dst = Int(target)
        guard dst != db else { throw a.error(.syntax, "source and destination objects are the same") }
        dataset.ensure(dst)
        guard let e = entry(a[1]), entry(a[1], db: dst) == nil else { return }
        remove(a[1])
        dataset.dbs[dst][a[1]] = e
        touched(a[1])
        touched(a[1], by: 0, db: dst)
    }

    private func copy(_ a: Args) throws {
        try a.arity(atLeast: 3)
        var dst = db, replace = false
        var i = 3
        while i < a.count {
            if a.isWord(i, "REPLACE") { replace = true }
            else if a.isWord(i, "DB"), i + 1 < a.count {
                let n = try a.int(i + 1)
                guard n >= 0, n < 1 << 20 else { throw a.error(.outOfRange, "DB index is out of range") }
                dst = Int(n)
                i += 1
            } else { throw a.error(.syntax, "syntax error") }
            i += 1
        }
        dataset.ensure(dst)
        let src = a[1], target = a[2]
        if dst == db && src == target { throw a.error(.syntax, "source and destination objects are the same") }
        guard let e = entry(src) else { return }
        if entry(target, db: dst) != nil {
            if !replace { return }
            remove(target, db: dst)
        }
        dataset.dbs[dst][target] = Dataset.Entry(obj: e.obj.copy(), expireAtMs: e.expireAtMs)
        touched(target, db: dst)
    }

    private func swapdb(_ a: Args) throws {
        try a.arity(3)
        let x = try a.int(1), y = try a.int(2)
        guard x >= 0, y >= 0, x < 1 << 20, y < 1 << 20 else { throw a.error(.outOfRange, "DB index is out of range") }
        dataset.ensure(Int(max(x, y)))
        dataset.dbs.swapAt(Int(x), Int(y))
        addDirty(1)
    }

    private func flush(_ a: Args, all: Bool) throws {
        guard a.count == 1 || (a.count == 2 && (a.isWord(1, "ASYNC") || a.isWord(1, "SYNC"))) else {
            throw a.error(.syntax, "syntax error")
        }
        let range = all ? Array(dataset.dbs.indices) : [db]
        for d in range {
            for k in dataset.dbs[d].keys { touched(k, db: d) }
            dataset.dbs[d].removeAll()
        }
    }

    private func restore(_ a: Args) throws {
        try a.arity(atLeast: 4)
        var replace = false, absTTL = false
        var i = 4
        while i < a.count {
            if a.isWord(i, "REPLACE") { replace = true }
            else if a.isWord(i, "ABSTTL") { absTTL = true }
            else if (a.isWord(i, "IDLETIME") || a.isWord(i, "FREQ")) && i + 1 < a.count {
                // Eviction hints: not part of the dataset.
                let v = try a.int(i + 1)
                guard v >= 0, !a.isWord(i, "FREQ") || v <= 255 else { throw a.error(.outOfRange, "invalid IDLETIME or FREQ value") }
                i += 1
            } else { throw a.error(.syntax, "syntax error") }
            i += 1
        }
        let key = a[1]
        if !replace && exists(key) { throw a.error(.exists, "BUSYKEY Target key name already exists") }
        var ttl = try a.int(2)
        guard ttl >= 0 else { throw a.error(.outOfRange, "Invalid TTL value, must be >= 0") }
        let value = try Self.decodeDumpPayload(a[3], a)
        if replace { remove(key) }
        // Before 7.0 the TTL is relative to when the command ran (format.md §9.15).
        if ttl != 0 && !absTTL { ttl = ttl &+ nowMs }
        store(key, Dataset.obj(from: value))
        if ttl != 0 { setExpiry(key, ttl) }
        touched(key)
    }

    /// A DUMP payload: type byte, value, 2-byte RDB version, CRC-64 of all before it (format.md §6.2).
    static func decodeDumpPayload(_ p: [UInt8], _ a: Args) throws -> Value {
        guard p.count >= 10 else { throw a.error(.badPayload, "DUMP payload shorter than its 10-byte footer") }
        let n = p.count
        let version = Int(p[n - 10]) | Int(p[n - 9]) << 8
        var stored: UInt64 = 0
        for k in 0..<8 { stored |= UInt64(p[n - 8 + k]) << (8 * UInt64(k)) }
        let crc = p.withUnsafeBytes { CRC64.update(0, UnsafeRawBufferPointer(rebasing: $0[0..<(n - 8)])) }
        guard crc == stored else { throw a.error(.badPayload, "DUMP payload checksum is wrong") }
        // Valkey numbers its own RDB versions from 80 (format.md §2.3).
        let dialect = version >= 80 ? Dialect(family: .valkey, version: version) : Dialect(family: .redis, version: version)
        guard version >= 1, !dialect.isNewerThanKnown else {
            throw a.error(.badPayload, "DUMP payload RDB version \(version) is not one this reader knows")
        }
        let decoder = RDBDecoder(input: BufferedReader(MemorySource(Array(p[0..<(n - 10)]))), dialect: dialect)
        do {
            let typeByte = try decoder.input.readByte()
            guard let type = dialect.valueType(typeByte) else {
                throw a.error(.badPayload, "DUMP payload has unknown type byte \(typeByte)")
            }
            return try decoder.readValue(type).0
        } catch let e as RDBError {
            throw a.error(.badPayload, "DUMP payload: \(e)")
        }
    }
}
