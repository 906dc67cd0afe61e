/// `rdbtool crash-report` output: text and JSON from a `CrashModel` outcome and its details.
public struct CrashReport {
    public var model: CrashModel
    public var outcome: CrashModel.Outcome
    public var details: CrashDetails
    /// `--compare`: the same crash under each standard configuration.
    public var comparison: [(name: String, outcome: CrashModel.Outcome)] = []

    public init(model: CrashModel, outcome: CrashModel.Outcome, details: CrashDetails) {
        self.model = model; self.outcome = outcome; self.details = details
    }

    static func time(loMs: Int64, hiMs: Int64) -> String {
        if loMs == Int64.min && hiMs == Int64.max { return "unknown time" }
        if loMs == Int64.min { return "before \(UTCTime.iso(ms: hiMs + 1))" }
        if hiMs == Int64.max { return "after \(UTCTime.iso(ms: loMs))" }
        if loMs / 1000 == hiMs / 1000 { return UTCTime.iso(seconds: loMs / 1000) }
        return "\(UTCTime.iso(seconds: loMs / 1000))..\(UTCTime.iso(seconds: hiMs / 1000))"
    }

    static func failureText(_ f: PersistencePolicy.Failure) -> String {
        switch f {
        case .process: "process (killed process: what was written to the kernel survives)"
        case .power: "power (power loss or kernel crash: only what reached the disk survives)"
        }
    }

    private func keyName(_ id: Int32) -> String {
        let k = model.timeline.keys[Int(id)]
        return "db\(k.db) \(Quoting.redisCLI(k.key, limit: 80))"
    }

    /// The snapshots that began by the crash, both readings merged when they agree.
    func snapshotLines() -> [String] {
        let t = outcome.crashMs
        if outcome.phaseUnknown {
            // The earliest and latest k-th snapshots are saves apart: the expected schedule alone says something.
            return model.snapshots.expected.filter { $0.forkMs <= t }.suffix(10).map { s in
                let state = !s.succeeded ? "failed (retried after 5 s)" : s.doneMs > t ? "still running at the crash" : "in place by \(UTCTime.iso(ms: s.doneMs))"
                return "snapshot likely forked at \(UTCTime.iso(ms: s.forkMs)) (expected schedule), holds the first \(s.cut) commands, \(state)"
            }
        }
        let e = model.snapshots.early.filter { $0.forkMs <= t }
        let l = model.snapshots.late.filter { $0.forkMs <= t }
        var out: [String] = []
        for k in 0..<max(e.count, l.count) {
            let a = k < e.count ? e[k] : nil, b = k < l.count ? l[k] : nil
            guard let s = a ?? b else { continue }
            let forks = [a, b].compactMap { $0?.forkMs }
            let fork = forks.count == 2 && forks[0] / 1000 == forks[1] / 1000 ? "in second \(UTCTime.iso(seconds: s.forkMs / 1000))"
                : forks.map { UTCTime.iso(ms: $0) }.joined(separator: " or ")
            let cuts = Set([a?.cut, b?.cut].compactMap { $0 }).sorted()
            let holds = cuts.count == 1 ? "first \(cuts[0]) commands" : "first \(cuts[0]) to \(cuts[cuts.count - 1]) commands"
            let done = [a, b].compactMap { $0 }.map(\.doneMs).max() ?? s.doneMs
            let state = !s.succeeded ? "failed (retried after 5 s)" : done > t ? "still running at the crash: its file is not in place"
                : "in place by \(UTCTime.iso(ms: done))"
            out.append("snapshot \(s.observed ? "(given) " : "")forked \(fork), holds the \(holds), \(state)")
        }
        return Array(out.suffix(10))
    }

    public func text() -> String {
        let policy = model.settings.policy
        var out: [String] = []
        out.append("crash at \(UTCTime.iso(ms: outcome.crashMs)), failure: \(Self.failureText(model.settings.failure))")
        out.append("configuration: \(policy.summary)")
        out.append("restart loads: " + (outcome.source == .aof ? "the AOF (appendonly yes: dump.rdb is ignored)" : "dump.rdb (appendonly no)"))
        let tl = model.timeline
        var history = "history: \(tl.path), \(tl.count) commands in \(tl.parts.count) file\(tl.parts.count == 1 ? "" : "s")"
        if let span = tl.span { history += ", \(Self.time(loMs: span.first, hiMs: span.first)) to \(Self.time(loMs: span.last, hiMs: span.last))" }
        out.append(history)
        for n in tl.notes { out.append("  " + n) }
        let assumptions = policy.notes + model.assumptions
        if !assumptions.isEmpty {
            out.append("assumptions:")
            for a in assumptions { out.append("  - " + a) }
        }
        if outcome.source == .rdb {
            let lines = snapshotLines()
            out.append("timeline:")
            if lines.isEmpty { out.append("  no snapshot began before the crash") }
            for l in lines { out.append("  " + l) }
        }
        out.append("recovery point: \(outcome.recoveryPoint)")
        out.append("")
        out.append("lost writes: \(outcome.lostWrites) (\(countsText(outcome.writes)))")
        if outcome.lostWrites > 0 {
            for c in details.commands {
                out.append("  \(Self.time(loMs: c.loMs, hiMs: c.hiMs))  db\(c.db)  \(c.text)  [\(c.loss.name)]")
            }
            if details.commands.count < outcome.lostWrites {
                out.append("  … \(outcome.lostWrites - details.commands.count) more (--limit)")
            }
        }
        out.append("")
        out.append("keys touched by lost writes: \(outcome.keys.count) (\(countsText(Dictionary(grouping: outcome.keys, by: \.loss).mapValues(\.count))))")
        if !details.keys.isEmpty {
            let counts = Dictionary(grouping: details.keys, by: \.loss).mapValues(\.count)
            out.append("keys that come back different: \(details.keys.count)\(details.undescribedKeys > 0 ? " of the first \(details.keys.count + details.unchangedKeys)" : "") "
                       + "(\(countsText(counts))); after recovery versus at the crash (+ missing after recovery, "
                       + "- deleted before the crash but back, ~ reverted):")
            let render = DiffReport(result: DiffResult(), color: false)
            for k in details.keys {
                var lines = render.lines(k.diff)
                lines[0] += "  [\(k.loss.name)]"
                out += lines.map { "  " + $0 }
            }
        }
        if details.unchangedKeys > 0 { out.append("  \(details.unchangedKeys) touched keys end up the same either way") }
        if details.undescribedKeys > 0 { out.append("  … \(details.undescribedKeys) more keys (--limit)") }
        if let r = details.recovered { out.append("recovered dataset written: \(r.keys) keys, \(r.bytes) bytes") }
        if !comparison.isEmpty {
            out.append("")
            out.append("the same crash under standard configurations:")
            let rows = comparison.map { c -> [String] in
                [c.name, "\(c.outcome.lostWrites)", "\(c.outcome.count(.certain))/\(c.outcome.count(.likely))/\(c.outcome.count(.possible))",
                 "\(c.outcome.keys.count)", c.outcome.recoveryPoint]
            }
            let header = ["configuration", "lost writes", "lost/likely/possibly", "keys", "recovery point"]
            let widths = (0..<4).map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
            for r in [header] + rows {
                out.append("  " + (0..<4).map { TextLayout.pad(r[$0], widths[$0]) }.joined(separator: "  ") + "  " + r[4])
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func countsText(_ counts: [LossClass: Int]) -> String {
        [LossClass.certain, .likely, .possible].map { "\(counts[$0] ?? 0) \($0.name)" }.joined(separator: ", ")
    }

    // MARK: JSON

    static func json(_ o: CrashModel.Outcome, timeline: WriteTimeline) -> [(String, JSONValue)] {
        func snap(_ s: SnapshotSimulator.Snapshot?) -> JSONValue {
            guard let s else { return .null }
            return .object([("fork_ms", .int(s.forkMs)), ("done_ms", .int(s.doneMs)), ("commands", .int(Int64(s.cut)))])
        }
        return [
            ("source", .string(o.source.rawValue)),
            ("recovery_point", .string(o.recoveryPoint)),
            ("schedule_phase_known", .bool(!o.phaseUnknown)),
            ("snapshot_early", snap(o.snapshot.early)), ("snapshot_expected", snap(o.snapshot.expected)), ("snapshot_late", snap(o.snapshot.late)),
            ("snapshot_in_progress", snap(o.inProgress)),
            ("commands_by_crash", .int(Int64(o.atT))), ("first_lost_command", .int(Int64(o.firstLost))),
            ("lost_writes", .object([("lost", .int(Int64(o.count(.certain)))), ("likely", .int(Int64(o.count(.likely)))),
                                     ("possible", .int(Int64(o.count(.possible))))])),
            ("lost_keys", .object([("lost", .int(Int64(o.keyCount(.certain)))), ("likely", .int(Int64(o.keyCount(.likely)))),
                                   ("possible", .int(Int64(o.keyCount(.possible))))])),
        ]
    }

    static func lossName(_ c: LossClass) -> String {
        switch c { case .none: "kept"; case .possible: "possible"; case .likely: "likely"; case .certain: "lost" }
    }

    public func json(limit: Int) -> String {
        let policy = model.settings.policy
        let tl = model.timeline
        var o: [(String, JSONValue)] = [
            ("crash_ms", .int(outcome.crashMs)), ("crash", .string(UTCTime.iso(ms: outcome.crashMs))),
            ("failure", .string(model.settings.failure.rawValue)),
            ("configuration", .object([
                ("save", .array(policy.savePoints.map { .array([.int($0.seconds), .int($0.changes)]) })),
                ("appendonly", .bool(policy.appendOnly)), ("appendfsync", .string(policy.appendFsync.rawValue)),
                ("aof_use_rdb_preamble", .bool(policy.aofUseRDBPreamble)), ("aof_timestamp_enabled", .bool(policy.aofTimestamps)),
            ])),
            ("history", .object([("path", .string(tl.path)), ("commands", .int(Int64(tl.count))), ("files", .int(Int64(tl.parts.count))),
                                 ("annotated", .bool(tl.timing != .evidence)), ("notes", .array(tl.notes.map { .string($0) }))])),
            ("assumptions", .array((policy.notes + model.assumptions).map { .string($0) })),
        ]
        o += Self.json(outcome, timeline: tl)
        o.append(("commands", .array(details.commands.map { c in
            .object([("index", .int(Int64(c.index))), ("time_lo_ms", c.loMs == Int64.min ? .null : .int(c.loMs)),
                     ("time_hi_ms", c.hiMs == Int64.max ? .null : .int(c.hiMs)), ("db", .int(Int64(c.db))),
                     ("command", .string(c.text)), ("loss", .string(Self.lossName(c.loss)))])
        })))
        o.append(("touched_keys", .array(outcome.keys.prefix(limit).map { k in
            let ref = tl.keys[Int(k.id)]
            return .object([("db", .int(Int64(ref.db))), ("key", .bytes(ref.key)), ("loss", .string(Self.lossName(k.loss)))])
        })))
        o.append(("key_changes", .array(details.keys.map { k in
            guard case .object(var fields) = DiffReport.json(k.diff) else { return .null }
            fields.append(("loss", .string(Self.lossName(k.loss))))
            return .object(fields)
        })))
        if !comparison.isEmpty {
            o.append(("compare", .array(comparison.map { c in .object([("configuration", .string(c.name))] + Self.json(c.outcome, timeline: tl)) })))
        }
        return JSONValue.object(o).serialized() + "\n"
    }
}
