/// Set commands (`t_set.c`). SPOP and SRANDMEMBER pick at random, so servers propagate SPOP's
/// effect as SREM (or DEL); only the deterministic SPOP that empties the set is replayed.
extension Replayer {
    static let setCommands: [String: Handler] = [
        "SADD": { r, a in try r.sadd(a) },
        "SREM": { r, a in try r.srem(a) },
        "SMOVE": { r, a in try r.smove(a) },
        "SPOP": { r, a in try r.spop(a) },
        "SINTERSTORE": { r, a in try r.setStore(a) { sets in
            guard var result = sets.first else { return [] }
            for s in sets.dropFirst() { result.formIntersection(s) }
            return result
        } },
        "SUNIONSTORE": { r, a in try r.setStore(a) { sets in sets.reduce(into: Set()) { $0.formUnion($1) } } },
        "SDIFFSTORE": { r, a in try r.setStore(a) { sets in
            guard var result = sets.first else { return [] }
            for s in sets.dropFirst() { result.subtract(s) }
            return result
        } },
    ]

    private func sadd(_ a: Args) throws {
        try a.arity(atLeast: 3)
        let s: SetObj
        if let existing = try set(a.bytes(1), a) { s = existing }
        else { s = SetObj(); store(a.bytes(1), .set(s)) }
        s.reserve(adding: a.bytes(2...))
        var added = 0
        for i in 2..<a.count where s.insert(a.bytes(i)) { added += 1 }
        if added > 0 { touched(a.bytes(1), by: added) }
    }

    private func srem(_ a: Args) throws {
        try a.arity(atLeast: 3)
        guard let s = try set(a[1], a) else { return }
        var removed = 0
        for i in 2..<a.count where s.remove(a[i]) { removed += 1 }
        if s.isEmpty { remove(a[1]) }
        if removed > 0 { touched(a[1], by: removed) }
    }

    private func smove(_ a: Args) throws {
        try a.arity(4)
        guard let s = try set(a[1], a) else { return }
        let d = try set(a[2], a)
        if a[1] == a[2] || !s.contains(a[3]) { return }
        s.remove(a[3])
        if s.isEmpty { remove(a[1]) }
        if let d { d.insert(a[3]) } else { store(a[2], .set(SetObj([a[3]]))) }
        touched(a[1])
        touched(a[2], by: 0)
    }

    private func spop(_ a: Args) throws {
        guard a.count == 3, let count = Args.integer(a[2]), count >= 0 else {
            throw a.error(.unsupported, "SPOP picks members at random; servers propagate its effect as SREM")
        }
        guard let s = try set(a[1], a), count > 0 else { return }
        guard count >= Int64(s.count) else {
            throw a.error(.unsupported, "SPOP with a count below the set's size picks members at random; servers propagate SREM")
        }
        let n = s.count
        remove(a[1])
        touched(a[1], by: n)
    }

    private func setStore(_ a: Args, _ combine: ([Set<[UInt8]>]) -> Set<[UInt8]>) throws {
        try a.arity(atLeast: 3)
        var sets: [Set<[UInt8]>] = []
        for i in 2..<a.count { sets.append(try set(a[i], a)?.members ?? []) }
        let result = combine(sets)
        let dst = a[1]
        if result.isEmpty {
            if remove(dst) { touched(dst) }
            return
        }
        store(dst, .set(SetObj(result)))
        touched(dst)
    }
}
