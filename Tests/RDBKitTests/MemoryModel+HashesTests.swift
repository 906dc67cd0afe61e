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

    /// Past hash-max-listpack-entries (512, as redis-server 7.0.15 answers CONFIG GET).
    @Test func manyFieldsMakeAPresizedHashtable() {
        let pairs = (0..<600).map { ("f\($0)", "v") }
        let e = MemoryModel().estimate(memoryRecord(hash(pairs), stored: .hashtable))
        #expect(e.valueBytes == 16 + 56 + 1024 * 8 + 600 * (24 + 8 + 8))
    }

    /// 200 small fields stay a listpack on a 7.0.15 server (checked with OBJECT ENCODING).
    @Test func twoHundredSmallFieldsStayAListpack() {
        let pairs = (0..<200).map { ("f\($0)", "v") }
        #expect(MemoryModel().estimate(memoryRecord(hash(pairs), stored: .hashtable)).encoding == .listpack)
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
