import Testing
@testable import RDBKit

private func id(_ ms: UInt64, _ seq: UInt64 = 0) -> StreamID { StreamID(ms: ms, seq: seq) }

@Suite struct RaxModelTests {
    @Test func emptyTreeIsItsRoot() {
        #expect(RaxModel.nodeCount(sortedIDs: [StreamID]()) == 1)
    }

    @Test func oneKeyIsACompressedRootAndALeaf() {
        #expect(RaxModel.nodeCount(sortedIDs: [id(1)]) == 2)
    }

    @Test func keysDifferingInTheLastByteShareOneBranch() {
        // root compressed over 15 bytes -> branch node with 3 children, each a leaf.
        #expect(RaxModel.nodeCount(sortedIDs: [id(1, 1), id(1, 2), id(1, 3)]) == 5)
    }

    @Test func keysDifferingEarlierAddACompressedTailPerBranch() {
        // root -> branch at byte 7 -> two children, each compressed to its leaf.
        #expect(RaxModel.nodeCount(sortedIDs: [id(1), id(2)]) == 1 + 1 + 2 + 2)
    }

    @Test func aBranchUnderAnotherBranchIsCountedOnce() {
        // ms 1 and 2 branch at byte 7; under ms 1, seq 1 and 2 branch at byte 15.
        #expect(RaxModel.nodeCount(sortedIDs: [id(1, 1), id(1, 2), id(2, 0)]) == 8)
    }

    @Test func commonPrefixCountsBigEndianBytes() {
        #expect(RaxModel.commonPrefix(id(1, 5), id(1, 5)) == 16)
        #expect(RaxModel.commonPrefix(id(1, 5), id(1, 6)) == 15)
        #expect(RaxModel.commonPrefix(id(0x100), id(0x200)) == 6)
    }
}
