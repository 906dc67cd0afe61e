/// `plan`'s measurements taken while the history is replayed, so that memory follows the dataset
/// and the candidates, not the number of commands. The save-point rule is causal (a 10 Hz cron
/// over dirty counts and elapsed time), so each candidate's `SnapshotSimulator.Readings` are fed
/// one second of commands at a time; the loss at each crash instant is counted once its second has
/// passed, from the snapshots forked by then (`CrashModel.restoredRange`) and running write counts, or, for
/// an AOF, from the last seconds' writes (`FsyncSimulator`); each save's copy-on-write from the
/// keys written while it runs, released when it ends. Kept per second of history: one loss point
/// per candidate and failure kind (the percentiles need them all).
///
/// This holds for histories whose every command carries its `#TS:` second, in rising order (what
/// a server with `aof-timestamp-enabled yes` writes). Any other throws `NeedsTimeline`: its
/// windows are only known once the whole history is read (`WriteTimeline`).
final class PlanReplay {
    struct NeedsTimeline: Error {}

    /// What the history was, for the report.
    let replay: HistoryReplay
    let commands: Int
    /// First and last instants (ms) of the history; nil without commands.
    let span: (first: Int64, last: Int64)?
    /// `bytesSoFar` of the last command.
    let aofBytes: Int64
    /// `lastsave` at the start: the given one or the first command's second.
    let startedSeconds: Int64
    let trackers: [Tracker]

    /// One candidate's measurements.
    struct Tracker {
        let candidate: PlanCandidate
        /// early, expected and late readings for an RDB recovery; only `expected` (the costs) for an AOF.
        var readings: SnapshotSimulator.Readings
        var runs: [SnapshotSimulator.Run] { readings.runs }
        /// Snapshots of each run already looked at.
        var seen: [Int]
        /// The loss profiles for `process` and `power`, taken one instant at a time.
        var loss = PersistencePolicy.Failure.allCases.map { LossProfile.Accumulator(failure: $0) }
        /// Saves (of the expected reading) still running, and the pages of those ended.
        var saves: [CopyOnWriteEstimate.Writes] = []
        var pages: [CopyOnWriteEstimate.Pages] = []
        var growth: DiskTraffic.AOFGrowth?
        let fsync: [FsyncSimulator]

        var expected: Int { candidate.policy.appendOnly ? 0 : 1 }
    }

    /// The commands of one second.
    struct Group {
        var second: Int64 = 0
        /// Index of the first command, and the writes (not SELECT, MULTI or EXEC) before it.
        var first = 0
        var writesBefore = 0
        var dirty: [Int32] = []
        var bytesSoFar: [Int64] = []
        var commandBytes: [Int64] = []
        var framing: [Bool] = []
        /// Changed keys of command `k`: `keys[keyEnds[k - 1]..<keyEnds[k]]`.
        var keys: [Replayer.KeyRef] = []
        var keyEnds: [Int] = []
        var count: Int { dirty.count }
        var loMs: Int64 { second * 1000 }
        var hiMs: Int64 { second * 1000 + 999 }
        var writes: Int { framing.reduce(0) { $0 + ($1 ? 0 : 1) } }
    }

    /// A past second kept for the AOF walk back to the fsync horizon.
    struct Recent {
        var second: Int64
        var first: Int
        var writes: Int
    }

    /// `rdbBytes`: the base an AOF rewrite writes (known before the replay, or a guess checked after it).
    init(path: String, options: AOFReader.Options, candidates: [PlanCandidate], startedSeconds: Int64?,
         bgsaveMs: Int64?, sizes: KeySizes, rdbBytes: Int64) throws {
        var trackers: [Tracker] = []
        var started = startedSeconds
        var group = Group()
        var inGroup = false
        var commands = 0, writes = 0
        var previous: (part: Int32, bytes: Int64)?
        var firstMs: Int64?, lastMs: Int64?
        /// Entries (`cut`s) a snapshot holds: the writes before each, and where the first left out starts.
        var cuts: [Int: (writes: Int, loMs: Int64?)] = [:]
        /// Cuts at the end of the last group: their first left-out command is the next group's first.
        var pending: [Int] = []
        var recent: [Recent] = []
        var nextInstant = Int64.min
        var staleness: StalenessBound?
        /// `bytesSoFar` of the last command of the groups flushed.
        var bytesFlushed: Int64 = 0

        func makeTrackers(started: Int64) {
            var s = SnapshotSimulator.Settings(savePoints: [], startedSeconds: started, untilSeconds: started)
            s.durationMs = bgsaveMs
            trackers = candidates.map { c in
                s.savePoints = c.policy.savePoints
                let readings = SnapshotSimulator.Readings(settings: s, bands: !c.policy.appendOnly)
                return Tracker(candidate: c, readings: readings, seen: readings.runs.map { _ in 0 },
                               growth: c.policy.appendOnly ? DiskTraffic.AOFGrowth(rewrite: c.rewrite, rdbBytes: rdbBytes) : nil,
                               fsync: PersistencePolicy.Failure.allCases.map { FsyncSimulator(fsync: c.policy.appendFsync, failure: $0) })
            }
        }

        /// The loss of a crash at the end of `second`, `atT` commands and `writesSoFar` writes in.
        func evaluate(_ t: inout Tracker, second: Int64, atT: Int, writesSoFar: Int, bytes: Int64) {
            let ms = second * 1000 + 999
            for (k, failure) in PersistencePolicy.Failure.allCases.enumerated() {
                var counts = CrashModel.LossCounts(atT: atT, firstLost: atT)
                var fromMs: Int64?
                if t.candidate.policy.appendOnly {
                    for r in recent.reversed() {
                        let lost = t.fsync[k].loss(loMs: r.second * 1000, hiMs: r.second * 1000 + 999, crashMs: ms)
                        if lost == .none { break }
                        counts.add(lost, r.writes)
                        counts.firstLost = r.first
                        fromMs = r.second * 1000
                    }
                } else {
                    let duration = bgsaveMs ?? SnapshotSimulator.estimatedDurationMs(bytes: bytes)
                    let oldest = atT > 0 ? staleness?.oldest(atMs: ms, savePoints: t.candidate.policy.savePoints, durationMs: duration) : nil
                    let c = CrashModel.restoredRange(early: t.runs[0].snapshots, expected: t.runs[1].snapshots, late: t.runs[2].snapshots,
                                                     failure: failure, ordered: true, oldestCut: oldest?.first ?? 0, at: ms, atT: atT)
                    func before(_ cut: Int) -> Int {
                        cut == atT ? writesSoFar : cut == oldest?.first ? oldest?.writesBefore ?? 0 : cuts[cut]?.writes ?? 0
                    }
                    counts = CrashModel.LossCounts(atT: atT, firstLost: c.minCut, certain: before(atT) - before(c.maxCut),
                                                   likely: before(c.maxCut) - before(c.likelyCut), possible: before(c.likelyCut) - before(c.minCut))
                    fromMs = c.minCut == oldest?.first ? oldest.map { $0.second * 1000 } : cuts[c.minCut]?.loMs
                }
                var window: Int64 = 0
                if counts.firstLost < counts.atT, let from = fromMs { window = max(0, ms - from + 1) }
                t.loss[k].add(LossProfile.Point(ms: ms, writes: counts.certain + counts.likely, worstWrites: counts.total, windowMs: window))
            }
        }

        /// The snapshots forked while `g` was pushed: where they cut, and the saves to cost.
        func examine(_ t: inout Tracker, _ g: Group) throws {
            for r in t.runs.indices {
                let list = t.runs[r].snapshots
                for k in t.seen[r]..<list.count {
                    let s = list[k]
                    if k > 0 && (s.forkMs < list[k - 1].forkMs || s.doneMs < list[k - 1].doneMs) { throw NeedsTimeline() }
                    if cuts[s.cut] == nil {
                        let inside = s.cut - g.first
                        guard inside >= 0 && inside <= g.count else { throw NeedsTimeline() }
                        cuts[s.cut] = (g.writesBefore + g.framing[..<inside].reduce(0) { $0 + ($1 ? 0 : 1) },
                                       inside < g.count ? g.loMs : nil)
                        if inside == g.count { pending.append(s.cut) }
                    }
                    if r == t.expected { t.saves.append(CopyOnWriteEstimate.Writes(fromMs: s.forkMs, toMs: s.doneMs)) }
                }
                t.seen[r] = list.count
            }
        }

        func flush() throws {
            guard inGroup else { return }
            let g = group
            for cut in pending { cuts[cut]?.loMs = g.loMs }
            pending.removeAll()
            if nextInstant == Int64.min {
                nextInstant = g.second
                cuts[0] = (0, g.loMs)
            }
            if staleness == nil { staleness = StalenessBound(startedSeconds: started ?? g.second) }
            staleness?.append(second: g.second, first: g.first, writesBefore: g.writesBefore, dirty: g.dirty.reduce(0) { $0 + Int64($1) })
            for i in trackers.indices {
                trackers[i].readings.push(second: g.second, count: g.count, dirty: { g.dirty[$0] }, bytesSoFar: { g.bytesSoFar[$0] })
                try examine(&trackers[i], g)
                for s in nextInstant..<g.second {
                    evaluate(&trackers[i], second: s, atT: g.first, writesSoFar: g.writesBefore, bytes: bytesFlushed)
                }
            }
            commands = g.first + g.count
            writes = g.writesBefore + g.writes
            recent.append(Recent(second: g.second, first: g.first, writes: g.writes))
            // No policy loses a write older than the kernel's writeback interval.
            if let drop = recent.firstIndex(where: { ($0.second + 1) * 1000 >= g.loMs - 2 * FsyncSimulator.writebackMs }), drop > 64 {
                recent.removeFirst(drop)
            }
            for i in trackers.indices {
                var k = 0
                while k < trackers[i].saves.count {
                    if g.loMs > trackers[i].saves[k].toMs {
                        trackers[i].pages.append(trackers[i].saves.remove(at: k).pages(sizes: sizes))
                        continue
                    }
                    if trackers[i].saves[k].overlaps(loMs: g.loMs, hiMs: g.hiMs) {
                        for c in 0..<g.count {
                            trackers[i].saves[k].add(loMs: g.loMs, hiMs: g.hiMs, bytes: g.commandBytes[c],
                                                     keys: g.keys[(c > 0 ? g.keyEnds[c - 1] : 0)..<g.keyEnds[c]])
                        }
                    }
                    k += 1
                }
                if trackers[i].growth != nil {
                    for k in 0..<g.count { trackers[i].growth?.add(bytes: g.commandBytes[k], isFraming: g.framing[k], loMs: g.loMs) }
                }
                evaluate(&trackers[i], second: g.second, atT: commands, writesSoFar: writes, bytes: g.bytesSoFar.last ?? bytesFlushed)
            }
            bytesFlushed = g.bytesSoFar.last ?? bytesFlushed
            nextInstant = g.second + 1
        }

        replay = try HistoryReplay(path: path, options: options) { e, keys, _ in
            guard e.loMs != Int64.min else { throw NeedsTimeline() }
            let second = SnapshotSimulator.second(e.loMs)
            let start = started ?? second
            started = start
            if trackers.isEmpty && !candidates.isEmpty { makeTrackers(started: start) }
            // Commands before a given start-up would be moved to it: a reading the timeline makes.
            if second < start { throw NeedsTimeline() }
            if !inGroup || second != group.second {
                if inGroup && second < group.second { throw NeedsTimeline() }
                try flush()
                let first = group.first + group.count
                let before = group.writesBefore + group.writes
                group.dirty.removeAll(keepingCapacity: true)
                group.bytesSoFar.removeAll(keepingCapacity: true)
                group.commandBytes.removeAll(keepingCapacity: true)
                group.framing.removeAll(keepingCapacity: true)
                group.keys.removeAll(keepingCapacity: true)
                group.keyEnds.removeAll(keepingCapacity: true)
                group.second = second
                group.first = inGroup ? first : 0
                group.writesBefore = inGroup ? before : 0
                inGroup = true
            }
            group.dirty.append(e.dirty)
            group.bytesSoFar.append(e.bytesSoFar)
            group.commandBytes.append(previous.map { $0.part == e.part ? max(1, e.bytesSoFar - $0.bytes) : 64 } ?? 64)
            group.framing.append(e.isFraming)
            group.keys += keys
            group.keyEnds.append(group.keys.count)
            previous = (e.part, e.bytesSoFar)
            if firstMs == nil { firstMs = e.loMs }
            lastMs = e.hiMs
        }
        try flush()
        for i in trackers.indices {
            trackers[i].pages += trackers[i].saves.map { $0.pages(sizes: sizes) }
            trackers[i].saves = []
        }
        self.commands = commands
        if let f = firstMs, let l = lastMs { span = (f, l) } else { span = nil }
        aofBytes = previous?.bytes ?? 0
        self.startedSeconds = started ?? 0
        self.trackers = trackers
    }
}
