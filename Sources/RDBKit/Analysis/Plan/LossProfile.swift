/// The crash-loss model of `crash-report` asked at every instant of a period: a crash in each
/// second of the history, taken at the second's last millisecond (when all of its writes have
/// happened and the loss within that second is largest). The loss at each instant comes from
/// `CrashModel.lossCounts(atMs:)`, the counts of the `evaluate(atMs:)` that `crash-report`
/// makes (tested equal): no second model.
public struct LossProfile: Sendable {
    /// The loss of one crash instant.
    public struct Point: Sendable, Equatable {
        public var ms: Int64
        /// Writes certainly or likely lost (the expected case).
        public var writes: Int
        /// Writes lost in the worst case the evidence allows (possibly lost ones included).
        public var worstWrites: Int
        /// From the earliest write lost in the worst case to the crash, ms; 0 when none is lost.
        public var windowMs: Int64
    }

    /// Maximum, mean and 99th percentile (nearest rank) over the instants.
    public struct Stats: Sendable, Equatable {
        public var max: Double
        public var mean: Double
        public var p99: Double

        public init(_ values: [Double]) {
            guard !values.isEmpty else { max = 0; mean = 0; p99 = 0; return }
            let sorted = values.sorted()
            max = sorted[sorted.count - 1]
            mean = values.reduce(0, +) / Double(values.count)
            let rank = Int((0.99 * Double(sorted.count)).rounded(.up))
            p99 = sorted[Swift.max(rank, 1) - 1]
        }
    }

    public let failure: PersistencePolicy.Failure
    public let instants: Int
    public let writes: Stats
    public let worstWrites: Stats
    /// In seconds.
    public let window: Stats
    /// The loss over time, at most `curvePoints` points: each the worst instant of its stretch.
    public let curve: [Point]

    /// The crash instants of a history: the last millisecond of every second from the first
    /// timed write's to the last's.
    public static func instants(of timeline: WriteTimeline) -> StrideThrough<Int64> {
        guard let span = timeline.span else { return stride(from: 0, through: -1, by: 1000) }
        let first = floorSecond(span.first), last = floorSecond(span.last)
        return stride(from: first * 1000 + 999, through: last * 1000 + 999, by: 1000)
    }

    /// The number of those instants: the history's length in whole seconds.
    public static func periodSeconds(of timeline: WriteTimeline) -> Int64 {
        guard let span = timeline.span else { return 0 }
        return floorSecond(span.last) - floorSecond(span.first) + 1
    }

    static func floorSecond(_ ms: Int64) -> Int64 { ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000) }

    /// The loss a crash at `t` causes, read off the model's counts.
    public static func point(_ counts: CrashModel.LossCounts, at t: Int64, timeline: WriteTimeline) -> Point {
        var window: Int64 = 0
        if counts.firstLost < counts.atT {
            let e = timeline.entries[counts.firstLost]
            let from = e.loMs == Int64.min ? (timeline.span?.first ?? t) : e.loMs
            window = max(0, t - from + 1)
        }
        return Point(ms: t, writes: counts.certain + counts.likely, worstWrites: counts.total, windowMs: window)
    }

    public init(model: CrashModel, curvePoints: Int = 400) {
        self.init(failure: model.settings.failure,
                  points: Self.instants(of: model.timeline).map { Self.point(model.lossCounts(atMs: $0), at: $0, timeline: model.timeline) },
                  curvePoints: curvePoints)
    }

    /// `points`: the loss at each crash instant, in time order.
    public init(failure: PersistencePolicy.Failure, points: [Point], curvePoints: Int = 400) {
        self.failure = failure
        instants = points.count
        writes = Stats(points.map { Double($0.writes) })
        worstWrites = Stats(points.map { Double($0.worstWrites) })
        window = Stats(points.map { Double($0.windowMs) / 1000 })
        let stretch = max(1, (points.count + curvePoints - 1) / max(curvePoints, 1))
        curve = stride(from: 0, to: points.count, by: stretch).compactMap { start in
            points[start..<min(start + stretch, points.count)].max { ($0.worstWrites, $0.windowMs) < ($1.worstWrites, $1.windowMs) }
        }
    }
}
