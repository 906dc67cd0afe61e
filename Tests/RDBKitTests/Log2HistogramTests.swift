import Testing
@testable import RDBKit

@Suite struct Log2HistogramTests {
    @Test func zeroHasItsOwnBucketThenPowersOfTwo() {
        #expect([0, 1, 2, 3, 4, 7, 8].map(Log2Histogram.bucket) == [0, 1, 2, 2, 3, 3, 4])
        #expect(Log2Histogram.bucket(UInt64.max) == 64)
    }

    @Test func bucketRangesAreHalfOpen() {
        #expect(Log2Histogram.range(0) == (0, 1))
        #expect(Log2Histogram.range(3) == (4, 8))
        #expect(Log2Histogram.range(64).high == nil)
    }

    @Test func bucketsListOnlyNonEmptyOnesSmallestFirst() {
        var h = Log2Histogram()
        for v: UInt64 in [5, 0, 6, 100] { h.add(v) }
        #expect(h.total == 4)
        #expect(h.buckets.map(\.count) == [1, 2, 1])
        #expect(h.buckets.map(\.low) == [0, 4, 64])
    }
}
