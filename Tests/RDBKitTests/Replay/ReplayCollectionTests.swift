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

@Suite struct ReplaySetTests {
    @Test func addRemoveMoveAndStore() throws {
        let r = Replayer()
        #expect(try run(r, "SADD s a b c a").dirty == 3)
        try run(r, "SADD t b c d", "SMOVE s t a", "SREM s zz")
        try run(r, "SINTERSTORE i s t", "SUNIONSTORE u s t", "SDIFFSTORE d t s")
        func members(_ k: String) -> [String]? {
            guard case .set(let l)? = record(r, k)?.value else { return nil }
            return l.map { String(decoding: $0, as: UTF8.self) }.sorted()
        }
        #expect(members("i") == ["b", "c"] && members("u") == ["a", "b", "c", "d"] && members("d") == ["a", "d"])
        try run(r, "SINTERSTORE i s missing")
        #expect(record(r, "i") == nil)
    }
}

@Suite struct ReplaySortedSetTests {
    @Test func zaddFlags() throws {
        let r = Replayer()
        try run(r, "ZADD z 1 a 2 b", "ZADD z NX 5 a 3 c", "ZADD z XX 9 d 4 b", "ZADD z GT 0 a", "ZADD z LT 0 a")
        #expect(zsetValue(r, "z") == ["a": 0, "b": 4, "c": 3])
        try run(r, "ZADD z INCR 2.5 a", "ZINCRBY z -1 b")
        #expect(zsetValue(r, "z") == ["a": 2.5, "b": 3, "c": 3])
        #expect(throws: ReplayError.self) { try run(r, "ZADD z INCR 1 a 2 b") }
        try run(r, "ZADD inf +inf x", "ZINCRBY inf 1 x")
        #expect(throws: ReplayError.self) { try run(r, "ZINCRBY inf -inf x") }
    }

    @Test func rangesAndPops() throws {
        let r = Replayer()
        try run(r, "ZADD z 1 a 2 b 3 c 4 d 5 e", "ZREMRANGEBYSCORE z (4 +inf", "ZREMRANGEBYRANK z 0 0", "ZPOPMAX z")
        #expect(zsetValue(r, "z") == ["b": 2, "c": 3])
        try run(r, "ZADD l 0 a 0 b 0 c 0 d", "ZREMRANGEBYLEX l [b (d")
        #expect(zsetValue(r, "l") == ["a": 0, "d": 0])
        try run(r, "ZRANGESTORE dst l 0 0 REV")
        #expect(zsetValue(r, "dst") == ["d": 0])
    }

    @Test func unionInterWithWeightsAndAggregate() throws {
        let r = Replayer()
        try run(r, "ZADD a 1 x 2 y", "SADD b x z")
        try run(r, "ZUNIONSTORE u 2 a b WEIGHTS 2 3", "ZINTERSTORE i 2 a b AGGREGATE MAX", "ZDIFFSTORE d 2 a b")
        #expect(zsetValue(r, "u") == ["x": 5, "y": 4, "z": 3])
        #expect(zsetValue(r, "i") == ["x": 1])
        #expect(zsetValue(r, "d") == ["y": 2])
        try run(r, "ZADD p +inf m", "ZADD q -inf m", "ZUNIONSTORE s 2 p q")
        #expect(zsetValue(r, "s") == ["m": 0])  // inf + -inf is 0 in Redis
    }
}

@Suite struct ReplayHashTests {
    @Test func setIncrementAndDelete() throws {
        let r = Replayer()
        #expect(try run(r, "HSET h a 1 b 2").dirty == 2)
        try run(r, "HSETNX h a 9", "HINCRBY h a 5", "HINCRBYFLOAT h f 1.25", "HINCRBYFLOAT h f 0.05", "HDEL h b")
        #expect(hashValue(r, "h") == ["a": "6", "f": "1.3"])
        try run(r, "HDEL h a f")
        #expect(record(r, "h") == nil)
    }

    @Test func fieldTTLsAreKeptDroppedAndFiltered() throws {
        let r = Replayer()
        try run(r, "HSET h a 1 b 2 c 3", "HPEXPIREAT h 5000 FIELDS 2 a b", "HPEXPIREAT h 4000 GT FIELDS 1 a")
        try run(r, "HPERSIST h FIELDS 1 b", "HEXPIRE h 10 FIELDS 1 c", time: 1000)
        guard case .hash(let v)? = record(r, "h")?.value else { Issue.record("no hash"); return }
        let expiries = Dictionary(uniqueKeysWithValues: v.fields.indices.map { (String(decoding: v.fields[$0], as: UTF8.self), v.fieldExpiries?[$0] ?? nil) })
        #expect(expiries == ["a": 5000, "b": nil, "c": 11000])
        try run(r, "HSET h a 9")
        var fields: [String] = []
        r.dataset.records(now: 20_000) { rec in if case .hash(let h) = rec.value { fields = h.fields.map { String(decoding: $0, as: UTF8.self) }.sorted() } }
        #expect(fields == ["a", "b"])
    }

    @Test func hsetexAndHgetex() throws {
        let r = Replayer()
        try run(r, "HSETEX h PXAT 7000 FIELDS 2 a 1 b 2", "HSETEX h FNX FIELDS 1 a 5", "HGETEX h PERSIST FIELDS 1 b")
        guard case .hash(let v)? = record(r, "h")?.value else { Issue.record("no hash"); return }
        #expect(hashValue(r, "h") == ["a": "1", "b": "2"])
        #expect(v.fieldExpiries?.compactMap { $0 } == [7000])
    }
}
