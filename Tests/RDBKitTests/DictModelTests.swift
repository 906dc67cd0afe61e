import Testing
@testable import RDBKit

@Suite struct DictModelTests {
    @Test func tablesArePowersOfTwoOfAtLeastFour() {
        #expect([0, 4, 5, 8, 9, 1000].map(DictModel.tableSize) == [4, 4, 8, 8, 16, 1024])
    }

    @Test func firstAddAllocatesFourBuckets() {
        var d = DictModel()
        d.add()
        #expect(d.slots == 4)
    }

    @Test func presizedDictNeverRehashes() {
        var d = DictModel()
        d.expand(300)
        d.add(300)
        #expect(d.slots == 512)
        #expect(d.count == 300)
    }

    @Test func growingPastAFullTableLeavesARehashInProgress() {
        // 129 adds into an unsized dict: the 129th finds 128 buckets full and starts a rehash
        // into 256, which nothing finishes.
        var d = DictModel()
        d.add(129)
        #expect(d.size0 == 128)
        #expect(d.size1 == 256)
        #expect(d.slots == 384)
    }

    @Test func eachAddMovesOneElementOutOfTheOldTable() {
        var d = DictModel()
        d.add(5)  // 4 buckets full, then a rehash to 8 begins; 4 elements still to move
        d.add(3)
        #expect(d.slots == 4 + 8)
        d.add()  // moves the last one: the rehash ends, and the 9th element fills 8 buckets
        #expect(d.size0 == 8)
        #expect(d.size1 == 16)
    }

    @Test func expandingAnEmptyAllocatedTableRehashesOnTheNextAdd() {
        var d = DictModel()
        d.expand(0)
        d.expand(200)
        #expect(d.slots == 4 + 256)
        d.add()
        #expect(d.slots == 256)
    }

    @Test func expandBelowTheElementCountIsRefused() {
        var d = DictModel()
        d.expand(8)
        d.add(8)
        d.expand(3)
        #expect(d.slots == 8)
    }
}
