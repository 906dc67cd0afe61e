import Testing
@testable import RDBKit

private func entries(_ by: TopKeys.Ranking, _ keys: [KeyStats]) -> [TopKeys.Entry] {
    var t = TopKeys(count: 10, by: by)
    for k in keys { t.add(k) }
    return t.entries
}

@Suite struct TopKeysReportTests {
    @Test func textHasAMemoryColumnWhenEstimated() {
        let r = TopKeysReport(path: "f.rdb", ranking: .memory, modelVersion: .redis70,
                              entries: entries(.memory, [keyStats("big", type: .hash, elements: 520, serialized: 9459, memory: 35168, encoding: .hashtable)]))
        #expect(r.text() == """
            f.rdb: 1 biggest keys by estimated memory (Redis 7.0 memory model)
                  memory  serialized  type    encoding     elements  db  key
                   35168        9459  hash    hashtable         520   0  "big"

            """)
    }

    @Test func textLeavesMemoryOutWithoutEstimates() {
        let r = TopKeysReport(path: "f.rdb", ranking: .serialized, modelVersion: nil, entries: entries(.serialized, [keyStats("k")]))
        #expect(r.text().hasPrefix("f.rdb: 1 biggest keys by serialized bytes\n  serialized  type"))
    }

    @Test func jsonListsKeysWithNullMemoryWhenNotEstimated() {
        let r = TopKeysReport(path: "f.rdb", ranking: .elements, modelVersion: nil, entries: entries(.elements, [keyStats("k")]))
        #expect(r.json() == #"{"file":"f.rdb","by":"elements","model":null,"keys":[{"db":0,"key":"k","type":"string","#
                + #""encoding":"raw","elements":1,"memory_bytes":null,"serialized_bytes":10,"expire_ms":null}]}"# + "\n")
    }
}
