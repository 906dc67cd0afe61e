/// Renders an `AOFVerifyResult`: one line for a clean AOF, a block for a problem (with the RDB
/// part's own block when the damage is there), or one JSON object.
extension AOFVerifyResult {
    public var formatName: String {
        switch layout?.kind {
        case .multiPart: return "multi-part AOF"
        case .single: return files.first?.part.format == .rdb ? "AOF with RDB preamble" : "AOF"
        case nil: return "AOF"
        }
    }

    public func text() -> String {
        var head = verdict.heading(path: path, warnings: warningCount, failureClass: failureClass)
        var facts = [formatName]
        if layout?.kind == .multiPart { facts.append("\(files.count) file\(files.count == 1 ? "" : "s")") }
        for f in files {
            guard let r = f.rdb, r.failure == nil else { continue }
            facts.append("\(f.part.role == .base ? "base" : "preamble") RDB \(r.dialect?.version ?? 0)"
                         + " (\(r.keys) key\(r.keys == 1 ? "" : "s"), checksum \(r.checksumText))")
        }
        facts.append("\(commands) command\(commands == 1 ? "" : "s")" + (failure == nil ? "" : " read"))
        if let a = firstTimestamp, let b = lastTimestamp {
            facts.append("#TS \(UTCTime.iso(seconds: a))" + (a == b ? "" : " to \(UTCTime.iso(seconds: b))"))
        }
        facts.append("\(TextLayout.fixed(totalSeconds, 3)) s")
        var lines = [head + ", " + facts.joined(separator: ", ")]
        func row(_ label: String, _ value: String) { lines.append("  " + label.padding(14) + value) }
        if let e = failure {
            if e.kind == .rdb, let r = files.last?.rdb {
                row("file", e.file)
                lines.append(contentsOf: r.text().split(separator: "\n").map { "  " + $0 })
            } else {
                row("file", e.file)
                if e.kind == .manifest {
                    row("line", "\(e.offset)")
                } else if e.kind != .io && e.kind != .notAOF && e.kind != .missingFile {
                    row("offset", "\(e.offset) (0x\(String(e.offset, radix: 16)))" + (line.map { ", line \($0)" } ?? ""))
                }
                if let i = e.commandIndex {
                    row("command", "#\(i + 1)" + (e.commandOffset.map { " starting at offset \($0)" } ?? ""))
                }
                row("expected", e.expected)
                row("found", e.found)
                if let ok = okUpTo {
                    row("ok up to", "offset \(ok)" + (recoverable
                        ? ": a server with aof-load-truncated yes loads the AOF cut there (--fix-to writes that copy)"
                        : ": a server refuses the AOF; --fix-to cuts it there"))
                }
                if let g = lastGoodCommand {
                    row("last good", "command #\(g.index + 1) (\(Quoting.redisCLI(g.name, limit: 40))) in \(g.file), bytes \(g.offset)..<\(g.end)")
                } else if e.kind != .io && e.kind != .manifest && e.kind != .missingFile && e.kind != .notAOF {
                    row("last good", "none")
                }
                if let h = hexdump {
                    lines.append(contentsOf: VerifyResult.hexdumpLines(h.offset, h.bytes, mark: e.offset).map { "  " + $0 })
                }
            }
        }
        for w in warnings { lines.append("  warning: \(w)") }
        for f in files where f.rdb?.failure == nil {
            guard let r = f.rdb, r.warningCount > 0 else { continue }
            lines.append("  \(f.part.name) (RDB part):")
            lines.append(contentsOf: r.text().split(separator: "\n").dropFirst().map { "  " + $0 })
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Names of the checks that ran to completion (the README lists them).
    public var checks: [String] {
        guard failure == nil, let layout else { return [] }
        return [layout.kind == .multiPart ? "manifest" : nil, layout.kind == .multiPart ? "files" : nil,
                files.contains { $0.rdb != nil } ? "rdb-parts" : nil, "commands", "ending"].compactMap { $0 }
    }

    /// The damage class: the AOF error's kind, or for an RDB part the RDB error's.
    public var failureClass: String? {
        guard let f = failure else { return nil }
        if f.kind == .rdb, let r = f.rdbError { return r.kind.rawValue }
        return f.kind.rawValue
    }

    /// One JSON object on one line.
    public func json() -> String {
        func opt(_ v: Int64?) -> JSONValue { v.map { .int($0) } ?? .null }
        func optInt(_ v: Int?) -> JSONValue { v.map { .int(Int64($0)) } ?? .null }
        let failureJSON: JSONValue = failure.map { e in
            .object([("class", .string(failureClass ?? e.kind.rawValue)), ("file", .string(e.file)),
                     ("offset", e.kind == .manifest ? .null : .int(e.rdbError?.offset ?? e.offset)),
                     ("manifest_line", e.kind == .manifest ? .int(e.offset) : .null),
                     ("line", optInt(line)), ("command_index", optInt(e.commandIndex)), ("command_offset", opt(e.commandOffset)),
                     ("expected", .string(e.expected)), ("found", .string(e.found)), ("message", .string(e.description)),
                     ("ok_up_to", opt(okUpTo)), ("recoverable", .bool(recoverable))])
        } ?? .null
        let lastGood: JSONValue = lastGoodCommand.map { g in
            .object([("file", .string(g.file)), ("index", .int(Int64(g.index))), ("name", .bytes(g.name)),
                     ("offset", .int(g.offset)), ("end", .int(g.end))])
        } ?? .null
        let hex: JSONValue = hexdump.map { h in
            .object([("offset", .int(h.offset)), ("hex", .string(h.bytes.map { b in
                let s = String(b, radix: 16); return s.count == 1 ? "0" + s : s }.joined()))])
        } ?? .null
        let fileList: [JSONValue] = files.map { f in
            let rdb = f.rdb.map { $0.jsonValue() } ?? .null
            return .object([("name", .string(f.part.name)), ("role", .string(f.part.role.rawValue)),
                            ("sequence", opt(f.part.sequence)), ("format", f.part.format.map { .string($0.rawValue) } ?? .null),
                            ("size", opt(f.part.size)), ("commands", .int(Int64(f.commands))),
                            ("annotations", .int(Int64(f.annotations))), ("rdb", rdb)])
        }
        let value = JSONValue.object([
            ("file", .string(path)),
            ("verdict", .string(verdict.rawValue)),
            ("class", failureClass.map { .string($0) } ?? .null),
            ("offset", failure.map { $0.kind == .manifest ? .null : .int($0.rdbError?.offset ?? $0.offset) } ?? .null),
            ("format", .string("aof")),
            ("layout", layout.map { .string($0.kind.rawValue) } ?? .null),
            ("failure", failureJSON),
            ("last_good_command", lastGood),
            ("hexdump", hex),
            ("files", .array(fileList)),
            ("counts", .object([
                ("files", .int(Int64(files.count))), ("commands", .int(Int64(commands))),
                ("annotations", .int(Int64(annotations))), ("warnings", .int(Int64(warningCount))),
            ])),
            ("timestamps", .object([("first", opt(firstTimestamp)), ("last", opt(lastTimestamp))])),
            ("checks", .array(checks.map { .string($0) })),
            ("warnings", .array(warnings.map { w in
                .object([("file", .string(w.file)), ("offset", opt(w.offset)), ("message", .string(w.message))])
            })),
            ("timings", .object([("total_s", .double(totalSeconds))])),
        ])
        return value.serialized() + "\n"
    }
}
