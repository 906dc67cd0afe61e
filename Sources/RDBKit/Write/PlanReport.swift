/// `rdbtool plan` output: the table of candidate configurations, one recommendation per goal,
/// and the assumptions; as text, JSON (`PlanReport+JSON`) or an HTML page (`PlanReport+HTML`).
public struct PlanReport {
    public var plan: PersistencePlan
    public var goals: [PlanGoal]
    /// The AOF read, for the page title.
    public var source: String

    public init(plan: PersistencePlan, goals: [PlanGoal], source: String) {
        self.plan = plan; self.goals = goals; self.source = source
    }

    static func seconds(_ s: Double) -> String {
        s >= 100 ? TextLayout.fixed(s, 0) + " s" : TextLayout.fixed(s, s >= 10 ? 1 : 2) + " s"
    }

    static func range(_ low: Int64, _ high: Int64) -> String {
        "\(TextLayout.bytes(low))-\(TextLayout.bytes(high))"
    }

    /// The sentence for one goal.
    public func recommendation(_ goal: PlanGoal) -> String {
        let what: String
        switch goal {
        case .maxLoss(let s): what = "--max-loss \(Self.seconds(s)) (power failure, worst instant)"
        case .maxCOW(let b): what = "--max-cow \(TextLayout.bytes(b)) (largest snapshot, high end)"
        }
        guard let r = goal.recommend(plan.results) else {
            return "\(what): no candidate meets it"
        }
        let why: String
        switch goal {
        case .maxLoss:
            why = "loses at most \(Self.seconds(r.loss(.power)?.window.max ?? 0)) on power loss and writes the fewest bytes "
                + "(\(TextLayout.bytes(Int64(r.disk.bytesPerHour)))/h) of the \(plan.results.filter(goal.met).count) that meet it"
        case .maxCOW:
            why = "copy-on-write at most \(TextLayout.bytes(r.snapshots.maxCOW.high)), and the smallest loss window "
                + "(\(Self.seconds(r.loss(.power)?.window.max ?? 0)) on power loss) among those that meet it"
        }
        return "\(what): \(r.candidate.name): \(why)"
    }

    public func text() -> String {
        var out: [String] = []
        let tl = plan.history
        if let span = tl.span {
            out.append("history: \(tl.count) commands, \(UTCTime.iso(ms: span.first))..\(UTCTime.iso(ms: span.last)) "
                       + "(\(plan.results.first?.loss.first?.instants ?? 0) crash instants, one a second)")
        } else {
            out.append("history: \(tl.count) commands, no times")
        }
        out.append("dataset: \(TextLayout.bytes(plan.datasetBytes)) modelled, RDB \(TextLayout.bytes(plan.rdbBytes))")
        out.append("")
        let header = ["configuration", "process: window max/p99", "writes max", "power: window max/p99", "writes max",
                      "saves/h", "fork", "COW (largest save)", "disk/h", "fsync/s", "restart"]
        var rows: [[String]] = []
        for r in plan.results {
            var row = [r.candidate.name]
            for f in PersistencePolicy.Failure.allCases {
                let l = r.loss(f)
                row.append("\(Self.seconds(l?.window.max ?? 0)) / \(Self.seconds(l?.window.p99 ?? 0))")
                row.append("\(Int(l?.worstWrites.max ?? 0))")
            }
            let s = r.snapshots
            row.append(TextLayout.fixed(s.perHour, 1))
            row.append(s.snapshots == 0 ? "-" : TextLayout.fixed(s.forkPauseMs, 1) + " ms")
            row.append(s.snapshots == 0 ? "-" : Self.range(s.maxCOW.low, s.maxCOW.high))
            row.append(TextLayout.bytes(Int64(r.disk.bytesPerHour)))
            row.append(TextLayout.fixed(r.disk.fsyncsPerSecond, 2))
            row.append(r.restart.meanSeconds == r.restart.maxSeconds ? Self.seconds(r.restart.maxSeconds)
                       : "\(Self.seconds(r.restart.meanSeconds))-\(Self.seconds(r.restart.maxSeconds))")
            rows.append(row)
        }
        let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, s in c == 0 ? TextLayout.pad(s, widths[c]) : TextLayout.padLeft(s, widths[c]) }
                .joined(separator: "  ").trimmingTrailingSpaces
        }
        out.append(line(header))
        out += rows.map(line)
        out.append("")
        out.append("window: from the earliest write a crash at that instant may lose to the crash; writes: lost in the worst case")
        if !goals.isEmpty {
            out.append("")
            out += goals.map(recommendation)
        }
        out.append("")
        out.append("assumptions:")
        out += (tl.notes + plan.assumptions).map { "  - \($0)" }
        return out.joined(separator: "\n")
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
