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

    @Test func scoreOrderBreaksTiesByMember() {
        let members = ByteList(["b", "a", "inf", "ninf", "c"].map(ascii))
        let order = ByteList.scoreOrderPermutation(members: members, scores: [1, 1, .infinity, -.infinity, 0])
        #expect(order.map { String(decoding: members[$0], as: UTF8.self) } == ["ninf", "c", "a", "b", "inf"])
    }

    @Test func negativeZeroTiesWithZero() {
        let members = ByteList(["b", "a"].map(ascii))
        #expect(ByteList.scoreOrderPermutation(members: members, scores: [0, -0.0]) == [1, 0])
    }
}
