import Testing
@testable import RDBKit

@Suite struct TopKeysTests {
    let keys = [
        keyStats("a", elements: 5, serialized: 300, memory: 100),
        keyStats("b", elements: 50, serialized: 100, memory: 400),
        keyStats("c", elements: 1, serialized: 200, memory: 200),
    ]

    func names(_ by: TopKeys.Ranking, count: Int = 2) -> [String] {
        var top = TopKeys(count: count, by: by)
        for k in keys { top.add(k) }
        return top.entries.map { String(decoding: $0.key, as: UTF8.self) }
    }

    @Test func ranksByEstimatedMemory() { #expect(names(.memory) == ["b", "c"]) }
    @Test func ranksBySerializedBytes() { #expect(names(.serialized) == ["a", "c"]) }
    @Test func ranksByElementCount() { #expect(names(.elements) == ["b", "a"]) }

    @Test func entriesCarryTheServerEncodingWhenEstimated() {
        var top = TopKeys(count: 1, by: .memory)
        top.add(keyStats("k", memory: 64, encoding: .raw))
        #expect(top.entries.first?.encoding == "raw")
        #expect(top.entries.first?.memoryBytes == 64)
    }

    @Test func entriesCarryTheFileEncodingWithoutAnEstimate() {
        var top = TopKeys(count: 1, by: .serialized)
        top.add(keyStats("k"))
        #expect(top.entries.first?.encoding == "raw")
        #expect(top.entries.first?.memoryBytes == nil)
    }
}
