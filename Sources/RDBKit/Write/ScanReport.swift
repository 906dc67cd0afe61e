/// Renders `scan` results: a table with one row per persistence file (details indented under
/// it) and a summary line, or one JSON object per file.
public enum ScanReport {
    public static func text(_ entries: [ScanEntry], _ summary: ScanSummary) -> String {
        let header = ["PATH", "KIND", "FORMAT", "PRODUCER", "CREATED", "SIZE", "KEYS", "COMMANDS", "VERDICT"]
        let rows = entries.map(\.row)
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                // Numbers right-aligned; the last column is not padded.
                i == cells.count - 1 ? c : (5...7).contains(i) ? TextLayout.padLeft(c, widths[i]) : TextLayout.pad(c, widths[i])
            }.joined(separator: "  ")
        }
        var out: [String] = []
        if !entries.isEmpty { out.append(line(header)) }
        for (e, r) in zip(entries, rows) {
            out.append(line(r))
            out.append(contentsOf: e.detailLines.map { "  " + $0 })
        }
        out.append(summary.text)
        return out.joined(separator: "\n") + "\n"
    }

    static func time(_ seconds: Int64?) -> String { seconds.map { UTCTime.iso(seconds: $0) } ?? "-" }
}

extension ScanEntry {
    /// "rdb", "aof gzip", "aof-multipart".
    public var kindText: String { kind.rawValue + (gzip ? " gzip" : "") }

    /// The RDB header of the file or its RDB part, "RESP" for commands only.
    public var formatText: String {
        switch kind {
        case .rdb: return dialect?.magic ?? "-"
        case .aof: return "RESP"
        case .aofPreamble: return (dialect?.magic ?? "RDB") + "+RESP"
        case .aofMultiPart: return dialect.map { "base \($0.magic)" } ?? (parts.contains { $0.role == .base } ? "base RESP" : "RESP")
        }
    }

    var row: [String] {
        [path, kindText, formatText, producer ?? "-", ScanReport.time(ctime ?? firstTimestamp),
         TextLayout.bytes(size), keys.map(String.init) ?? "-", commands.map(String.init) ?? "-", verdict.rawValue]
    }

    var detailLines: [String] {
        var lines: [String] = []
        if let first = firstTimestamp, let last = lastTimestamp {
            lines.append("#TS \(ScanReport.time(first)) .. \(ScanReport.time(last))")
        }
        if let failure { lines.append("damage: \(failure)") }
        for w in warnings { lines.append("warning: \(w)") }
        for p in parts {
            var facts = [p.format?.rawValue, p.size.map(TextLayout.bytes)].compactMap { $0 }
            if p.role == .history && p.size == nil { facts.append("deleted") }
            lines.append("\(p.role.rawValue) \(p.name)" + (facts.isEmpty ? "" : " (\(facts.joined(separator: ", ")))"))
            if let l = p.leftover { lines.append(contentsOf: l.lines.map { "  " + $0 }) }
        }
        for n in notes { lines.append("note: \(n)") }
        if let leftover { lines.append(contentsOf: leftover.lines) }
        return lines
    }

    /// One JSON object on one line.
    public func json() -> String {
        func opt(_ v: Int64?) -> JSONValue { v.map { .int($0) } ?? .null }
        func opt(_ v: Int?) -> JSONValue { v.map { .int(Int64($0)) } ?? .null }
        func opt(_ v: String?) -> JSONValue { v.map { .string($0) } ?? .null }
        let format: JSONValue = dialect.map {
            .object([("magic", .string($0.magic)), ("family", .string($0.family.rawValue)), ("version", .int(Int64($0.version)))])
        } ?? .null
        let partList: [JSONValue] = parts.map { p in
            .object([("name", .string(p.name)), ("path", .string(p.path)), ("role", .string(p.role.rawValue)),
                     ("format", opt(p.format?.rawValue)), ("size", opt(p.size)), ("leftover", p.leftover?.jsonValue ?? .null)])
        }
        return JSONValue.object([
            ("path", .string(path)),
            ("kind", .string(kind.rawValue)),
            ("gzip", .bool(gzip)),
            ("format", format),
            ("producer", opt(producer)),
            ("ctime", opt(ctime)),
            ("first_timestamp", opt(firstTimestamp)),
            ("last_timestamp", opt(lastTimestamp)),
            ("size", .int(size)),
            ("keys", opt(keys)),
            ("commands", opt(commands)),
            ("verdict", .string(verdict.rawValue)),
            ("class", opt(failureClass)),
            ("failure", opt(failure)),
            ("warnings", .array(warnings.map { .string($0) })),
            ("warning_count", .int(Int64(warningCount))),
            ("parts", .array(partList)),
            ("notes", .array(notes.map { .string($0) })),
            ("leftover", leftover?.jsonValue ?? .null),
        ]).serialized() + "\n"
    }
}

extension CrashLeftover {
    /// What the file is left over from, what it would have replaced, what a restart loads.
    public var lines: [String] {
        let p = pid.map(String.init) ?? "?"
        var what: String
        switch kind {
        case .bgsave: what = "temporary file of a BGSAVE child (pid \(p))"
        case .replicaSync:
            what = "temporary file of a replica's full sync (pid \(p)" + (startedAt.map { ", begun \(ScanReport.time($0))" } ?? "") + ")"
        case .aofRewrite: what = "temporary file of an AOF rewrite child (pid \(p)), still being written"
        case .aofRewriteDone: what = "AOF rewrite written whole by its child (pid \(p)) but never installed by the server"
        case .aofManifest: what = "new AOF manifest never renamed over the current one"
        case .aofIncr: what = "writes logged after AOF was switched on at run time, before its first rewrite finished"
        }
        if pid != nil && processRunning {
            what += ": process \(p) is running, so the save may still be in progress"
        } else {
            what += ": the save did not complete" + (pid != nil ? " (no process \(p) now)" : "")
        }
        var lines = ["leftover: " + what]
        if let r = replaces {
            switch kind {
            case .bgsave, .replicaSync, .aofManifest: lines.append("it would have replaced " + r.text)
            case .aofRewrite, .aofRewriteDone:
                // 7.0+ installs a rewrite as the manifest's new base; older servers rename it over the file.
                lines.append("it would have replaced " + (r.path.hasSuffix(".manifest") ? "the base of the AOF " : "") + r.text)
            case .aofIncr: lines.append("it belongs to the AOF " + r.text)
            }
        }
        func loads(_ f: FileState) -> String { f.text + (f.state == .missing ? ", so the server starts empty" : "") }
        if restart.count == 1, let only = restart.first {
            let from = configFile.map { " (\(AOFLayout.baseName($0)) here says \(only.condition))" } ?? ""
            lines.append("a restart loads \(loads(only.file))\(from)")
        } else {
            lines.append("a restart loads (no redis.conf here says which):")
            lines.append(contentsOf: restart.map { "  with \($0.condition): \(loads($0.file))" })
        }
        return lines
    }

    var jsonValue: JSONValue {
        func state(_ f: FileState) -> JSONValue {
            .object([("path", .string(f.path)), ("state", .string(f.state.rawValue)),
                     ("verdict", f.verdict.map { .string($0.rawValue) } ?? .null),
                     ("failure", f.failure.map { .string($0) } ?? .null),
                     ("keys", f.keys.map { .int(Int64($0)) } ?? .null)])
        }
        return .object([
            ("kind", .string(kind.rawValue)),
            ("pid", pid.map { .int(Int64($0)) } ?? .null),
            ("started_at", startedAt.map { .int($0) } ?? .null),
            ("process_running", .bool(processRunning)),
            ("completed", .bool(false)),
            ("replaces", replaces.map(state) ?? .null),
            ("restart", .array(restart.map { .object([("if", .string($0.condition)), ("loads", state($0.file))]) })),
            ("config_file", configFile.map { .string($0) } ?? .null),
        ])
    }
}

extension CrashLeftover.FileState {
    /// "/data/dump.rdb: intact (5000 keys)".
    var text: String {
        switch state {
        case .intact: return "\(path): intact" + (keys.map { " (\($0) key\($0 == 1 ? "" : "s"))" } ?? "")
        case .damaged: return "\(path): DAMAGED" + (failure.map { " (\($0))" } ?? "")
        case .unknown: return "\(path): not judged" + (failure.map { " (\($0))" } ?? "")
        case .missing: return "\(path): not there"
        }
    }
}

extension ScanSummary {
    /// "152 files looked at in 41 directories: 121 persistence files (119 clean, 1 damaged)".
    var text: String {
        var s = "\(filesLookedAt) file\(filesLookedAt == 1 ? "" : "s") looked at in \(directories) director\(directories == 1 ? "y" : "ies"): "
        s += "\(entries) persistence file\(entries == 1 ? "" : "s")"
        let counts = [VerifyResult.Verdict.clean, .warnings, .damaged, .unsupported, .unreadable].compactMap { v in
            verdicts[v].map { "\($0) \(v == .warnings ? "with warnings" : v.rawValue)" }
        }
        if !counts.isEmpty { s += " (" + counts.joined(separator: ", ") + ")" }
        return s
    }
}
