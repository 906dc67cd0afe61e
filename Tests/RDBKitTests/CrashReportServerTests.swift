import Foundation
import Testing
@testable import RDBKit

/// Ground truth for `crash-report`: a real redis-server 7.0.15 with save points and a
/// timestamped AOF runs a timed workload and is killed with SIGKILL; the keys a restart from its
/// dump.rdb alone lost (against a restart from its AOF) must be the keys the report predicts:
/// every key it calls lost, none it does not name; the "possibly" ones are the documented
/// uncertainty between the earliest and the latest save schedule. Given the dump.rdb in place
/// at the crash, whose content says which writes it holds, the prediction is exact once the
/// crash's own second holds no write.
@Suite(.serialized) struct CrashReportServerTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var seed: UInt64
        var save: [String]
        var seconds: Double
        /// Quiet time between the last write and the kill: past a second boundary, the writes are
        /// known to precede the crash; with none, the crash's own second stays uncertain.
        var idle: Double
        var testDescription: String { "seed \(seed), save \(save.joined(separator: " ")), idle \(idle) s" }
    }

    static let cases = [
        Case(seed: 1, save: ["2", "3"], seconds: 4.5, idle: 1.1),
        Case(seed: 2, save: ["1", "20"], seconds: 3.5, idle: 0),
        Case(seed: 3, save: ["3", "1", "1", "40"], seconds: 4.0, idle: 1.1),
    ]

    /// Key → `DEBUG DIGEST-VALUE` (encoding-independent) for every key of db 0.
    static func digests(_ server: RedisServer) throws -> [String: String] {
        let c = try server.connect()
        guard case .array(let keys?) = try c.command(Array("KEYS".utf8), Array("*".utf8)) else { return [:] }
        var out: [String: String] = [:]
        for case .bulk(let k?) in keys {
            // The server answers with one status reply per key.
            if case .array(let d?) = try c.call([Array("DEBUG".utf8), Array("DIGEST-VALUE".utf8), k]), case .status(let v) = d.first {
                out[String(decoding: k, as: UTF8.self)] = v
            }
        }
        return out
    }

    static func wallMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Polls `INFO persistence` until it holds `line` (true) or 30 s pass (false).
    static func waitFor(_ line: String, _ conn: RESPConnection) throws -> Bool {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if case .bulk(let info?) = try conn.command(Array("INFO".utf8), Array("persistence".utf8)),
               String(decoding: info, as: UTF8.self).contains(line) { return true }
            usleep(10_000)
        }
        return false
    }

    @Test(arguments: cases) func aKilledServerLosesExactlyThePredictedKeys(_ c: Case) throws {
        guard RedisServer.available else {
            print("skipped: redis-server not installed")
            return
        }
        // appendfsync always: the AOF is the truth at the crash only when no write waits behind a
        // slow fsync (everysec holds them back on a busy disk, format.md §8.6, and a kill loses them).
        let server = try RedisServer(extraArguments: ["--save"] + c.save + ["--appendonly", "yes", "--aof-timestamp-enabled", "yes",
                                                                          "--appendfsync", "always"])
        let conn = try server.connect()
        guard case .integer(let started) = try conn.command(Array("LASTSAVE".utf8)) else { Issue.record("LASTSAVE"); return }
        var rng = VerifyMutationTests.Seeded(state: c.seed)
        let end = Date().addingTimeInterval(c.seconds)
        var n = 0
        while Date() < end {
            n += 1
            let key = Array("k\(Int.random(in: 0..<40, using: &rng))".utf8)
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: _ = try conn.call([Array("DEL".utf8), key])
            case 1: _ = try conn.call([Array("HSET".utf8), Array("h".utf8), key, Array("\(n)".utf8)])
            case 2: _ = try conn.call([Array("INCR".utf8), Array("counter".utf8)])
            default: _ = try conn.call([Array("SET".utf8), key, Array("\(c.seed)-\(n)".utf8)])
            }
            usleep(UInt32.random(in: 5_000...40_000, using: &rng))
        }
        usleep(UInt32(c.idle * 1_000_000))
        // A snapshot child outlives its killed parent, and on a loaded machine takes longer than
        // the model's duration estimate: kill between snapshots, as the estimate assumes.
        _ = try Self.waitFor("rdb_bgsave_in_progress:0", conn)
        server.crash()
        let crashMs = Self.wallMs()
        let scratch = try ScratchDirectory()
        let aof = scratch.path + "/appendonlydir"
        try FileManager.default.copyItem(atPath: server.dir.appendingPathComponent("appendonlydir").path, toPath: aof)
        let dump = server.dir.appendingPathComponent("dump.rdb").path
        let hasDump = FileManager.default.fileExists(atPath: dump)
        let fromRDB = try RedisServer(loading: hasDump ? dump : nil)
        let fromAOF = try RedisServer(appendOnlyDir: aof)
        let (kept, atCrash) = (try Self.digests(fromRDB), try Self.digests(fromAOF))
        #expect(!atCrash.isEmpty)
        let actual = Set(kept.keys).union(atCrash.keys).filter { kept[$0] != atCrash[$0] }

        let arguments = ["crash-report", "--aof", aof, "--save", c.save.joined(separator: " "), "--appendonly", "no",
                         "--failure", "process", "--started", "\(started)", "--at", "\(crashMs)ms", "--limit", "100000", "--format", "json"]
        let created = hasDump ? try SnapshotSimulator.creationTime(ofRDB: dump) : nil
        let model = try Self.prediction(arguments)
        let readings = "the restored file forked in second \(created.map(String.init) ?? "-"), \(model.readings)"
        #expect(model.certain.isSubset(of: actual), "predicted lost but kept: \(model.certain.subtracting(actual).sorted()); \(readings)")
        #expect(actual.isSubset(of: model.named), "lost but not predicted: \(actual.subtracting(model.named).sorted()); \(readings)")
        #expect(hasDump, "the workload is long enough for a save point to fire")
        guard hasDump else { return }
        // The file in place at the crash fixes which snapshot the restart loads and, by its
        // content, which writes it holds: when every write precedes the crash's second, the
        // prediction is exact.
        let anchored = try Self.prediction(arguments + ["--rdb-at-crash", dump])
        #expect(anchored.certain.isSubset(of: actual), "with the file, predicted lost but kept: \(anchored.certain.subtracting(actual).sorted())")
        #expect(actual.isSubset(of: anchored.named), "with the file, lost but not predicted: \(actual.subtracting(anchored.named).sorted())")
        if c.idle > 1 { #expect(anchored.certain == actual) }
        print("\(c.testDescription): \(n) writes, \(actual.count) keys lost; predicted \(model.summary(actual)); "
              + "with --rdb-at-crash \(anchored.summary(actual))")
    }

    /// What a crash-report run predicts: keys it calls lost, likely lost, and every key it names.
    struct Prediction {
        var certain: Set<String>
        var likely: Set<String>
        var named: Set<String>
        /// The restored snapshot's fork under the earliest, expected and latest readings.
        var readings: String

        func summary(_ actual: Set<String>) -> String {
            "\(certain.count) lost, \(likely.count) likely, \(named.count - certain.count - likely.count) possibly "
                + "(the likely case wrong on \(certain.union(likely).symmetricDifference(actual).count) keys)"
        }
    }

    static func prediction(_ arguments: [String]) throws -> Prediction {
        let r = try CLITests.run(arguments)
        #expect(r.status == 0, "\(r.err)")
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        let changes = (json?["key_changes"] as? [[String: Any]]) ?? []
        func keys(_ loss: String) -> Set<String> { Set(changes.filter { $0["loss"] as? String == loss }.compactMap { $0["key"] as? String }) }
        // A key whose lost writes end where they began (written, then deleted) differs from the
        // crash only at some recovery points: it is among the touched keys, not the differences.
        let touched = (json?["touched_keys"] as? [[String: Any]]) ?? []
        let named = Set(changes.compactMap { $0["key"] as? String }).union(touched.compactMap { $0["key"] as? String })
        let forks = ["snapshot_early", "snapshot_expected", "snapshot_late"].map { "\((json?[$0] as? [String: Any])?["fork_ms"] ?? "-")" }
        return Prediction(certain: keys("lost"), likely: keys("likely"), named: named,
                          readings: "the model's earliest, expected and latest at \(forks.joined(separator: ", ")) ms")
    }
}

/// A history that spans an AOF rewrite: the base RDB holds the keys written before it, the incr
/// file the timed writes after it.
@Suite struct CrashReportRewriteTests {
    @Test func aHistoryAcrossARewriteRecoversWhatTheServerHeld() throws {
        guard RedisServer.available else {
            print("skipped: redis-server not installed")
            return
        }
        // appendfsync always: everysec may hold writes back behind a slow fsync (format.md §8.6),
        // which a kill would lose and this test is not about.
        let server = try RedisServer(extraArguments: ["--appendonly", "yes", "--aof-timestamp-enabled", "yes", "--appendfsync", "always"])
        let conn = try server.connect()
        for i in 0..<20 { _ = try conn.call([Array("SET".utf8), Array("before\(i)".utf8), Array("\(i)".utf8)]) }
        _ = try conn.command(Array("BGREWRITEAOF".utf8))
        // Done when counted (a rewrite can first be scheduled behind another child).
        // Counted when it starts; finished when no longer in progress (the base renamed into place).
        try #require(try CrashReportServerTests.waitFor("aof_rewrites:1", conn), "the rewrite starts")
        try #require(try CrashReportServerTests.waitFor("aof_rewrite_in_progress:0", conn), "the rewrite completes")
        for i in 0..<10 { _ = try conn.call([Array("RPUSH".utf8), Array("after".utf8), Array("\(i)".utf8)]) }
        _ = try conn.call([Array("DEL".utf8), Array("before3".utf8)])
        server.crash()
        let crashMs = CrashReportServerTests.wallMs()
        let scratch = try ScratchDirectory()
        let aof = scratch.path + "/appendonlydir"
        try FileManager.default.copyItem(atPath: server.dir.appendingPathComponent("appendonlydir").path, toPath: aof)

        let timeline = try WriteTimeline(path: aof)
        #expect(timeline.parts.map(\.role) == [.base, .incr])
        #expect(timeline.baseKeys == 20)
        #expect(timeline.entries.filter { !$0.isFraming }.count == 11)

        // Without save points or AOF, everything after the base is lost; the base is not.
        let settings = CrashModel.Settings(policy: PersistencePolicy(savePoints: []), failure: .process)
        let noPersistence = CrashModel(timeline: timeline, settings: settings).evaluate(atMs: crashMs)
        #expect(noPersistence.lostWrites == 11)
        #expect(Set(noPersistence.keys.map { String(decoding: timeline.keys[Int($0.id)].key, as: UTF8.self) }) == ["after", "before3"])

        // With the AOF and a killed process nothing is lost: the recovered RDB is the server's data.
        let recovered = scratch.path + "/recovered.rdb"
        let r = try CLITests.run(["crash-report", "--aof", aof, "--appendonly", "yes", "--appendfsync", "always", "--failure", "process",
                                  "--at", "\(crashMs)ms", "--write-recovered", recovered])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("lost writes: 0 "))
        let fromAOF = try RedisServer(appendOnlyDir: aof)
        let fromRecovered = try RedisServer(loading: recovered)
        #expect(try CrashReportServerTests.digests(fromRecovered) == CrashReportServerTests.digests(fromAOF))
        #expect(try CrashReportServerTests.digests(fromAOF).count == 20)
    }
}
