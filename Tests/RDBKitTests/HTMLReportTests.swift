import Testing
@testable import RDBKit

/// The report of the 7.0.15 fixture, built as `rdbtool report` builds it.
private func fixtureReport() throws -> String {
    var summary = FileSummaryBuilder(topCount: 0)
    var memory = MemoryBreakdown()
    var top = TopKeys(count: 5, by: .memory)
    var prefixes = PrefixAggregator(separator: Array(":".utf8), depth: 2, maxPrefixes: 100)
    let input = BufferedReader(try FileSource(path: Paths.fixtures + "/redis-7.0.15/dump.rdb"))
    try KeyspaceScan(filter: try KeyFilter(), model: MemoryModel()).run(input, options: .init(), events: { summary.consume($0) }) { k in
        summary.consume(.keyShape(k.shape))
        memory.add(k)
        top.add(k)
        prefixes.add(k)
    }
    return HTMLReport(path: "dump.rdb", fileSize: 1, summary: summary.finish(bytesRead: 0), memory: memory, top: top.entries,
                      prefixes: PrefixReport(path: "dump.rdb", aggregator: prefixes, limit: nil), modelVersion: .redis70).render()
}

@Suite struct HTMLReportTests {
    @Test func thePageIsSelfContained() throws {
        let html = try fixtureReport()
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src="))
    }

    @Test func thePageHasEverySection() throws {
        let html = try fixtureReport()
        for title in ["Memory by type and encoding", "Memory by key prefix", "Biggest keys by estimated memory", "TTL remaining"] {
            #expect(html.contains(title), "\(title)")
        }
        #expect(html.contains("<svg class=\"treemap\""))
        #expect(html.contains("&quot;stream:large&quot;"))
    }

    @Test func textIsEscaped() {
        #expect(HTMLReport.escape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
    }

    @Test func countsAreGroupedByThousands() {
        #expect(HTMLReport.grouped(1_234_567) == "1,234,567")
        #expect(HTMLReport.grouped(999) == "999")
        #expect(HTMLReport.grouped(-1000) == "-1,000")
    }

    @Test func axisNumbersAreCompact() {
        #expect([950, 12_400, 905_026, 1_500_000].map(HTMLReport.compact) == ["950", "12k", "905k", "1.5M"])
    }
}
