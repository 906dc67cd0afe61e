/// Hash commands (`t_hash.c`), with the per-field TTL commands of Redis 7.4+/8.0 and Valkey 9.
extension Replayer {
    static let hashCommands: [String: Handler] = [
        "HSET": { r, a in try r.hset(a) },
        "HMSET": { r, a in try r.hset(a) },
        "HSETNX": { r, a in try r.hsetnx(a) },
        "HDEL": { r, a in try r.hdel(a, fieldsFrom: 2) },
        "HGETDEL": { r, a in try r.hdel(a, fieldsFrom: try r.fieldsStart(a, 2)) },
        "HINCRBY": { r, a in try r.hincrby(a) },
        "HINCRBYFLOAT": { r, a in try r.hincrbyfloat(a) },
        "HEXPIRE": { r, a in try r.hexpire(a, unit: 1000, relative: true) },
        "HPEXPIRE": { r, a in try r.hexpire(a, unit: 1, relative: true) },
        "HEXPIREAT": { r, a in try r.hexpire(a, unit: 1000, relative: false) },
        "HPEXPIREAT": { r, a in try r.hexpire(a, unit: 1, relative: false) },
        "HPERSIST": { r, a in try r.hpersist(a) },
        "HSETEX": { r, a in try r.hsetex(a) },
        "HGETEX": { r, a in try r.hgetex(a) },
    ]

    /// The hash at `key`, created when missing.
    private func hashForWrite(_ a: Args) throws -> HashObj {
        if let h = try hash(a.bytes(1), a) { return h }
        let h = HashObj()
        store(a.bytes(1), .hash(h))
        return h
    }

    private func hset(_ a: Args) throws {
        guard a.count >= 4, a.count % 2 == 0 else { throw a.error(.syntax, "wrong number of arguments") }
        let h = try hashForWrite(a)
        h.reserve(adding: a.bytes(2...))
        // Overwriting a field drops its TTL (hashTypeSet without HASH_SET_KEEP_TTL).
        for i in stride(from: 2, to: a.count, by: 2) { h.set(a.bytes(i), a.bytes(i + 1)) }
        touched(a.bytes(1), by: (a.count - 2) / 2)
    }

    private func hsetnx(_ a: Args) throws {
        try a.arity(4)
        if let h = try hash(a[1], a), h[a[2]] != nil { return }
        try hashForWrite(a)[a[2]] = HashObj.Field(value: a[3], expireAtMs: nil)
        touched(a[1])
    }

    private func hdel(_ a: Args, fieldsFrom start: Int) throws {
        try a.arity(atLeast: start + 1)
        guard let h = try hash(a[1], a) else { return }
        var removed = 0
        for i in start..<a.count where h.remove(a[i]) { removed += 1 }
        if h.isEmpty { remove(a[1]) }
        if removed > 0 { touched(a[1], by: removed) }
    }

    private func hincrby(_ a: Args) throws {
        try a.arity(4)
        let delta = try a.int(3)
        let h = try hashForWrite(a)
        var current: Int64 = 0
        if let f = h[a[2]] {
            guard let v = Args.integer(f.value) else { throw a.error(.notANumber, "hash value is not an integer") }
            current = v
        }
        let (sum, o) = current.addingReportingOverflow(delta)
        guard !o else { throw a.error(.outOfRange, "increment or decrement would overflow") }
        h[a[2]] = HashObj.Field(value: Decimal64.text(sum), expireAtMs: h[a[2]]?.expireAtMs)
        touched(a[1])
    }

    private func hincrbyfloat(_ a: Args) throws {
        try a.arity(4)
        guard let incr = LongDouble.parse(a[3]) else { throw a.error(.notANumber, "value is not a valid float") }
        let h = try hashForWrite(a)
        var current: Float80 = 0
        if let f = h[a[2]] {
            guard let v = LongDouble.parse(f.value) else { throw a.error(.notANumber, "hash value is not a float") }
            current = v
        }
        let sum = current + incr
        guard sum.isFinite, let text = LongDouble.humanText(sum) else {
            throw a.error(.outOfRange, "increment would produce NaN or Infinity")
        }
        h[a[2]] = HashObj.Field(value: text, expireAtMs: h[a[2]]?.expireAtMs)
        touched(a[1])
    }

    /// The index after `FIELDS n`, checking `n` matches the fields that follow.
    func fieldsStart(_ a: Args, _ i: Int, pairs: Bool = false) throws -> Int {
        guard i + 1 < a.count, a.isWord(i, "FIELDS") else { throw a.error(.syntax, "mandatory argument FIELDS is missing or not at the right position") }
        let n = try a.int(i + 1)
        guard n > 0, Int64(a.count - i - 2) == n * (pairs ? 2 : 1) else {
            throw a.error(.syntax, "the numfields parameter must match the number of arguments")
        }
        return i + 2
    }

    /// Field expiries are limited to 2^48-1 ms (EB_EXPIRE_TIME_MAX).
    private func fieldExpiry(_ a: Args, _ i: Int, unit: Int64, relative: Bool) throws -> Int64 {
        let v = try a.int(i)
        let invalid = a.error(.outOfRange, "invalid expire time")
        guard v >= 0 else { throw invalid }
        var (t, o) = v.multipliedReportingOverflow(by: unit)
        if o { throw invalid }
        if relative { (t, o) = t.addingReportingOverflow(nowMs); if o { throw invalid } }
        guard t <= (1 << 48) - 1 else { throw invalid }
        return t
    }

    private func hexpire(_ a: Args, unit: Int64, relative: Bool) throws {
        try a.arity(atLeast: 6)
        let when = try fieldExpiry(a, 2, unit: unit, relative: relative)
        var i = 3
        var nx = false, xx = false, gt = false, lt = false
        if a.isWord(3, "NX") { nx = true; i = 4 } else if a.isWord(3, "XX") { xx = true; i = 4 }
        else if a.isWord(3, "GT") { gt = true; i = 4 } else if a.isWord(3, "LT") { lt = true; i = 4 }
        let start = try fieldsStart(a, i)
        guard let h = try hash(a[1], a) else { return }
        var updated = 0
        for j in start..<a.count {
            guard let f = h[a[j]] else { continue }
            let current = f.expireAtMs
            if nx && current != nil { continue }
            if xx && current == nil { continue }
            if gt, current == nil || when <= current! { continue }
            if lt, let c = current, when >= c { continue }
            // While loading a past time is kept, like key expiries; `records(now:)` drops it.
            h[a[j]]?.expireAtMs = when
            updated += 1
        }
        if updated > 0 { touched(a[1], by: updated) }
    }

    private func hpersist(_ a: Args) throws {
        let start = try fieldsStart(a, 2)
        guard let h = try hash(a[1], a) else { return }
        var persisted = 0
        for j in start..<a.count where h[a[j]]?.expireAtMs != nil {
            h[a[j]]?.expireAtMs = nil
            persisted += 1
        }
        if persisted > 0 { touched(a[1], by: persisted) }
    }

    /// EX/PX/EXAT/PXAT at `i`: the absolute expiry, or nil when `i` is not one of them.
    private func fieldExpiryOption(_ a: Args, _ i: Int) throws -> Int64? {
        let seconds = a.isWord(i, "EX") || a.isWord(i, "EXAT")
        guard seconds || a.isWord(i, "PX") || a.isWord(i, "PXAT") else { return nil }
        return try fieldExpiry(a, i + 1, unit: seconds ? 1000 : 1, relative: a.isWord(i, "EX") || a.isWord(i, "PX"))
    }

    /// HSETEX key [FNX|FXX] [EX|PX|EXAT|PXAT t|KEEPTTL] FIELDS n field value ...
    private func hsetex(_ a: Args) throws {
        var i = 2
        var fnx = false, fxx = false, keepTTL = false
        var expireAt: Int64?
        while i < a.count && !a.isWord(i, "FIELDS") {
            if a.isWord(i, "FNX") { fnx = true; i += 1 }
            else if a.isWord(i, "FXX") { fxx = true; i += 1 }
            else if a.isWord(i, "KEEPTTL") { keepTTL = true; i += 1 }
            else if let t = try fieldExpiryOption(a, i) { expireAt = t; i += 2 }
            else { throw a.error(.syntax, "syntax error") }
        }
        let start = try fieldsStart(a, i, pairs: true)
        let existing = try hash(a[1], a)
        let fields = stride(from: start, to: a.count, by: 2).map { a[$0] }
        if fnx, let existing, fields.contains(where: { existing[$0] != nil }) { return }
        if fxx, existing == nil || fields.contains(where: { existing![$0] == nil }) { return }
        let h = try hashForWrite(a)
        for j in stride(from: start, to: a.count, by: 2) {
            let ttl = keepTTL ? h[a[j]]?.expireAtMs : expireAt
            h[a[j]] = HashObj.Field(value: a[j + 1], expireAtMs: ttl)
        }
        touched(a[1], by: fields.count)
    }

    /// HGETEX key [EX|PX|EXAT|PXAT t|PERSIST] FIELDS n field ...
    private func hgetex(_ a: Args) throws {
        var i = 2
        var persist = false
        var expireAt: Int64?
        if a.isWord(i, "PERSIST") { persist = true; i += 1 }
        else if let t = try fieldExpiryOption(a, i) { expireAt = t; i += 2 }
        let start = try fieldsStart(a, i)
        guard let h = try hash(a[1], a), persist || expireAt != nil else { return }
        var changes = 0
        for j in start..<a.count where h[a[j]] != nil {
            if persist && h[a[j]]?.expireAtMs == nil { continue }
            h[a[j]]?.expireAtMs = expireAt
            changes += 1
        }
        if changes > 0 { touched(a[1], by: changes) }
    }
}
