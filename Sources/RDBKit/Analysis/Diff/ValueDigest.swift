/// A canonical digest of a value: equal for equal datasets whatever the encoding, compression
/// or hash-table order; different (but for a 2^-128 chance) otherwise. Key TTLs are compared
/// apart; hash field TTLs get their own digest so that `--ignore-ttl` can set them aside.
public struct ValueDigest: Equatable, Sendable {
    public var value: MurmurHash3.Digest
    /// Digest of the hash field TTLs (zero when the value has none).
    public var fieldTTLs: MurmurHash3.Digest

    public init(_ v: Value) {
        fieldTTLs = .zero
        switch v {
        case .string(let s):
            value = MurmurHash3.hash(s, seed: 1)
        case .list(let l):
            value = l.withUnsafeElements { e in
                var d = MurmurHash3.Digest(h1: 2, h2: UInt64(e.count))
                for i in 0..<e.count { d = d.then(MurmurHash3.hash(e[i])) }
                return d
            }
        case .set(let l):
            value = l.withUnsafeElements { e in
                var d = MurmurHash3.Digest(h1: 3, h2: UInt64(e.count))
                for i in 0..<e.count { d = d &+ MurmurHash3.hash(e[i], seed: 3) }
                return d
            }
        case .zset(let z):
            value = z.members.withUnsafeElements { e in
                var d = MurmurHash3.Digest(h1: 4, h2: UInt64(e.count))
                for i in 0..<e.count {
                    // -0 and 0 are the same score to Redis.
                    let score = z.scores[i] == 0 ? 0 : z.scores[i]
                    d = d &+ MurmurHash3.hash(e[i], seed: score.bitPattern)
                }
                return d
            }
        case .hash(let h):
            var d = MurmurHash3.Digest(h1: 5, h2: UInt64(h.fields.count))
            var ttl = MurmurHash3.Digest.zero
            h.fields.withUnsafeElements { f in
                h.values.withUnsafeElements { val in
                    for i in 0..<f.count {
                        let field = MurmurHash3.hash(f[i], seed: 5)
                        d = d &+ field.then(MurmurHash3.hash(val[i]))
                        if let e = h.fieldExpiries?[i] ?? nil {
                            ttl = ttl &+ field.then(MurmurHash3.Digest(h1: UInt64(bitPattern: e), h2: 0))
                        }
                    }
                }
            }
            value = d
            fieldTTLs = ttl
        case .stream(let s):
            value = Self.stream(s)
        case .module(let m):
            value = MurmurHash3.hash(m.payload, seed: 7 ^ m.moduleID)
        case .array(let a):
            var d = MurmurHash3.Digest(h1: 8, h2: a.insertIndex ?? .max)
            for (index, element) in a.elements {
                let e: MurmurHash3.Digest
                switch element {
                case .bytes(let b): e = MurmurHash3.hash(b, seed: 1)
                case .integer(let v): e = MurmurHash3.Digest(h1: 2, h2: UInt64(bitPattern: v))
                case .double(let v): e = MurmurHash3.Digest(h1: 3, h2: v.bitPattern)
                }
                d = d.then(MurmurHash3.Digest(h1: index, h2: 0)).then(e)
            }
            value = d
        }
    }

    private static func id(_ id: StreamID) -> MurmurHash3.Digest { MurmurHash3.Digest(h1: id.ms, h2: id.seq) }

    private static func optional(_ v: UInt64?) -> MurmurHash3.Digest {
        v.map { MurmurHash3.Digest(h1: 1, h2: $0) } ?? .zero
    }

    private static func stream(_ s: StreamValue) -> MurmurHash3.Digest {
        var d = MurmurHash3.Digest(h1: 6, h2: s.length).then(id(s.lastID))
            .then(s.firstID.map(id) ?? .zero).then(s.maxDeletedID.map(id) ?? .zero).then(optional(s.entriesAdded))
        s.entries.items.withUnsafeElements { items in
            for n in s.entries.indices {
                d = d.then(id(s.entries.ids[n]))
                for j in s.entries.itemRange(n) { d = d.then(MurmurHash3.hash(items[j])) }
            }
        }
        // Groups, consumers and PELs are sets keyed by name or id: combine order-independently.
        var groups = MurmurHash3.Digest.zero
        for g in s.groups {
            var gd = MurmurHash3.hash(g.name, seed: 9).then(id(g.lastDeliveredID)).then(optional(g.entriesRead))
            var pel = MurmurHash3.Digest.zero
            for p in g.pending {
                pel = pel &+ id(p.id).then(MurmurHash3.Digest(h1: UInt64(bitPattern: p.deliveryTimeMs), h2: p.deliveryCount))
            }
            var consumers = MurmurHash3.Digest.zero
            for c in g.consumers {
                var cd = MurmurHash3.hash(c.name, seed: 10)
                    .then(MurmurHash3.Digest(h1: UInt64(bitPattern: c.seenTimeMs), h2: c.activeTimeMs.map { UInt64(bitPattern: $0) } ?? 0))
                var owned = MurmurHash3.Digest.zero
                for p in c.pending { owned = owned &+ id(p) }
                cd = cd.then(owned)
                consumers = consumers &+ cd
            }
            gd = gd.then(pel).then(consumers)
            groups = groups &+ gd
        }
        return d.then(groups)
    }
}
