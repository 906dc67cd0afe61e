/// Renders a `VerifyResult`: one line for a clean file, a block for a problem, or one JSON
/// object (its fields are in the README's verify section).
extension VerifyResult {
    public func text() -> String {
        let head = verdict.heading(path: path, warnings: warningCount, failureClass: failure?.kind.rawValue)
        var facts: [String] = []
        if let d = dialect { facts.append("RDB \(d.version)" + (producer.map { " (\($0))" } ?? "")) }
        if failure == nil || keys > 0 { facts.append("\(keys) key\(keys == 1 ? "" : "s")" + (failure == nil ? " in \(databases) db\(databases == 1 ? "" : "s")" : " read")) }
        if failure == nil { facts.append("checksum \(checksumText)") }
        if eofMark { facts.append("redis-cli EOF mark after the checksum") }
        facts.append("\(TextLayout.fixed(totalSeconds, 3)) s")
        var lines = [head + ", " + facts.joined(separator: ", ")]
        if let e = failure {
            func row(_ label: String, _ value: String) { lines.append("  " + label.padding(14) + value) }
            row("offset", "\(e.offset) (0x\(String(e.offset, radix: 16)))")
            if e.db != nil || e.key != nil {
                var rec = e.db.map { "db \($0)" } ?? ""
                if let k = e.key { rec += (rec.isEmpty ? "" : ", ") + "key \(Quoting.redisCLI(k, limit: 80))" }
                if let t = e.typeName { rec += " (\(t))" }
                row("record", rec)
            }
            row("expected", e.expected)
            row("found", e.found)
            if let g = lastGoodKey {
                row("last good key", "db \(g.db), key \(Quoting.redisCLI(g.key, limit: 80)), bytes \(g.offset)..<\(g.end)")
            } else if e.kind != .io {
                row("last good key", "none")
            }
            if let h = hexdump { lines.append(contentsOf: Self.hexdumpLines(h.offset, h.bytes, mark: e.offset).map { "  " + $0 }) }
        }
        for w in warnings {
            var where_ = w.db.map { "db \($0)" } ?? ""
            if let k = w.key { where_ += (where_.isEmpty ? "" : ", ") + "key \(Quoting.redisCLI(k, limit: 60))" }
            if let o = w.offset { where_ += (where_.isEmpty ? "" : ", ") + "offset \(o)" }
            lines.append("  warning \(w.kind.rawValue): " + (where_.isEmpty ? "" : where_ + ": ") + w.message)
        }
        for kind in VerifyWarning.Kind.allCases {
            let shown = warnings.filter { $0.kind == kind }.count
            let n = warningCounts[kind, default: 0]
            if n > shown { lines.append("  ... and \(n - shown) more \(kind.rawValue) warning\(n - shown == 1 ? "" : "s")") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public var checksumText: String {
        guard let t = trailer else { return "not reached" }
        switch t.status {
        case .ok: return "ok"
        case .disabled: return "disabled (stored as 0: producer had rdbchecksum no)"
        case .absent: return "none (RDB \(dialect?.version ?? 0) has no checksum)"
        case .unchecked: return "not computed"
        case .mismatch: return "MISMATCH"
        }
    }

    /// Classic hexdump rows of 16 bytes; the byte at `mark` is bracketed.
    static func hexdumpLines(_ from: Int64, _ bytes: [UInt8], mark: Int64) -> [String] {
        var out: [String] = []
        var i = 0
        while i < bytes.count {
            let row = from + Int64(i)
            let hexOffset = String(row, radix: 16)
            var line = String(repeating: "0", count: max(0, 8 - hexOffset.count)) + hexOffset + " "
            var text = ""
            for j in 0..<16 {
                let at = row + Int64(j)
                if i + j < bytes.count {
                    let b = bytes[i + j]
                    let h = String(b, radix: 16)
                    line += (at == mark ? "[" : at == mark + 1 ? "]" : " ") + (h.count == 1 ? "0" + h : h)
                    text.unicodeScalars.append((0x20...0x7E).contains(b) ? Unicode.Scalar(b) : ".")
                } else {
                    line += (at == mark + 1 ? "]" : " ") + "  "
                }
            }
            line += (row + 16 == mark + 1 ? "]" : " ") + " |" + text + "|"
            out.append(line)
            i += 16
        }
        return out
    }

    /// One JSON object on one line.
    public func json() -> String { jsonValue().serialized() + "\n" }

    public func jsonValue() -> JSONValue {
        func opt(_ v: Int64?) -> JSONValue { v.map { .int($0) } ?? .null }
        let failureJSON: JSONValue = failure.map { e in
            .object([("class", .string(e.kind.rawValue)), ("offset", .int(e.offset)),
                     ("db", e.db.map { .int(Int64($0)) } ?? .null), ("key", e.key.map { .bytes($0) } ?? .null),
                     ("type", e.typeName.map { .string($0) } ?? .null),
                     ("expected", .string(e.expected)), ("found", .string(e.found)), ("message", .string(e.description))])
        } ?? .null
        let lastGood: JSONValue = lastGoodKey.map { g in
            .object([("db", .int(Int64(g.db))), ("key", .bytes(g.key)), ("offset", .int(g.offset)), ("end", .int(g.end))])
        } ?? .null
        let hex: JSONValue = hexdump.map { h in
            .object([("offset", .int(h.offset)), ("hex", .string(h.bytes.map { b in
                let s = String(b, radix: 16); return s.count == 1 ? "0" + s : s }.joined()))])
        } ?? .null
        let format: JSONValue = dialect.map {
            .object([("magic", .string($0.magic)), ("family", .string($0.family.rawValue)), ("version", .int(Int64($0.version)))])
        } ?? .null
        let checksum: JSONValue = .object([
            ("status", .string(trailer?.status.rawValue ?? "not-reached")),
            ("stored", trailer?.storedChecksum.map { .string(hex64($0)) } ?? .null),
            ("computed", trailer?.computedChecksum.map { .string(hex64($0)) } ?? .null),
        ])
        let warningList: [JSONValue] = warnings.map { w in
            .object([("kind", .string(w.kind.rawValue)), ("offset", opt(w.offset)), ("db", w.db.map { .int(Int64($0)) } ?? .null),
                     ("key", w.key.map { .bytes($0) } ?? .null), ("message", .string(w.message))])
        }
        let counts: [(String, JSONValue)] = VerifyWarning.Kind.allCases.compactMap { k in
            warningCounts[k].map { (k.rawValue, .int(Int64($0))) }
        }
        return JSONValue.object([
            ("file", .string(path)),
            ("verdict", .string(verdict.rawValue)),
            ("class", failure.map { .string($0.kind.rawValue) } ?? .null),
            ("offset", failure.map { .int($0.offset) } ?? .null),
            ("failure", failureJSON),
            ("last_good_key", lastGood),
            ("hexdump", hex),
            ("file_size", opt(fileSize)),
            ("gzip", .bool(isGzip)),
            ("bytes_read", .int(bytesRead)),
            ("format", format),
            ("producer", producer.map { .string($0) } ?? .null),
            ("checksum", checksum),
            ("trailing_bytes", .int(trailingBytes)),
            ("eof_mark", .bool(eofMark)),
            ("counts", .object([
                ("keys", .int(Int64(keys))), ("databases", .int(Int64(databases))),
                ("keys_with_ttl", .int(Int64(keysWithTTL))), ("expired_keys", .int(Int64(expiredKeys))),
                ("empty_collections", .int(Int64(emptyCollections))), ("warnings", .int(Int64(warningCount))),
            ])),
            ("warning_counts", .object(counts)),
            ("warnings", .array(warningList)),
            ("checks", .array(checks.map { .string($0) })),
            ("now_ms", opt(nowMs)),
            ("duplicate_check", .object([
                ("fingerprints", .int(Int64(duplicateFingerprints))), ("spilled_bytes", .int(duplicateSpilledBytes)),
                ("suspects", .int(Int64(duplicateSuspects))),
            ])),
            ("timings", .object([
                ("read_s", .double(readSeconds)), ("duplicates_s", .double(duplicateSeconds)), ("total_s", .double(totalSeconds)),
            ])),
        ])
    }
}

extension String {
    func padding(_ n: Int) -> String {
        count >= n ? self + " " : self + String(repeating: " ", count: n - count)
    }
}

extension VerifyResult.Verdict {
    /// The start of a verdict's first line: `path: OK`, `path: OK with 2 warnings`,
    /// `path: DAMAGED (truncated)`.
    func heading(path: String, warnings: Int, failureClass: String?) -> String {
        switch self {
        case .clean: "\(path): OK"
        case .warnings: "\(path): OK with \(warnings) warning\(warnings == 1 ? "" : "s")"
        case .damaged, .unsupported, .unreadable: "\(path): \(rawValue.uppercased()) (\(failureClass ?? ""))"
        }
    }
}
