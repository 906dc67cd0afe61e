/// Renders an `AOFSummary` for a person (one screen) or as one JSON object (`inspect` of an
/// AOF file or directory).
public struct AOFInspectReport {
    public var summary: AOFSummary
    public var elapsedSeconds: Double
    /// The error that stopped reading early, if any: the report then covers what was read.
    public var error: AOFError?
    /// How many command names to list.
    public var topCommands: Int

    public init(summary: AOFSummary, elapsedSeconds: Double, error: AOFError?, topCommands: Int = 20) {
        self.summary = summary; self.elapsedSeconds = elapsedSeconds; self.error = error; self.topCommands = topCommands
    }


    private static func name(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    private static func time(_ s: Int64?) -> String { s.map { UTCTime.iso(seconds: $0) } ?? "-" }

    public func text() -> String {
        let s = summary
        var out: [String] = []
        func row(_ label: String, _ value: String) { out.append(TextLayout.pad(label, 12) + value) }
        row("file", s.layout.path)
        row("format", s.formatName + (s.layout.manifestPath.map { ", manifest \($0)" } ?? ""))
        for (i, f) in s.files.enumerated() {
            var line = TextLayout.pad(f.part.role.rawValue, 7) + f.part.name
            if let seq = f.part.sequence { line += "  seq \(seq)" }
            line += "  \(f.part.size.map { "\($0) bytes" } ?? "stdin")"
            line += "  " + (f.part.format == .rdb ? "RDB + \(f.commands) commands" : "\(f.commands) commands")
            row(i == 0 ? "parts" : "", line)
        }
        for (i, h) in s.layout.history.enumerated() {
            row(i == 0 ? "history" : "", "\(h.name)  seq \(h.sequence ?? 0)  \(h.size.map { "\($0) bytes" } ?? "absent")  (not read)")
        }
        for (i, u) in s.layout.unlisted.enumerated() {
            row(i == 0 ? "unlisted" : "", "\(u.name)  \(u.size ?? 0) bytes  (not in the manifest, ignored)")
        }
        if s.annotations > 0 {
            row("time span", "\(Self.time(s.firstTimestamp)) .. \(Self.time(s.lastTimestamp)) (\(s.annotations) #TS annotations)")
        } else {
            row("time span", "unknown (no #TS annotations)")
        }
        let rate = elapsedSeconds > 0 ? " (\(TextLayout.fixed(Double(s.bytesRead) / 1_000_000 / elapsedSeconds, 1)) MB/s)" : ""
        row("read in", "\(TextLayout.fixed(elapsedSeconds, 3)) s" + rate)
        out.append("")
        out.append("\(s.commands) commands in \(s.byDB.count) database(s), \(s.transactions) MULTI/EXEC block(s)")
        if !s.byDB.isEmpty {
            row("by db", s.byDB.sorted { $0.key < $1.key }.map { "db \($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if !s.byName.isEmpty {
            var names = s.byName.prefix(topCommands).map { "\(Self.name($0.name)) \($0.count)" }
            if s.byName.count > topCommands { names.append("(\(s.byName.count - topCommands) more)") }
            row("by command", names.joined(separator: ", "))
        }
        for (i, line) in s.relativeTTLs.report(clockMs: nil).enumerated() { row(i == 0 ? "TTLs" : "", line) }
        for f in s.files {
            guard let r = f.rdb else { continue }
            out.append("")
            out.append(rdbSection(f, r))
        }
        if let t = s.tail { out.append(""); out.append("tail: \(t)") }
        for w in s.warnings { out.append("warning: \(w)") }
        if let error { out.append(""); out.append("error: \(error)") }
        return out.joined(separator: "\n") + "\n"
    }

    private func rdbSection(_ f: AOFSummary.File, _ r: FileSummary) -> String {
        var lines: [String] = []
        var head = "\(f.part.role == .base ? "base" : "preamble") \(f.part.name): "
        if let d = r.dialect { head += "RDB \(d.version)" }
        if let p = r.producer { head += " (\(p))" }
        head += ", \(r.totalKeys) keys"
        if !r.functions.isEmpty { head += ", \(r.functions.count) function librar\(r.functions.count == 1 ? "y" : "ies")" }
        lines.append(head)
        for (db, d) in r.databases.sorted(by: { $0.key < $1.key }) where d.keys > 0 {
            lines.append("  db \(db): \(d.keys) keys, \(d.withTTL) with TTL; " + InspectReport.list(d.byType) { $0.rawValue })
        }
        return lines.joined(separator: "\n")
    }

    /// One JSON object; its shape is documented with `inspect --json`.
    public func json() -> String {
        let s = summary
        func optInt(_ v: Int64?) -> JSONValue { v.map { .int($0) } ?? .null }
        let files: [JSONValue] = s.files.map { f in
            var fields: [(String, JSONValue)] = [
                ("name", .string(f.part.name)), ("role", .string(f.part.role.rawValue)),
                ("sequence", optInt(f.part.sequence)), ("size", optInt(f.part.size)),
                ("format", f.part.format.map { .string($0.rawValue) } ?? .null),
                ("commands", .int(Int64(f.commands))), ("annotations", .int(Int64(f.annotations))),
            ]
            if let r = f.rdb {
                fields.append(("rdb", .object([
                    ("version", r.dialect.map { .int(Int64($0.version)) } ?? .null),
                    ("producer", r.producer.map { .string($0) } ?? .null),
                    ("keys", .int(Int64(r.totalKeys))),
                    ("functions", .int(Int64(r.functions.count))),
                    ("databases", .array(r.databases.sorted { $0.key < $1.key }.filter { $0.value.keys > 0 }.map { db, d in
                        .object([("db", .int(Int64(db))), ("keys", .int(Int64(d.keys))), ("keys_with_ttl", .int(Int64(d.withTTL))),
                                 ("by_type", .object(d.byType.sorted { $0.key < $1.key }.map { ($0.key.rawValue, .int(Int64($0.value))) }))])
                    })),
                ])))
            }
            return .object(fields)
        }
        func parts(_ list: [AOFPart]) -> JSONValue {
            .array(list.map { .object([("name", .string($0.name)), ("sequence", optInt($0.sequence)), ("size", optInt($0.size))]) })
        }
        let tail: JSONValue = s.tail.map { t in
            .object([("kind", .string(t.kind.rawValue)), ("file", .string(t.file)), ("valid_up_to", .int(t.validUpTo)),
                     ("file_size", .int(t.fileSize)), ("dropped_commands", .int(Int64(t.droppedCommands))),
                     ("message", .string(t.description))])
        } ?? .null
        let failure: JSONValue = error.map { e in
            .object([("class", .string(e.kind.rawValue)), ("file", .string(e.file)), ("offset", .int(e.offset)),
                     ("command_index", e.commandIndex.map { .int(Int64($0)) } ?? .null),
                     ("command_offset", optInt(e.commandOffset)),
                     ("expected", .string(e.expected)), ("found", .string(e.found)), ("message", .string(e.description))])
        } ?? .null
        let value = JSONValue.object([
            ("file", .string(s.layout.path)),
            ("format", .string(s.layout.kind.rawValue)),
            ("rdb_preamble", .bool(s.layout.kind == .single && s.files.first?.part.format == .rdb)),
            ("manifest", s.layout.manifestPath.map { .string($0) } ?? .null),
            ("files", .array(files)),
            ("history", parts(s.layout.history)),
            ("unlisted", parts(s.layout.unlisted)),
            ("commands", .int(Int64(s.commands))),
            ("transactions", .int(Int64(s.transactions))),
            ("by_db", .object(s.byDB.sorted { $0.key < $1.key }.map { ("\($0.key)", .int(Int64($0.value))) })),
            ("by_command", .object(s.byName.map { (Self.name($0.name), .int(Int64($0.count))) })),
            ("first_timestamp", optInt(s.firstTimestamp)),
            ("last_timestamp", optInt(s.lastTimestamp)),
            ("annotations", .int(Int64(s.annotations))),
            ("relative_ttls", .object([("annotated", .int(Int64(s.relativeTTLs.annotated))),
                                       ("unannotated", .int(Int64(s.relativeTTLs.unannotated)))])),
            ("bytes_read", .int(s.bytesRead)),
            ("tail", tail),
            ("warnings", .array(s.warnings.map { .object([("file", .string($0.file)), ("offset", optInt($0.offset)),
                                                          ("message", .string($0.message))]) })),
            ("error", failure),
            ("elapsed_s", .double(elapsedSeconds)),
        ])
        return value.serialized() + "\n"
    }
}
