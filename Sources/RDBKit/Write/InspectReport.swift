/// Renders a `FileSummary` for a person (one screen) or as one JSON object.
public struct InspectReport {
    public var path: String
    public var fileSize: Int64?
    public var isGzip: Bool
    public var elapsedSeconds: Double
    public var summary: FileSummary
    /// The error that stopped reading early, if any: the report then covers what was read.
    public var error: RDBError?

    public init(path: String, fileSize: Int64?, isGzip: Bool, elapsedSeconds: Double, summary: FileSummary, error: RDBError?) {
        self.path = path; self.fileSize = fileSize; self.isGzip = isGzip
        self.elapsedSeconds = elapsedSeconds; self.summary = summary; self.error = error
    }

    static func list<K>(_ counts: [K: Int], name: (K) -> String) -> String {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : name($0.key) < name($1.key) }
            .map { "\(name($0.key)) \($0.value)" }.joined(separator: ", ")
    }

    private var rate: String {
        guard elapsedSeconds > 0 else { return "" }
        let mb = Double(summary.bytesRead) / 1_000_000 / elapsedSeconds
        return " (\(TextLayout.fixed(mb, 1)) MB/s)"
    }

    public var checksumText: String {
        guard let t = summary.trailer else { return "not reached" }
        switch t.status {
        case .ok: return "ok (\(hex64(t.storedChecksum ?? 0)))"
        case .disabled: return "disabled (stored as 0 by a producer with rdbchecksum no)"
        case .absent: return "none (RDB version \(summary.dialect?.version ?? 0) has no checksum)"
        case .unchecked: return "not computed (stored \(hex64(t.storedChecksum ?? 0)))"
        case .mismatch: return "MISMATCH: stored \(hex64(t.storedChecksum ?? 0)), computed \(hex64(t.computedChecksum ?? 0))"
        }
    }

    public func text() -> String {
        let s = summary
        var out: [String] = []
        func row(_ label: String, _ value: String) { out.append(TextLayout.pad(label, 12) + value) }
        var size = fileSize.map { "\($0) bytes" } ?? "stdin"
        if isGzip { size += ", gzip; \(s.bytesRead) bytes decompressed" }
        row("file", "\(path) (\(size))")
        if let d = s.dialect { row("format", "RDB \(d.version) (\(d.magic), \(d.family.rawValue) numbering)") }
        if let p = s.producer {
            row("producer", p + (s.auxValue("redis-bits").map { ", \($0) bits" } ?? ""))
        }
        if let c = s.creationTimeSeconds { row("created", "\(UTCTime.format(seconds: c)) (ctime \(c))") }
        if let m = s.auxValue("used-mem") { row("used-mem", "\(m) bytes") }
        if let id = s.auxValue("repl-id") {
            row("replication", "id \(id), offset \(s.auxValue("repl-offset") ?? "?")"
                + (s.auxValue("repl-stream-db").map { ", stream db \($0)" } ?? ""))
        }
        if let base = s.auxValue("aof-base") { row("aof-base", base == "1" ? "yes (AOF base file)" : "no") }
        if let pre = s.auxValue("aof-preamble") { row("aof-preamble", pre == "1" ? "yes (AOF preamble)" : "no") }
        if !s.functions.isEmpty {
            let names = s.functions.map { f in f.shebang.map { "\($0.name) (\($0.engine))" } ?? "?" }
            row("functions", "\(s.functions.count) librar\(s.functions.count == 1 ? "y" : "ies"): " + names.joined(separator: ", "))
        }
        if !s.moduleAux.isEmpty {
            row("module aux", s.moduleAux.map { "\($0.name) (\($0.bytes) bytes)" }.joined(separator: ", "))
        }
        let scripts = s.aux.filter { $0.name == "lua" }.count
        if scripts > 0 { row("lua", "\(scripts) cached script\(scripts == 1 ? "" : "s") (ignored by Redis 7.0+)") }
        row("checksum", checksumText)
        row("read in", "\(TextLayout.fixed(elapsedSeconds, 3)) s" + rate)
        out.append("")
        let nowText = s.nowMs.map { UTCTime.format(seconds: $0 / 1000) } ?? "unknown time"
        out.append("\(s.totalKeys) keys in \(s.databases.filter { $0.value.keys > 0 }.count) database(s); expiry judged at \(nowText)")
        for (db, d) in s.databases.sorted(by: { $0.key < $1.key }) where d.keys > 0 || d.resizeHint != nil {
            var line = "db \(db): \(d.keys) keys, \(d.withTTL) with TTL, \(d.expiredAtNow) already expired"
            if let h = d.resizeHint { line += "; RESIZEDB hint \(h.keys) keys, \(h.expires) with TTL" }
            out.append(line)
            out.append("  by type      " + Self.list(d.byType) { $0.rawValue })
            out.append("  by encoding  " + Self.list(d.byEncoding) { $0.name })
        }
        if s.emptyCollections > 0 { out.append("\(s.emptyCollections) empty collection(s): Redis skips these on load") }
        if !s.biggest.isEmpty {
            out.append("")
            out.append("biggest keys by serialized bytes")
            out.append(TextLayout.padLeft("bytes", 12) + "  " + TextLayout.pad("type", 7) + TextLayout.padLeft("elements", 10) + TextLayout.padLeft("db", 5) + "  key")
            for k in s.biggest {
                out.append(TextLayout.padLeft("\(k.serializedBytes)", 12) + "  " + TextLayout.pad(k.type.rawValue, 7)
                           + TextLayout.padLeft("\(k.elements)", 10) + TextLayout.padLeft("\(k.db)", 5) + "  " + Quoting.redisCLI(k.key, limit: 60))
            }
        }
        out += histogramSections()
        for w in s.warnings { out.append("warning: \(w)") }
        if let error { out.append(""); out.append("error: \(error)") }
        return out.joined(separator: "\n") + "\n"
    }

    /// TTL, idle and frequency histograms (those the file has data for), then element counts.
    private func histogramSections() -> [String] {
        let s = summary
        var out: [String] = []
        func section(_ title: String, _ h: Log2Histogram, label: (UInt64, UInt64?) -> String) {
            guard !h.isEmpty else { return }
            out.append("")
            out.append(title)
            let widest = h.buckets.map(\.count).max() ?? 1
            for b in h.buckets {
                let bar = String(repeating: "#", count: max(1, b.count * 40 / widest))
                out.append("  " + TextLayout.padLeft(label(b.low, b.high), 16) + TextLayout.padLeft("\(b.count)", 10) + "  " + bar)
            }
        }
        let nowText = s.nowMs.map { UTCTime.format(seconds: $0 / 1000) } ?? ""
        section("TTL remaining at \(nowText), keys not yet expired", s.ttlSeconds, label: Self.durationRange)
        section("LRU idle time (IDLE opcode)", s.idleSeconds, label: Self.durationRange)
        section("LFU frequency counter (FREQ opcode)", s.lfuFrequency, label: Self.countRange)
        for type in DataType.allCases {
            section("\(type.rawValue) \(type == .string ? "lengths in bytes" : "element counts")", s.elementCounts(of: type),
                    label: Self.countRange)
        }
        return out
    }

    /// "0", "1", "2-3", "4-7", ...: a bucket's integers.
    static func countRange(_ low: UInt64, _ high: UInt64?) -> String {
        guard let high, high - 1 > low else { return high == nil ? "\(low)+" : "\(low)" }
        return "\(low)-\(high - 1)"
    }

    /// "< 1s", "1s-2s", "1m-2m", "12d-24d": a bucket of seconds, in whole units.
    static func durationRange(_ low: UInt64, _ high: UInt64?) -> String {
        guard low > 0 else { return "< 1s" }
        return "\(duration(low))-" + (high.map(duration) ?? "")
    }

    static func duration(_ s: UInt64) -> String {
        s < 120 ? "\(s)s" : s < 7200 ? "\(s / 60)m" : s < 172_800 ? "\(s / 3600)h" : s < 63_072_000 ? "\(s / 86400)d" : "\(s / 31_536_000)y"
    }

    /// A histogram as JSON: `{"buckets": [{"low", "high", "count"}...], "keys"}`; `high` is
    /// exclusive (null for the last bucket of 64-bit values).
    static func json(_ h: Log2Histogram) -> JSONValue {
        .object([
            ("keys", .int(Int64(h.total))),
            ("buckets", .array(h.buckets.map { b in
                .object([("low", .int(Int64(bitPattern: b.low))), ("high", b.high.map { .int(Int64(bitPattern: $0)) } ?? .null),
                         ("count", .int(Int64(b.count)))])
            })),
        ])
    }
}

extension InspectReport {
    /// One JSON object; its shape is documented in the README ("inspect --json").
    public func json() -> String {
        let s = summary
        func optInt(_ v: Int64?) -> JSONValue { v.map { .int($0) } ?? .null }
        let trailer = s.trailer
        var dbs: [JSONValue] = []
        for (db, d) in s.databases.sorted(by: { $0.key < $1.key }) where d.keys > 0 || d.resizeHint != nil {
            dbs.append(.object([
                ("db", .int(Int64(db))),
                ("keys", .int(Int64(d.keys))),
                ("keys_with_ttl", .int(Int64(d.withTTL))),
                ("keys_expired", .int(Int64(d.expiredAtNow))),
                ("resize_hint", d.resizeHint.map { .object([("keys", .int(Int64($0.keys))), ("expires", .int(Int64($0.expires)))]) } ?? .null),
                ("serialized_bytes", .int(d.serializedBytes)),
                ("by_type", .object(d.byType.sorted { $0.key < $1.key }.map { ($0.key.rawValue, .int(Int64($0.value))) })),
                ("by_encoding", .object(d.byEncoding.sorted { $0.key < $1.key }.map { ($0.key.name, .int(Int64($0.value))) })),
            ]))
        }
        let format: JSONValue = s.dialect.map {
            .object([("magic", .string($0.magic)), ("family", .string($0.family.rawValue)), ("version", .int(Int64($0.version)))])
        } ?? .null
        let aux: [JSONValue] = s.aux.map { .object([("name", .string($0.name)), ("value", .string($0.value))]) }
        let functions: [JSONValue] = s.functions.map { f in
            .object([("library", f.shebang.map { .string($0.name) } ?? .null),
                     ("engine", f.shebang.map { .string($0.engine) } ?? .null),
                     ("code_bytes", .int(Int64(f.code.count)))])
        }
        let moduleAux: [JSONValue] = s.moduleAux.map { .object([("module", .string($0.name)), ("bytes", .int(Int64($0.bytes)))]) }
        let biggest: [JSONValue] = s.biggest.map { k in
            .object([("db", .int(Int64(k.db))), ("key", .bytes(k.key)), ("type", .string(k.type.rawValue)),
                     ("encoding", .string(k.encoding.name)), ("elements", .int(Int64(k.elements))),
                     ("serialized_bytes", .int(k.serializedBytes)), ("offset", .int(k.offset))])
        }
        let checksum: JSONValue = .object([
            ("status", .string(trailer?.status.rawValue ?? "not-reached")),
            ("stored", trailer?.storedChecksum.map { .string(hex64($0)) } ?? .null),
            ("computed", trailer?.computedChecksum.map { .string(hex64($0)) } ?? .null),
        ])
        let warnings: [JSONValue] = s.warnings.map { .object([("offset", .int($0.offset)), ("message", .string($0.message))]) }
        let failure: JSONValue = error.map { e in
            .object([("class", .string(e.kind.rawValue)), ("offset", .int(e.offset)),
                     ("db", e.db.map { .int(Int64($0)) } ?? .null), ("key", e.key.map { .bytes($0) } ?? .null),
                     ("expected", .string(e.expected)), ("found", .string(e.found)), ("message", .string(e.description))])
        } ?? .null
        let fields: [(String, JSONValue)] = [
            ("file", .string(path)),
            ("file_size", optInt(fileSize)),
            ("gzip", .bool(isGzip)),
            ("bytes_read", .int(s.bytesRead)),
            ("format", format),
            ("producer", s.producer.map { .string($0) } ?? .null),
            ("ctime", optInt(s.creationTimeSeconds)),
            ("aux", .array(aux)),
            ("functions", .array(functions)),
            ("module_aux", .array(moduleAux)),
            ("now_ms", optInt(s.nowMs)),
            ("keys", .int(Int64(s.totalKeys))),
            ("empty_collections", .int(Int64(s.emptyCollections))),
            ("databases", .array(dbs)),
            ("biggest", .array(biggest)),
            ("ttl_seconds", Self.json(s.ttlSeconds)),
            ("idle_seconds", s.idleSeconds.isEmpty ? .null : Self.json(s.idleSeconds)),
            ("lfu_frequency", s.lfuFrequency.isEmpty ? .null : Self.json(s.lfuFrequency)),
            ("element_counts", .object(DataType.allCases.filter { !s.elementCounts(of: $0).isEmpty }
                .map { ($0.rawValue, Self.json(s.elementCounts(of: $0))) })),
            ("checksum", checksum),
            ("warnings", .array(warnings)),
            ("error", failure),
            ("elapsed_s", .double(elapsedSeconds)),
        ]
        let value = JSONValue.object(fields)
        return value.serialized() + "\n"
    }
}
