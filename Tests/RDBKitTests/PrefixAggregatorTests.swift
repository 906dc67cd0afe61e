import Testing
@testable import RDBKit

private func totals(keys: Int64, memory: Int64, serialized: Int64 = 0) -> PrefixAggregator.Totals {
    .init(keys: keys, memoryBytes: memory, serializedBytes: serialized)
}

private func rows(_ level: PrefixAggregator.Level) -> [String] {
    level.rows.map { String(decoding: $0.prefix, as: UTF8.self) }
}

@Suite struct PrefixAggregatorTests {
    @Test func aKeyCountsTowardsEveryPrefixUpToTheDepth() {
        var p = PrefixAggregator(separator: Array(":".utf8), depth: 2, maxPrefixes: 10)
        p.add(key: Array("user:42:name".utf8), totals(keys: 1, memory: 100, serialized: 10))
        let levels = p.levels()
        #expect(rows(levels[0]) == ["user:"])
        #expect(rows(levels[1]) == ["user:42:"])
        #expect(levels[1].rows[0].totals == totals(keys: 1, memory: 100, serialized: 10))
    }

    @Test func keysWithoutTheSeparatorAreCountedApart() {
        var p = PrefixAggregator(separator: Array(":".utf8), depth: 2, maxPrefixes: 10)
        p.add(key: Array("plain".utf8), totals(keys: 1, memory: 7))
        #expect(p.unprefixed == totals(keys: 1, memory: 7))
        #expect(p.levels()[0].rows.isEmpty)
        #expect(p.all == totals(keys: 1, memory: 7))
    }

    @Test func multiByteSeparatorsAreMatchedWhole() {
        var p = PrefixAggregator(separator: Array("::".utf8), depth: 3, maxPrefixes: 10)
        p.add(key: Array("a:b::c::d".utf8), totals(keys: 1, memory: 1))
        #expect(rows(p.levels()[0]) == ["a:b::"])
        #expect(rows(p.levels()[1]) == ["a:b::c::"])
    }

    @Test func rowsAreLargestFirstThenByBytes() {
        var p = PrefixAggregator(separator: Array(":".utf8), depth: 1, maxPrefixes: 10)
        for (k, m) in [("b:1", 5), ("a:1", 5), ("c:1", 9)] { p.add(key: Array(k.utf8), totals(keys: 1, memory: Int64(m))) }
        #expect(rows(p.levels()[0]) == ["c:", "a:", "b:"])
    }

    @Test func beyondTheLimitTheSmallestAreFoldedIntoOtherWithExactTotals() {
        var p = PrefixAggregator(separator: Array(":".utf8), depth: 1, maxPrefixes: 2)
        for i in 1...10 { p.add(key: Array("p\(i):x".utf8), totals(keys: 1, memory: Int64(i))) }
        let level = p.levels()[0]
        #expect(level.rows.count <= 2)
        #expect(rows(level).first == "p10:")
        var sum = level.other
        for r in level.rows { sum.add(r.totals) }
        #expect(sum == totals(keys: 10, memory: 55))
        #expect(level.total == totals(keys: 10, memory: 55))
    }

    @Test func aPrunedPrefixSeenAgainIsUndercountedWithinTheStatedBound() {
        var p = PrefixAggregator(separator: Array(":".utf8), depth: 1, maxPrefixes: 2)
        p.add(key: Array("late:1".utf8), totals(keys: 1, memory: 1))
        for i in 1...3 { p.add(key: Array("big\(i):x".utf8), totals(keys: 1, memory: 100)) }  // prunes "late:"
        for _ in 0..<5 { p.add(key: Array("late:2".utf8), totals(keys: 1, memory: 100)) }
        let level = p.levels()[0]
        let late = level.rows.first { $0.prefix == Array("late:".utf8) }
        #expect(late?.totals.memoryBytes == 500)  // true 501
        #expect(level.maxUndercount >= 1)
    }

    @Test func nothingPrunedMeansNoUndercount() {
        var p = PrefixAggregator(separator: Array(":".utf8), depth: 1, maxPrefixes: 5)
        for i in 1...5 { p.add(key: Array("p\(i):x".utf8), totals(keys: 1, memory: 1)) }
        #expect(p.levels()[0].maxUndercount == 0)
        #expect(p.levels()[0].other == totals(keys: 0, memory: 0))
    }

    @Test func theLimitIsSharedEvenlyByTheDepths() {
        var p = PrefixAggregator(separator: Array(":".utf8), depth: 2, maxPrefixes: 4)
        #expect(p.perDepth == 2)
        for i in 1...10 { p.add(key: Array("a:\(i):x".utf8), totals(keys: 1, memory: Int64(i))) }
        #expect(p.levels()[1].rows.count <= 2)
        #expect(p.levels()[0].rows.count == 1)
    }
}
