import Testing
@testable import RDBKit

private func size(_ kind: PackedSize.Kind, _ elements: [String]) -> Int {
    var s = PackedSize(kind)
    s.append(ByteList(elements.map { Array($0.utf8) }), 0..<elements.count)
    return s.bytes
}

@Suite struct PackedSizeTests {
    @Test func emptyContainersAreHeaderAndTerminator() {
        #expect(PackedSize(.listpack).bytes == 7)
        #expect(PackedSize(.ziplist).bytes == 11)
    }

    @Test func listpackStoresCanonicalIntegersByRange() {
        // 7-bit, 13-bit, 16-bit, 24-bit, 32-bit and 64-bit integers, each with a 1-byte back-length.
        let values = ["127", "-4096", "32767", "-8388608", "2147483647", "9223372036854775807"]
        #expect(values.map { size(.listpack, [$0]) - 7 } == [2, 3, 4, 5, 6, 10])
    }

    @Test func listpackStoresNonCanonicalNumbersAsStrings() {
        #expect(size(.listpack, ["007"]) == 7 + 1 + 3 + 1)
        #expect(size(.listpack, ["+5"]) == 7 + 1 + 2 + 1)
        #expect(size(.listpack, ["-0"]) == 7 + 1 + 2 + 1)
    }

    @Test func listpackStringHeadersAndBackLengthsGrowWithLength() {
        #expect(size(.listpack, [String(repeating: "a", count: 63)]) == 7 + 1 + 63 + 1)
        #expect(size(.listpack, [String(repeating: "a", count: 64)]) == 7 + 2 + 64 + 1)
        #expect(size(.listpack, [String(repeating: "a", count: 200)]) == 7 + 2 + 200 + 2)
        #expect(size(.listpack, [String(repeating: "a", count: 4096)]) == 7 + 5 + 4096 + 2)
    }

    @Test func ziplistIntegersUseImmediatesUpToTwelve() {
        #expect(["12", "13", "-129", "70000", "3000000000"].map { size(.ziplist, [$0]) - 11 } == [2, 3, 4, 5, 10])
    }

    @Test func ziplistPrevlenTakesFiveBytesAfterALongEntry() {
        let long = String(repeating: "a", count: 300)
        #expect(size(.ziplist, [long, "x"]) == 11 + (1 + 2 + 300) + (5 + 1 + 1))
    }

    @Test func intsetWidthIsTheWidestMember() {
        #expect(PackedSize.intsetWidth(-32768) == 2)
        #expect(PackedSize.intsetWidth(32768) == 4)
        #expect(PackedSize.intsetWidth(-2_147_483_649) == 8)
        #expect(PackedSize.intset(count: 3, width: 4) == 20)
    }
}
