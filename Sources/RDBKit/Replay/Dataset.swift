/// The replayed key space: per database, key → value and absolute expiry, plus function
/// libraries. Seeded with `load` (an RDB preamble or base file), changed by `Replayer`, read
/// back with `records(now:)` in the shared value model.
public final class Dataset {
    struct Entry {
        var obj: Obj
        var expireAtMs: Int64?
    }

    /// Databases by index, grown on demand (SELECT of a high index, SWAPDB, MOVE).
    var dbs: [KeySpace] = Array(repeating: KeySpace(), count: 16)
    /// Function libraries by name, in load order.
    private(set) var libraries: [(name: [UInt8], library: FunctionLibrary)] = []

    public init() {}

    /// Makes sure `db` exists.
    func ensure(_ db: Int) {
        if db >= dbs.count { dbs.append(contentsOf: Array(repeating: KeySpace(), count: db + 1 - dbs.count)) }
    }

    public var keyCount: Int { dbs.reduce(0) { $0 + $1.count } }

    // MARK: Seeding

    /// Adds one key as a file holds it (replacing any key of the same name).
    public func load(_ r: KeyRecord) {
        ensure(r.db)
        dbs[r.db][r.key] = Entry(obj: Self.obj(from: r.value), expireAtMs: r.expireAtMs)
    }

    /// Adds (or replaces) a function library, by the name in its shebang.
    public func load(_ library: FunctionLibrary) {
        let name = Array((library.shebang?.name ?? "").utf8)
        setLibrary(name, library)
    }

    func setLibrary(_ name: [UInt8], _ library: FunctionLibrary) {
        if let i = libraries.firstIndex(where: { $0.name == name }) { libraries[i].library = library }
        else { libraries.append((name, library)) }
    }

    @discardableResult
    func removeLibrary(_ name: [UInt8]) -> Bool {
        guard let i = libraries.firstIndex(where: { $0.name == name }) else { return false }
        libraries.remove(at: i)
        return true
    }

    func removeAllLibraries() { libraries.removeAll() }

    public var functionLibraries: [FunctionLibrary] { libraries.map(\.library) }

    // MARK: Reading back

    /// Calls `body` with every key in (db, key byte order), as a server loading the dataset at
    /// `now` (Unix ms) would keep it: keys whose expiry is at or before `now` are dropped, and
    /// so are hash fields (a hash left without fields with them). `now` nil keeps everything.
    public func records(now: Int64?, _ body: (KeyRecord) throws -> Void) rethrows {
        for db in dbs.indices {
            let keySpace = dbs[db]
            for key in sortedKeys(db) {
                if let node = keySpace.node(atSlot: key.slot), let r = Self.record(node, db: db, now: now) { try body(r) }
            }
        }
    }

    /// A key's place in `dbs[db]` (its slot) and its first 16 bytes as two big-endian words.
    struct SortKey {
        var hi: UInt64
        var lo: UInt64
        var slot: Int
    }

    /// The keys of `db` in byte order. Sorted by their first 16 bytes, then (on a tie) by the
    /// whole key: inline comparisons on a compact array, where comparing the keys in their
    /// nodes costs a cache miss and retains at every step. (`writeRDB` does without: it writes
    /// in slot order, adding nothing at the peak.)
    func sortedKeys(_ db: Int) -> [SortKey] {
        let keySpace = dbs[db]
        var order: [SortKey] = []
        order.reserveCapacity(keySpace.count)
        keySpace.forEachNode { slot, node in
            node.withKey { k in
                var words: (UInt64, UInt64) = (0, 0)
                withUnsafeMutableBytes(of: &words) { w in
                    w.copyMemory(from: UnsafeRawBufferPointer(rebasing: k.prefix(16)))
                }
                order.append(SortKey(hi: UInt64(bigEndian: words.0), lo: UInt64(bigEndian: words.1), slot: slot))
            }
        }
        order.sort { a, b in
            if a.hi != b.hi { return a.hi < b.hi }
            if a.lo != b.lo { return a.lo < b.lo }
            guard let x = keySpace.node(atSlot: a.slot), let y = keySpace.node(atSlot: b.slot) else { return false }
            return x.withKey { kx in y.withKey { ky in kx.lexicographicallyPrecedes(ky) } }
        }
        return order
    }

    /// The record of one key as `records(now:)` gives it, nil when nothing of it survives `now`.
    static func record(_ node: KeyNode, db: Int, now: Int64?) -> KeyRecord? {
        let expireAtMs = node.expireAtMs
        if let now, let t = expireAtMs, t <= now { return nil }
        let converted = node.withString { s in s.map(stringValue) } ?? node.object.flatMap { value(of: $0, now: now) }
        guard let (value, encoding) = converted else { return nil }
        return KeyRecord(db: db, key: node.key, value: value, expireAtMs: expireAtMs,
                         metadata: RecordMetadata(encoding: encoding, typeByte: 0))
    }

    /// Per database, how many keys `records(now:)` gives and how many of them have an expiry,
    /// without ordering or converting them (RESIZEDB wants the counts before the keys). Every
    /// node is visited, a cache miss each: on `jobs` threads, a range of slots each.
    public func counts(now: Int64?, jobs: Int = 1) -> [(keys: UInt64, expires: UInt64)] {
        dbs.map { keySpace in
            let part = 1 << 16
            var keys: UInt64 = 0, expires: UInt64 = 0
            ParallelMap.run(count: (keySpace.slotCount + part - 1) / part, jobs: jobs, work: { p in
                var keys: UInt64 = 0, expires: UInt64 = 0
                for slot in (p * part)..<min(keySpace.slotCount, (p + 1) * part) {
                    guard let node = keySpace.node(atSlot: slot), Self.survives(node, now: now) else { continue }
                    keys += 1
                    if node.expireAtMs != nil { expires += 1 }
                }
                return (keys, expires)
            }, emit: { _, c in
                keys += c.0
                expires += c.1
            })
            return (keys, expires)
        }
    }

    /// True when some hash field has its own expiry (only RDB 12 and later can hold it).
    public var hasFieldExpiries: Bool {
        dbs.contains { keySpace in
            keySpace.nodes.contains { node in
                if case .hash(let h)? = node.object { return h.hasFieldExpiries }
                return false
            }
        }
    }

    /// Whether `records(now:)` gives this entry: `value(of:now:)` is nil only for a hash
    /// without a live field.
    private static func survives(_ node: KeyNode, now: Int64?) -> Bool {
        if let now, let t = node.expireAtMs, t <= now { return false }
        guard case .hash(let h)? = node.object else { return true }
        guard let now, h.hasFieldExpiries else { return !h.isEmpty }
        var live = false
        h.forEach { _, _, t in if t.map({ $0 > now }) ?? true { live = true } }
        return live
    }

    /// One key as `records(now:)` would give it, nil when absent (or expired at `now`).
    public func record(db: Int, key: [UInt8], now: Int64?) -> KeyRecord? {
        guard db < dbs.count, let e = dbs[db][key] else { return nil }
        if let now, let t = e.expireAtMs, t <= now { return nil }
        guard let (value, encoding) = Self.value(of: e.obj, now: now) else { return nil }
        return KeyRecord(db: db, key: key, value: value, expireAtMs: e.expireAtMs,
                         metadata: RecordMetadata(encoding: encoding, typeByte: 0))
    }

    // MARK: Conversions

    static func obj(from v: Value) -> Obj {
        switch v {
        case .string(let s):
            return .string(StringObj.make(s))
        case .list(let l):
            let o = ListObj()
            for e in l { o.push(Array(e), left: false) }
            return .list(o)
        case .set(let l):
            return .set(SetObj(l.map { Array($0) }))
        case .zset(let z):
            let o = ZSetObj()
            for i in z.members.indices { o.set(Array(z.members[i]), z.scores[i]) }
            return .zset(o)
        case .hash(let h):
            let o = HashObj()
            for i in h.fields.indices {
                o[Array(h.fields[i])] = HashObj.Field(value: Array(h.values[i]), expireAtMs: h.fieldExpiries?[i] ?? nil)
            }
            return .hash(o)
        case .stream(let s):
            return .stream(streamObj(from: s))
        case .module, .array:
            return .opaque(OpaqueObj(v))
        }
    }

    private static func streamObj(from s: StreamValue) -> StreamObj {
        let o = StreamObj()
        for i in s.entries.indices {
            o.entries.append(StreamObj.Entry(id: s.entries.ids[i], fieldsAndValues: PackedBytes(s.entries.itemRange(i).map { Array(s.entries.items[$0]) })))
        }
        o.lastID = s.lastID
        // Files before stream v2 lack these; Redis's loader derives them the same way.
        o.firstID = s.firstID ?? o.entries.first?.id ?? .zero
        o.maxDeletedID = s.maxDeletedID ?? .zero
        o.entriesAdded = s.entriesAdded ?? s.length
        for g in s.groups {
            var group = StreamObj.Group(lastID: g.lastDeliveredID,
                                        entriesRead: g.entriesRead.map { Int64(bitPattern: $0) } ?? -1)
            var owner: [StreamID: [UInt8]] = [:]
            for c in g.consumers {
                group.consumers[c.name] = StreamObj.Consumer(seenTimeMs: c.seenTimeMs, activeTimeMs: c.activeTimeMs ?? c.seenTimeMs,
                                                             pending: Set(c.pending))
                for id in c.pending { owner[id] = c.name }
            }
            for p in g.pending {
                group.pel[p.id] = StreamObj.Pending(consumer: owner[p.id] ?? [], deliveryTimeMs: p.deliveryTimeMs,
                                                    deliveryCount: p.deliveryCount)
            }
            o.groups[g.name] = group
        }
        return o
    }

    /// The model value of `obj` at `now`, nil when nothing of it would survive (a hash whose
    /// fields all expired).
    static func value(of obj: Obj, now: Int64?) -> (Value, Encoding)? {
        switch obj {
        case .string(let s):
            return s.withBytes(stringValue)
        case .list(let l):
            var items = ByteList()
            l.forEach { items.append($0) }
            return (.list(items), .quicklist2)
        case .set(let s):
            var members = ByteList()
            s.forEach { members.append($0) }
            return (.set(members), .hashtable)
        case .zset(let z):
            var v = SortedSetValue()
            for item in z.ordered { v.members.append(item.member); v.scores.append(item.score) }
            return (.zset(v), .skiplist)
        case .hash(let h):
            var v = HashValue()
            var expiries: [Int64?] = []
            var anyExpiry = false
            h.forEach { f, value, expireAtMs in
                if let now, let t = expireAtMs, t <= now { return }
                v.fields.append(f)
                v.values.append(value)
                expiries.append(expireAtMs)
                if expireAtMs != nil { anyExpiry = true }
            }
            if v.fields.isEmpty { return nil }
            if anyExpiry { v.fieldExpiries = expiries }
            return (.hash(v), anyExpiry ? .metadata : .hashtable)
        case .stream(let s):
            return (.stream(streamValue(of: s)), .streams)
        case .opaque(let o):
            return (o.value, o.value.type == .module ? .module : .array)
        }
    }

    private static func stringValue(_ bytes: UnsafeRawBufferPointer) -> (Value, Encoding) {
        (.string(Array(bytes)), Decimal64.parseCanonical(bytes) != nil ? .int : .raw)
    }

    private static func streamValue(of s: StreamObj) -> StreamValue {
        var v = StreamValue()
        for e in s.entries {
            var items = ByteList()
            e.fieldsAndValues.forEach { items.append($0) }
            v.entries.append(StreamEntry(id: e.id, fieldsAndValues: items))
        }
        v.length = UInt64(s.entries.count)
        v.lastID = s.lastID
        v.firstID = s.firstID
        v.maxDeletedID = s.maxDeletedID
        v.entriesAdded = s.entriesAdded
        for (name, g) in s.groups {
            var consumers: [StreamConsumer] = []
            for (cname, c) in g.consumers {
                consumers.append(StreamConsumer(name: cname, seenTimeMs: c.seenTimeMs, activeTimeMs: c.activeTimeMs,
                                                pending: c.pending.sorted()))
            }
            consumers.sort { $0.name.lexicographicallyPrecedes($1.name) }
            let pending = g.pel.keys.sorted().map { id in
                StreamPendingEntry(id: id, deliveryTimeMs: g.pel[id]?.deliveryTimeMs ?? 0, deliveryCount: g.pel[id]?.deliveryCount ?? 0)
            }
            v.groups.append(StreamGroup(name: name, lastDeliveredID: g.lastID, entriesRead: UInt64(bitPattern: g.entriesRead),
                                        pending: pending, consumers: consumers, nacked: nil))
        }
        v.groups.sort { $0.name.lexicographicallyPrecedes($1.name) }
        return v
    }
}
