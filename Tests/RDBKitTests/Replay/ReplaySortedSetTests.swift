import Testing
@testable import RDBKit

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
