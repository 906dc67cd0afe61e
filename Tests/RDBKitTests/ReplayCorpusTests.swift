import Foundation
import Testing
@testable import RDBKit

/// Every corpus AOF folder, replayed, must give the dataset a server rebuilt from it.
@Suite struct ReplayCorpusTests {
    static var aofDirectories: [String] {
        guard Paths.sharedPresent else { return [] }
        let root = Paths.shared + "/corpus/generated"
        let builds = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return builds.filter { $0 != "corrupt" }.sorted().flatMap { b in
            ["aof", "aof-rewrite-rdbpreamble", "aof-rewrite-resp"].map { "\(root)/\(b)/\($0)" }
                .filter { FileManager.default.fileExists(atPath: $0) }
        }
    }

    /// Fields no AOF carries: consumer times become the load time, and so do PEL delivery
    /// times of entries claimed without TIME (corpus README, "Live truth vs after-reload truth").
    static let notInAOF: Set<String> = ["seen_time_ms", "active_time_ms", "delivery_time_ms"]

    /// `aof/` must give `truth-after-reload.jsonl`, read as the reload server did: just before
    /// the earliest expiry that survived it (`ttl:relative:1h`), after those that did not.
    /// A rewrite holds the live dataset it was made from (`../aof/truth.jsonl`, NOTES.txt), its
    /// past expiries included, and its XCLAIMs carry TIME, so only consumer times differ.
    /// The truth a folder's replay must give, the time to judge expiry at, and the fields no AOF holds.
    static func expectation(_ dir: String) throws -> (truth: JSONLDataset, now: Int64?, ignoring: Set<String>) {
        let aofDir = URL(fileURLWithPath: dir).deletingLastPathComponent().appendingPathComponent("aof").path
        let isRewrite = !dir.hasSuffix("/aof")
        let truth = try JSONLDataset(contentsOf: aofDir + (isRewrite ? "/truth.jsonl" : "/truth-after-reload.jsonl"))
        var now: Int64?
        var ignoring: Set<String> = ["seen_time_ms", "active_time_ms"]
        if !isRewrite {
            let survivingExpiries = truth.records.values.compactMap { ($0["expire_ms"] as? NSNumber)?.int64Value }
            now = (survivingExpiries.min() ?? Replayer.clockMs()) - 1
            ignoring = Self.notInAOF
        }
        // Servers before 7.0 keep no stream v2 counters: their truth has nulls there.
        if truth.records.values.contains(where: { ($0["value"] as? NSDictionary)?["first_id"] is NSNull }) {
            ignoring.formUnion(["first_id", "max_deleted_id", "entries_added", "entries_read"])
        }
        // Before 6.2 a RESP rewrite has no XGROUP CREATECONSUMER: consumers without pending
        // entries are not in the file at all.
        if isRewrite && (dir.contains("redis-5.0") || dir.contains("redis-6.0")) { ignoring.insert("consumers") }
        return (truth, now, ignoring)
    }

    @Test(arguments: aofDirectories)
    func replayedAOFEqualsWhatTheServerHeld(_ dir: String) throws {
        let (truth, now, ignoring) = try Self.expectation(dir)
        let replay = try AOFReplay(path: dir)
        let jsonl = try replayJSONL(replay.replayer.dataset, now: now)
        let diffs = truth.differences(from: try JSONLDataset(jsonl), ignoring: ignoring)
        #expect(diffs.isEmpty, "\(dir): \(diffs.count) differences:\n\(diffs.prefix(6).joined(separator: "\n"))")
    }

    /// `aof-to-rdb`: the RDB written from the replay dumps to the same dataset, and (RDB ≤ 10)
    /// redis-check-rdb 7.0.15 accepts it.
    @Test(arguments: aofDirectories)
    func convertedRDBHoldsWhatTheServerHeld(_ dir: String) throws {
        let (truth, now, ignoring) = try Self.expectation(dir)
        let replay = try AOFReplay(path: dir)
        let version = replay.producerRDBVersion ?? replay.requiredRDBVersion ?? 10
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("rdbtool-conv-\(UUID().uuidString).rdb").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        _ = try replay.writeRDB(path: out, options: RDBWriter.Options(version: version), nowMs: now)
        let diffs = truth.differences(from: try JSONLDataset(try dumpJSONL(out)), ignoring: ignoring)
        #expect(diffs.isEmpty, "\(dir): \(diffs.count) differences:\n\(diffs.prefix(6).joined(separator: "\n"))")
        if version <= 10, let check = RedisServer.which("redis-check-rdb") {
            let r = try runProcess(check, [out])
            #expect(r.status == 0, "\(r.stdout.suffix(500))")
        }
    }
}
