/// Compares two datasets by meaning (format.md-independent: encodings, compression, hash-table
/// order and LRU/LFU are not differences). Neither side is held as values: side A is indexed as
/// key → (type, TTL, digest, offset) in one pass, side B is streamed against the index, and only
/// the keys that differ are read again to describe their elements.
public struct DiffOptions: Sendable {
    public var ignoreTTL = false
    /// TTLs (and hash field TTLs) closer than this are equal (clocks of two servers differ).
    public var ttlToleranceMs: Int64 = 0
    /// Compare which keys exist and their types only.
    public var keysOnly = false
    /// Element details shown per key before the rest is counted.
    public var detailLimit = 20
    public var withMetadata = false
    public var allowNewer = false
    /// Element fields whose differences do not count, named as the JSONL contract names them
    /// (`seen_time_ms`, `active_time_ms`, `delivery_time_ms`, `delivery_count`, `entries_read`):
    /// what two sides cannot agree on, e.g. an AOF, which does not hold consumer times.
    public var ignoredFields: Set<String> = []
    public init() {}
}

public struct DiffResult: Sendable {
    /// In (db, key bytes) order.
    public var keys: [KeyDiff] = []
    public var unchanged = 0
    public var metadata: [MetadataDiff] = []
    /// Duplicate keys found within one side (damaged files): the last copy counted.
    public var duplicatesA = 0

    public var added: Int { keys.filter { $0.kind == .added }.count }
    public var removed: Int { keys.filter { $0.kind == .removed }.count }
    public func changed(_ aspect: KeyDiff.Aspects) -> Int { keys.filter { $0.kind == .changed && $0.aspects.contains(aspect) }.count }
    public var isEmpty: Bool { keys.isEmpty }
}

public struct DiffEngine {
    public let options: DiffOptions
    public let filter: KeyFilter?

    public init(options: DiffOptions, filter: KeyFilter? = nil) {
        self.options = options
        self.filter = filter
    }

    private struct SideInfo {
        var dialect: Dialect?
        var aux: [(String, String)] = []
        var path: String
        var rereadable: Bool
    }

    public func diff(_ pathA: String, _ pathB: String) throws -> DiffResult {
        var result = DiffResult()
        // Index A; if A cannot be read twice (stdin), swap the roles and swap the answer back.
        let aIsStdin = pathA == "-"
        let (first, second) = aIsStdin ? (pathB, pathA) : (pathA, pathB)
        var index = KeyIndex()
        var infoA = SideInfo(path: first, rereadable: true)
        try read(first) { event in
            switch event {
            case .header(let d): infoA.dialect = d
            case .aux(let n, let v): infoA.aux.append((String(decoding: n, as: UTF8.self), String(decoding: v, as: UTF8.self)))
            case .key(let r):
                guard filter?.accepts(r) ?? true else { return }
                index.insert(db: r.db, key: r.key, type: r.value.type, expireAtMs: r.expireAtMs,
                             digest: ValueDigest(r.value), metadata: r.metadata)
            default: break
            }
        }
        index.buildTable()
        result.duplicatesA = index.duplicates

        // Stream B against the index, keeping B's records only for keys that differ.
        var infoB = SideInfo(path: second, rereadable: false)
        var differing: [(entry: Int?, b: KeyRecord?, diff: KeyDiff)] = []
        try read(second) { event in
            switch event {
            case .header(let d): infoB.dialect = d
            case .aux(let n, let v): infoB.aux.append((String(decoding: n, as: UTF8.self), String(decoding: v, as: UTF8.self)))
            case .key(let r):
                guard filter?.accepts(r) ?? true else { return }
                guard let i = index.findExpectingOrder(db: r.db, key: r.key) else {
                    var d = KeyDiff(db: r.db, key: r.key, kind: .added)
                    d.typeB = r.value.type
                    d.expireB = r.expireAtMs
                    differing.append((nil, r, d))
                    return
                }
                index.markSeen(i)
                let e = index[i]
                let aspects = compare(e, r, ValueDigest(r.value))
                if options.withMetadata { result.metadata += metadataDiffs(e, r) }
                if aspects.isEmpty {
                    result.unchanged += 1
                } else {
                    var d = KeyDiff(db: r.db, key: r.key, kind: .changed, aspects: aspects)
                    d.typeA = e.type; d.typeB = r.value.type; d.expireA = e.expireAtMs; d.expireB = r.expireAtMs
                    differing.append((i, r, d))
                }
            default: break
            }
        }
        for i in index.indices where !index[i].seen {
            let e = index[i]
            var d = KeyDiff(db: Int(e.db), key: Array(index.key(of: e)), kind: .removed)
            d.typeA = e.type
            d.expireA = e.expireAtMs
            differing.append((i, nil, d))
        }

        // Read again, from side A, only the records that differ, to describe their elements.
        var recordsA: [Int: KeyRecord] = [:]
        if !options.keysOnly {
            recordsA = try reread(first, dialect: infoA.dialect, entries: Set(differing.compactMap(\.entry)), index: index)
        }
        var keys: [KeyDiff] = []
        for (entry, b, var d) in differing {
            let a = entry.flatMap { recordsA[$0] }
            describe(&d, a: a, b: b)
            if d.kind == .changed && d.aspects.isEmpty { result.unchanged += 1; continue }
            keys.append(d)
        }
        if options.withMetadata {
            let auxA = Dictionary(infoA.aux, uniquingKeysWith: { x, _ in x })
            let auxB = Dictionary(infoB.aux, uniquingKeysWith: { x, _ in x })
            for name in Set(auxA.keys).union(auxB.keys).sorted() where auxA[name] != auxB[name] {
                result.metadata.append(MetadataDiff(db: nil, key: nil, field: "aux \(name)", a: auxA[name], b: auxB[name]))
            }
            if infoA.dialect != infoB.dialect {
                result.metadata.append(MetadataDiff(db: nil, key: nil, field: "format", a: infoA.dialect?.magic, b: infoB.dialect?.magic))
            }
        }
        if aIsStdin {
            keys = keys.map(Self.swapped)
            result.metadata = result.metadata.map { MetadataDiff(db: $0.db, key: $0.key, field: $0.field, a: $0.b, b: $0.a) }
        }
        keys.sort { $0.db != $1.db ? $0.db < $1.db : bytewiseLess($0.key, $1.key) }
        result.metadata.sort { x, y in
            let (dx, dy) = (x.db ?? -1, y.db ?? -1)
            return dx != dy ? dx < dy : bytewiseLess(x.key ?? [], y.key ?? [])
        }
        result.keys = keys
        return result
    }

    /// How one key differs between two records in hand (either absent), nil when it does not:
    /// the comparison `diff` makes for each key, for callers that hold both sides already.
    public func diff(_ a: KeyRecord?, _ b: KeyRecord?) -> KeyDiff? {
        guard let r = a ?? b else { return nil }
        var d: KeyDiff
        switch (a, b) {
        case let (a?, b?):
            var aspects: KeyDiff.Aspects = []
            if a.value.type != b.value.type { aspects.insert(.type) }
            if !ttlEqual(a.expireAtMs, b.expireAtMs) { aspects.insert(.ttl) }
            if !aspects.contains(.type) {
                let (da, db) = (ValueDigest(a.value), ValueDigest(b.value))
                if da.value != db.value { aspects.insert(.value) }
                if !options.ignoreTTL && da.fieldTTLs != db.fieldTTLs { aspects.insert(.fieldTTL) }
            }
            guard !aspects.isEmpty else { return nil }
            d = KeyDiff(db: r.db, key: r.key, kind: .changed, aspects: aspects)
            d.typeA = a.value.type; d.typeB = b.value.type; d.expireA = a.expireAtMs; d.expireB = b.expireAtMs
        case (nil, _):
            d = KeyDiff(db: r.db, key: r.key, kind: .added)
            d.typeB = r.value.type; d.expireB = r.expireAtMs
        case (_, nil):
            d = KeyDiff(db: r.db, key: r.key, kind: .removed)
            d.typeA = r.value.type; d.expireA = r.expireAtMs
        }
        describe(&d, a: a, b: b)
        return d.kind == .changed && d.aspects.isEmpty ? nil : d
    }

    private func read(_ path: String, _ handle: (RDBEvent) throws -> Void) throws {
        try DatasetSource.read(path, rdb: RDBReader.Options(allowNewer: options.allowNewer), handle)
    }

    private func ttlEqual(_ a: Int64?, _ b: Int64?) -> Bool {
        if options.ignoreTTL { return true }
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return abs(x - y) <= options.ttlToleranceMs
        default: return false
        }
    }

    /// What differs as far as the index can tell. Differing field TTLs are only a candidate:
    /// whether they differ beyond the tolerance is settled when the elements are compared.
    private func compare(_ e: KeyIndex.Entry, _ r: KeyRecord, _ digest: ValueDigest) -> KeyDiff.Aspects {
        var aspects: KeyDiff.Aspects = []
        if e.type != r.value.type { aspects.insert(.type) }
        if options.keysOnly { return aspects }
        if !ttlEqual(e.expireAtMs, r.expireAtMs) { aspects.insert(.ttl) }
        if aspects.contains(.type) { return aspects }
        if e.digest.value != digest.value { aspects.insert(.value) }
        if !options.ignoreTTL && e.digest.fieldTTLs != digest.fieldTTLs { aspects.insert(.fieldTTL) }
        return aspects
    }

    private func metadataDiffs(_ e: KeyIndex.Entry, _ r: KeyRecord) -> [MetadataDiff] {
        var out: [MetadataDiff] = []
        func add(_ field: String, _ a: String?, _ b: String?) {
            if a != b { out.append(MetadataDiff(db: r.db, key: r.key, field: field, a: a, b: b)) }
        }
        add("encoding", e.encoding.name, r.metadata.encoding.name)
        add("lru_idle_s", e.lruIdle.map { "\($0)" }, r.metadata.lruIdleSeconds.map { "\($0)" })
        add("lfu_freq", e.lfuFreq.map { "\($0)" }, r.metadata.lfuFreq.map { "\($0)" })
        return out
    }

    /// Side A's records of the given index entries: by seeking to their offsets in a plain RDB
    /// file, else (gzip, AOF) by reading the side again and picking them by key.
    private func reread(_ path: String, dialect: Dialect?, entries wanted: Set<Int>, index: KeyIndex) throws -> [Int: KeyRecord] {
        guard !wanted.isEmpty else { return [:] }
        var out: [Int: KeyRecord] = [:]
        if let dialect, !DatasetSource.isAOF(path), case let opened = try Input.open(path), !opened.isGzip, opened.fileSize != nil {
            let file = try FileSource(path: path)
            for i in wanted.sorted(by: { index[$0].offset < index[$1].offset }) {
                let e = index[i]
                try file.seek(to: e.offset)
                let reader = RDBReader(input: BufferedReader(file, checksum: false, bufferSize: 1 << 16, startOffset: e.offset),
                                       dialect: dialect, db: Int(e.db))
                while let event = try reader.next() {
                    if case .key(let r) = event { out[i] = r; break }
                }
            }
            return out
        }
        try read(path) { event in
            if case .key(let r) = event, let i = index.find(db: r.db, key: r.key), wanted.contains(i) { out[i] = r }
        }
        return out
    }

    private func describe(_ d: inout KeyDiff, a: KeyRecord?, b: KeyRecord?) {
        // With ignored fields, every detail is needed to know whether anything else differs.
        var v = ValueDiff(ignoreTTL: options.ignoreTTL, ttlToleranceMs: options.ttlToleranceMs,
                          limit: options.ignoredFields.isEmpty ? options.detailLimit : .max)
        switch d.kind {
        case .added, .removed:
            if !options.keysOnly, let r = a ?? b { d.details = Self.summary(r.value) }
            return
        case .changed:
            if d.aspects.contains(.ttl) {
                v.add(DiffDetail(d.expireA == nil ? .added : d.expireB == nil ? .removed : .changed, "ttl",
                                 a: d.expireA.map { .int($0) } ?? .null, b: d.expireB.map { .int($0) } ?? .null))
            }
            guard let a, let b, !d.aspects.contains(.type), !options.keysOnly else { d.details = v.result; return }
            v.compare(a.value, b.value)
            var details = v.result.filter { !options.ignoredFields.contains(String($0.what.split(separator: " ").last ?? "")) }
            // The digests said field TTLs differ; they do only if one differs beyond the tolerance.
            if d.aspects.contains(.fieldTTL) && !details.contains(where: { $0.what == "field ttl" }) {
                d.aspects.remove(.fieldTTL)
            }
            if !options.ignoredFields.isEmpty {
                if !details.contains(where: { $0.what != "ttl" && $0.what != "field ttl" }) { d.aspects.remove(.value) }
                if details.count > options.detailLimit {
                    let rest = details.count - options.detailLimit
                    details = Array(details.prefix(options.detailLimit)) + [DiffDetail(.changed, "more", a: .int(Int64(rest)))]
                }
            }
            d.details = details
        }
    }

    /// What an added or removed key holds, in a line.
    static func summary(_ v: Value) -> [DiffDetail] {
        switch v {
        case .string(let s): [DiffDetail(.changed, "value", a: .bytes(s))]
        case .module(let m): [DiffDetail(.changed, "value", a: .string(ValueDiff.describe(m)))]
        default: [DiffDetail(.changed, "elements", a: .int(Int64(v.elementCount)))]
        }
    }

    private static func swapped(_ d: KeyDiff) -> KeyDiff {
        var s = d
        s.kind = d.kind == .added ? .removed : d.kind == .removed ? .added : .changed
        s.typeA = d.typeB; s.typeB = d.typeA; s.expireA = d.expireB; s.expireB = d.expireA
        // An added or removed key's details describe its value, not a change: nothing to swap.
        guard d.kind == .changed else { return s }
        s.details = d.details.map { x in
            var y = x
            y.op = x.op == .added ? .removed : x.op == .removed ? .added : .changed
            y.a = x.b; y.b = x.a
            return y
        }
        return s
    }
}
