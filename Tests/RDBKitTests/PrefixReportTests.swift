import Testing
@testable import RDBKit

private func aggregator(_ keys: [(String, Int64)], maxPrefixes: Int = 10) -> PrefixAggregator {
    var p = PrefixAggregator(separator: Array(":".utf8), depth: 2, maxPrefixes: maxPrefixes)
    for (k, m) in keys { p.add(keyStats(k, serialized: 1, memory: m)) }
    return p
}

@Suite struct PrefixReportTests {
    @Test func textHasATablePerDepthAndTheUnprefixedKeys() {
        let r = PrefixReport(path: "f.rdb", aggregator: aggregator([("a:1:x", 100), ("a:2:x", 50), ("b:1", 70), ("plain", 5)]), limit: nil)
        #expect(r.text() == """
            f.rdb: 4 keys, 225 bytes of estimated memory, by prefix (separator ":")

            depth 1: 3 keys, 220 bytes
                    keys        memory    serialized  prefix
                       2           150             2  "a:"
                       1            70             1  "b:"

            depth 2: 2 keys, 150 bytes
                    keys        memory    serialized  prefix
                       1           100             1  "a:1:"
                       1            50             1  "a:2:"

                       1             5             1  (keys without ":")

            """)
    }

    @Test func rowsPastTheLimitAreSummedIntoOther() {
        let r = PrefixReport(path: "f.rdb", aggregator: aggregator([("a:1", 3), ("b:1", 2), ("c:1", 1)]), limit: 1)
        #expect(r.text().contains("""
                       1             3             1  "a:"
                       2             3             2  (other: 2 smaller prefixes)
            """))
    }

    @Test func jsonHasPerDepthTotalsAndOther() {
        let r = PrefixReport(path: "f.rdb", aggregator: aggregator([("a:1", 3), ("b:1", 2)]), limit: 1)
        let json = r.json()
        #expect(json.contains(#"{"depth":1,"total":{"keys":2,"memory_bytes":5,"serialized_bytes":2},"#
                              + #""other":{"keys":1,"memory_bytes":2,"serialized_bytes":1},"max_undercount_bytes":0,"#
                              + #""prefixes":[{"prefix":"a:","keys":1,"memory_bytes":3,"serialized_bytes":1}]}"#))
    }
}
