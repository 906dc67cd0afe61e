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
        /// For an RDB recovery: the snapshot restored, under the early and the late reading.
        public var snapshot: (early: SnapshotSimulator.Snapshot?, expected: SnapshotSimulator.Snapshot?, late: SnapshotSimulator.Snapshot?)
        /// A snapshot had forked but was not in place at T (its file does not count).
        public var inProgress: SnapshotSimulator.Snapshot?
        /// The recovery point in words.
        public var recoveryPoint: String

        public func count(_ c: LossClass) -> Int { writes[c] ?? 0 }
        public var lostWrites: Int { writes.values.reduce(0, +) }
        public func keyCount(_ c: LossClass) -> Int { keys.filter { $0.loss == c }.count }
    }

    public let timeline: WriteTimeline
    public let settings: Settings
    public let snapshots: SnapshotSimulator
    /// What the model assumed, for the report.
    public private(set) var assumptions: [String] = []

    /// `untilSeconds`: how far past the last write snapshots are simulated (a crash time).
    public init(timeline: WriteTimeline, settings: Settings, untilSeconds: Int64? = nil) {
        self.timeline = timeline
        self.settings = settings
        let first = timeline.entries.first { $0.loMs != Int64.min }.map { $0.loMs >= 0 ? $0.loMs / 1000 : ($0.loMs - 999) / 1000 }
        let last = timeline.span.map { $0.last / 1000 } ?? first ?? 0
        let started = settings.startedSeconds ?? [first, settings.observedForks.min()].compactMap { $0 }.min() ?? 0
        let longest = settings.policy.savePoints.map(\.seconds).max() ?? 0
        var s = SnapshotSimulator.Settings(savePoints: settings.policy.savePoints, startedSeconds: started,
                                           untilSeconds: max(untilSeconds ?? 0, last + longest + 10))
        s.observedForks = settings.observedForks
        s.failuresMs = settings.failuresMs
        s.durationMs = settings.bgsaveMs
        snapshots = SnapshotSimulator(timeline: timeline, settings: s)
        if settings.startedSeconds == nil {
            assumptions.append(settings.observedForks.isEmpty
                ? "server started (lastsave) at the first write, \(UTCTime.iso(seconds: started)); give --started to set it"
                : "save timing anchored on the given snapshots' ctime")
        }
        if let d = settings.bgsaveMs {
            assumptions.append("a snapshot takes \(d) ms (--bgsave-seconds)")
        } else {
            let bytes = timeline.entries.last?.bytesSoFar ?? 0
            assumptions.append("a snapshot takes about \(SnapshotSimulator.estimatedDurationMs(bytes: bytes)) ms at the end of the history "
                               + "(1 ms fork + the dataset at 200 MB/s, its AOF size \(bytes) bytes as the measure; --bgsave-seconds to set)")
        }
        if timeline.baseKeys > 0 || timeline.baseCreated != nil {
            assumptions.append("the \(timeline.baseKeys) keys of the AOF's base RDB are taken as saved before the history starts")
        }
        if timeline.timing == .evidence && !settings.policy.aofTimestamps {
            assumptions.append("aof-timestamp-enabled yes would time every write to the second")
        }
        if !settings.policy.appendOnly && settings.failure == .power {
            assumptions.append("the RDB rename is durable (7.0.3+ fsyncs the directory; before that a power loss can undo the last rename)")
        }
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

        func happened(_ i: Int) -> Bool { entries[i].hiMs <= t }
        switch source {
        case .rdb:
            // A killed parent does not stop its snapshot child: the file may still be renamed
            // into place, so a running snapshot is a possible recovery point.
            let mayFinish = settings.failure == .process
            func restored(_ list: [SnapshotSimulator.Snapshot], _ possibly: Bool) -> SnapshotSimulator.Snapshot? {
                list.last { $0.succeeded && ($0.doneMs <= t || (possibly && mayFinish && $0.forkMs <= t)) }
            }
            early = restored(snapshots.early, false)
            expected = restored(snapshots.expected, false)
            late = restored(snapshots.late, false)
            let running = snapshots.early + snapshots.expected + snapshots.late
            inProgress = running.first { $0.forkMs <= t && $0.doneMs > t && $0.succeeded }
            let variants = [snapshots.early, snapshots.expected, snapshots.late]
            let cuts = [false, true].flatMap { possibly in variants.map { min(restored($0, possibly)?.cut ?? 0, atT) } }
            let (minCut, maxCut, likelyCut) = (cuts.min() ?? 0, cuts.max() ?? 0, min(restored(snapshots.expected, true)?.cut ?? 0, atT))
            firstLost = minCut
            for i in minCut..<atT {
                let lost: LossClass = i >= maxCut ? .certain : i >= likelyCut ? .likely : .possible
                classes.append(happened(i) ? lost : min(lost, .possible))
            }
            let restoredForks = [early, expected, late].compactMap { $0 }
            if let e = restoredForks.min(by: { $0.forkMs < $1.forkMs }), let l = restoredForks.max(by: { $0.forkMs < $1.forkMs }),
               restoredForks.count == 3 {
                let when = e.forkMs / 1000 == l.forkMs / 1000 ? "in second \(UTCTime.iso(seconds: e.forkMs / 1000))"
                    : "between \(UTCTime.iso(ms: e.forkMs)) and \(UTCTime.iso(ms: l.forkMs))"
                recoveryPoint = "the snapshot forked \(when), in place by \(UTCTime.iso(ms: restoredForks.map(\.doneMs).max() ?? l.doneMs)): "
                    + (minCut == maxCut ? "it holds the first \(minCut) commands" : "it holds the first \(minCut) to \(maxCut) commands")
            } else if let s = restoredForks.last {
                recoveryPoint = "the snapshot forked at \(UTCTime.iso(ms: s.forkMs)) under some readings of the evidence "
                    + "(it holds the first \(minCut) to \(maxCut) commands), else the state before the history"
            } else if settings.policy.savePoints.isEmpty && settings.observedForks.isEmpty {
                recoveryPoint = "no save points and no AOF: only a dump.rdb older than the history (taken as its starting state) is loaded"
            } else {
                recoveryPoint = "no snapshot completed within the history: the dump.rdb from before it (taken as the history's starting state)"
            }
        case .aof:
            let fsync = FsyncSimulator(fsync: settings.policy.appendFsync, failure: settings.failure)
            var i = atT
            var tail: [LossClass] = []
            while i > 0 {
                let e = entries[i - 1]
                let lost = fsync.loss(loMs: e.loMs, hiMs: e.hiMs, crashMs: t)
                if lost == .none { break }
                tail.append(happened(i - 1) ? lost : min(lost, .possible))
                i -= 1
            }
            firstLost = i
            classes = tail.reversed()
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
                       snapshot: (early, expected, late), inProgress: inProgress, recoveryPoint: recoveryPoint)
    }
}
