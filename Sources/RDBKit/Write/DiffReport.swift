/// Renders a `DiffResult`: a line per key change with `+`/`-`/`~`, element details indented,
/// then a summary (text); or one JSON object per changed key (JSONL).
public struct DiffReport {
    public var result: DiffResult
    public var color: Bool
    /// Longest value shown in text output, in bytes, before it is cut.
    public var valueLimit = 40

    public init(result: DiffResult, color: Bool) {
        self.result = result
        self.color = color
    }

    private func paint(_ op: DiffDetail.Op, _ s: String) -> String {
        guard color else { return s }
        let code = op == .added ? "32" : op == .removed ? "31" : "33"
        return "\u{1B}[\(code)m\(s)\u{1B}[0m"
    }

    /// Times (TTLs, delivery and seen times) shown as UTC; everything else as redis-cli would.
    private func text(_ v: JSONValue?, isTime: Bool) -> String {
        guard let v else { return "" }
        switch v {
        case .null: return isTime ? "none" : "null"
        case .int(let i): return isTime && i > 0 ? UTCTime.iso(ms: i) : "\(i)"
        case .double(let d): return d.isInfinite ? (d < 0 ? "-inf" : "inf") : v.serialized()
        case .bytes(let b): return Quoting.redisCLI(b, limit: valueLimit)
        case .string(let s): return s
        case .bool(let b): return "\(b)"
        case .array(let a): return "[" + a.map { text($0, isTime: false) }.joined(separator: ", ") + "]"
        case .object: return v.serialized()
        }
    }

    private static func isTime(_ what: String) -> Bool {
        what == "ttl" || what.hasSuffix(" ttl") || what.hasSuffix("_time_ms")
    }

    public func text() -> String {
        var out: [String] = []
        for k in result.keys { out += lines(k) }
        if !result.metadata.isEmpty {
            out.append("metadata (not data):")
            for m in result.metadata {
                let owner = m.key.map { "db\(m.db ?? 0) \(Quoting.redisCLI($0, limit: 80)) " } ?? ""
                out.append("  \(owner)\(m.field): \(m.a ?? "none") -> \(m.b ?? "none")")
            }
        }
        out.append(summary())
        return out.joined(separator: "\n") + "\n"
    }

    /// One key's change: its `+`/`-`/`~` line, then its element details indented.
    public func lines(_ k: KeyDiff) -> [String] {
        var out: [String] = []
        let name = "db\(k.db) \(Quoting.redisCLI(k.key, limit: 80))"
        switch k.kind {
        case .added:
            out.append(paint(.added, "+ \(name) (\(k.typeB?.rawValue ?? "?"))") + detailSuffix(k))
        case .removed:
            out.append(paint(.removed, "- \(name) (\(k.typeA?.rawValue ?? "?"))") + detailSuffix(k))
        case .changed:
            var parts: [String] = []
            if k.aspects.contains(.type) { parts.append("type \(k.typeA?.rawValue ?? "?") -> \(k.typeB?.rawValue ?? "?")") }
            if k.aspects.contains(.value) { parts.append("value") }
            if k.aspects.contains(.fieldTTL) { parts.append("field TTLs") }
            if k.aspects.contains(.ttl) { parts.append("TTL") }
            out.append(paint(.changed, "~ \(name) (\(k.typeB?.rawValue ?? "?")): " + parts.joined(separator: ", ")))
            for d in k.details { out.append("    " + line(d)) }
        }
        return out
    }

    private func detailSuffix(_ k: KeyDiff) -> String {
        guard let d = k.details.first else { return "" }
        if d.what == "value" { return " = " + text(d.a, isTime: false) }
        if d.what == "elements", case .int(1)? = d.a { return ", 1 element" }
        return ", \(text(d.a, isTime: false)) \(d.what)"
    }

    private func line(_ d: DiffDetail) -> String {
        if d.what == "more" { return "… \(text(d.a, isTime: false)) more differences" }
        let time = Self.isTime(d.what)
        var s = "\(d.op.rawValue) \(d.what)"
        if let n = d.name { s += " " + text(n, isTime: false) }
        switch d.op {
        case .added: if d.b != nil { s += ": " + text(d.b, isTime: time) }
        case .removed: if d.a != nil { s += ": " + text(d.a, isTime: time) }
        case .changed:
            if d.a != nil || d.b != nil { s += ": " + text(d.a, isTime: time) + " -> " + text(d.b, isTime: time) }
        }
        return paint(d.op, s)
    }

    public func summary() -> String {
        let r = result
        let changed = r.keys.filter { $0.kind == .changed }.count
        return "\(r.added) added, \(r.removed) removed, \(changed) changed (type \(r.changed(.type)), value \(r.changed(.value)), "
            + "TTL \(r.changed(.ttl)), field TTLs \(r.changed(.fieldTTL))), \(r.unchanged) unchanged, "
            + "\(r.unchanged + r.removed + changed) keys in A, \(r.unchanged + r.added + changed) in B"
    }

    /// One changed key as the JSONL output writes it.
    public static func json(_ k: KeyDiff) -> JSONValue {
        var aspects: [JSONValue] = []
        if k.aspects.contains(.type) { aspects.append(.string("type")) }
        if k.aspects.contains(.value) { aspects.append(.string("value")) }
        if k.aspects.contains(.ttl) { aspects.append(.string("ttl")) }
        if k.aspects.contains(.fieldTTL) { aspects.append(.string("field_ttl")) }
        let details: [JSONValue] = k.details.map { d in
            var o: [(String, JSONValue)] = [("op", .string(d.op.rawValue)), ("what", .string(d.what))]
            if let n = d.name { o.append(("name", n)) }
            if let a = d.a { o.append(("a", a)) }
            if let b = d.b { o.append(("b", b)) }
            return .object(o)
        }
        return .object([
            ("db", .int(Int64(k.db))), ("key", .bytes(k.key)), ("change", .string(k.kind.rawValue)),
            ("aspects", .array(aspects)),
            ("type_a", k.typeA.map { .string($0.rawValue) } ?? .null), ("type_b", k.typeB.map { .string($0.rawValue) } ?? .null),
            ("expire_ms_a", k.expireA.map { .int($0) } ?? .null), ("expire_ms_b", k.expireB.map { .int($0) } ?? .null),
            ("details", .array(details)),
        ])
    }

    /// One JSON object per changed key (and per metadata difference); shape in the README.
    public func jsonl() -> [UInt8] {
        let out = OutputBuffer()
        for k in result.keys {
            let record = Self.json(k)
            record.write(to: out)
            out.append(UInt8(ascii: "\n"))
        }
        for m in result.metadata {
            let record: JSONValue = .object([
                ("metadata", .string(m.field)), ("db", m.db.map { .int(Int64($0)) } ?? .null),
                ("key", m.key.map { .bytes($0) } ?? .null),
                ("a", m.a.map { .string($0) } ?? .null), ("b", m.b.map { .string($0) } ?? .null),
            ])
            record.write(to: out)
            out.append(UInt8(ascii: "\n"))
        }
        return out.bytes
    }
}
