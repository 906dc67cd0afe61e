import Testing
@testable import RDBKit

/// Side A's index in a diff: entries in file order, one table built after side A is read.
@Suite struct KeyIndexTests {
    private static func index(_ keys: [(db: Int, key: String, offset: Int64)]) -> KeyIndex {
        var index = KeyIndex()
        for k in keys {
            index.insert(db: k.db, key: Array(k.key.utf8), type: .string, expireAtMs: nil,
                         digest: ValueDigest(.string(Array(k.key.utf8))),
                         metadata: RecordMetadata(encoding: .raw, typeByte: 0, offset: k.offset))
        }
        index.buildTable()
        return index
    }

    private static func offset(_ index: KeyIndex, _ i: Int?) -> Int64? { i.map { index[$0].offset } }

    @Test func keysInSideAsOrderAreFoundOneAfterAnother() {
        var index = Self.index((0..<100).map { (0, "key:\($0)", Int64($0)) })
        for n in 0..<100 {
            #expect(Self.offset(index, index.findExpectingOrder(db: 0, key: Array("key:\(n)".utf8))) == Int64(n))
        }
    }

    @Test func keysDeletedFromSideBAreSteppedOver() {
        var index = Self.index((0..<20).map { (0, "key:\($0)", Int64($0)) })
        let found = [0, 1, 3, 4, 7, 19].map { index.findExpectingOrder(db: 0, key: Array("key:\($0)".utf8)) }
        #expect(found.map { Self.offset(index, $0) } == [0, 1, 3, 4, 7, 19])
    }

    @Test func keysInAnotherOrderAreFoundThroughTheTable() {
        var index = Self.index((0..<50).map { (0, "key:\($0)", Int64($0)) })
        for n in (0..<50).reversed() {
            #expect(Self.offset(index, index.findExpectingOrder(db: 0, key: Array("key:\(n)".utf8))) == Int64(n))
        }
        #expect(index.findExpectingOrder(db: 0, key: Array("key:50".utf8)) == nil)
    }

    @Test func theSameKeyInAnotherDatabaseIsAnotherKey() {
        var index = Self.index([(0, "k", 10), (1, "k", 20)])
        #expect(Self.offset(index, index.findExpectingOrder(db: 1, key: Array("k".utf8))) == 20)
        #expect(Self.offset(index, index.findExpectingOrder(db: 0, key: Array("k".utf8))) == 10)
        #expect(index.findExpectingOrder(db: 2, key: Array("k".utf8)) == nil)
    }

    @Test func aKeyHeldTwiceIsItsLastCopyAndTheFirstIsNeverReported() {
        var index = Self.index([(0, "a", 1), (0, "dup", 2), (0, "b", 3), (0, "dup", 4)])
        #expect(index.duplicates == 1)
        #expect(Self.offset(index, index.find(db: 0, key: Array("dup".utf8))) == 4)
        // Found in order too: the first copy is passed over.
        #expect(Self.offset(index, index.findExpectingOrder(db: 0, key: Array("a".utf8))) == 1)
        #expect(Self.offset(index, index.findExpectingOrder(db: 0, key: Array("dup".utf8))) == 4)
        #expect(index.indices.filter { !index[$0].seen }.map { index[$0].offset } == [1, 3, 4],
                "the replaced copy counts as seen, so it is never called removed")
    }
}
