import Foundation
import Testing
@testable import RDBKit

/// `rdbtool plan` against real redis-server 7.0.15 histories.
@Suite(.serialized) struct PlanServerTests {
    /// A timestamped AOF written by a real server: a seeded workload of `seconds`, copied out.
    static func history(seconds: Double, seed: UInt64) throws -> (ScratchDirectory, String, started: Int64) {
        let server = try RedisServer(extraArguments: ["--appendonly", "yes", "--aof-timestamp-enabled", "yes"])
        let conn = try server.connect()
        guard case .integer(let started) = try conn.command(Array("LASTSAVE".utf8)) else { throw RedisServer.ServerError(message: "LASTSAVE") }
        var rng = VerifyMutationTests.Seeded(state: seed)
        let end = Date().addingTimeInterval(seconds)
        var n = 0
        while Date() < end {
            n += 1
            let key = Array("k\(Int.random(in: 0..<30, using: &rng))".utf8)
            switch Int.random(in: 0..<8, using: &rng) {
            case 0: _ = try conn.call([Array("DEL".utf8), key])
            case 1: _ = try conn.call([Array("RPUSH".utf8), Array("list".utf8), Array("\(n)".utf8)])
            default: _ = try conn.call([Array("SET".utf8), key, Array("\(seed)-\(n)".utf8)])
            }
            usleep(UInt32.random(in: 10_000...60_000, using: &rng))
        }
        let scratch = try ScratchDirectory()
        let aof = scratch.path + "/appendonlydir"
        try FileManager.default.copyItem(atPath: server.dir.appendingPathComponent("appendonlydir").path, toPath: aof)
        return (scratch, aof, started)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    @Test func perInstantLossEqualsCrashReportsForTheSameInstant() throws {
        guard RedisServer.available else {
            print("skipped: redis-server not installed")
            return
        }
        let (dir, aof, started) = try Self.history(seconds: 4.2, seed: 7)
        let candidates = try dir.write("candidates.txt", """
            # name: directives
            rdb: save 2 3
            aof: save ""; appendonly yes; appendfsync everysec
            aof-no: save ""; appendonly yes; appendfsync no
            """)
        let options = ["rdb": ["--save", "2 3", "--appendonly", "no"],
                       "aof": ["--save", "", "--appendonly", "yes", "--appendfsync", "everysec"],
                       "aof-no": ["--save", "", "--appendonly", "yes", "--appendfsync", "no"]]
        let r = try CLITests.run(["plan", "--aof", aof, "--candidates", candidates, "--started", "\(started)", "--format", "json"])
        #expect(r.status == 0, "\(r.err)")
        let plan = try Self.json(r.out)
        let results = plan["candidates"] as? [[String: Any]] ?? []
        #expect(results.map { $0["configuration"] as? String } == ["rdb", "aof", "aof-no"])
        var compared = 0, lossy = 0
        for c in results {
            let name = c["configuration"] as? String ?? ""
            for failure in ["process", "power"] {
                let curve = ((c["loss"] as? [String: Any])?[failure] as? [String: Any])?["curve"] as? [[Int64]] ?? []
                #expect(curve.count >= 4, "one point per second of a 4 s history")
                for point in [curve[1], curve[curve.count / 2], curve[curve.count - 1]] {
                    let cr = try CLITests.run(["crash-report", "--aof", aof, "--started", "\(started)", "--failure", failure,
                                               "--at", "\(point[0])ms", "--format", "json"] + (options[name] ?? []))
                    #expect(cr.status == 0, "\(cr.err)")
                    let lost = try Self.json(cr.out)["lost_writes"] as? [String: Int] ?? [:]
                    let expected = (lost["lost"] ?? 0) + (lost["likely"] ?? 0)
                    #expect(point[1] == Int64(expected), "\(name) \(failure) at \(point[0]): expected-case writes")
                    #expect(point[2] == Int64(expected + (lost["possible"] ?? 0)), "\(name) \(failure) at \(point[0]): worst-case writes")
                    compared += 1
                    if point[2] > 0 { lossy += 1 }
                }
            }
        }
        #expect(compared == 18)
        #expect(lossy >= 6, "the instants compared include crashes that lose writes")
    }
}

/// Ground truth for the copy-on-write estimate: a real redis-server 7.0.15 holding a dataset of
/// about 150 MB (DEBUG POPULATE: 200,000 keys of 512-byte values) runs a BGSAVE slowed by
/// `rdb-key-save-delay` to a few seconds while a seeded workload overwrites random keys; the
/// child's `rdb_last_cow_size` must lie within the range the estimate states for that save,
/// computed from the AOF of the same period and the memory model of the saved RDB. The dataset
/// is kept this size (not larger) so the three cases stay well under a minute together.
@Suite(.serialized) struct PlanCopyOnWriteServerTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var seed: UInt64
        /// SETs per second during the save.
        var rate: Int
        var testDescription: String { "seed \(seed), \(rate) writes/s" }
    }

    static let cases = [Case(seed: 1, rate: 400), Case(seed: 2, rate: 2000), Case(seed: 3, rate: 6000)]
    static let keys = 200_000
    static let valueSize = 512

    static func integer(_ info: String, _ field: String) -> Int64? {
        info.split(whereSeparator: \.isNewline).first { $0.hasPrefix(field + ":") }.flatMap { Int64($0.dropFirst(field.count + 1)) }
    }

    @Test(arguments: cases) func estimateBracketsTheMeasuredCopyOnWrite(_ c: Case) throws {
        guard RedisServer.available else {
            print("skipped: redis-server not installed")
            return
        }
        // Uncompressed, the RDB reads fast in a debug build too (LZF decoding dominates there).
        let server = try RedisServer(extraArguments: ["--appendonly", "yes", "--aof-timestamp-enabled", "yes", "--rdbcompression", "no"])
        let conn = try server.connect()
        _ = try server.cli("DEBUG", "POPULATE", "\(Self.keys)", "key", "\(Self.valueSize)")
        // A negative delay sleeps 1 µs with probability 1/10 per key: a save of a few seconds.
        _ = try server.cli("CONFIG", "SET", "rdb-key-save-delay", "-10")
        var rng = VerifyMutationTests.Seeded(state: c.seed)
        let value = [UInt8](repeating: UInt8(ascii: "x"), count: Self.valueSize)
        let forkMs = CrashReportServerTests.wallMs()
        _ = try conn.command(Array("BGSAVE".utf8))
        var writes = 0
        while Self.integer(try server.cli("INFO", "persistence"), "rdb_bgsave_in_progress") == 1 {
            let batch = (0..<max(1, c.rate / 20)).map { _ in [Array("SET".utf8), Array("key:\(Int.random(in: 0..<Self.keys, using: &rng))".utf8), value] }
            _ = try conn.pipeline(batch)
            writes += batch.count
            usleep(50_000)
        }
        let doneMs = CrashReportServerTests.wallMs()
        let info = try server.cli("INFO", "persistence")
        #expect(info.contains("rdb_last_bgsave_status:ok"))
        let measured = try #require(Self.integer(info, "rdb_last_cow_size"))
        let scratch = try ScratchDirectory()
        let aof = scratch.path + "/appendonlydir"
        try FileManager.default.copyItem(atPath: server.dir.appendingPathComponent("appendonlydir").path, toPath: aof)
        let rdb = server.dir.appendingPathComponent("dump.rdb").path

        let sizes = try KeySizes(rdb: rdb)
        let timeline = try WriteTimeline(path: aof)
        let estimate = CopyOnWriteEstimate(timeline: timeline, fromMs: forkMs, toMs: doneMs, sizes: sizes, datasetBytes: sizes.totalBytes)
        print("COW \(c.testDescription): \(writes) writes in \(doneMs - forkMs) ms, measured \(measured), "
              + "estimated \(estimate.lowBytes)-\(estimate.highBytes) (keys \(estimate.keys.sure) sure, \(estimate.keys.possible) possible), "
              + "dataset \(sizes.totalBytes)")
        #expect(estimate.lowBytes <= measured, "measured below the low end")
        #expect(measured <= estimate.highBytes, "measured above the high end")
    }
}
