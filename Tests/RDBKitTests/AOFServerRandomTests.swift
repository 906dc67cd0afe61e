import Foundation
import Testing
@testable import RDBKit

/// Seeded random workloads (the `WorkloadGenerator` of ReplayRandomTests) sent to a redis-server
/// with `appendonly yes`: the `appendonlydir/` that server writes, converted by `rdbtool aof-to-rdb`,
/// holds what the same server build holds after restarting on that directory. Seeds as in
/// ReplayRandomTests (`REPLAY_SEEDS=n`, `REPLAY_COMMANDS=n`).
@Suite(.serialized, .enabled(if: RedisServer.available && Paths.sharedPresent, "needs redis-server and ../shared/tools"))
struct AOFServerRandomTests {
    /// Consumer seen/active times are the load time on the restarted server and the replay time
    /// in the conversion: no AOF holds them (corpus README, "Live truth vs after-reload truth").
    static let notInAOF: Set<String> = ["seen_time_ms", "active_time_ms"]

    /// A workload's AOF converted, and a server restarted on that AOF.
    struct Converted {
        let scratch: ScratchDirectory
        let rdb: String
        let summary: String
        let restarted: RedisServer
    }

    /// Runs the workload on an AOF server (with a BGREWRITEAOF halfway when `rewriteMidway`), then
    /// converts a copy of its `appendonlydir/` and starts a second server on that copy.
    static func convertedWorkload(seed: UInt64, rewriteMidway: Bool, preamble: Bool) throws -> Converted {
        let server = try RedisServer(extraArguments: [
            "--appendonly", "yes", "--aof-use-rdb-preamble", preamble ? "yes" : "no", "--aof-timestamp-enabled", "yes",
            // With `everysec` a write may wait behind a running fsync; `no` writes before each reply.
            "--appendfsync", "no",
        ])
        defer { server.stop() }
        let client = try RESPConnection(port: server.port)
        var gen = WorkloadGenerator(seed: seed)
        let count = Int(ProcessInfo.processInfo.environment["REPLAY_COMMANDS"] ?? "") ?? 2000
        try send(&gen, count: rewriteMidway ? count / 2 : count, to: client)
        if rewriteMidway {
            #expect(try server.cli("BGREWRITEAOF").contains("rewriting started"))
            try server.waitForAOFRewrite()
            try send(&gen, count: count - count / 2, to: client)
        }
        let scratch = try ScratchDirectory()
        let aof = scratch.path + "/appendonlydir"
        try FileManager.default.copyItem(atPath: server.dir.appendingPathComponent("appendonlydir").path, toPath: aof)
        server.stop()

        let rdb = scratch.path + "/converted.rdb"
        let run = try CLITests.run(["aof-to-rdb", aof, "-o", rdb])
        #expect(run.status == 0, "\(run.err)")
        let restarted = try RedisServer(appendOnlyDir: aof, extraArguments: ["--aof-use-rdb-preamble", preamble ? "yes" : "no"])
        return Converted(scratch: scratch, rdb: rdb, summary: run.out, restarted: restarted)
    }

    /// Sends `count` generated commands; RESTORE payloads come from the server's own DUMP.
    static func send(_ gen: inout WorkloadGenerator, count: Int, to client: RESPConnection) throws {
        for _ in 0..<count {
            for argv in try gen.next(dumping: { key in
                if case .bulk(let p?) = try client.call([Array("DUMP".utf8), key]) { return p }
                return nil
            }) {
                try client.call(argv)
            }
        }
    }

    /// The converted RDB dumps to the restarted server's dataset, and a server loading it has
    /// that server's DEBUG DIGEST.
    static func expectSameDataset(_ c: Converted, seed: UInt64) throws {
        let truth = try JSONLDataset(try truthFromServer(port: c.restarted.port))
        let diffs = truth.differences(from: try JSONLDataset(try dumpJSONL(c.rdb)), ignoring: notInAOF)
        #expect(diffs.isEmpty, "seed \(seed): \(diffs.count) differences\n\(diffs.prefix(5).joined(separator: "\n"))")
        let types = Set(truth.records.values.compactMap { $0["type"] as? String })
        #expect(types.isSuperset(of: ["string", "list", "set", "zset", "hash", "stream"]), "\(types)")
        let loaded = try RedisServer(loading: c.rdb)
        defer { loaded.stop() }
        #expect(try loaded.cli("DEBUG", "DIGEST") == (try c.restarted.cli("DEBUG", "DIGEST")), "seed \(seed)")
    }

    @Test(arguments: ReplayRandomTests.seeds)
    func convertedAOFHoldsWhatTheRestartedServerHolds(_ seed: UInt64) throws {
        let c = try Self.convertedWorkload(seed: seed, rewriteMidway: false, preamble: false)
        defer { c.restarted.stop() }
        #expect(!c.summary.contains("keys from the RDB part"), "a RESP-only history: \(c.summary)")
        try Self.expectSameDataset(c, seed: seed)
    }

    /// A BGREWRITEAOF halfway: the history is an RDB base holding the first half plus an incr
    /// file holding the second.
    @Test(arguments: ReplayRandomTests.seeds)
    func convertedAOFSpanningARewriteHoldsWhatTheRestartedServerHolds(_ seed: UInt64) throws {
        let c = try Self.convertedWorkload(seed: seed, rewriteMidway: true, preamble: true)
        defer { c.restarted.stop() }
        #expect(c.summary.contains("keys from the RDB part"), "\(c.summary)")
        #expect(!c.summary.hasPrefix("0 commands read"), "\(c.summary)")
        try Self.expectSameDataset(c, seed: seed)
    }

    /// Round trip: `dump --format resp` of the converted RDB, piped into an empty server, rebuilds
    /// the restarted server's dataset, by digest and by full content.
    @Test(arguments: ReplayRandomTests.seeds)
    func respDumpOfTheConvertedRDBRebuildsTheServersDataset(_ seed: UInt64) throws {
        let c = try Self.convertedWorkload(seed: seed, rewriteMidway: false, preamble: false)
        defer { c.restarted.stop() }
        let resp = try runProcess(CLITests.binary, ["dump", "--format", "resp", c.rdb])
        #expect(resp.status == 0, "\(resp.stderr)")
        let empty = try RedisServer()
        defer { empty.stop() }
        let pipeReport = try empty.cli(arguments: ["--pipe"], input: resp.out)
        #expect(pipeReport.contains("errors: 0"), "\(pipeReport)")
        #expect(try empty.cli("DEBUG", "DIGEST") == (try c.restarted.cli("DEBUG", "DIGEST")), "seed \(seed)")
        let truth = try JSONLDataset(try truthFromServer(port: c.restarted.port))
        let rebuilt = try JSONLDataset(try truthFromServer(port: empty.port))
        let diffs = truth.differences(from: rebuilt, ignoring: Self.notInAOF)
        #expect(diffs.isEmpty, "seed \(seed): \(diffs.count) differences\n\(diffs.prefix(5).joined(separator: "\n"))")
    }
}
