/// Element-level differences between two values of the same type: what a person needs to see
/// to understand a change, in bounded size (`limit` details per key, then a count of the rest).
struct ValueDiff {
    let ignoreTTL: Bool
    let ttlToleranceMs: Int64
    let limit: Int
    private(set) var details: [DiffDetail] = []
    private var omitted = 0

    init(ignoreTTL: Bool, ttlToleranceMs: Int64, limit: Int) {
        self.ignoreTTL = ignoreTTL; self.ttlToleranceMs = ttlToleranceMs; self.limit = limit
    }

    mutating func add(_ d: DiffDetail) {
        if details.count < limit { details.append(d) } else { omitted += 1 }
    }

    /// The details, with a closing `more` entry counting what was left out.
    var result: [DiffDetail] {
        omitted == 0 ? details : details + [DiffDetail(.changed, "more", a: .int(Int64(omitted)))]
    }

    /// "MyModType v5, 3 bytes", then with `from` the payload in hex from that byte (at most 12).
    static func describe(_ m: ModuleValue, from: Int? = nil) -> String {
        var s = "\(m.name) v\(m.encodingVersion), \(m.payload.count) bytes"
        if let from {
            let window = m.payload.dropFirst(from).prefix(12)
            let hex = window.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
            s += ", from byte \(from): " + (window.isEmpty ? "(end)" : hex) + (m.payload.count > from + 12 ? " …" : "")
        }
        return s
    }

    func ttlEqual(_ a: Int64?, _ b: Int64?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case let (x?, y?): abs(x - y) <= ttlToleranceMs
        default: false
        }
    }

    static func items(_ l: ByteList, _ r: Range<Int>, max: Int = 3) -> JSONValue {
        var out: [JSONValue] = r.prefix(max).map { .bytes(Array(l[$0])) }
        if r.count > max { out.append(.string("… \(r.count - max) more")) }
        return .array(out)
    }

    // MARK: By type

    mutating func compare(_ a: Value, _ b: Value) {
        switch (a, b) {
        case let (.string(x), .string(y)):
            if x != y { add(DiffDetail(.changed, "value", a: .bytes(x), b: .bytes(y))) }
        case let (.list(x), .list(y)):
            list(x, y)
        case let (.set(x), .set(y)):
            members(x, y)
        case let (.zset(x), .zset(y)):
            zset(x, y)
        case let (.hash(x), .hash(y)):
            hash(x, y)
        case let (.stream(x), .stream(y)):
            stream(x, y)
        case let (.module(x), .module(y)):
            if x != y {
                // Payloads are opaque: show where they part and the bytes from there.
                let from = x.payload == y.payload ? nil : zip(x.payload, y.payload).prefix { $0 == $1 }.count
                add(DiffDetail(.changed, "module value", a: .string(Self.describe(x, from: from)), b: .string(Self.describe(y, from: from))))
            }
        default:
            if a != b { add(DiffDetail(.changed, "value")) }
        }
    }

    /// Lists by position: the common prefix and suffix are skipped and what lies between is
    /// reported as runs, never one line per item.
    private mutating func list(_ a: ByteList, _ b: ByteList) {
        let na = a.count, nb = b.count
        var p = 0
        while p < na && p < nb && a[p] == b[p] { p += 1 }
        var s = 0
        while s < na - p && s < nb - p && a[na - 1 - s] == b[nb - 1 - s] { s += 1 }
        let ra = p..<(na - s), rb = p..<(nb - s)
        if ra.count == rb.count {
            // Same length: runs of differing positions, each shown once.
            var i = ra.lowerBound
            while i < ra.upperBound {
                guard a[i] != b[i] else { i += 1; continue }
                var j = i
                while j + 1 < ra.upperBound && a[j + 1] != b[j + 1] { j += 1 }
                add(DiffDetail(.changed, "items", name: .string(j == i ? "\(i)" : "\(i)..\(j)"),
                               a: Self.items(a, i..<(j + 1)), b: Self.items(b, i..<(j + 1))))
                i = j + 1
            }
        } else if ra.isEmpty {
            add(DiffDetail(.added, "items", name: .string("\(p)..\(p + rb.count - 1)"), b: Self.items(b, rb)))
        } else if rb.isEmpty {
            add(DiffDetail(.removed, "items", name: .string("\(p)..\(p + ra.count - 1)"), a: Self.items(a, ra)))
        } else {
            add(DiffDetail(.changed, "items", name: .string("\(p)..\(ra.upperBound - 1) -> \(p)..\(rb.upperBound - 1)"),
                           a: Self.items(a, ra), b: Self.items(b, rb)))
        }
    }

    /// Walks two collections in byte order of their names.
    private static func merge(_ a: ByteList, _ b: ByteList, onlyA: (Int) -> Void, onlyB: (Int) -> Void, both: (Int, Int) -> Void) {
        let pa = a.byteOrderPermutation(), pb = b.byteOrderPermutation()
        var i = 0, j = 0
        while i < pa.count || j < pb.count {
            if j == pb.count { onlyA(pa[i]); i += 1; continue }
            if i == pa.count { onlyB(pb[j]); j += 1; continue }
            let x = a[pa[i]], y = b[pb[j]]
            if x == y { both(pa[i], pb[j]); i += 1; j += 1 }
            else if x.lexicographicallyPrecedes(y) { onlyA(pa[i]); i += 1 }
            else { onlyB(pb[j]); j += 1 }
        }
    }

    private mutating func members(_ a: ByteList, _ b: ByteList) {
        var found: [DiffDetail] = []
        Self.merge(a, b, onlyA: { found.append(DiffDetail(.removed, "member", name: .bytes(Array(a[$0])))) },
                   onlyB: { found.append(DiffDetail(.added, "member", name: .bytes(Array(b[$0])))) }, both: { _, _ in })
        found.forEach { add($0) }
    }

    private mutating func zset(_ a: SortedSetValue, _ b: SortedSetValue) {
        var found: [DiffDetail] = []
        Self.merge(a.members, b.members,
                   onlyA: { found.append(DiffDetail(.removed, "member", name: .bytes(Array(a.members[$0])), a: .double(a.scores[$0]))) },
                   onlyB: { found.append(DiffDetail(.added, "member", name: .bytes(Array(b.members[$0])), b: .double(b.scores[$0]))) },
                   both: { i, j in
                       if a.scores[i] != b.scores[j] {
                           found.append(DiffDetail(.changed, "score", name: .bytes(Array(a.members[i])),
                                                   a: .double(a.scores[i]), b: .double(b.scores[j])))
                       }
                   })
        found.forEach { add($0) }
    }

    private mutating func hash(_ a: HashValue, _ b: HashValue) {
        var found: [DiffDetail] = []
        let ignoreTTL = ignoreTTL
        let ttlEqual = self.ttlEqual
        func ttl(_ v: Int64??) -> JSONValue { (v ?? nil).map { .int($0) } ?? .null }
        Self.merge(a.fields, b.fields,
                   onlyA: { found.append(DiffDetail(.removed, "field", name: .bytes(Array(a.fields[$0])), a: .bytes(Array(a.values[$0])))) },
                   onlyB: { found.append(DiffDetail(.added, "field", name: .bytes(Array(b.fields[$0])), b: .bytes(Array(b.values[$0])))) },
                   both: { i, j in
                       let name = JSONValue.bytes(Array(a.fields[i]))
                       if a.values[i] != b.values[j] {
                           found.append(DiffDetail(.changed, "field", name: name, a: .bytes(Array(a.values[i])), b: .bytes(Array(b.values[j]))))
                       }
                       let ea = a.fieldExpiries?[i] ?? nil, eb = b.fieldExpiries?[j] ?? nil
                       if !ignoreTTL && !ttlEqual(ea, eb) {
                           found.append(DiffDetail(.changed, "field ttl", name: name, a: ttl(ea), b: ttl(eb)))
                       }
                   })
        found.forEach { add($0) }
    }

    private static func id(_ i: StreamID?) -> JSONValue { i.map { .string($0.description) } ?? .null }
    private static func num(_ v: UInt64?) -> JSONValue { v.map { .int(Int64(bitPattern: $0)) } ?? .null }

    private mutating func stream(_ a: StreamValue, _ b: StreamValue) {
        func field(_ name: String, _ x: JSONValue, _ y: JSONValue, equal: Bool) {
            if !equal { add(DiffDetail(.changed, name, a: x, b: y)) }
        }
        field("length", Self.num(a.length), Self.num(b.length), equal: a.length == b.length)
        field("last_id", Self.id(a.lastID), Self.id(b.lastID), equal: a.lastID == b.lastID)
        field("first_id", Self.id(a.firstID), Self.id(b.firstID), equal: a.firstID == b.firstID)
        field("max_deleted_id", Self.id(a.maxDeletedID), Self.id(b.maxDeletedID), equal: a.maxDeletedID == b.maxDeletedID)
        field("entries_added", Self.num(a.entriesAdded), Self.num(b.entriesAdded), equal: a.entriesAdded == b.entriesAdded)
        // Entries by id (both sides are in id order).
        var i = 0, j = 0
        let ea = a.entries, eb = b.entries
        func fields(_ e: StreamEntries, _ n: Int) -> JSONValue {
            .array(e.itemRange(n).map { .bytes(Array(e.items[$0])) })
        }
        while i < ea.count || j < eb.count {
            if j == eb.count || (i < ea.count && ea.ids[i] < eb.ids[j]) {
                add(DiffDetail(.removed, "entry", name: Self.id(ea.ids[i]), a: fields(ea, i))); i += 1
            } else if i == ea.count || eb.ids[j] < ea.ids[i] {
                add(DiffDetail(.added, "entry", name: Self.id(eb.ids[j]), b: fields(eb, j))); j += 1
            } else {
                let same = ea.itemRange(i).count == eb.itemRange(j).count
                    && zip(ea.itemRange(i), eb.itemRange(j)).allSatisfy { ea.items[$0] == eb.items[$1] }
                if !same { add(DiffDetail(.changed, "entry", name: Self.id(ea.ids[i]), a: fields(ea, i), b: fields(eb, j))) }
                i += 1; j += 1
            }
        }
        let groupsA = Dictionary(a.groups.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        let groupsB = Dictionary(b.groups.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        for name in Set(groupsA.keys).union(groupsB.keys).sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            switch (groupsA[name], groupsB[name]) {
            case (let g?, nil): add(DiffDetail(.removed, "group", name: .bytes(name), a: .string("\(g.pending.count) pending, \(g.consumers.count) consumers")))
            case (nil, let g?): add(DiffDetail(.added, "group", name: .bytes(name), b: .string("\(g.pending.count) pending, \(g.consumers.count) consumers")))
            case let (x?, y?): group(x, y)
            default: break
            }
        }
    }

    private mutating func group(_ x: StreamGroup, _ y: StreamGroup) {
        let prefix = String(decoding: x.name, as: UTF8.self)
        if x.lastDeliveredID != y.lastDeliveredID {
            add(DiffDetail(.changed, "group last_delivered_id", name: .bytes(x.name), a: Self.id(x.lastDeliveredID), b: Self.id(y.lastDeliveredID)))
        }
        let readA = x.entriesRead == .max ? nil : x.entriesRead, readB = y.entriesRead == .max ? nil : y.entriesRead
        if readA != readB {
            add(DiffDetail(.changed, "group entries_read", name: .bytes(x.name), a: Self.num(readA), b: Self.num(readB)))
        }
        let pa = Dictionary(x.pending.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let pb = Dictionary(y.pending.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for id in Set(pa.keys).union(pb.keys).sorted() {
            let name = JSONValue.string("\(prefix) \(id)")
            switch (pa[id], pb[id]) {
            case (_?, nil): add(DiffDetail(.removed, "pel", name: name))
            case (nil, _?): add(DiffDetail(.added, "pel", name: name))
            case let (p?, q?):
                if p.deliveryTimeMs != q.deliveryTimeMs {
                    add(DiffDetail(.changed, "pel delivery_time_ms", name: name, a: .int(p.deliveryTimeMs), b: .int(q.deliveryTimeMs)))
                }
                if p.deliveryCount != q.deliveryCount {
                    add(DiffDetail(.changed, "pel delivery_count", name: name, a: Self.num(p.deliveryCount), b: Self.num(q.deliveryCount)))
                }
            default: break
            }
        }
        let ca = Dictionary(x.consumers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let cb = Dictionary(y.consumers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for cname in Set(ca.keys).union(cb.keys).sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let name = JSONValue.string("\(prefix) \(String(decoding: cname, as: UTF8.self))")
            switch (ca[cname], cb[cname]) {
            case (_?, nil): add(DiffDetail(.removed, "consumer", name: name))
            case (nil, _?): add(DiffDetail(.added, "consumer", name: name))
            case let (c?, d?):
                if c.seenTimeMs != d.seenTimeMs {
                    add(DiffDetail(.changed, "consumer seen_time_ms", name: name, a: .int(c.seenTimeMs), b: .int(d.seenTimeMs)))
                }
                if c.activeTimeMs != d.activeTimeMs {
                    add(DiffDetail(.changed, "consumer active_time_ms", name: name,
                                   a: c.activeTimeMs.map { .int($0) } ?? .null, b: d.activeTimeMs.map { .int($0) } ?? .null))
                }
                if Set(c.pending) != Set(d.pending) {
                    add(DiffDetail(.changed, "consumer pel", name: name, a: .int(Int64(c.pending.count)), b: .int(Int64(d.pending.count))))
                }
            default: break
            }
        }
    }
}
