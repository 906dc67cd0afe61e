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
        var a = Accumulator(failure: model.settings.failure, curvePoints: curvePoints)
        for t in Self.instants(of: model.timeline) { a.add(Self.point(model.lossCounts(atMs: t), at: t, timeline: model.timeline)) }
        self = a.profile
    }

    /// `points`: the loss at each crash instant, in time order.
    public init(failure: PersistencePolicy.Failure, points: [Point], curvePoints: Int = 400) {
        var a = Accumulator(failure: failure, curvePoints: curvePoints)
        for p in points { a.add(p) }
        self = a.profile
    }

    fileprivate init(failure: PersistencePolicy.Failure, instants: Int, writes: Stats, worstWrites: Stats, window: Stats, curve: [Point]) {
        self.failure = failure; self.instants = instants
        self.writes = writes; self.worstWrites = worstWrites; self.window = window; self.curve = curve
    }

    /// A profile built one crash instant at a time, in memory that does not grow with the
    /// period (a day is 86,400 instants per candidate and failure kind): the statistics come
    /// from `Distribution`s, and the curve keeps between `curvePoints` and twice as many
    /// points, each the worst of a stretch of instants, merging neighbours in pairs when full.
    public struct Accumulator: Sendable {
        public let failure: PersistencePolicy.Failure
        let curvePoints: Int
        private var instants = 0
        private var writes = Distribution(), worstWrites = Distribution(), windowMs = Distribution()
        private var curve: [Point] = []
        private var stretch = 1
        /// The worst instant of the stretch not yet complete, and how many it covers.
        private var partial: (point: Point, count: Int)?

        public init(failure: PersistencePolicy.Failure, curvePoints: Int = 400) {
            self.failure = failure
            self.curvePoints = Swift.max(curvePoints, 1)
        }

        public mutating func add(_ p: Point) {
            instants += 1
            writes.add(Int64(p.writes))
            worstWrites.add(Int64(p.worstWrites))
            windowMs.add(p.windowMs)
            let merged = partial.map { (Self.worse($0.point, p), $0.count + 1) } ?? (p, 1)
            if merged.1 < stretch {
                partial = merged
                return
            }
            partial = nil
            curve.append(merged.0)
            if curve.count == 2 * curvePoints {
                curve = Self.pairedUp(curve)
                stretch *= 2
            }
        }

        public var profile: LossProfile {
            var points = curve
            if let partial { points.append(partial.point) }
            while points.count > curvePoints { points = Self.pairedUp(points) }
            return LossProfile(failure: failure, instants: instants, writes: writes.stats(scale: 1),
                               worstWrites: worstWrites.stats(scale: 1), window: windowMs.stats(scale: 1000), curve: points)
        }

        static func worse(_ a: Point, _ b: Point) -> Point {
            (a.worstWrites, a.windowMs) < (b.worstWrites, b.windowMs) ? b : a
        }

        static func pairedUp(_ points: [Point]) -> [Point] {
            stride(from: 0, to: points.count, by: 2).map { i in
                i + 1 < points.count ? worse(points[i], points[i + 1]) : points[i]
            }
        }
    }
}

/// Counts of non-negative integers in buckets that are exact below 1,024 and 1/512 of their
/// values wide above it (at most 512 buckets per power of two): the maximum and mean are exact,
/// the 99th percentile is the upper end of its bucket, at most 0.2% above the exact one.
struct Distribution: Sendable {
    private var count = 0
    private var sum: Double = 0
    private var max: Int64 = 0
    private var buckets: [Int: Int] = [:]

    private static let exactBelow: Int64 = 1024
    /// Bits of a value kept below its leading one: 9, so 512 buckets per power of two.
    private static let precision = 9

    mutating func add(_ v: Int64) {
        let v = Swift.max(v, 0)
        count += 1
        sum += Double(v)
        max = Swift.max(max, v)
        buckets[Self.bucket(v), default: 0] += 1
    }

    static func bucket(_ v: Int64) -> Int {
        guard v >= exactBelow else { return Int(v) }
        let shift = (Int64.bitWidth - 1 - v.leadingZeroBitCount) - precision
        return Int(exactBelow) + shift * (1 << precision) + Int((v >> shift) & ((1 << precision) - 1))
    }

    /// The largest value bucket `b` holds.
    static func upperEnd(_ b: Int) -> Int64 {
        guard b >= Int(exactBelow) else { return Int64(b) }
        let shift = (b - Int(exactBelow)) >> precision
        let mantissa = Int64((b - Int(exactBelow)) & ((1 << precision) - 1)) | (1 << precision)
        return ((mantissa + 1) << shift) - 1
    }

    /// Values divided by `scale`.
    func stats(scale: Double) -> LossProfile.Stats {
        guard count > 0 else { return LossProfile.Stats(max: 0, mean: 0, p99: 0) }
        let rank = Swift.max(Int((0.99 * Double(count)).rounded(.up)), 1)
        var seen = 0, p99 = max
        for b in buckets.keys.sorted() {
            seen += buckets[b] ?? 0
            if seen >= rank { p99 = Swift.min(Self.upperEnd(b), max); break }
        }
        return LossProfile.Stats(max: Double(max) / scale, mean: sum / Double(count) / scale, p99: Double(p99) / scale)
    }
}
