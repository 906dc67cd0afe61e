import Testing
@testable import RDBKit

@Suite struct ReplayListTests {
    @Test func pushesPopsAndMoves() throws {
        let r = Replayer()
        #expect(try run(r, "RPUSH l a b c d").dirty == 4)
        try run(r, "LPUSH l z", "RPOP l 2", "LMOVE l m LEFT RIGHT", "RPOPLPUSH l m")
        #expect(listValue(r, "l") == ["a"])
        #expect(listValue(r, "m") == ["b", "z"])
        try run(r, "LPOP l")
        #expect(record(r, "l") == nil)
        try run(r, "LPUSHX l x")
        #expect(record(r, "l") == nil)
    }

    @Test func editsByIndexAndValue() throws {
        let r = Replayer()
        try run(r, "RPUSH l a b a c a", "LSET l -1 e", "LINSERT l BEFORE c x", "LREM l -1 a")
        #expect(listValue(r, "l") == ["a", "b", "x", "c", "e"])
        try run(r, "LTRIM l 1 -2")
        #expect(listValue(r, "l") == ["b", "x", "c"])
        #expect(throws: ReplayError.self) { try run(r, "LSET l 5 q") }
    }
}
