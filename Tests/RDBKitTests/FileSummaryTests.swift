import Testing
@testable import RDBKit

private func shape(_ key: String, type: DataType = .string, elements: Int = 1, expireAtMs: Int64? = nil,
                   idle: UInt64? = nil, freq: UInt8? = nil) -> RDBEvent {
    .keyShape(KeyShape(db: 0, key: Array(key.utf8), type: type, expireAtMs: expireAtMs, elementCount: elements, longestElement: 1,
                       metadata: RecordMetadata(encoding: .raw, typeByte: 0, lruIdleSeconds: idle, lfuFreq: freq)))
}

private func summary(_ events: [RDBEvent], nowMs: Int64? = nil) -> FileSummary {
    var b = FileSummaryBuilder(nowMs: nowMs)
    for e in events { b.consume(e) }
    return b.finish(bytesRead: 0)
}

@Suite struct FileSummaryTests {
    @Test func ttlHistogramCountsSecondsLeftOfKeysNotYetExpired() {
        let s = summary([shape("a", expireAtMs: 10_500), shape("b", expireAtMs: 3_000), shape("c", expireAtMs: 500), shape("d")],
                        nowMs: 1_000)
        #expect(s.ttlSeconds.total == 2)
        #expect(s.ttlSeconds.buckets.map(\.low) == [2, 8])  // 2 s and 9 s left
        #expect(s.databases[0]?.expiredAtNow == 1)
    }

    @Test func ttlIsJudgedAtTheFileCtimeEvenWhenKeysComeFirst() {
        let s = summary([shape("a", expireAtMs: 5_000), .aux(name: Array("ctime".utf8), value: Array("1".utf8))])
        #expect(s.ttlSeconds.buckets.map(\.low) == [4])
    }

    @Test func idleAndFrequencyHistogramsOnlyHoldKeysThatHaveThem() {
        let s = summary([shape("a", idle: 0), shape("b", idle: 100), shape("c", freq: 5), shape("d")])
        #expect(s.idleSeconds.total == 2)
        #expect(s.idleSeconds.buckets.map(\.low) == [0, 64])
        #expect(s.lfuFrequency.buckets.map(\.low) == [4])
    }

    @Test func elementCountsAreKeptPerType() {
        let s = summary([shape("a", type: .hash, elements: 3), shape("b", type: .hash, elements: 300), shape("c", elements: 10)])
        #expect(s.elementCounts(of: .hash).buckets.map(\.low) == [2, 256])
        #expect(s.elementCounts(of: .string).total == 1)
        #expect(s.elementCounts(of: .list).isEmpty)
    }
}
