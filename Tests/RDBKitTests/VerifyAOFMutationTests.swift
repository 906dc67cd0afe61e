import Foundation
import Testing
@testable import RDBKit

/// Seeded mutants of an AOF (flips, truncations, insertions) against redis-check-aof 7.0.15:
/// verify finds damage exactly when redis-check-aof rejects a mutant, and then reports the
/// same `ok_up_to`, except for a stray EXEC or nested MULTI, which a server loads and verify
/// reports as a warning.
@Suite(.enabled(if: RedisServer.which("redis-check-aof") != nil, "redis-check-aof is not installed"))
struct VerifyAOFMutationTests {
    static let source: [UInt8] = {
        var out = Array("#TS:1700000000\r\n".utf8) + resp("SELECT", "0")
        for i in 0..<12 { out += resp("SET", "key:\(i)", String(repeating: "v", count: i)) }
        out += resp("MULTI") + resp("INCR", "counter") + resp("LPUSH", "list", "a", "b") + resp("EXEC")
        out += resp("SELECT", "3") + resp("HSET", "h", "field", "value") + Array("#TS:1700000005\r\n".utf8)
        for i in 0..<6 { out += resp("ZADD", "z", "\(i).5", "m\(i)") }
        return out
    }()

    @Test func mutantsAreJudgedAsRedisCheckAOFJudgesThem() throws {
        let s = try ScratchDirectory()
        let checker = try #require(RedisServer.which("redis-check-aof"))
        var rng = VerifyMutationTests.Seeded(state: 3)
        var judged = 0
        for i in 0..<120 {
            let mutant = VerifyMutationTests.mutate(Self.source, &rng)
            let path = try s.write("m\(i).aof", mutant)
            guard case .aof(let r) = Verifier().verifyAny(path: path) else { continue }  // first byte no longer RESP
            let check = try runProcess(checker, [path])
            let okUpTo = check.stdout.range(of: "ok_up_to=").map { Int64(check.stdout[$0.upperBound...].prefix { $0.isNumber }) }
            if r.failure == nil, r.warnings.contains(where: { $0.message.contains("MULTI (redis-check-aof") }) {
                #expect(check.status != 0)
                continue
            }
            #expect((r.failure == nil) == (check.status == 0), "mutant \(i): \(r.text())\(check.stdout)")
            if check.status != 0 { #expect(r.okUpTo == okUpTo ?? nil, "mutant \(i): \(r.text())\(check.stdout)") }
            judged += 1
        }
        #expect(judged >= 110)
    }
}
