import Testing
@testable import RDBKit

@Suite struct StreamEncoderTests {
    func entries(_ list: [(UInt64, UInt64, [String])]) -> StreamEntries {
        var e = StreamEntries()
        for (ms, seq, fv) in list { e.append(StreamEntry(id: StreamID(ms: ms, seq: seq), fieldsAndValues: ByteList(fv.map { Array($0.utf8) }))) }
        return e
    }

    @Test func twoEntryStreamFromTheReferenceDump() {
        // Redis 7.0.15 DUMP of `XADD st 1-1 f v` + `XADD st 1-2 f w` (type 19, format.md §5.12.2).
        var s = StreamValue()
        s.entries = entries([(1, 1, ["f", "v"]), (1, 2, ["f", "w"])])
        s.length = 2
        s.lastID = StreamID(ms: 1, seq: 2)
        s.firstID = StreamID(ms: 1, seq: 1)
        s.maxDeletedID = .zero
        s.entriesAdded = 2
        var e = RDBEncoder(compression: false)
        StreamEncoder.write(s, type: .streamListpacks2, limits: EncodingLimits(), to: &e)
        #expect(e.out == hex("""
            01 10 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 01
            28 28 00 00 00 0F 00 02 01 00 01 01 01 81 66 02 00 01
            02 01 00 01 00 01 81 76 02 04 01  02 01 00 01 01 01 81 77 02 04 01 FF
            02 01 02 01 01 00 00 02 00
            """))
    }

    @Test func nodesHoldAtMost100Entries() {
        let list = (0..<250).map { (UInt64(1000 + $0), UInt64(0), ["k", "v\($0)"]) }
        let nodes = StreamEncoder.pack(entries(list), limits: EncodingLimits())
        #expect(nodes.map(\.master.ms) == [1000, 1100, 1200])
    }

    @Test func nodesCloseBeforeFourKilobytes() {
        let list = (0..<20).map { (UInt64($0 + 1), UInt64(0), ["field", String(repeating: "x", count: 500)]) }
        let nodes = StreamEncoder.pack(entries(list), limits: EncodingLimits())
        #expect(nodes.count > 2)
        #expect(nodes.allSatisfy { $0.listpack.count < 4096 + 600 })
    }

    @Test func entriesWithOtherFieldsCarryTheirFieldNames() throws {
        var s = StreamValue()
        s.entries = entries([(5, 0, ["a", "1"]), (6, 3, ["b", "2", "c", "3"])])
        let node = try #require(StreamEncoder.pack(s.entries, limits: EncodingLimits()).first)
        let decoded = try node.listpack.withUnsafeBytes { p -> [String] in
            var it = try ListpackIterator(p, BlobContext(fileOffset: 0, compressed: false, kind: "listpack"))
            var out: [String] = []
            try it.forEach { e in var l = ByteList(); e.append(to: &l); out.append(String(decoding: l[0], as: UTF8.self)) }
            return out
        }
        // count, deleted, 1 master field "a", 0; SAMEFIELDS entry; then flags 0, +1 ms, +3 seq, 2 fields.
        #expect(decoded == ["2", "0", "1", "a", "0", "2", "0", "0", "1", "4",
                            "0", "1", "3", "2", "b", "2", "c", "3", "8"])
    }
}
