import Testing
@testable import RDBKit

@Suite struct ReplayStringTests {
    @Test func setWithPXATStoresTheAbsoluteExpiry() throws {
        let r = Replayer()
        try run(r, "SET k v PXAT 4000000000123")
        #expect(stringValue(r, "k") == "v")
        #expect(record(r, "k")?.expireAtMs == 4_000_000_000_123)
    }

    @Test func setEXCountsFromTheCommandTime() throws {
        let r = Replayer()
        try run(r, "SET k v EX 10", time: 1_000_000)
        #expect(record(r, "k")?.expireAtMs == 1_010_000)
    }

    @Test func setDropsTheTTLUnlessKEEPTTL() throws {
        let r = Replayer()
        try run(r, "SET a 1 PXAT 5000", "SET a 2", "SET b 1 PXAT 5000", "SET b 2 KEEPTTL")
        #expect(record(r, "a")?.expireAtMs == nil)
        #expect(record(r, "b")?.expireAtMs == 5000)
    }

    @Test func setNXAndXXChangeNothingWhenTheyDoNotApply() throws {
        let r = Replayer()
        let nx = try run(r, "SET k v1", "SET k v2 NX")
        let xx = try run(r, "SET missing v XX")
        #expect(stringValue(r, "k") == "v1")
        #expect(nx.dirty == 0 && xx.dirty == 0)
        #expect(record(r, "missing") == nil)
    }

    @Test func incrementsKeepTheTTLAndRefuseOverflow() throws {
        let r = Replayer()
        try run(r, "SET n 10 PXAT 9000", "INCRBY n 5", "DECR n")
        #expect(stringValue(r, "n") == "14")
        #expect(record(r, "n")?.expireAtMs == 9000)
        try run(r, "SET big 9223372036854775807")
        #expect(throws: ReplayError.self) { try run(r, "INCR big") }
        #expect(throws: ReplayError.self) { try run(r, "INCR k", "SET s abc", "INCR s") }
    }

    @Test func incrbyfloatWritesRedisText() throws {
        let r = Replayer()
        try run(r, "INCRBYFLOAT f 10.5", "INCRBYFLOAT f 0.1")
        #expect(stringValue(r, "f") == "10.6")
        try run(r, "SET g 5.0e3", "INCRBYFLOAT g 2.0e2")
        #expect(stringValue(r, "g") == "5200")
        try run(r, "INCRBYFLOAT h 0.3", "INCRBYFLOAT h -0.3")
        #expect(stringValue(r, "h") == "0")
    }

    @Test func appendSetrangeAndMset() throws {
        let r = Replayer()
        try run(r, "APPEND k ab", "APPEND k cd", "SETRANGE k 6 xy", "MSET a 1 b 2")
        try run(r, argv: ["SETRANGE", "new", "0", ""])
        #expect(record(r, "k")?.value == .string(Array("abcd".utf8) + [0, 0] + Array("xy".utf8)))
        #expect(record(r, "new") == nil)
        let o = try run(r, "MSETNX a 9 c 3")
        #expect(o.dirty == 0 && stringValue(r, "a") == "1")
        #expect(try run(r, "MSET a 1 b 2").dirty == 2)
    }

    @Test func getdelAndGetexChangeTheKey() throws {
        let r = Replayer()
        try run(r, "SET k v", "GETEX k PXAT 7000")
        #expect(record(r, "k")?.expireAtMs == 7000)
        try run(r, "GETEX k PERSIST")
        #expect(record(r, "k")?.expireAtMs == nil)
        try run(r, "GETDEL k")
        #expect(record(r, "k") == nil)
    }

    @Test func wrongTypeIsATypedError() throws {
        let r = Replayer()
        try run(r, "RPUSH l a")
        #expect { try run(r, "APPEND l x") } throws: { ($0 as? ReplayError)?.kind == .wrongType }
    }
}
