/// `rdbtool plan`: every candidate configuration weighed over one write history (replayed once
/// into a `WriteTimeline`): crash loss at every instant for both failure kinds, snapshot cost,
/// disk traffic and restart time.
public struct PersistencePlan {
    public struct Settings: Sendable {
        /// `lastsave` at the start of the history; nil: the first write's second.
        public var startedSeconds: Int64?
        /// Snapshot duration; nil estimates it from the dataset's size (as crash-report does).
        public var bgsaveMs: Int64?
        /// The dataset's modelled keys (from `--rdb`); empty: sizes unknown.
        public var sizes = KeySizes()
        /// The RDB file's size; nil: estimated from the dataset.
        public var rdbBytes: Int64?
        public var forkMsPerGB = SnapshotCost.defaultForkMsPerGB
        public var rdbLoadBytesPerSecond = RestartEstimate.defaultRDBBytesPerSecond
        public var aofLoadBytesPerSecond = RestartEstimate.defaultAOFBytesPerSecond
        public init() {}
    }

    public struct Result {
        public var candidate: PlanCandidate
        /// One profile per failure kind: process, then power.
        public var loss: [LossProfile]
        public var snapshots: SnapshotCost
        public var disk: DiskTraffic
        public var restart: RestartEstimate
        /// The profile of one failure kind.
        public func loss(_ f: PersistencePolicy.Failure) -> LossProfile? { loss.first { $0.failure == f } }
    }

    public let timeline: WriteTimeline
    public let results: [Result]
    public let periodSeconds: Double
    /// The dataset's size the costs rest on, and what it was taken from.
    public let datasetBytes: Int64
    public let rdbBytes: Int64
    public private(set) var assumptions: [String] = []

    public init(timeline: WriteTimeline, candidates: [PlanCandidate], settings: Settings) {
        self.timeline = timeline
        periodSeconds = Double(LossProfile.periodSeconds(of: timeline))
        // Without an RDB, the AOF's bytes stand in for the dataset (as for the snapshot duration).
        let aofBytes = timeline.entries.last?.bytesSoFar ?? 0
        datasetBytes = settings.sizes.totalBytes > 0 ? settings.sizes.totalBytes : aofBytes
        rdbBytes = settings.rdbBytes ?? aofBytes
        if settings.sizes.totalBytes == 0 {
            assumptions.append("no --rdb: the dataset's memory and RDB size are taken as the AOF's \(aofBytes) bytes")
        }
        var bgsaveMs = settings.bgsaveMs
        if bgsaveMs == nil && settings.sizes.totalBytes > 0 {
            // The child writes the dataset it holds: its modelled memory is a better measure than the AOF's bytes.
            bgsaveMs = SnapshotSimulator.estimatedDurationMs(bytes: settings.sizes.totalBytes)
            assumptions.append("a snapshot takes \(bgsaveMs ?? 0) ms: 1 ms fork + the modelled dataset at 200 MB/s (--bgsave-seconds to set)")
        }
        var results: [Result] = []
        var notes: [String] = []
        for c in candidates {
            var loss: [LossProfile] = []
            var model: CrashModel?
            for f in PersistencePolicy.Failure.allCases {
                var s = CrashModel.Settings(policy: c.policy, failure: f)
                s.startedSeconds = settings.startedSeconds
                s.bgsaveMs = bgsaveMs
                let m = CrashModel(timeline: timeline, settings: s)
                loss.append(LossProfile(model: m))
                model = model ?? m
                // A duration derived here is no --bgsave-seconds: its own note above says where it came from.
                if notes.isEmpty { notes = m.assumptions.filter { settings.bgsaveMs != nil || !$0.hasPrefix("a snapshot takes") } }
            }
            guard let m = model else { continue }
            let snapshots = SnapshotCost(model: m, periodSeconds: periodSeconds, sizes: settings.sizes,
                                         datasetBytes: datasetBytes, forkMsPerGB: settings.forkMsPerGB)
            let disk = DiskTraffic(timeline: timeline, candidate: c, snapshots: snapshots.snapshots, rdbBytes: rdbBytes,
                                   periodSeconds: periodSeconds)
            let restart = RestartEstimate(appendOnly: c.policy.appendOnly, rdbBytes: rdbBytes, traffic: disk,
                                          rdbRate: settings.rdbLoadBytesPerSecond, aofRate: settings.aofLoadBytesPerSecond)
            results.append(Result(candidate: c, loss: loss, snapshots: snapshots, disk: disk, restart: restart))
        }
        self.results = results
        assumptions += notes
        assumptions.append("fork pause: \(settings.forkMsPerGB) ms per GB of the dataset (--fork-ms-per-gb)")
        assumptions.append("copy-on-write: each key written during a save dirties min(its modelled size, the bytes its writes carry); "
                           + "low end: those pages scattered at random over the dataset; high end: each key on its own pages "
                           + "plus its dict entry and bucket pages and \(CopyOnWriteEstimate.baselineBytes >> 20) MiB of buffers")
        assumptions.append("restart: RDB loaded at \(Int(settings.rdbLoadBytesPerSecond / 1e6)) MB/s, AOF commands replayed at "
                           + "\(Int(settings.aofLoadBytesPerSecond / 1e6)) MB/s (estimates, not measurements)")
    }
}

/// A stated goal and the configuration that meets it most cheaply.
public enum PlanGoal: Sendable, Equatable {
    /// Time window lost by a power failure, worst instant, seconds.
    case maxLoss(seconds: Double)
    /// Copy-on-write of the largest snapshot, high end of its range.
    case maxCOW(bytes: Int64)

    public var text: String {
        switch self {
        case .maxLoss(let s): "max loss \(s) s"
        case .maxCOW(let b): "max copy-on-write \(b) bytes"
        }
    }

    /// Whether a configuration meets the goal.
    public func met(by r: PersistencePlan.Result) -> Bool {
        switch self {
        case .maxLoss(let s): (r.loss(.power)?.window.max ?? 0) <= s
        case .maxCOW(let b): r.snapshots.maxCOW.high <= b
        }
    }

    /// Among the configurations meeting the goal, the one writing the fewest bytes per hour
    /// (for a COW goal, the one losing the least first); nil when none does.
    public func recommend(_ results: [PersistencePlan.Result]) -> PersistencePlan.Result? {
        let meeting = results.filter(met)
        switch self {
        case .maxLoss:
            return meeting.min { $0.disk.bytesPerHour < $1.disk.bytesPerHour }
        case .maxCOW:
            return meeting.min {
                let (a, b) = ($0.loss(.power)?.window.max ?? 0, $1.loss(.power)?.window.max ?? 0)
                return a != b ? a < b : $0.disk.bytesPerHour < $1.disk.bytesPerHour
            }
        }
    }

    /// `1s`, `500ms`, `2m` for loss; `2GB`, `512mb`, `100000` for copy-on-write.
    public static func parseLoss(_ text: String) -> PlanGoal? {
        let t = text.lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            guard let v = Double(t.dropLast(suffix.count)), v >= 0, v.isFinite else { return nil }
            return .maxLoss(seconds: v * scale)
        }
        return Double(t).flatMap { $0 >= 0 && $0.isFinite ? .maxLoss(seconds: $0) : nil }
    }

    public static func parseCOW(_ text: String) -> PlanGoal? {
        AOFRewriteRule.memorySize(text).map { .maxCOW(bytes: $0) }
    }
}
