import Testing
@testable import RDBKit

private func sorted(_ elements: [[UInt8]]) -> [[UInt8]] {
    let list = ByteList(elements)
    return list.byteOrderPermutation().map { Array(list[$0]) }
}

@Suite struct ByteListUnsafeElementsTests {
    @Test func elementsAreTheStoredBytes() {
        let list = ByteList([ascii("ab"), [], ascii("cde")])
        let copies = list.withUnsafeElements { e in (0..<e.count).map { Array(e[$0]) } }
        #expect(copies == [ascii("ab"), [], ascii("cde")])
    }

    @Test func emptyListHasNoElements() {
        #expect(ByteList().withUnsafeElements { $0.count } == 0)
        #expect(ByteList().byteOrderPermutation().isEmpty)
    }

    @Test func byteOrderIsMemcmpWithTheShorterFirstOnATie() {
        #expect(sorted([ascii("b"), ascii("ab"), ascii("a"), [], ascii("B")]) == [[], ascii("B"), ascii("a"), ascii("ab"), ascii("b")])
    }

    @Test func bytesAboveASCIISortAfterIt() {
        #expect(sorted([[0x80], [0x7F], [0xFF, 0x00], [0xFF]]) == [[0x7F], [0x80], [0xFF], [0xFF, 0x00]])
    }

    @Test func longSharedPrefixesAreComparedPastTheFirstWords() {
        let prefix = ascii("a-rather-long-shared-prefix:")
        #expect(sorted([prefix + ascii("10"), prefix + ascii("9"), prefix + ascii("1"), prefix])
            == [prefix, prefix + ascii("1"), prefix + ascii("10"), prefix + ascii("9")])
    }

    @Test func manyElementsSharingTheirFirstEightBytesSortByTheRest() {
        // Past 16 elements the general sort runs; ties of the eight-byte prefixes go to the bytes.
        var elements: [[UInt8]] = []
        for i in 0..<40 {
            let stem = i % 2 == 0 ? ascii("prefix:1") : ascii("prefix:")
            elements.append(stem + ascii(String((i * 7919) % 97)))
            elements.append(Array(stem.prefix(i % 9)))
        }
        #expect(sorted(elements) == elements.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func zeroBytesSortBeforeTheEndOfNothing() {
        // A zero-padded prefix must not tie "a" with "a\0": the shorter still comes first.
        #expect(sorted([[0x61, 0x00], [0x61], [0x61, 0x00, 0x00]]) == [[0x61], [0x61, 0x00], [0x61, 0x00, 0x00]])
    }

    @Test func scoreOrderBreaksTiesByMember() {
        let members = ByteList(["b", "a", "inf", "ninf", "c"].map(ascii))
        let order = ByteList.scoreOrderPermutation(members: members, scores: [1, 1, .infinity, -.infinity, 0])
        #expect(order.map { String(decoding: members[$0], as: UTF8.self) } == ["ninf", "c", "a", "b", "inf"])
    }

    @Test func negativeZeroTiesWithZero() {
        let members = ByteList(["b", "a"].map(ascii))
        #expect(ByteList.scoreOrderPermutation(members: members, scores: [0, -0.0]) == [1, 0])
    }

    @Test func scoreOrderOfManyMembersIsScoreThenBytes() {
        let names = (0..<30).map { ascii("member:\($0 % 10)-\($0)") }
        let scores = (0..<30).map { Double($0 % 3) }
        let order = ByteList.scoreOrderPermutation(members: ByteList(names), scores: scores)
        let expected = (0..<30).sorted {
            scores[$0] != scores[$1] ? scores[$0] < scores[$1] : names[$0].lexicographicallyPrecedes(names[$1])
        }
        #expect(order == expected)
    }
}
