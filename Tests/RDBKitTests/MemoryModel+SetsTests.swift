import Testing
@testable import RDBKit

@Suite struct MemoryModelSetsTests {
    @Test func intsetsAreLoadedAsStored() {
        let e = MemoryModel().estimate(memoryRecord(.set(byteList(["1", "2", "3"])), stored: .intset, blobs: [.init(bytes: 14, elements: 3)]))
        #expect(e.encoding == .intset)
        #expect(e.valueBytes == 16 + 16)
    }

    @Test func intsetsReadWithoutLayoutsAreSizedFromTheirMembers() {
        let e = MemoryModel().estimate(memoryRecord(.set(byteList(["1", "2", "3"])), stored: .intset))
        #expect(e.encoding == .intset)
        #expect(e.valueBytes == 16 + 16)
    }

    @Test func stringSetsAreHashtablesOfMemberSds() {
        let e = MemoryModel().estimate(memoryRecord(.set(byteList(["a", "b", "c"])), stored: .hashtable))
        #expect(e.encoding == .hashtable)
        #expect(e.valueBytes == 16 + 56 + 4 * 8 + 3 * (24 + 8))
    }

    @Test func integerSetsStoredAsHashtablesBecomeIntsets() {
        let e = MemoryModel().estimate(memoryRecord(.set(byteList(["1", "70000"])), stored: .hashtable))
        #expect(e.encoding == .intset)
        #expect(e.valueBytes == 16 + 16)  // 8 + 2 * 4
    }

    @Test func aSetConvertsWhereItsFirstStringMemberAppears() {
        let e = MemoryModel().estimate(memoryRecord(.set(byteList(["1", "2", "x"])), stored: .hashtable))
        #expect(e.valueBytes == 16 + 56 + 4 * 8 + 3 * (24 + 8))
    }

    @Test func intsetsOverTheLimitBecomePresizedHashtables() {
        let members = byteList((0..<600).map(String.init))
        let e = MemoryModel().estimate(memoryRecord(.set(members), stored: .intset, blobs: [.init(bytes: 1208, elements: 600)]))
        #expect(e.encoding == .hashtable)
        #expect(e.valueBytes == 16 + 56 + 1024 * 8 + 600 * (24 + 8))
    }

    @Test func redis72KeepsSmallStringSetsInAListpack() {
        let e = MemoryModel(version: .redis72).estimate(memoryRecord(.set(byteList(["a", "b", "c"])), stored: .hashtable))
        #expect(e.encoding == .listpack)
        #expect(e.valueBytes == 16 + 16)
    }

    @Test func redis72SetsWithALongMemberAreHashtables() {
        let e = MemoryModel(version: .redis72).estimate(memoryRecord(.set(byteList(["a", String(repeating: "b", count: 65)])), stored: .hashtable))
        #expect(e.encoding == .hashtable)
    }
}
