import Testing
@testable import RDBKit

private let fixture = Paths.fixtures + "/redis-7.0.15/dump.rdb"

private func scan(_ scan: KeyspaceScan) throws -> [KeyStats] {
    var out: [KeyStats] = []
    let input = BufferedReader(try FileSource(path: fixture))
    try scan.run(input, options: .init()) { out.append($0) }
    return out
}

@Suite struct KeyspaceScanTests {
    @Test func withoutAModelKeysAreReadAtTheStructureLevel() throws {
        let s = KeyspaceScan(filter: try KeyFilter(), model: nil)
        #expect(s.readerOptions(.init()).level == .structure)
        let keys = try scan(s)
        #expect(keys.count == 94)
        #expect(keys.allSatisfy { $0.memory == nil })
    }

    @Test func withAModelEveryKeyIsEstimatedFromItsValueAndLayout() throws {
        let s = KeyspaceScan(filter: try KeyFilter(), model: MemoryModel())
        #expect(s.readerOptions(.init()).level == .values)
        #expect(s.readerOptions(.init()).captureLayout)
        let keys = try scan(s)
        #expect(keys.count == 94)
        let hash = keys.first { $0.shape.key == Array("hash:large".utf8) }
        #expect(hash?.memory?.memoryUsageCommand == 35168)  // what the server reported
    }

    @Test func filtersApplyAtBothLevels() throws {
        let filter = try KeyFilter(globs: [Array("hash:*".utf8)])
        #expect(try scan(KeyspaceScan(filter: filter, model: nil)).count == 5)
        #expect(try scan(KeyspaceScan(filter: filter, model: MemoryModel())).count == 5)
    }

    @Test func minMemoryDropsSmallerEstimates() throws {
        let keys = try scan(KeyspaceScan(filter: try KeyFilter(), model: MemoryModel(), minMemory: 30_000))
        #expect(Set(keys.map { String(decoding: $0.shape.key, as: UTF8.self) })
                == ["stream:large", "hash:large", "zset:large", "list:large"])
    }

    @Test func otherEventsReachTheEventHandler() throws {
        var aux = 0, end = false
        let input = BufferedReader(try FileSource(path: fixture))
        try KeyspaceScan(filter: try KeyFilter(), model: nil).run(input, options: .init(), events: { e in
            if case .aux = e { aux += 1 }
            if case .end = e { end = true }
        }) { _ in }
        #expect(aux > 0)
        #expect(end)
    }
}
