import Testing
@testable import RDBKit

@Suite struct MemoryBreakdownTests {
    @Test func sumsByTypeAndEncodingLargestFirst() {
        var b = MemoryBreakdown()
        b.add(keyStats("a", memory: 100, encoding: .embstr))
        b.add(keyStats("b", memory: 1000, encoding: .raw))
        b.add(keyStats("c", type: .hash, memory: 500, encoding: .listpack))
        b.add(keyStats("d", memory: 60, encoding: .embstr))
        #expect(b.total == .init(keys: 4, bytes: 1660))
        #expect(b.byTypeAndEncoding.map { "\($0.type.rawValue)/\($0.encoding.name)" } == ["string/raw", "hash/listpack", "string/embstr"])
        #expect(b.byTypeAndEncoding.last?.cell == .init(keys: 2, bytes: 160))
        #expect(b.byType.map(\.type) == [.string, .hash])
        #expect(b.byType.first?.cell == .init(keys: 3, bytes: 1160))
    }

    @Test func partsAddUpToTheTotal() {
        var b = MemoryBreakdown()
        b.add(keyStats("a", memory: 100, expireAtMs: 1))
        #expect(b.keyBytes + b.valueBytes + b.expiryBytes == 100)
        #expect(b.expiryBytes == 24)
    }

    @Test func keysWithoutAnEstimateAreNotCounted() {
        var b = MemoryBreakdown()
        b.add(keyStats("a"))
        #expect(b.total.keys == 0)
    }
}
