import Testing
@testable import RDBKit

@Suite struct IntsetEncoderTests {
    @Test func referenceDumpOfSmallMembers() {
        // Redis 7.0.15 DUMP of `SADD si 1 2 3` (format.md §5.9), members given out of order.
        #expect(IntsetEncoder.encode([3, 1, 2]) == hex("02 00 00 00 03 00 00 00 01 00 02 00 03 00"))
    }

    @Test func widthIsTheNarrowestHoldingEveryMember() {
        #expect(IntsetEncoder.encode([-32768, 32767]).prefix(4) == [2, 0, 0, 0])
        #expect(IntsetEncoder.encode([1, 32768]) == hex("04 00 00 00 02 00 00 00 01 00 00 00 00 80 00 00"))
        #expect(IntsetEncoder.encode([Int64.min]) == hex("08 00 00 00 01 00 00 00 00 00 00 00 00 00 00 80"))
    }
}
