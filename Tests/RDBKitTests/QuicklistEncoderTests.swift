import Testing
@testable import RDBKit

@Suite struct QuicklistEncoderTests {
    func body(_ elements: [String], version: Int, fill: Int = -2) -> [UInt8] {
        var e = RDBEncoder(compression: false)
        QuicklistEncoder.write(ByteList(elements.map { Array($0.utf8) }), rdbVersion: version, fill: fill, to: &e)
        return e.out
    }

    @Test func smallListFromTheReferenceDump() {
        // Redis 7.0.15 DUMP body of `RPUSH l a b 1 300` after the type byte (format.md §5.10).
        #expect(body(["a", "b", "1", "300"], version: 10) == hex("01 02 12 12 00 00 00 04 00 81 61 02 81 62 02 01 01 C1 2C 02 FF"))
    }

    @Test func rdb9NodesAreZiplistsWithoutContainers() {
        #expect(body(["a", "300"], version: 9) == hex("01 12 12 00 00 00 0D 00 00 00 02 00 00 01 61 03 C0 2C 01 FF"))
    }

    func nodeSizes(_ count: Int, elementBytes: Int, version: Int, fill: Int = -2) -> [Int] {
        let list = ByteList((0..<count).map { _ in [UInt8](repeating: 0x61, count: elementBytes) })
        return QuicklistEncoder.pack(list, rdbVersion: version, fill: fill).map {
            if case .packed(let b) = $0 { return b.count } else { return -1 }
        }
    }

    @Test func nodesFillToEightKilobytes() {
        // 100-byte elements take 102 bytes in a listpack, 101 + prevlen in a ziplist.
        for version in 9...12 {
            let sizes = nodeSizes(200, elementBytes: 100, version: version)
            #expect(sizes.count == 3, "RDB \(version): \(sizes)")
            #expect(sizes.dropLast().allSatisfy { $0 <= 8192 && $0 > 8000 }, "RDB \(version): \(sizes)")
        }
    }

    @Test func aPositiveFillLimitsTheElementCount() {
        #expect(nodeSizes(10, elementBytes: 1, version: 11, fill: 4).count == 3)
        #expect(nodeSizes(10, elementBytes: 1, version: 9, fill: 4).count == 3)
    }

    @Test func largeElementsGetPlainNodesFrom74() {
        let list = ByteList([Array("a".utf8), [UInt8](repeating: 0x62, count: 9000), Array("c".utf8)])
        let kinds = QuicklistEncoder.pack(list, rdbVersion: 12, fill: -2).map { if case .plain(let i) = $0 { "plain \(i)" } else { "packed" } }
        #expect(kinds == ["packed", "plain 1", "packed"])
        #expect(QuicklistEncoder.pack(list, rdbVersion: 11, fill: -2).count == 3)  // each too big to share a node
        #expect(QuicklistEncoder.pack(list, rdbVersion: 11, fill: -2).allSatisfy { if case .packed = $0 { true } else { false } })
    }

    @Test func plainNodesAreWrittenAsContainerOne() {
        var e = RDBEncoder(compression: false)
        QuicklistEncoder.write(ByteList([[UInt8](repeating: 0x62, count: 9000)]), rdbVersion: 12, fill: -2, to: &e)
        #expect(Array(e.out.prefix(4)) == hex("01 01 63 28"))
    }
}
