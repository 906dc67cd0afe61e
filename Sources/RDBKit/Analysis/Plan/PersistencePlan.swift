/// `rdbtool plan`: every candidate configuration weighed over one write history, replayed once:
/// crash loss at every instant for both failure kinds, snapshot cost, disk traffic and restart time.
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

    /// What the history was.
    public struct History: Sendable {
        public var count: Int
        /// The first and last instants the history can be placed at (ms), when known.
        public var span: (first: Int64, last: Int64)?
        public var timing: WriteTimeline.Timing
        /// What the time windows rest on.
        public var notes: [String]
        public var warnings: [AOFWarning]
        public var tails: [AOFTail]
        /// Replayed in one pass without a per-command timeline.
        public var streamed: Bool
    }

    public let history: History
    public let results: [Result]
    public let periodSeconds: Double
    /// The dataset's size the costs rest on, and what it was taken from.
    public let datasetBytes: Int64
    public let rdbBytes: Int64
    public let assumptions: [String]

    /// What the costs rest on, from the AOF's bytes and the settings.
    private struct Basis {
        var datasetBytes: Int64
        var rdbBytes: Int64
        var bgsaveMs: Int64?
        var assumptions: [String] = []

        init(aofBytes: Int64, settings: Settings) {
            // Without an RDB, the AOF's bytes stand in for the dataset (as for the snapshot duration).
            datasetBytes = settings.sizes.totalBytes > 0 ? settings.sizes.totalBytes : aofBytes
            rdbBytes = settings.rdbBytes ?? aofBytes
            if settings.sizes.totalBytes == 0 {
                assumptions.append("no --rdb: the dataset's memory and RDB size are taken as the AOF's \(aofBytes) bytes")
            }
            bgsaveMs = settings.bgsaveMs
            if bgsaveMs == nil && settings.sizes.totalBytes > 0 {
                // The child writes the dataset it holds: its modelled memory is a better measure than the AOF's bytes.
                bgsaveMs = SnapshotSimulator.estimatedDurationMs(bytes: settings.sizes.totalBytes)
                assumptions.append("a snapshot takes \(bgsaveMs ?? 0) ms: 1 ms fork + the modelled dataset at 200 MB/s (--bgsave-seconds to set)")
            }
        }

        /// The models' own notes (a duration derived here is no --bgsave-seconds: its own note says where it came from).
        func modelNotes(_ notes: [String], settings: Settings) -> [String] {
            notes.filter { settings.bgsaveMs != nil || !$0.hasPrefix("a snapshot takes") }
        }

        func closing(_ settings: Settings) -> [String] {
            ["fork pause: \(settings.forkMsPerGB) ms per GB of the dataset (--fork-ms-per-gb)",
             "copy-on-write: each key written during a save dirties min(its modelled size, the bytes its writes carry); "
                + "low end: those pages scattered at random over the dataset; high end: each key on its own pages "
                + "plus its dict entry and bucket pages and \(CopyOnWriteEstimate.baselineBytes >> 20) MiB of buffers",
             "restart: RDB loaded at \(Int(settings.rdbLoadBytesPerSecond / 1e6)) MB/s, AOF commands replayed at "
                + "\(Int(settings.aofLoadBytesPerSecond / 1e6)) MB/s (estimates, not measurements)"]
        }

        func result(_ c: PlanCandidate, loss: [LossProfile], snapshots: SnapshotCost, disk: DiskTraffic, settings: Settings) -> Result {
            let restart = RestartEstimate(appendOnly: c.policy.appendOnly, rdbBytes: rdbBytes, traffic: disk,
                                          rdbRate: settings.rdbLoadBytesPerSecond, aofRate: settings.aofLoadBytesPerSecond)
            return Result(candidate: c, loss: loss, snapshots: snapshots, disk: disk, restart: restart)
        }
    }

    /// Over a history already kept as a timeline (crash-report's model, per command).
    public init(timeline: WriteTimeline, candidates: [PlanCandidate], settings: Settings) {
        history = History(count: timeline.count, span: timeline.span, timing: timeline.timing, notes: timeline.notes,
                          warnings: timeline.warnings, tails: timeline.tails, streamed: false)
        periodSeconds = Double(LossProfile.periodSeconds(of: timeline))
        let basis = Basis(aofBytes: timeline.entries.last?.bytesSoFar ?? 0, settings: settings)
        datasetBytes = basis.datasetBytes
        rdbBytes = basis.rdbBytes
        var results: [Result] = []
        var notes: [String] = []
        for c in candidates {
            var loss: [LossProfile] = []
            var model: CrashModel?
            for f in PersistencePolicy.Failure.allCases {
                var s = CrashModel.Settings(policy: c.policy, failure: f)
                s.startedSeconds = settings.startedSeconds
                s.bgsaveMs = basis.bgsaveMs
                let m = CrashModel(timeline: timeline, settings: s)
                loss.append(LossProfile(model: m))
                model = model ?? m
                if notes.isEmpty { notes = basis.modelNotes(m.assumptions, settings: settings) }
            }
            guard let m = model else { continue }
            let snapshots = SnapshotCost(model: m, periodSeconds: periodSeconds, sizes: settings.sizes,
                                         datasetBytes: datasetBytes, forkMsPerGB: settings.forkMsPerGB)
            let disk = DiskTraffic(timeline: timeline, candidate: c, snapshots: snapshots.snapshots, rdbBytes: rdbBytes,
                                   periodSeconds: periodSeconds)
            results.append(basis.result(c, loss: loss, snapshots: snapshots, disk: disk, settings: settings))
        }
        self.results = results
        assumptions = basis.assumptions + notes + basis.closing(settings)
    }

    /// Replays the AOF at `path` once, measuring every candidate as the history passes (memory:
    /// the replayed dataset, the candidates' snapshots, one loss point per second). A history not
    /// timed by `#TS:` on every command, in rising order, is read into a `WriteTimeline` instead.
    /// Throws `AOFError`, `ReplayError` or `CrashError`.
    public init(path: String, options: AOFReader.Options = .init(), candidates: [PlanCandidate], settings: Settings) throws {
        // An AOF rewrite's base is the RDB's size; without --rdb the AOF's own, known once it is read:
        // guessed from the files' sizes, and the history read again in the rare case (a torn tail) that differs.
        let files = try AOFReader(path: path, options: options).layout.parts
            .filter { $0.role == .single || $0.role == .base || $0.role == .incr }.reduce(Int64(0)) { $0 + ($1.size ?? 0) }
        var rdbGuess = settings.rdbBytes ?? files
        var pass: PlanReplay?
        do {
            for _ in 0..<2 {
                let r = try PlanReplay(path: path, options: options, candidates: candidates, startedSeconds: settings.startedSeconds,
                                       bgsaveMs: Basis(aofBytes: 0, settings: settings).bgsaveMs, sizes: settings.sizes, rdbBytes: rdbGuess)
                pass = r
                if settings.rdbBytes != nil || r.aofBytes == rdbGuess || !candidates.contains(where: \.policy.appendOnly) { break }
                rdbGuess = r.aofBytes
                pass = nil
            }
        } catch is PlanReplay.NeedsTimeline {
            pass = nil
        }
        guard let r = pass, r.commands > 0 else {
            self.init(timeline: try WriteTimeline(path: path, options: options), candidates: candidates, settings: settings)
            return
        }
        let annotations = r.replay.annotations
        let history = History(count: r.commands, span: r.span, timing: .annotated(annotations: annotations),
                              notes: [HistoryReplay.annotatedNote(annotations)], warnings: r.replay.warnings, tails: r.replay.tails,
                              streamed: true)
        let period = r.span.map { Double(LossProfile.floorSecond($0.last) - LossProfile.floorSecond($0.first) + 1) } ?? 0
        let basis = Basis(aofBytes: r.aofBytes, settings: settings)
        var notes: [String] = []
        for c in candidates {
            for f in PersistencePolicy.Failure.allCases where notes.isEmpty {
                var s = CrashModel.Settings(policy: c.policy, failure: f)
                s.startedSeconds = settings.startedSeconds
                s.bgsaveMs = basis.bgsaveMs
                notes = basis.modelNotes(CrashModel.assumptions(settings: s, started: r.startedSeconds, historyBytes: r.aofBytes,
                                                                baseKeys: r.replay.baseKeys, baseCreated: r.replay.baseCreated,
                                                                timing: history.timing), settings: settings)
            }
        }
        let results = r.trackers.map { t in
            let loss = t.loss.map(\.profile)
            let snapshots = SnapshotCost(copyOnWrite: t.pages.map { CopyOnWriteEstimate($0, datasetBytes: basis.datasetBytes) },
                                         periodSeconds: period, datasetBytes: basis.datasetBytes, forkMsPerGB: settings.forkMsPerGB)
            let disk = DiskTraffic(candidate: t.candidate, snapshots: snapshots.snapshots, rdbBytes: basis.rdbBytes, periodSeconds: period,
                                   aof: t.growth)
            return basis.result(t.candidate, loss: loss, snapshots: snapshots, disk: disk, settings: settings)
        }
        self.init(history: history, results: results, periodSeconds: period, datasetBytes: basis.datasetBytes, rdbBytes: basis.rdbBytes,
                  assumptions: basis.assumptions + notes + basis.closing(settings))
    }

    private init(history: History, results: [Result], periodSeconds: Double, datasetBytes: Int64, rdbBytes: Int64, assumptions: [String]) {
        self.history = history
        self.results = results
        self.periodSeconds = periodSeconds
        self.datasetBytes = datasetBytes
        self.rdbBytes = rdbBytes
        self.assumptions = assumptions
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
