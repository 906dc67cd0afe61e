import Foundation
import Testing
@testable import RDBKit

/// Seeded random write workloads of every command family, in the forms AOFs hold, sent to a real
/// redis-server and to the Replayer; the server's whole dataset must equal the replayed one.
/// One seed by default; `REPLAY_SEEDS=n` runs n seeds, `REPLAY_COMMANDS=n` changes the length.
@Suite(.serialized, .enabled(if: RedisServer.available && Paths.sharedPresent, "needs redis-server and ../shared/tools"))
struct ReplayRandomTests {
    static var seeds: [UInt64] {
        let n = Int(ProcessInfo.processInfo.environment["REPLAY_SEEDS"] ?? "") ?? 1
        return (0..<UInt64(max(n, 1))).map { 20241123 &+ $0 }
    }

    @Test(arguments: seeds)
    func randomWorkloadReplaysToTheServersDataset(_ seed: UInt64) throws {
        let server = try RedisServer()
        defer { server.stop() }
        let client = try RESPConnection(port: server.port)
        let replayer = Replayer(options: .init(startTimeMs: 1_800_000_000_000))
        var gen = WorkloadGenerator(seed: seed)
        let count = Int(ProcessInfo.processInfo.environment["REPLAY_COMMANDS"] ?? "") ?? 2000
        var applied = 0, refused = 0
        var mismatches: [String] = []
        for _ in 0..<count {
            for argv in try gen.next(dumping: { key in
                if case .bulk(let p?) = try client.call([Array("DUMP".utf8), key]) { return p }
                return nil
            }) {
                let reply = try client.call(argv)
                if case .array(let items?) = reply, items.contains(where: \.isError) {
                    mismatches.append("EXEC with a failing command: \(gen.describe(argv))")
                }
                // A write the server refuses never reaches an AOF: keep it from the replayer too.
                if reply.isError { refused += 1; continue }
                do {
                    _ = try replayer.apply(argv, timeMs: nil)
                    applied += 1
                } catch {
                    mismatches.append("\(gen.describe(argv)): \(error)")
                }
            }
        }
        #expect(mismatches.isEmpty, "seed \(seed): \(mismatches.prefix(5).joined(separator: "\n"))")
        let truth = try JSONLDataset(try truthFromServer(port: server.port))
        let mine = try JSONLDataset(try replayJSONL(replayer.dataset, now: nil))
        let diffs = truth.differences(from: mine, ignoring: ["seen_time_ms", "active_time_ms"])
        #expect(diffs.isEmpty, "seed \(seed) (\(applied) applied, \(refused) refused): \(diffs.count) differences\n\(diffs.prefix(5).joined(separator: "\n"))")
        #expect(applied > count / 2)
        // The comparison covers every type, not an almost empty key space.
        let types = Set(truth.records.values.compactMap { $0["type"] as? String })
        #expect(types.isSuperset(of: ["string", "list", "set", "zset", "hash", "stream"]), "\(types)")
    }
}

/// Random commands over small key spaces per type, so commands collide on keys. Expiries are
/// absolute and far ahead, and XCLAIM carries TIME, so the server's state is deterministic.
struct WorkloadGenerator {
    private var state: UInt64
    private var streamMs: [String: UInt64] = [:]
    private var transaction = false

    init(seed: UInt64) { state = seed }

    mutating func rand(_ n: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(n))
    }

    mutating func pick<T>(_ xs: [T]) -> T { xs[rand(xs.count)] }
    mutating func key(_ prefix: String) -> String { "\(prefix):\(rand(6))" }
    mutating func member() -> String { pick(["a", "b", "c", "d", "e", "f", "g", "10", "-3", "", "\u{e9}t\u{e9}", "long-member-\(rand(50))"]) }
    mutating func int() -> String { String(rand(2000) - 1000) }
    mutating func score() -> String { pick(["0", "1", "-1", "1.5", "2.25", "-0.5", "1e10", "inf", "-inf", String(rand(100)), "0.1", "3.14159"]) }
    mutating func future() -> String { String(4_000_000_000_000 + Int64(rand(1_000_000))) }

    func describe(_ argv: [[UInt8]]) -> String { argv.map { String(decoding: $0.prefix(40), as: UTF8.self) }.joined(separator: " ") }

    /// The next command (or commands: MULTI … EXEC, DUMP-based RESTORE needs the payload first).
    mutating func next(dumping dump: ([UInt8]) throws -> [UInt8]?) rethrows -> [[[UInt8]]] {
        let family = rand(13)
        if family == 12 && rand(4) == 0 {
            // A transaction of plain writes.
            var cmds: [[String]] = [["MULTI"]]
            for _ in 0..<(1 + rand(3)) { cmds.append(["RPUSH", key("l"), member()]); cmds.append(["SADD", key("t"), member()]) }
            cmds.append(["EXEC"])
            return cmds.map { $0.map { Array($0.utf8) } }
        }
        if family == 12, rand(3) == 0 {
            let src = key(pick(["s", "l", "t", "z", "h", "x"]))
            guard let payload = try dump(Array(src.utf8)) else { return [] }
            let dst = src + ":restored"
            var argv: [[UInt8]] = [Array("RESTORE".utf8), Array(dst.utf8), Array((rand(2) == 0 ? "0" : future()).utf8), payload, Array("REPLACE".utf8)]
            if argv[2] != Array("0".utf8) { argv.append(Array("ABSTTL".utf8)) }
            return [argv]
        }
        let words: [String]
        switch family {
        case 0: words = stringCommand()
        case 1: words = counterCommand()
        case 2: words = bitCommand()
        case 3, 4: words = listCommand()
        case 5: words = setCommand()
        case 6: words = zsetCommand()
        case 7: words = hashCommand()
        case 8: words = hllCommand()
        case 9: words = geoCommand()
        case 10: words = streamCommand()
        default: words = keyCommand()
        }
        return [words.map { Array($0.utf8) }]
    }

    mutating func stringCommand() -> [String] {
        let k = key("s")
        switch rand(10) {
        case 0: return ["SET", k, member()] + pick([[], ["NX"], ["XX"], ["KEEPTTL"], ["PXAT", future()], ["XX", "GET"], ["EXAT", String(4_000_000_000 + rand(1000))]])
        case 1: return ["SETNX", k, member()]
        case 2: return ["MSET", k, member(), key("s"), member()]
        case 3: return ["MSETNX", k, member(), key("s"), member()]
        case 4: return ["APPEND", k, member()]
        case 5: return ["SETRANGE", k, String(rand(20)), member()]
        case 6: return ["GETDEL", k]
        case 7: return ["GETSET", k, member()]
        case 8: return ["PEXPIREAT", k, future()]
        default: return ["SET", k, String(rand(100))]
        }
    }

    mutating func counterCommand() -> [String] {
        let k = key("n")
        switch rand(7) {
        case 0: return ["INCR", k]
        case 1: return ["DECR", k]
        case 2: return ["INCRBY", k, int()]
        case 3: return ["DECRBY", k, int()]
        case 4: return ["INCRBYFLOAT", key("f"), pick(["0.1", "1.5", "-2.25", "3e2", "1.1e-3", "10", "-0.3333"])]
        case 5: return ["SET", k, int(), "PXAT", future()]
        default: return ["INCRBYFLOAT", key("f"), String(rand(100)) + "." + String(rand(1000))]
        }
    }

    mutating func bitCommand() -> [String] {
        let k = key("b")
        switch rand(4) {
        case 0: return ["SETBIT", k, String(rand(200)), String(rand(2))]
        case 1:
            let type = pick(["u8", "i8", "u4", "i16", "u1", "i5", "i64", "u63"])
            var w = ["BITFIELD", k]
            for _ in 0..<(1 + rand(3)) {
                if rand(3) == 0 { w += ["OVERFLOW", pick(["WRAP", "SAT", "FAIL"])] }
                w += rand(2) == 0 ? ["SET", type, pick(["0", "#1", "7", "#3", "13"]), int()] : ["INCRBY", type, pick(["0", "#2", "5"]), int()]
            }
            return w
        case 2: return ["BITOP", pick(["AND", "OR", "XOR"]), key("b"), k, key("b")]
        default: return ["BITOP", "NOT", key("b"), k]
        }
    }

    mutating func listCommand() -> [String] {
        let k = key("l")
        switch rand(14) {
        case 0, 1: return [pick(["LPUSH", "RPUSH"]), k, member(), member()]
        case 2: return [pick(["LPUSHX", "RPUSHX"]), k, member()]
        case 3: return [pick(["LPOP", "RPOP"]), k] + (rand(2) == 0 ? [String(rand(4))] : [])
        case 4: return ["LSET", k, String(rand(4) - 2), member()]
        case 5: return ["LINSERT", k, pick(["BEFORE", "AFTER"]), member(), member()]
        case 6: return ["LREM", k, String(rand(5) - 2), member()]
        case 7: return ["LTRIM", k, String(rand(4) - 1), String(rand(6) - 2)]
        case 8: return ["RPOPLPUSH", k, key("l")]
        case 9: return ["LMOVE", k, key("l"), pick(["LEFT", "RIGHT"]), pick(["LEFT", "RIGHT"])]
        case 10: return ["LMPOP", "2", k, key("l"), pick(["LEFT", "RIGHT"]), "COUNT", String(1 + rand(3))]
        case 11: return ["BLMOVE", k, key("l"), "LEFT", "RIGHT", "0.01"]
        case 12: return ["RPUSH", k] + (0..<(1 + rand(8))).map { _ in member() }
        default: return ["PEXPIREAT", k, future()]
        }
    }

    mutating func setCommand() -> [String] {
        let k = key("t")
        switch rand(7) {
        case 0, 1: return ["SADD", k] + (0..<(1 + rand(4))).map { _ in member() }
        case 2: return ["SREM", k, member(), member()]
        case 3: return ["SMOVE", k, key("t"), member()]
        case 4: return [pick(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]), key("t"), k, key("t")]
        case 5: return ["SADD", k, String(rand(30)), String(rand(30))]
        default: return ["PEXPIREAT", k, future()]
        }
    }

    mutating func zsetCommand() -> [String] {
        let k = key("z")
        switch rand(14) {
        case 0, 1, 2:
            var w = ["ZADD", k]
            if rand(3) == 0 { w.append(pick(["NX", "XX", "GT", "LT", "CH", "XX CH", "GT CH"])) }
            w = w.flatMap { $0.split(separator: " ").map(String.init) }
            for _ in 0..<(1 + rand(3)) { w += [score(), member()] }
            return w
        case 3: return ["ZADD", k, "INCR", score(), member()]
        case 4: return ["ZINCRBY", k, score(), member()]
        case 5: return ["ZREM", k, member(), member()]
        case 6: return ["ZREMRANGEBYSCORE", k, pick(["-inf", "(0", "1", "(1.5"]), pick(["+inf", "2", "(10", "100"])]
        case 7: return ["ZREMRANGEBYRANK", k, String(rand(4) - 2), String(rand(4) - 1)]
        case 8: return ["ZREMRANGEBYLEX", key("zl"), pick(["-", "[b", "(a"]), pick(["+", "[d", "(f"])]
        case 9: return ["ZADD", key("zl"), "0", member(), "0", member()]
        case 10: return [pick(["ZPOPMIN", "ZPOPMAX"]), k] + (rand(2) == 0 ? [String(1 + rand(3))] : [])
        case 11:
            var w = [pick(["ZUNIONSTORE", "ZINTERSTORE"]), key("z"), "2", k, pick([key("z"), key("t")])]
            if rand(2) == 0 { w += ["WEIGHTS", pick(["1", "2", "-1", "0.5"]), pick(["1", "3", "0"])] }
            if rand(2) == 0 { w += ["AGGREGATE", pick(["SUM", "MIN", "MAX"])] }
            return w
        case 12: return ["ZDIFFSTORE", key("z"), "2", k, key("z")]
        default:
            return pick([["ZRANGESTORE", key("z"), k, String(rand(3)), String(rand(5) - 1)],
                         ["ZRANGESTORE", key("z"), k, "(0", "+inf", "BYSCORE", "LIMIT", "0", String(1 + rand(3))],
                         ["ZRANGESTORE", key("z"), k, "+inf", "-inf", "BYSCORE", "REV"],
                         ["ZRANGESTORE", key("z"), key("zl"), "[a", "[e", "BYLEX"]])
        }
    }

    mutating func hashCommand() -> [String] {
        let k = key("h")
        switch rand(8) {
        case 0, 1: return ["HSET", k, member(), member(), member(), int()]
        case 2: return ["HMSET", k, member(), member()]
        case 3: return ["HSETNX", k, member(), member()]
        case 4: return ["HDEL", k, member(), member()]
        case 5: return ["HINCRBY", k, "cnt" + String(rand(3)), int()]
        case 6: return ["HINCRBYFLOAT", k, "flt" + String(rand(3)), pick(["0.1", "-1.5", "2.5e3", "7"])]
        default: return ["PEXPIREAT", k, future()]
        }
    }

    mutating func hllCommand() -> [String] {
        let k = key("p")
        switch rand(6) {
        case 0, 1: return ["PFADD", k] + (0..<(1 + rand(5))).map { _ in "e\(rand(3000))" }
        case 2: return ["PFADD", k] + (0..<200).map { _ in "bulk\(rand(1_000_000))" }
        case 3: return ["PFMERGE", key("p"), k, key("p")]
        default: return ["PFCOUNT", k]
        }
    }

    mutating func geoCommand() -> [String] {
        let k = key("g")
        switch rand(4) {
        case 0, 1:
            var w = ["GEOADD", k]
            for _ in 0..<(1 + rand(3)) {
                let lon = Double(rand(36000)) / 100 - 180, lat = Double(rand(17000)) / 100 - 85
                w += [String(lon), String(lat), member()]
            }
            return w
        case 2:
            var w = ["GEOSEARCHSTORE", key("g"), k, "FROMLONLAT", String(rand(360) - 180), String(rand(170) - 85)]
            if rand(2) == 0 { w += ["BYRADIUS", String(1000 + rand(20000)), "km"] }
            else { w += ["BYBOX", String(1000 + rand(20000)), String(500 + rand(9000)), "km"] }
            if rand(2) == 0 { w.append("STOREDIST") }
            if rand(2) == 0 { w += ["COUNT", String(1 + rand(3)), pick(["ASC", "DESC"])] }
            return w
        default:
            return ["GEORADIUS", k, String(rand(360) - 180), String(rand(170) - 85), String(100 + rand(5000)), pick(["km", "mi"]),
                    pick(["STORE", "STOREDIST"]), key("g")]
        }
    }

    mutating func streamCommand() -> [String] {
        let k = key("x")
        let id = { (g: inout WorkloadGenerator) -> String in
            let ms = (g.streamMs[k] ?? 1_000) + UInt64(g.rand(3))
            g.streamMs[k] = ms
            return g.rand(4) == 0 ? "\(ms)-*" : "\(ms)-\(g.rand(3))"
        }
        let old = "\(1_000 + rand(Int((streamMs[k] ?? 1_000) - 999)))-\(rand(3))"
        let group = "g\(rand(3))", consumer = "c\(rand(3))"
        switch rand(13) {
        case 0, 1, 2: return ["XADD", k] + (rand(4) == 0 ? ["MAXLEN", "=", String(3 + rand(6))] : []) + [id(&self), "f", member(), member(), int()]
        case 3: return ["XADD", k, "NOMKSTREAM", id(&self), "f", "v"]
        case 4: return ["XDEL", k, old, old]
        case 5: return ["XTRIM", k, pick(["MAXLEN", "MINID"]), "=", pick([String(rand(8)), old])]
        case 6: return ["XGROUP", "CREATE", k, group, pick(["$", "0", old])] + (rand(2) == 0 ? ["MKSTREAM"] : []) + (rand(3) == 0 ? ["ENTRIESREAD", String(rand(5))] : [])
        case 7: return ["XGROUP", "SETID", k, group, pick(["$", "0", old])] + (rand(2) == 0 ? ["ENTRIESREAD", String(rand(5))] : [])
        case 8: return ["XGROUP", pick(["CREATECONSUMER", "DELCONSUMER"]), k, group, consumer]
        case 9, 10:
            return ["XCLAIM", k, group, consumer, "0", old, "TIME", String(1_700_000_000_000 + rand(1000)), "RETRYCOUNT", String(rand(4))]
                + pick([["FORCE", "JUSTID"], ["FORCE"], ["JUSTID"], []]) + (rand(2) == 0 ? ["LASTID", old] : [])
        case 11: return ["XACK", k, group, old, old]
        default: return ["XSETID", k, "\((streamMs[k] ?? 1_000) + 5)-0"] + (rand(2) == 0 ? ["ENTRIESADDED", String(20 + rand(5)), "MAXDELETEDID", "\(1000 + rand(3))-0"] : [])
        }
    }

    mutating func keyCommand() -> [String] {
        let prefix = pick(["s", "l", "t", "z", "h", "x", "n"])
        let k = key(prefix)
        switch rand(14) {
        case 0: return [pick(["DEL", "UNLINK"]), k, key(prefix)]
        case 1: return ["PEXPIREAT", k, future(), pick(["NX", "XX", "GT", "LT"])]
        case 2: return ["PERSIST", k]
        case 3: return ["RENAME", k, key(prefix)]
        case 4: return ["RENAMENX", k, key(prefix)]
        case 5: return ["COPY", k, key(prefix)] + pick([[], ["REPLACE"], ["DB", "1"], ["DB", "2", "REPLACE"]])
        case 6: return ["MOVE", k, pick(["1", "2"])]
        case 7, 8: return ["SELECT", pick(["0", "0", "1", "2"])]
        case 9: return ["SWAPDB", "0", pick(["1", "2"])]
        case 10: return ["FUNCTION", "LOAD", "REPLACE", "#!lua name=lib\(rand(3))\nredis.register_function('f\(rand(3))', function() return \(rand(9)) end)"]
        case 11: return ["FUNCTION", "DELETE", "lib\(rand(3))"]
        case 12: return rand(8) == 0 ? ["FLUSHDB"] : ["EXPIREAT", k, String(4_000_000_000 + rand(1000))]
        default: return ["PEXPIREAT", k, future(), "GT"]
        }
    }
}
