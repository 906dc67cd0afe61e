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

    static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
    }

    static func padLeft(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : String(repeating: " ", count: n - s.count) + s
    }

    private var rate: String {
        guard elapsedSeconds > 0 else { return "" }
        let mb = Double(summary.bytesRead) / 1_000_000 / elapsedSeconds
        return " (\(Self.fixed(mb, 1)) MB/s)"
    }

    public static func fixed(_ v: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (v * scale).rounded() / scale
        var s = String(r)
        if let dot = s.firstIndex(of: ".") {
            let have = s.distance(from: dot, to: s.endIndex) - 1
            if have < digits { s += String(repeating: "0", count: digits - have) }
        }
        return s
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
        func row(_ label: String, _ value: String) { out.append(Self.pad(label, 12) + value) }
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
        row("read in", "\(Self.fixed(elapsedSeconds, 3)) s" + rate)
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
            out.append(Self.padLeft("bytes", 12) + "  " + Self.pad("type", 7) + Self.padLeft("elements", 10) + Self.padLeft("db", 5) + "  key")
            for k in s.biggest {
                out.append(Self.padLeft("\(k.serializedBytes)", 12) + "  " + Self.pad(k.type.rawValue, 7)
                           + Self.padLeft("\(k.elements)", 10) + Self.padLeft("\(k.db)", 5) + "  " + Quoting.redisCLI(k.key, limit: 60))
            }
        }
        for w in s.warnings { out.append("warning: \(w)") }
        if let error { out.append(""); out.append("error: \(error)") }
        return out.joined(separator: "\n") + "\n"
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
            ("checksum", checksum),
            ("warnings", .array(warnings)),
            ("error", failure),
            ("elapsed_s", .double(elapsedSeconds)),
        ]
        let value = JSONValue.object(fields)
        return value.serialized() + "\n"
    }
}
