import Testing
@testable import RDBKit

@Suite struct ReplayKeyTests {
    @Test func expireOptionsFollowRedisRules() throws {
        let r = Replayer()
        try run(r, "SET k v", "PEXPIREAT k 5000 XX")
        #expect(record(r, "k")?.expireAtMs == nil)
        try run(r, "PEXPIREAT k 5000 NX", "PEXPIREAT k 4000 GT", "PEXPIREAT k 6000 GT")
        #expect(record(r, "k")?.expireAtMs == 6000)
        try run(r, "EXPIREAT k 3 LT")
        #expect(record(r, "k")?.expireAtMs == 3000)
        try run(r, "PEXPIRE k 100", time: 10_000)
        #expect(record(r, "k")?.expireAtMs == 10_100)
        #expect(try run(r, "PERSIST k").dirty == 1)
        #expect(try run(r, "PERSIST k").dirty == 0)
    }

    @Test func aPastExpiryIsKeptUntilRecordsDropsIt() throws {
        let r = Replayer()
        try run(r, "SET k v", "PEXPIREAT k 1000", "SET other v")
        var keys: [String] = []
        r.dataset.records(now: 2000) { keys.append(String(decoding: $0.key, as: UTF8.self)) }
        #expect(keys == ["other"])
    }

    @Test func renameMoveCopyAndSwapdb() throws {
        let r = Replayer()
        try run(r, "SET a 1 PXAT 9000", "RENAME a b")
        #expect(record(r, "a") == nil && record(r, "b")?.expireAtMs == 9000)
        try run(r, "SET c 3", "RENAMENX b c")
        #expect(stringValue(r, "b") == "1")
        try run(r, "COPY b d DB 2", "MOVE c 1")
        #expect(stringValue(r, "d", db: 2) == "1" && record(r, "d", db: 2)?.expireAtMs == 9000)
        #expect(stringValue(r, "c", db: 1) == "3" && record(r, "c") == nil)
        try run(r, "SWAPDB 0 1")
        #expect(stringValue(r, "c") == "3" && stringValue(r, "b", db: 1) == "1")
        #expect(throws: ReplayError.self) { try run(r, "RENAME missing x") }
    }

    @Test func delFlushdbAndFlushallCountRemovedKeys() throws {
        let r = Replayer()
        try run(r, "MSET a 1 b 2 c 3", "SELECT 1", "SET d 4")
        #expect(try run(r, "DEL a x").dirty == 0)  // db 1 has no a
        try run(r, "SELECT 0")
        #expect(try run(r, "DEL a x").dirty == 1)
        #expect(try run(r, "FLUSHDB").dirty == 2)
        #expect(try run(r, "FLUSHALL ASYNC").dirty == 1)
        #expect(r.dataset.keyCount == 0)
    }

    @Test func restoreDecodesAndChecksTheDumpPayload() throws {
        // DUMP of the integer 10 from the Redis documentation (RDB 9).
        let payload: [UInt8] = [0x00, 0xC0, 0x0A, 0x09, 0x00, 0xBE, 0x6D, 0x06, 0x89, 0x5A, 0x28, 0x00, 0x0A]
        let r = Replayer()
        try r.apply([Array("RESTORE".utf8), Array("k".utf8), Array("4000000000000".utf8), payload, Array("ABSTTL".utf8)], timeMs: nil)
        #expect(stringValue(r, "k") == "10" && record(r, "k")?.expireAtMs == 4_000_000_000_000)
        #expect { try r.apply([Array("RESTORE".utf8), Array("k".utf8), [0x30], payload], timeMs: nil) } throws: {
            ($0 as? ReplayError)?.kind == .exists
        }
        var bad = payload
        bad[2] = 0x0B
        #expect { try r.apply([Array("RESTORE".utf8), Array("j".utf8), [0x30], bad], timeMs: nil) } throws: {
            ($0 as? ReplayError)?.kind == .badPayload
        }
    }

    @Test func transactionsApplyAtExecAndATrailingMultiIsDropped() throws {
        let r = Replayer()
        #expect(try run(r, "MULTI").status == .queued)
        try run(r, "SET a 1", "SELECT 3", "SET b 2")
        #expect(record(r, "a") == nil)
        let exec = try run(r, "EXEC")
        #expect(exec.dirty == 2 && exec.keys == [.init(db: 0, key: Array("a".utf8)), .init(db: 3, key: Array("b".utf8))])
        #expect(stringValue(r, "b", db: 3) == "2" && r.db == 3)
        try run(r, "MULTI", "SET c 3")
        #expect(r.inTransaction && r.discardTransaction() == 1)
        #expect(record(r, "c", db: 3) == nil)
    }

    @Test func unsupportedCommandsThrowOrAreCounted() throws {
        #expect { try run(Replayer(), "EVAL return 1 0") } throws: { ($0 as? ReplayError)?.kind == .unsupported }
        let r = Replayer(options: .init(skipUnsupported: true))
        let o = try run(r, argv: ["EVALSHA", "abc", "2", "k1", "k2", "arg"])
        #expect(o.status == .unsupported && o.dirty == 2 && o.keys.map(\.key) == [Array("k1".utf8), Array("k2".utf8)])
        #expect(try run(r, "MODULE.CMD key x").keys.map(\.key) == [Array("key".utf8)])
    }

    @Test func functionsLoadReplaceAndDelete() throws {
        let r = Replayer()
        let code = "#!lua name=mylib\nredis.register_function('f', function() return 1 end)"
        try run(r, argv: ["FUNCTION", "LOAD", code])
        #expect(throws: ReplayError.self) { try run(r, argv: ["FUNCTION", "LOAD", code]) }
        try run(r, argv: ["FUNCTION", "LOAD", "REPLACE", code + " "])
        #expect(r.dataset.functionLibraries.map(\.code) == [Array((code + " ").utf8)])
        try run(r, "FUNCTION DELETE mylib")
        #expect(r.dataset.functionLibraries.isEmpty)
    }
}
