/// Replays the save-point rule of `serverCron` (format.md §8.2) over a `WriteTimeline`: 10 Hz
/// ticks, save points tested in order with the first match winning, `unixtime - lastsave >
/// seconds` strictly, `lastsave` = when the parent notices completion, `dirty -=
/// dirty_before_bgsave` on success, a 5 s retry delay after a failure, no new save while a
/// child runs.
///
/// Commands of one second are not ordered against the ticks of that second, so the rule runs
/// three times. `early` is the earliest reading: a due save forks at the very start of its
/// second (or right after the write that made it due) holding none of that second's later
/// writes, and is noticed the moment it is done. `late` is the latest: a save forks at its
/// second's first tick running up to `lateTickMs` behind (one due after a write, at the next
/// second's), holding all of its second's writes, and is noticed a late tick after it is done.
/// `expected` is the likely case: one tick's share of the fork second's writes (100 ms of a
/// second whose writes are spread evenly) precede it.
///
/// The extremes are re-anchored on `expected` after every save (`Run.anchor(on:)`): their
/// k-th save is timed from the second the expected reading notices its (k-1)-th, so a band is
/// one save's uncertainty (the tick, the notice, a deferred fork: about a second plus the
/// save's duration), never k seconds. Run apart, the latest reading notices each save up to a
/// second later than the others and its period is longer by as much: after an hour of `save 5
/// 1` its k-th snapshot is minutes behind the earliest's and the bands cover minutes of writes.
/// A real server does not drift that way: its cron keeps one phase, so a save's notice lands
/// where the expected reading puts it save after save, and a server late on every save is one
/// further behind its cron than `lateTickMs` (an assumption the report states). Only the timing
/// is re-anchored: how much a save holds (its cut, hence the changes left to count) stays each
/// reading's own, because that decides whether and when a count-triggered save fires at all.
/// Where saves are made due by their changes, that does accumulate: each save may hold none to
/// two seconds of writes past the one that made it due, so the readings' phases part a little at
/// every save. `StalenessBound` then says how old the snapshot in place can be, whatever the phase.
public struct SnapshotSimulator: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var forkMs: Int64
        /// Entries before this index are in the file.
        public var cut: Int
        /// The file is renamed into place.
        public var doneMs: Int64
        /// The parent notices (sets `lastsave`).
        public var noticedMs: Int64
        public var succeeded: Bool
        /// The changes the file holds beyond the previous save (`dirty_before_bgsave`).
        public var dirty: Int64
        /// Forked at a given snapshot's ctime rather than by a save point.
        public var observed: Bool
    }

    public struct Settings: Sendable {
        public var savePoints: [PersistencePolicy.SavePoint]
        /// `lastsave` at the start of the history (start-up or the last save before it), Unix seconds.
        public var startedSeconds: Int64
        /// Fork times of snapshots known to have been taken (their `ctime`), Unix seconds:
        /// before the last of them, only these fork.
        public var observedForks: [Int64] = []
        /// The `ctime` of the snapshot in place at the end of the history (Unix seconds): no
        /// snapshot forks after it.
        public var lastFork: Int64?
        /// The first snapshot forked at or after each of these times (ms) fails.
        public var failuresMs: [Int64] = []
        /// How long a snapshot takes, from the AOF bytes so far; nil estimates.
        public var durationMs: Int64?
        /// Simulate up to here (Unix seconds) even after the last write.
        public var untilSeconds: Int64
        public init(savePoints: [PersistencePolicy.SavePoint], startedSeconds: Int64, untilSeconds: Int64) {
            self.savePoints = savePoints; self.startedSeconds = startedSeconds; self.untilSeconds = untilSeconds
        }
    }

    public let early: [Snapshot]
    public let expected: [Snapshot]
    public let late: [Snapshot]
    public let settings: Settings

    /// How far behind its 100 ms period the `late` schedule lets the cron run (a loaded machine).
    public static let lateTickMs: Int64 = 300

    /// Snapshot duration estimate: 1 ms for the fork plus the dataset (its AOF bytes so far as a
    /// proxy) written at 200 MB/s.
    public static func estimatedDurationMs(bytes: Int64) -> Int64 { 1 + bytes / 200_000 }

    /// The `ctime` AUX field of an RDB (Unix seconds): when the snapshot's child began, nil
    /// when the file has none. Reads only the AUX fields before the first key.
    public static func creationTime(ofRDB path: String) throws -> Int64? {
        let reader = try RDBReader(path: path)
        while let event = try reader.next() {
            switch event {
            case .header, .warning: continue
            case .aux(let name, let value):
                if name == Array("ctime".utf8) { return Int64(String(decoding: value, as: UTF8.self)) }
            default: return nil
            }
        }
        return nil
    }

    public init(timeline: WriteTimeline, settings: Settings) {
        self.settings = settings
        let entries = timeline.entries
        if entries.indices.allSatisfy({ Self.second(entries[$0], settings, early: true) == Self.second(entries[$0], settings, early: false) }) {
            var readings = Readings(settings: settings, bands: true)
            var i = 0
            while i < entries.count {
                let first = i, second = Self.second(entries[i], settings, early: false)
                var end = i + 1
                while end < entries.count && Self.second(entries[end], settings, early: false) == second { end += 1 }
                readings.push(second: second, count: end - first, dirty: { entries[first + $0].dirty }, bytesSoFar: { entries[first + $0].bytesSoFar })
                i = end
            }
            readings.finish()
            (early, expected, late) = (readings.runs[0].snapshots, readings.runs[1].snapshots, readings.runs[2].snapshots)
        } else {
            // Windows wider than a second (no annotations) place a command in different seconds
            // under each reading, so the readings cannot be run side by side and re-anchored:
            // each runs alone, and their spread is the evidence's.
            early = Self.run(timeline, settings, share: 0)
            expected = Self.run(timeline, settings, share: 0.1)
            late = Self.run(timeline, settings, share: 1)
        }
    }

    static func second(_ ms: Int64) -> Int64 { ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000) }

    /// The second a command sits in under the earliest reading (`early`) or the others: an
    /// unknown bound falls back to the other.
    static func second(_ e: WriteTimeline.Entry, _ s: Settings, early: Bool) -> Int64 {
        let t = early ? (e.loMs != Int64.min ? e.loMs : e.hiMs) : (e.hiMs != Int64.max ? e.hiMs : e.loMs)
        return t == Int64.min || t == Int64.max ? s.startedSeconds : max(Self.second(t), s.startedSeconds)
    }

    /// `share`: the part of the fork second's writes (after the one that made it due) that
    /// precede the fork.
    private static func run(_ timeline: WriteTimeline, _ s: Settings, share: Double) -> [Snapshot] {
        let entries = timeline.entries
        let n = entries.count
        func sec(_ i: Int) -> Int64 { second(entries[i], s, early: share == 0) }
        var run = Run(settings: s, share: share)
        var i = 0
        while i < n {
            let first = i, second = sec(i)
            var end = i + 1
            while end < n && sec(end) == second { end += 1 }
            run.push(second: second, count: end - first, dirty: { entries[first + $0].dirty }, bytesSoFar: { entries[first + $0].bytesSoFar })
            i = end
        }
        run.finish()
        return run.snapshots
    }

    /// The three readings fed the same seconds of commands side by side, the extremes re-anchored
    /// on the expected one after every step (`plan` drives one while it replays); without
    /// `bands`, the expected reading alone.
    public struct Readings: Sendable {
        /// early, expected, late; or expected alone.
        public private(set) var runs: [Run]

        public init(settings: Settings, bands: Bool) {
            runs = (bands ? [0, 0.1, 1] : [0.1]).map { Run(settings: settings, share: $0) }
        }

        /// See `Run.push`. The readings step together through every second any of them acts in,
        /// so each is re-anchored before it times its next save.
        public mutating func push(second: Int64, count: Int, dirty: (Int) -> Int32, bytesSoFar: (Int) -> Int64) {
            while let next = runs.compactMap({ $0.stuck ? nil : $0.nextSecond(pending: second) }).min(), next < second { step(to: next) }
            for r in runs.indices { runs[r].push(second: second, count: count, dirty: dirty, bytesSoFar: bytesSoFar) }
            anchor()
        }

        /// Runs on past the last command, up to `settings.untilSeconds`.
        public mutating func finish() {
            for r in runs.indices { runs[r].settle() }
            anchor()
            while let next = runs.compactMap({ $0.stuck ? nil : $0.nextSecond(pending: nil) }).min() { step(to: next) }
        }

        /// A second without commands.
        private mutating func step(to second: Int64) {
            for r in runs.indices { runs[r].push(second: second, count: 0, dirty: { _ in 0 }, bytesSoFar: { _ in 0 }) }
            anchor()
        }

        private mutating func anchor() {
            guard runs.count == 3 else { return }
            runs[0].anchor(on: runs[1])
            runs[2].anchor(on: runs[1])
        }
    }

    /// The save-point rule run forward as the commands arrive, a second at a time: `plan` drives
    /// one while it replays, `run` over a whole timeline. Commands are pushed in groups, each every
    /// command of one second (in this variant's reading) in file order.
    public struct Run: Sendable {
        public let settings: Settings
        let share: Double
        /// In fork order, a child still running included.
        public private(set) var snapshots: [Snapshot] = []
        /// Commands pushed (the index of the next one).
        public private(set) var pushed = 0
        var now: Int64
        /// The rule has run for `now`.
        var ranNow = false
        /// Commands arrived for a second already passed: those and later ones are never reached.
        var stuck = false
        var dirty: Int64 = 0
        var lastsave: Int64
        var lastTry = Int64.min / 2
        var statusOK = true
        var child: Snapshot?
        var failures: [Int64]
        let observed: [Int64]
        /// `bytesSoFar` of the last command pushed.
        var lastBytes: Int64 = 0
        /// `late`: a save made due by a write forks at the next second's first tick.
        var deferred = false
        /// Saves re-anchored on the expected reading (`anchor(on:)`).
        var anchored = 0

        public init(settings: Settings, share: Double) {
            self.settings = settings
            self.share = share
            now = settings.startedSeconds
            lastsave = settings.startedSeconds
            failures = settings.failuresMs.sorted()
            observed = settings.observedForks.sorted()
        }

        /// The next `count` commands, all of `second` (a second after the previous group's);
        /// `dirty(k)` and `bytesSoFar(k)` describe the group's `k`th.
        public mutating func push(second: Int64, count: Int, dirty: (Int) -> Int32, bytesSoFar: (Int) -> Int64) {
            guard !stuck else { return }
            while true {
                if !ranNow {
                    ranNow = true
                    if now == second { tick(count: count, dirty: dirty, bytesSoFar: bytesSoFar); return }
                    tick(count: 0, dirty: dirty, bytesSoFar: bytesSoFar)
                }
                guard let next = nextSecond(pending: second) else { stuck = true; return }
                now = next
                ranNow = false
            }
        }

        /// Runs on past the last command, up to `settings.untilSeconds`.
        mutating func finish() {
            guard !stuck else { return }
            while true {
                settle()
                guard let next = nextSecond(pending: nil) else { return }
                now = next
                ranNow = false
            }
        }

        /// Runs the rule for `now` if it has not run yet.
        mutating func settle() {
            guard !stuck && !ranNow else { return }
            ranNow = true
            tick(count: 0, dirty: { _ in 0 }, bytesSoFar: { _ in 0 })
        }

        /// Re-anchors an extreme reading on the expected one (see `SnapshotSimulator`): once both
        /// have noticed their k-th save, this one's `lastsave` is the second the expected one
        /// noticed it. Not when the two are not one save read two ways: either failed, or they
        /// were noticed more than 2 s apart (the readings have parted, a count-triggered save
        /// firing under one only).
        mutating func anchor(on expected: Run) {
            let k = snapshots.count - (child == nil ? 0 : 1)
            guard k > anchored && expected.snapshots.count - (expected.child == nil ? 0 : 1) >= k else { return }
            anchored = k
            let (own, theirs) = (snapshots[k - 1], expected.snapshots[k - 1])
            let (mine, noticed) = (SnapshotSimulator.second(own.noticedMs), SnapshotSimulator.second(theirs.noticedMs))
            guard own.succeeded && theirs.succeeded && lastsave == mine && abs(noticed - mine) <= 2 else { return }
            lastsave = noticed
        }

        /// `offsetMs`: where in the second the fork happens; `noticeMs`: the parent's delay.
        mutating func fork(at second: Int64, cut: Int, offsetMs: Int64 = 0, noticeMs: Int64 = 0) {
            let forkMs = second * 1000 + offsetMs
            let duration = settings.durationMs ?? estimatedDurationMs(bytes: cut > 0 ? lastBytes : 0)
            var ok = true
            if let f = failures.first, f <= forkMs { failures.removeFirst(); ok = false }
            let done = forkMs + duration
            let c = Snapshot(forkMs: forkMs, cut: cut, doneMs: done, noticedMs: done + noticeMs,
                             succeeded: ok, dirty: dirty, observed: observed.last.map { second <= $0 } ?? false)
            child = c
            snapshots.append(c)
            lastTry = second
        }

        func ruleFires(at second: Int64) -> Bool {
            if let f = settings.lastFork, second > f { return false }
            // A given snapshot forks once, even when its child is done within its second.
            if let lastObserved = observed.last, second <= lastObserved { return observed.contains(second) && lastTry != second }
            for p in settings.savePoints where dirty >= p.changes && second - lastsave > p.seconds {
                return statusOK || second - lastTry > 5
            }
            return false
        }

        mutating func finishChild(upTo t: Int64) {
            guard let c = child, SnapshotSimulator.second(c.noticedMs) <= t else { return }
            if c.succeeded {
                dirty -= c.dirty
                lastsave = SnapshotSimulator.second(c.noticedMs)
                statusOK = true
            } else {
                statusOK = false
            }
            child = nil
        }

        /// The next second anything can happen in, after `now`; `pending`: the next command's.
        func nextSecond(pending: Int64?) -> Int64? {
            var next: [Int64] = []
            if let pending { next.append(pending) }
            if deferred { next.append(now + 1) }
            if let c = child { next.append(SnapshotSimulator.second(c.noticedMs)) }
            else {
                if let lastObserved = observed.last, now < lastObserved {
                    if let o = observed.first(where: { $0 > now }) { next.append(o) }
                } else if settings.lastFork == nil {
                    for p in settings.savePoints where dirty >= p.changes {
                        var t = lastsave + p.seconds + 1
                        if !statusOK { t = max(t, lastTry + 6) }
                        next.append(t)
                    }
                }
            }
            guard let m = next.filter({ $0 > now }).min(), m <= max(settings.untilSeconds, pending ?? Int64.min) else { return nil }
            return m
        }

        /// The rule over second `now`, whose `count` commands are the next ones.
        mutating func tick(count: Int, dirty entryDirty: (Int) -> Int32, bytesSoFar: (Int) -> Int64) {
            let early = share == 0, late = share == 1
            finishChild(upTo: now)
            let first = pushed
            let end = pushed + count
            let lag = Int((Double(end - first) * share).rounded(.up))
            let dueAtStart = child == nil && (deferred || ruleFires(at: now))
            deferred = false
            var forkAt: Int? = dueAtStart ? min(first + lag, end) : nil
            func forkNow(_ run: inout Run) {
                // Due at the second's start: the first tick (100 ms in, late by up to lateTickMs
                // under `late`); due after a write: where the cut falls if the second's writes are
                // spread evenly. The parent notices at the tick after the child is done.
                let i = run.pushed
                let offset: Int64 = early ? 0 : late ? 100 + SnapshotSimulator.lateTickMs
                    : dueAtStart ? 100 : min(999, Int64(1000 * (i - first) / max(end - first, 1)))
                let notice: Int64 = early ? 0 : late ? 100 + SnapshotSimulator.lateTickMs : dueAtStart ? 100 : 0
                run.fork(at: run.now, cut: i, offsetMs: offset, noticeMs: notice)
                forkAt = nil
            }
            while pushed < end {
                if let f = forkAt, pushed >= f, child == nil { forkNow(&self) }
                let d = entryDirty(pushed - first)
                dirty += Int64(d)
                lastBytes = bytesSoFar(pushed - first)
                pushed += 1
                finishChild(upTo: now)
                if forkAt == nil && !deferred && child == nil && d > 0 && ruleFires(at: now) {
                    // The tick after this write may fall in the next second.
                    if late && observed.last.map({ now > $0 }) ?? true { deferred = true } else { forkAt = min(pushed + lag, end) }
                }
            }
            if forkAt != nil && child == nil { forkNow(&self) }
            finishChild(upTo: now)
        }
    }
}
