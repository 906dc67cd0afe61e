import Testing
@testable import RDBKit

@Suite struct ReplayBitTests {
    @Test func setbitGrowsTheStringMostSignificantBitFirst() throws {
        let r = Replayer()
        try run(r, "SETBIT b 7 1", "SETBIT b 9 1")
        #expect(record(r, "b")?.value == .string([0x01, 0x40]))
    }

    @Test func bitfieldSetIncrbyAndOverflow() throws {
        let r = Replayer()
        try run(r, "BITFIELD b SET u8 0 200 INCRBY u8 0 100")
        #expect(record(r, "b")?.value == .string([44]))  // 300 wraps to 44
        try run(r, "BITFIELD c OVERFLOW SAT INCRBY i8 0 200")
        #expect(record(r, "c")?.value == .string([127]))
        try run(r, "BITFIELD d SET u8 #1 255 OVERFLOW FAIL INCRBY u8 #1 1")
        #expect(record(r, "d")?.value == .string([0, 255]))
    }

    @Test func bitopCombinesAndDeletesOnEmpty() throws {
        let r = Replayer()
        try run(r, "SET a \u{7}", "SET b \u{c}", "BITOP AND x a b", "BITOP OR y a b", "BITOP NOT z a")
        #expect(record(r, "x")?.value == .string([4]))
        #expect(record(r, "y")?.value == .string([15]))
        #expect(record(r, "z")?.value == .string([0xF8]))
        try run(r, "BITOP OR x missing1 missing2")
        #expect(record(r, "x") == nil)
    }
}
