import Testing
@testable import RDBKit

@Suite struct JemallocTests {
    @Test func smallSizesRoundToEightThenToSixteenByteSteps() {
        #expect([1, 8, 9, 16, 17, 25, 100, 128].map(Jemalloc.usableSize) == [8, 8, 16, 16, 32, 32, 112, 128])
    }

    @Test func largerSizesRoundToFourClassesPerDoubling() {
        #expect([129, 160, 161, 257, 1025, 4097, 14337].map(Jemalloc.usableSize) == [160, 160, 192, 320, 1280, 5120, 16384])
    }

    @Test func largeAllocationsFollowTheSameClasses() {
        #expect(Jemalloc.usableSize(16385) == 20480)
        #expect(Jemalloc.usableSize(1_000_000) == 1_048_576)
        #expect(Jemalloc.usableSize(1_048_577) == 1_310_720)
    }
}
