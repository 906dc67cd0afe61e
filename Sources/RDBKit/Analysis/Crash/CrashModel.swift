/// Which writes a crash at time T loses under a persistence policy (format.md §8.7), evaluated
/// against one `WriteTimeline`. Construction runs the snapshot rule once; `evaluate(atMs:)` is
/// then a binary search and a walk over the lost writes, so it can be asked at every instant.
public final class CrashModel {
    public struct Settings: Sendable {
        public var policy: PersistencePolicy
        public var failure: PersistencePolicy.Failure
        /// `lastsave` when the history starts (server start-up), Unix seconds; nil assumes the
        /// first write's second.
        public var startedSeconds: Int64?
        /// ctimes of snapshots actually taken (from `--rdb` files), Unix seconds.
        public var observedForks: [Int64] = []
        /// ctime of the dump.rdb in place at the crash (`--rdb-at-crash`), Unix seconds: the
        /// snapshot a restart loads, the last one taken.
        public var inPlaceAtCrash: Int64?
        /// The entry counts that file's content agrees with holding (`SnapshotMatch`); nil
        /// leaves its ctime second to say.
        public var inPlaceHolds: ClosedRange<Int>?
        public var failuresMs: [Int64] = []
        /// Snapshot duration; nil estimates it from the dataset's size.
        public var bgsaveMs: Int64?
        public init(policy: PersistencePolicy, failure: PersistencePolicy.Failure) {
            self.policy = policy; self.failure = failure
        }
    }

    /// Where the restarted server's data comes from.
    public enum Source: String, Sendable { case rdb, aof }

    public struct Outcome: Sendable {
        public var crashMs: Int64
        public var source: Source
        /// Entries that may have been written by T (their window starts at or before it).
        public var atT: Int
        /// The first entry not certainly recovered; `atT` when nothing is lost.
        public var firstLost: Int
        /// How surely each entry of `firstLost..<atT` is lost.
        public var classes: [LossClass]
        /// Lost writes (SELECT, MULTI and EXEC not counted) by class.
        public var writes: [LossClass: Int]
        /// Keys the lost writes changed (ids into the timeline's keys), worst class first.
        public var keys: [(id: Int32, loss: LossClass)]
        /// For an RDB recovery: the earliest and the latest snapshot a restart may load, and the
        /// expected one.
        public var snapshot: (early: SnapshotSimulator.Snapshot?, expected: SnapshotSimulator.Snapshot?, late: SnapshotSimulator.Snapshot?)
        /// A snapshot had forked but was not in place at T (its file does not count).
        public var inProgress: SnapshotSimulator.Snapshot?
        /// The recovery point in words.
        public var recoveryPoint: String
        /// The readings' save schedules have parted too far to say which save is in place; only
        /// how old it can be is known (`StalenessBound`).
        public var phaseUnknown = false

        public func count(_ c: LossClass) -> Int { writes[c] ?? 0 }
        public var lostWrites: Int { writes.values.reduce(0, +) }
        public func keyCount(_ c: LossClass) -> Int { keys.filter { $0.loss == c }.count }
    }

    public let timeline: WriteTimeline
    /// `writesBefore[i]`: entries before `i` that are writes (not SELECT, MULTI or EXEC).
    private let writesBefore: [Int]
    /// Entry windows and snapshot times rise through their lists, so the instant-by-instant
    /// questions can be answered by binary search (checked, not assumed).
    private let ordered: Bool
    public let settings: Settings
    public let snapshots: SnapshotSimulator
    /// The oldest snapshot a restart can load, where the history allows the bound (see its type).
    private let staleness: StalenessBound?
    /// What the model assumed, for the report.
    public let assumptions: [String]

    /// `untilSeconds`: how far past the last write snapshots are simulated (a crash time).
    public init(timeline: WriteTimeline, settings: Settings, untilSeconds: Int64? = nil) {
        self.timeline = timeline
        self.settings = settings
        let first = timeline.entries.first { $0.loMs != Int64.min }.map { $0.loMs >= 0 ? $0.loMs / 1000 : ($0.loMs - 999) / 1000 }
        let last = timeline.span.map { $0.last / 1000 } ?? first ?? 0
        let observed = settings.observedForks + [settings.inPlaceAtCrash].compactMap { $0 }
        let started = settings.startedSeconds ?? [first, observed.min()].compactMap { $0 }.min() ?? 0
        let longest = settings.policy.savePoints.map(\.seconds).max() ?? 0
        var s = SnapshotSimulator.Settings(savePoints: settings.policy.savePoints, startedSeconds: started,
                                           untilSeconds: max(untilSeconds ?? 0, last + longest + 10))
        s.observedForks = observed
        s.lastFork = settings.inPlaceAtCrash
        s.failuresMs = settings.failuresMs
        s.durationMs = settings.bgsaveMs
        snapshots = SnapshotSimulator(timeline: timeline, settings: s)
        var before = [0]
        before.reserveCapacity(timeline.entries.count + 1)
        for e in timeline.entries { before.append(before[before.count - 1] + (e.isFraming ? 0 : 1)) }
        writesBefore = before
        func rising(_ list: [SnapshotSimulator.Snapshot]) -> Bool {
            zip(list, list.dropFirst()).allSatisfy { $0.forkMs <= $1.forkMs && $0.doneMs <= $1.doneMs }
        }
        ordered = zip(timeline.entries, timeline.entries.dropFirst()).allSatisfy { $0.hiMs <= $1.hiMs }
            && rising(snapshots.early) && rising(snapshots.expected) && rising(snapshots.late)
        staleness = ordered && Self.boundsStaleness(settings) ? Self.staleness(timeline.entries, started: started) : nil
        assumptions = Self.assumptions(settings: settings, started: started, historyBytes: timeline.entries.last?.bytesSoFar ?? 0,
                                       baseKeys: timeline.baseKeys, baseCreated: timeline.baseCreated, timing: timeline.timing)
    }

    /// Whether `StalenessBound` holds for these settings: save points, and no given snapshot times
    /// or failed saves, which it does not model.
    private static func boundsStaleness(_ s: Settings) -> Bool {
        !s.policy.savePoints.isEmpty && s.observedForks.isEmpty && s.inPlaceAtCrash == nil && s.failuresMs.isEmpty
    }

    /// The history's seconds for `StalenessBound`; nil when a command's time is not known to its second.
    private static func staleness(_ entries: [WriteTimeline.Entry], started: Int64) -> StalenessBound? {
        var bound = StalenessBound(startedSeconds: started)
        var i = 0, writes = 0
        while i < entries.count {
            guard entries[i].loMs != Int64.min else { return nil }
            let second = SnapshotSimulator.second(entries[i].loMs)
            guard entries[i].hiMs == second * 1000 + 999, second >= started else { return nil }
            var (end, dirty, framing) = (i, Int64(0), 0)
            while end < entries.count && entries[end].loMs == entries[i].loMs && entries[end].hiMs == entries[i].hiMs {
                dirty += Int64(entries[end].dirty)
                if entries[end].isFraming { framing += 1 }
                end += 1
            }
            bound.append(second: second, first: i, writesBefore: writes, dirty: dirty)
            writes += end - i - framing
            i = end
        }
        return bound
    }

    /// What a model over a history assumes, for the report. `historyBytes`: the AOF bytes read.
    static func assumptions(settings: Settings, started: Int64, historyBytes bytes: Int64, baseKeys: Int, baseCreated: Int64?,
                            timing: WriteTimeline.Timing) -> [String] {
        var assumptions: [String] = []
        let observed = settings.observedForks + [settings.inPlaceAtCrash].compactMap { $0 }
        if settings.startedSeconds == nil {
            assumptions.append(observed.isEmpty
                ? "server started (lastsave) at the first write, \(UTCTime.iso(seconds: started)); give --started to set it"
                : "save timing anchored on the given snapshots' ctime")
        }
        if let c = settings.inPlaceAtCrash {
            let holds = settings.inPlaceHolds.map { h in
                "its content matches the history after the first \(h.lowerBound == h.upperBound ? "\(h.lowerBound)" : "\(h.lowerBound) to \(h.upperBound)") commands"
            } ?? "its snapshot forked in that second (its content matches no prefix of the history around it)"
            assumptions.append("the given dump.rdb (ctime \(UTCTime.iso(seconds: c))) was in place at the crash, the last snapshot taken: " + holds)
        }
        if !settings.policy.appendOnly && !(settings.policy.savePoints.isEmpty && observed.isEmpty) {
            assumptions.append("the cron runs at most \(SnapshotSimulator.lateTickMs) ms behind its 100 ms period (the latest save schedule); "
                               + "a server further behind may keep fewer writes than the bands say")
        }
        if !settings.policy.appendOnly && boundsStaleness(settings), case .annotated = timing {
            assumptions.append("whatever the phase of the save schedule, a snapshot in place longer than one save point's changes or seconds, "
                               + "a late tick, a notice and a save's duration would have been replaced")
        }
        if let d = settings.bgsaveMs {
            assumptions.append("a snapshot takes \(d) ms (--bgsave-seconds)")
        } else {
            assumptions.append("a snapshot takes about \(SnapshotSimulator.estimatedDurationMs(bytes: bytes)) ms at the end of the history "
                               + "(1 ms fork + the dataset at 200 MB/s, its AOF size \(bytes) bytes as the measure; --bgsave-seconds to set)")
        }
        if baseKeys > 0 || baseCreated != nil {
            assumptions.append("the \(baseKeys) keys of the AOF's base RDB are taken as saved before the history starts")
        }
        if timing == .evidence && !settings.policy.aofTimestamps {
            assumptions.append("aof-timestamp-enabled yes would time every write to the second")
        }
        if !settings.policy.appendOnly && settings.failure == .power {
            assumptions.append("the RDB rename is durable (7.0.3+ fsyncs the directory; before that a power loss can undo the last rename)")
        }
        return assumptions
    }

    /// The number of entries whose window starts at or before `t` (windows are in file order).
    public func entryCount(atOrBefore t: Int64) -> Int {
        var lo = 0, hi = timeline.entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if timeline.entries[mid].loMs <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    public func evaluate(atMs t: Int64) -> Outcome {
        let entries = timeline.entries
        let atT = entryCount(atOrBefore: t)
        let source: Source = settings.policy.appendOnly ? .aof : .rdb
        var firstLost = atT
        var classes: [LossClass] = []
        var early: SnapshotSimulator.Snapshot?
        var expected: SnapshotSimulator.Snapshot?
        var late: SnapshotSimulator.Snapshot?
        var inProgress: SnapshotSimulator.Snapshot?
        let recoveryPoint: String
        var phaseUnknown = false

        func happened(_ i: Int) -> Bool { entries[i].hiMs <= t }
        switch source {
        case .rdb:
            let range = restoredRange(at: t, atT: atT)
            (early, late) = (range.earliest, range.latest)
            expected = restored(snapshots.expected, possibly: false, at: t)
            inProgress = [snapshots.early, snapshots.expected, snapshots.late].lazy
                .compactMap { $0.first { $0.forkMs <= t && $0.doneMs > t && $0.succeeded } }.first
            let (minCut, maxCut, likelyCut) = (range.minCut, range.maxCut, range.likelyCut)
            firstLost = minCut
            for i in minCut..<atT {
                let lost: LossClass = i >= maxCut ? .certain : i >= likelyCut ? .likely : .possible
                classes.append(happened(i) ? lost : min(lost, .possible))
            }
            let holds = minCut == maxCut ? "it holds the first \(minCut) commands" : "it holds the first \(minCut) to \(maxCut) commands"
            phaseUnknown = range.phaseUnknown
            if phaseUnknown {
                let likely = expected.map { " (likely the one forked at \(UTCTime.iso(ms: $0.forkMs)))" } ?? ""
                recoveryPoint = "the last snapshot in place before the crash\(likely); after this many saves made due by their changes, "
                    + "which one is not known, only how old it can be: " + holds
            } else if let e = early, let l = late {
                let when = e.forkMs / 1000 == l.forkMs / 1000 ? "in second \(UTCTime.iso(seconds: e.forkMs / 1000))"
                    : "between \(UTCTime.iso(ms: e.forkMs)) and \(UTCTime.iso(ms: l.forkMs))"
                recoveryPoint = "the snapshot forked \(when), in place by \(UTCTime.iso(ms: max(e.doneMs, l.doneMs))): " + holds
            } else if let s = early ?? late ?? expected {
                recoveryPoint = "the snapshot forked at \(UTCTime.iso(ms: s.forkMs)) or one taken later, before the crash, "
                    + "under some readings of the evidence (\(holds)), else the state before the history"
            } else if maxCut > minCut {
                recoveryPoint = "a snapshot forked before the crash under some readings of the evidence (\(holds)), "
                    + "else the dump.rdb from before the history (taken as its starting state)"
            } else if settings.policy.savePoints.isEmpty && settings.observedForks.isEmpty {
                recoveryPoint = "no save points and no AOF: only a dump.rdb older than the history (taken as its starting state) is loaded"
            } else {
                recoveryPoint = "no snapshot completed within the history: the dump.rdb from before it (taken as the history's starting state)"
            }
        case .aof:
            let fsync = FsyncSimulator(fsync: settings.policy.appendFsync, failure: settings.failure)
            (firstLost, classes) = aofTail(at: t, atT: atT, fsync: fsync)
            recoveryPoint = fsync.horizon(crashMs: t)
        }

        var writes: [LossClass: Int] = [:]
        var keyLoss: [Int32: LossClass] = [:]
        for (k, c) in classes.enumerated() where c != .none {
            let i = firstLost + k
            if !entries[i].isFraming { writes[c, default: 0] += 1 }
            for id in timeline.keys(of: i) { keyLoss[id] = max(keyLoss[id] ?? .none, c) }
        }
        let keys = keyLoss.map { (id: $0.key, loss: $0.value) }.sorted { $0.loss != $1.loss ? $0.loss > $1.loss : $0.id < $1.id }
        return Outcome(crashMs: t, source: source, atT: atT, firstLost: firstLost, classes: classes, writes: writes, keys: keys,
                       snapshot: (early, expected, late), inProgress: inProgress, recoveryPoint: recoveryPoint,
                       phaseUnknown: phaseUnknown)
    }

    /// The snapshot a restart loads under one reading of the evidence: the last that succeeded
    /// and was in place by `t` (or, `possibly`, whose child a killed parent left running).
    private func restored(_ list: [SnapshotSimulator.Snapshot], possibly: Bool, at t: Int64) -> SnapshotSimulator.Snapshot? {
        Self.restored(list, forked: possibly && settings.failure == .process, ordered: ordered, at: t)
    }

    /// `forked`: a child that has forked counts (a killed parent does not stop its snapshot
    /// child: the file may still be renamed into place). `ordered`: the list rises in fork and
    /// completion times, so it is searched by halves; snapshots forked after `t` may be missing.
    static func restored(_ list: [SnapshotSimulator.Snapshot], forked: Bool, ordered: Bool, at t: Int64) -> SnapshotSimulator.Snapshot? {
        list.prefix(rank(list, ordered: ordered) { (forked ? $0.forkMs : $0.doneMs) <= t }).last { $0.succeeded }
    }

    /// For an RDB recovery: the earliest and the latest snapshot a restart may load, the entries
    /// each holds, and those the expected one holds when a running child may finish.
    struct RestoredRange {
        var earliest: SnapshotSimulator.Snapshot?
        var latest: SnapshotSimulator.Snapshot?
        var minCut: Int
        var maxCut: Int
        var likelyCut: Int
        /// `minCut` comes from `StalenessBound`, not from the readings' snapshots.
        var phaseUnknown = false
    }

    private func restoredRange(at t: Int64, atT: Int) -> RestoredRange {
        var oldest = 0
        if let bound = staleness, atT > 0 {
            let duration = settings.bgsaveMs ?? SnapshotSimulator.estimatedDurationMs(bytes: timeline.entries[atT - 1].bytesSoFar)
            oldest = bound.oldest(atMs: t, savePoints: settings.policy.savePoints, durationMs: duration)?.first ?? 0
        }
        return Self.restoredRange(early: snapshots.early, expected: snapshots.expected, late: snapshots.late, failure: settings.failure,
                                  inPlace: settings.inPlaceAtCrash != nil, inPlaceHolds: settings.inPlaceHolds, ordered: ordered,
                                  oldestCut: oldest, at: t, atT: atT)
    }

    /// The range from the two hard-limit schedules: the k-th real snapshot lies between the k-th
    /// `early` and the k-th `late` one (each timed from the expected reading's (k-1)-th, so for
    /// time-triggered saves the pair stays one save's uncertainty apart however many saves precede
    /// it: `SnapshotSimulator`; count-triggered ones part them, and `oldestCut` bounds the range),
    /// so a restart at `t` loads at least the last `late` one done by `t` and at most the one of
    /// the same rank as the last `early` one done (or, a killed parent's child, forked) by `t`. The lists may end at `t` (`plan` runs them as the
    /// history passes): a rank beyond the `late` list's end is a snapshot forked after `t`,
    /// holding everything before it. `inPlace`: the file in place at the crash is known, the
    /// last snapshot of full lists; `inPlaceHolds`, what its content says it holds. `oldestCut`:
    /// no snapshot holding less can still be in place (`StalenessBound`), whatever the readings'
    /// ranks say once their phases have drifted apart.
    static func restoredRange(early: [SnapshotSimulator.Snapshot], expected: [SnapshotSimulator.Snapshot], late: [SnapshotSimulator.Snapshot],
                              failure: PersistencePolicy.Failure, inPlace: Bool = false, inPlaceHolds: ClosedRange<Int>? = nil,
                              ordered: Bool, oldestCut: Int = 0, at t: Int64, atT: Int) -> RestoredRange {
        if inPlace {
            // The file in place is known: its content says what it holds, else its fork second.
            var (e, l) = (early.last { $0.succeeded }, late.last { $0.succeeded })
            if let h = inPlaceHolds { e?.cut = h.lowerBound; l?.cut = h.upperBound }
            let lo = min(e?.cut ?? inPlaceHolds?.lowerBound ?? 0, atT)
            let hi = max(lo, min(l?.cut ?? inPlaceHolds?.upperBound ?? 0, atT))
            let likely = min(expected.last { $0.succeeded }?.cut ?? 0, atT)
            return RestoredRange(earliest: e, latest: l, minCut: lo, maxCut: hi, likelyCut: min(max(likely, lo), hi))
        }
        let killed = failure == .process
        let surely = rank(late, ordered: ordered) { $0.doneMs <= t }
        let atMost = rank(early, ordered: ordered) { (killed ? $0.forkMs : $0.doneMs) <= t }
        var earliest = early.prefix(surely).last { $0.succeeded }
        let latest = late.prefix(atMost).last { $0.succeeded }
        let ranked = min(earliest?.cut ?? 0, atT)
        let maxCut = atMost > late.count ? atT : max(ranked, min(latest?.cut ?? 0, atT))
        let minCut = min(max(ranked, oldestCut), maxCut)
        if minCut > ranked { earliest = nil }
        var range = RestoredRange(earliest: earliest, latest: latest, minCut: minCut, maxCut: maxCut, likelyCut: 0, phaseUnknown: minCut > ranked)
        let likely = min(restored(expected, forked: killed, ordered: ordered, at: t)?.cut ?? 0, atT)
        range.likelyCut = min(max(likely, minCut), maxCut)
        return range
    }

    /// The number of snapshots up to the last one for which `isBy` holds (`ordered`: their times
    /// rise, so it is searched by halves).
    private static func rank(_ list: [SnapshotSimulator.Snapshot], ordered: Bool, _ isBy: (SnapshotSimulator.Snapshot) -> Bool) -> Int {
        guard ordered else { return list.lastIndex(where: isBy).map { $0 + 1 } ?? 0 }
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if isBy(list[mid]) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// For an AOF recovery: the first entry not surely on disk at `t` and how surely each from
    /// there on is lost (the walk stops at the fsync horizon, a few seconds back at most).
    private func aofTail(at t: Int64, atT: Int, fsync: FsyncSimulator) -> (firstLost: Int, classes: [LossClass]) {
        let entries = timeline.entries
        var i = atT
        var tail: [LossClass] = []
        while i > 0 {
            let e = entries[i - 1]
            let lost = fsync.loss(loMs: e.loMs, hiMs: e.hiMs, crashMs: t)
            if lost == .none { break }
            tail.append(e.hiMs <= t ? lost : min(lost, .possible))
            i -= 1
        }
        return (i, tail.reversed())
    }

    /// Writes lost by a crash at `t`, by class, as `evaluate(atMs:)` counts them, with no list
    /// of entries or keys.
    public struct LossCounts: Sendable, Equatable {
        public var atT: Int
        /// The first entry not certainly recovered; `atT` when nothing is lost.
        public var firstLost: Int
        public var certain = 0, likely = 0, possible = 0
        public var total: Int { certain + likely + possible }
    }

    /// What `plan` asks at every second of a history: `evaluate(atMs:)`'s counts (tested equal)
    /// found by binary search and prefix sums, so that an RDB whose snapshot is an hour old does
    /// not cost an hour of writes per instant.
    public func lossCounts(atMs t: Int64) -> LossCounts {
        let atT = entryCount(atOrBefore: t)
        if settings.policy.appendOnly {
            let fsync = FsyncSimulator(fsync: settings.policy.appendFsync, failure: settings.failure)
            let (first, classes) = aofTail(at: t, atT: atT, fsync: fsync)
            var counts = LossCounts(atT: atT, firstLost: first)
            for (k, c) in classes.enumerated() where !timeline.entries[first + k].isFraming { counts.add(c, 1) }
            return counts
        }
        guard ordered else {
            let o = evaluate(atMs: t)
            return LossCounts(atT: atT, firstLost: o.firstLost, certain: o.count(.certain), likely: o.count(.likely), possible: o.count(.possible))
        }
        let range = restoredRange(at: t, atT: atT)
        let (minCut, maxCut, likelyCut) = (range.minCut, range.maxCut, range.likelyCut)
        func writes(_ a: Int, _ b: Int) -> Int { b > a ? writesBefore[b] - writesBefore[a] : 0 }
        var counts = LossCounts(atT: atT, firstLost: minCut, certain: writes(maxCut, atT), likely: writes(likelyCut, maxCut),
                                possible: writes(minCut, likelyCut))
        // Entries whose window reaches past `t` may have come after the crash: at most possibly lost.
        var i = atT - 1
        while i >= minCut && timeline.entries[i].hiMs > t {
            if !timeline.entries[i].isFraming {
                let c: LossClass = i >= maxCut ? .certain : i >= likelyCut ? .likely : .possible
                counts.add(c, -1)
                counts.add(.possible, 1)
            }
            i -= 1
        }
        return counts
    }
}

extension CrashModel.LossCounts {
    mutating func add(_ c: LossClass, _ n: Int) {
        switch c {
        case .certain: certain += n
        case .likely: likely += n
        case .possible: possible += n
        case .none: break
        }
    }
}
