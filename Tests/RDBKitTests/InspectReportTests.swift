import Testing
@testable import RDBKit

private func report(_ events: [RDBEvent]) -> InspectReport {
    var b = FileSummaryBuilder(nowMs: 0)
    for e in events { b.consume(e) }
    return InspectReport(path: "f.rdb", fileSize: 100, isGzip: false, elapsedSeconds: 0, summary: b.finish(bytesRead: 100), error: nil)
}

private func key(_ name: String, elements: Int = 1, expireAtMs: Int64? = nil, freq: UInt8? = nil) -> RDBEvent {
    .keyShape(KeyShape(db: 0, key: Array(name.utf8), type: .list, expireAtMs: expireAtMs, elementCount: elements, longestElement: 1,
                       metadata: RecordMetadata(encoding: .quicklist2, typeByte: 18, lfuFreq: freq)))
}

@Suite struct InspectReportTests {
    @Test func textEndsWithAHistogramSectionPerKindOfData() {
        let text = report([key("a", elements: 3, expireAtMs: 90_000, freq: 5), key("b", elements: 3)]).text()
        #expect(text.contains("""

            TTL remaining at 1970-01-01 00:00:00 UTC, keys not yet expired
                        64s-2m         1  ########################################

            LFU frequency counter (FREQ opcode)
                           4-7         1  ########################################

            list element counts
                           2-3         2  ########################################

            """))
        #expect(!text.contains("LRU idle"))
    }

    @Test func durationLabelsUseWholeUnits() {
        #expect(InspectReport.durationRange(0, 1) == "< 1s")
        #expect(InspectReport.durationRange(64, 128) == "64s-2m")
        #expect(InspectReport.durationRange(131_072, 262_144) == "36h-3d")
    }

    @Test func countLabelsAreInclusiveRanges() {
        #expect(InspectReport.countRange(0, 1) == "0")
        #expect(InspectReport.countRange(1, 2) == "1")
        #expect(InspectReport.countRange(4, 8) == "4-7")
    }

    @Test func jsonHasHistogramsWithExclusiveUpperBounds() {
        let json = report([key("a", elements: 3, expireAtMs: 90_000)]).json()
        #expect(json.contains(#""ttl_seconds":{"keys":1,"buckets":[{"low":64,"high":128,"count":1}]}"#))
        #expect(json.contains(#""idle_seconds":null,"lfu_frequency":null"#))
        #expect(json.contains(#""element_counts":{"list":{"keys":1,"buckets":[{"low":2,"high":4,"count":1}]}}"#))
    }
}
