/// Bytes a configuration writes to disk over the history, and how often it fsyncs.
/// - RDB: every snapshot writes the whole file (`rdbBytes`), fsynced every 4 MiB while it is
///   written (`rdb-save-incremental-fsync`, 7.0+) and once at the end.
/// - AOF: the commands as the history carries them; an automatic rewrite (the rule of
///   `auto-aof-rewrite-percentage` / `-min-size`) writes a new base of `rdbBytes` (RDB preamble)
///   and starts the growth over. The AOF is taken as freshly rewritten when the history starts.
/// - AOF fsyncs: `always` one per write command (an upper bound: a pipeline's commands of one
///   event-loop iteration share one), `everysec` one per second that has writes, `no` none.
public struct DiskTraffic: Sendable, Equatable {
    public static let rdbFsyncBytes: Int64 = 4 << 20

    public var rdbBytesPerHour: Double = 0
    public var aofAppendBytesPerHour: Double = 0
    public var rewrites = 0
    public var rewriteBytesPerHour: Double = 0
    public var fsyncsPerSecond: Double = 0
    /// The AOF's commands after its base (what a restart replays), averaged over the history's
    /// commands and at its largest.
    public var meanIncrBytes: Int64 = 0
    public var maxIncrBytes: Int64 = 0

    public var bytesPerHour: Double { rdbBytesPerHour + aofAppendBytesPerHour + rewriteBytesPerHour }

    /// The AOF side, fed command by command in file order.
    public struct AOFGrowth: Sendable {
        let rewrite: AOFRewriteRule
        let rdbBytes: Int64
        var size: Int64
        var appended: Int64 = 0
        var incrSum = 0.0
        var commands = 0
        var writes = 0
        var rewrites = 0
        var maxIncrBytes: Int64 = 0
        var seconds = Set<Int64>()
        var lastSecond: Int64?

        /// `rdbBytes`: the base an automatic rewrite writes, and the AOF's size at the start.
        public init(rewrite: AOFRewriteRule, rdbBytes: Int64) {
            self.rewrite = rewrite; self.rdbBytes = rdbBytes; size = rdbBytes
        }

        /// One command: `bytes` it carries in the AOF, whether it is framing, its window's start.
        public mutating func add(bytes b: Int64, isFraming: Bool, loMs: Int64) {
            appended += b
            size += b
            if rewrite.due(size: size, base: rdbBytes) {
                rewrites += 1
                size = rdbBytes
            }
            maxIncrBytes = max(maxIncrBytes, size - rdbBytes)
            incrSum += Double(size - rdbBytes)
            commands += 1
            if !isFraming { writes += 1 }
            if loMs != Int64.min {
                let s = LossProfile.floorSecond(loMs)
                if s != lastSecond { seconds.insert(s); lastSecond = s }
            }
        }
    }

    public init(timeline: WriteTimeline, candidate: PlanCandidate, snapshots: Int, rdbBytes: Int64, periodSeconds: Double) {
        var growth: AOFGrowth?
        if candidate.policy.appendOnly {
            var g = AOFGrowth(rewrite: candidate.rewrite, rdbBytes: rdbBytes)
            for i in timeline.entries.indices {
                let e = timeline.entries[i]
                g.add(bytes: CopyOnWriteEstimate.commandBytes(timeline, i), isFraming: e.isFraming, loMs: e.loMs)
            }
            growth = g
        }
        self.init(candidate: candidate, snapshots: snapshots, rdbBytes: rdbBytes, periodSeconds: periodSeconds, aof: growth)
    }

    /// `aof`: the history's commands as the AOF grew by them (nil for `appendonly no`).
    public init(candidate: PlanCandidate, snapshots: Int, rdbBytes: Int64, periodSeconds: Double, aof: AOFGrowth?) {
        let hours = periodSeconds / 3600
        guard hours > 0 else { return }
        var fsyncs = Double(snapshots) * Double(rdbBytes / Self.rdbFsyncBytes + 1)
        rdbBytesPerHour = Double(snapshots) * Double(rdbBytes) / hours
        let policy = candidate.policy
        if policy.appendOnly, let g = aof {
            rewrites = g.rewrites
            maxIncrBytes = g.maxIncrBytes
            meanIncrBytes = g.commands == 0 ? 0 : Int64(g.incrSum / Double(g.commands))
            aofAppendBytesPerHour = Double(g.appended) / hours
            rewriteBytesPerHour = Double(rewrites) * Double(rdbBytes) / hours
            fsyncs += Double(rewrites) * Double(rdbBytes / Self.rdbFsyncBytes + 1)
            switch policy.appendFsync {
            case .always: fsyncs += Double(g.writes)
            case .everysec: fsyncs += Double(g.seconds.count)
            case .no: break
            }
        }
        fsyncsPerSecond = fsyncs / periodSeconds
    }
}

/// How long a restart takes to load the data back, from file sizes and load rates. An estimate,
/// not a measurement: the defaults are redis-check-rdb 7.0.15's object-loading rate in
/// BENCHMARKS.md (about 150 MB/s on the mixed file; a server loading also builds its dicts) and
/// redis-server 7.0.15 loading `scripts/bench`'s 495 MB RESP AOF (and saving it) in 11 s.
public struct RestartEstimate: Sendable, Equatable {
    public static let defaultRDBBytesPerSecond = 150_000_000.0
    public static let defaultAOFBytesPerSecond = 45_000_000.0

    /// Typical (the AOF at its mean size) and worst (at its largest) load time, seconds.
    public var meanSeconds: Double
    public var maxSeconds: Double

    /// `appendonly yes` loads the AOF (its RDB preamble at the RDB rate, the commands after it
    /// at the AOF rate); `no` loads dump.rdb.
    public init(appendOnly: Bool, rdbBytes: Int64, traffic: DiskTraffic,
                rdbRate: Double = RestartEstimate.defaultRDBBytesPerSecond, aofRate: Double = RestartEstimate.defaultAOFBytesPerSecond) {
        let base = Double(rdbBytes) / rdbRate
        meanSeconds = appendOnly ? base + Double(traffic.meanIncrBytes) / aofRate : base
        maxSeconds = appendOnly ? base + Double(traffic.maxIncrBytes) / aofRate : base
    }
}
