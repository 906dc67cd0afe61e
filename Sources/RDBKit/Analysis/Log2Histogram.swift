/// Counts of non-negative values in power-of-two buckets: bucket 0 holds 0, bucket k >= 1
/// holds [2^(k-1), 2^k). Constant memory, one pass.
public struct Log2Histogram: Sendable, Equatable {
    public private(set) var counts: [Int] = []
    public private(set) var total = 0

    public init() {}

    public mutating func add(_ v: UInt64) {
        let bucket = Self.bucket(v)
        if counts.count <= bucket { counts += [Int](repeating: 0, count: bucket + 1 - counts.count) }
        counts[bucket] += 1
        total += 1
    }

    public static func bucket(_ v: UInt64) -> Int { UInt64.bitWidth - v.leadingZeroBitCount }

    /// Inclusive lower and exclusive upper bound of bucket `k` (bucket 64's upper bound is nil).
    public static func range(_ k: Int) -> (low: UInt64, high: UInt64?) {
        if k == 0 { return (0, 1) }
        return (1 << (k - 1), k < 64 ? 1 << k : nil)
    }

    /// Non-empty buckets, smallest first.
    public var buckets: [(low: UInt64, high: UInt64?, count: Int)] {
        counts.indices.filter { counts[$0] > 0 }.map { (Self.range($0).low, Self.range($0).high, counts[$0]) }
    }

    public var isEmpty: Bool { total == 0 }
}
