import Testing
@testable import RDBKit

private func hash(_ pairs: [(String, String)]) -> Value {
    var h = HashValue()
    for (f, v) in pairs { h.fields.append(Array(f.utf8)); h.values.append(Array(v.utf8)) }
    return .hash(h)
}

@Suite struct MemoryModelHashesTests {
    @Test func listpacksAreLoadedAsStoredWhateverTheirValueLengths() {
        let pairs = [("f", String(repeating: "v", count: 100))]
        let e = MemoryModel().estimate(memoryRecord(hash(pairs), stored: .listpack, blobs: [.init(bytes: 113, elements: 2)]))
        #expect(e.encoding == .listpack)
        #expect(e.valueBytes == 16 + 128)
    }

    @Test func smallHashtablesArePackedOnLoad() {
        let e = MemoryModel().estimate(memoryRecord(hash([("f", "v")]), stored: .hashtable))
        #expect(e.encoding == .listpack)
        #expect(e.valueBytes == 16 + 16)  // 7 + 3 + 3
    }

    @Test func aLongValueConvertsTheHashWhereItAppears() {
        let pairs = [("f0", "v"), ("f1", "v"), ("f2", "v"), ("long", String(repeating: "y", count: 65))]
        let e = MemoryModel().estimate(memoryRecord(hash(pairs), stored: .hashtable))
        #expect(e.encoding == .hashtable)
        #expect(e.valueBytes == 16 + 56 + 4 * 8 + 3 * (24 + 8 + 8) + (24 + 8 + 80))
    }

    @Test func manyFieldsMakeAPresizedHashtable() {
        let pairs = (0..<200).map { ("f\($0)", "v") }
        let e = MemoryModel().estimate(memoryRecord(hash(pairs), stored: .hashtable))
        #expect(e.valueBytes == 16 + 56 + 256 * 8 + 200 * (24 + 8 + 8))
    }

    @Test func zipmapsWithLongValuesBecomeHashtables() {
        let e = MemoryModel().estimate(memoryRecord(hash([("f", String(repeating: "v", count: 65))]), stored: .zipmap))
        #expect(e.encoding == .hashtable)
    }

    @Test func redis62PacksIntoZiplists() {
        let e = MemoryModel(version: .redis62).estimate(memoryRecord(hash([("f", "v")]), stored: .hashtable))
        #expect(e.encoding == .ziplist)
        #expect(e.valueBytes == 16 + 32)  // 11 + 3 + 3 = 17
    }
}
