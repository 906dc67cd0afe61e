import Testing
@testable import RDBKit

@Suite struct ListpackEncoderTests {
    func listpack(_ elements: [String]) -> [UInt8] {
        var e = ListpackEncoder()
        for s in elements { e.append(Array(s.utf8)) }
        return e.finish()
    }

    @Test func hashFromTheReferenceDump() {
        // Redis 7.0.15 DUMP of `HSET h f v n 7` (format.md §5.11).
        #expect(listpack(["f", "v", "n", "7"]) == hex("12 00 00 00 04 00 81 66 02 81 76 02 81 6E 02 07 01 FF"))
    }

    @Test func quicklistNodeFromTheReferenceDump() {
        // The PACKED node of `RPUSH l a b 1 300` (format.md §5.10).
        #expect(listpack(["a", "b", "1", "300"]) == hex("12 00 00 00 04 00 81 61 02 81 62 02 01 01 C1 2C 02 FF"))
    }

    @Test func zsetScoresAreIntegersOrText() {
        // `81 61 02 | 01 01 | 81 62 02 | 83 32 2E 35 04` (format.md §4.5).
        #expect(listpack(["a", "1", "b", "2.5"]) == hex("14 00 00 00 04 00 81 61 02 01 01 81 62 02 83 32 2E 35 04 FF"))
    }

    @Test func theSmallestListpackIsEmpty() {
        #expect(ListpackEncoder().finish() == hex("07 00 00 00 00 00 FF"))
    }

    @Test func everyIntegerWidthIsTheSmallestThatHoldsTheValue() {
        var e = ListpackEncoder()
        for v: Int64 in [5, -1, 4095, 32767, -8_388_608, 2_147_483_647, Int64.min] { e.append(integer: v) }
        #expect(e.body == hex("05 01  DF FF 02  CF FF 02  F1 FF 7F 03  F2 00 00 80 04  F3 FF FF FF 7F 05  F4 00 00 00 00 00 00 00 80 09"))
    }

    @Test func integerLookalikesStayStrings() {
        var e = ListpackEncoder()
        for s in ["007", "+5", "-0", "1.5", "99999999999999999999"] { e.append(Array(s.utf8)) }
        #expect(e.body.first == 0x83)
        #expect(e.count == 5)
        #expect(e.body.count == 5 + 4 + 4 + 5 + 22)
    }

    @Test func longStringsTakeTwelveAndThirtyTwoBitLengthsAndLongBacklens() {
        var e = ListpackEncoder()
        e.append([UInt8](repeating: 0x61, count: 200))
        #expect(Array(e.body.prefix(2)) == [0xE0, 0xC8])
        #expect(Array(e.body.suffix(2)) == [0x01, 0xCA])  // back-length 202
        var big = ListpackEncoder()
        big.append([UInt8](repeating: 0x62, count: 5000))
        #expect(Array(big.body.prefix(5)) == [0xF0, 0x88, 0x13, 0x00, 0x00])
    }

    @Test func whatTheEncoderWritesTheReaderReadsBack() throws {
        let values = ["", "a", "-4096", "4096", "-8388609", "x" + String(repeating: "y", count: 70), "18446744073709551615"]
        let blob = listpack(values)
        #expect(try packedElements(blob, kind: "listpack", ListpackIterator.init) == values)
    }
}
