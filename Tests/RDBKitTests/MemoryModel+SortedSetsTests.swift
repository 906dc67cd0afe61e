import Testing
@testable import RDBKit

private func zset(_ pairs: [(String, Double)]) -> Value {
    .zset(SortedSetValue(members: byteList(pairs.map(\.0)), scores: pairs.map(\.1)))
}

@Suite struct MemoryModelSortedSetsTests {
    @Test func listpacksAreLoadedAsStored() {
        let e = MemoryModel().estimate(memoryRecord(zset([("a", 1.5), ("b", 2)]), stored: .listpack, blobs: [.init(bytes: 20, elements: 4)]))
        #expect(e.encoding == .listpack)
        #expect(e.valueBytes == 16 + 32)
    }

    @Test func smallSkiplistsArePackedOnLoadWithScoresAsText() {
        // "a" (3), "1.5" (5), "b" (3), integer 2 (2), plus 7: 20 bytes.
        let e = MemoryModel().estimate(memoryRecord(zset([("a", 1.5), ("b", 2)]), stored: .skiplist))
        #expect(e.encoding == .listpack)
        #expect(e.valueBytes == 16 + 32)
    }

    @Test func largeSkiplistsStaySkiplistsWithAPresizedDict() {
        let pairs = (0..<200).map { ("m\($0)", Double($0)) }
        let e = MemoryModel().estimate(memoryRecord(zset(pairs), stored: .skiplist))
        #expect(e.encoding == .skiplist)
        let fixed = 16 + 16 + 32 + 56 + 256 * 8 + 640
        #expect(e.valueBytes == Int64(fixed + 200 * (8 + 24) + Int((200 * MemoryModel.meanSkiplistNode).rounded())))
    }

    @Test func theMeanSkiplistNodeFollowsTheLevelDistribution() {
        // 3/4 of nodes have one level (40 -> 48 bytes), 3/16 two (56 -> 64), ...
        #expect(abs(MemoryModel.meanSkiplistNode - 53.336) < 0.001)
    }

    @Test func scoresPrintAsIntegersWithinTheWritersRange() {
        #expect(MemoryModel.integerScore(123_456_789_012_345_680, .redis70) == 123_456_789_012_345_680)
        #expect(MemoryModel.integerScore(123_456_789_012_345_680, .redis62) == nil)
        #expect(MemoryModel.integerScore(-0.0, .redis70) == 0)
        #expect(MemoryModel.integerScore(-0.0, .redis62) == nil)
        #expect(MemoryModel.integerScore(1.5, .redis70) == nil)
    }

    @Test func otherScoresPrintWithSeventeenDigitsBefore72() {
        #expect(MemoryModel.scoreTextLength(0.1, .redis70) == "0.10000000000000001".count)
        #expect(MemoryModel.scoreTextLength(123_456_789_012_345_680, .redis62) == "1.2345678901234568e+17".count)
        #expect(MemoryModel.scoreTextLength(0.1, .redis72) == 3)
        #expect(MemoryModel.scoreTextLength(-.infinity, .redis70) == 4)
    }
}
