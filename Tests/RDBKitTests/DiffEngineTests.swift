import Foundation
import Testing
@testable import RDBKit

@Suite struct DiffEngineTests {
    static let variants: [String] = {
        var out: [String] = []
        let dirs = [Paths.fixtures + "/redis-7.0.15"] + (Paths.sharedPresent
            ? ((try? FileManager.default.contentsOfDirectory(atPath: Paths.shared + "/corpus/generated")) ?? [])
                .filter { $0 != "corrupt" }.sorted().map { Paths.shared + "/corpus/generated/" + $0 } : [])
        for dir in dirs {
            for v in ["nocompress", "nochecksum", "lfu", "lru"] where FileManager.default.fileExists(atPath: "\(dir)/dump-\(v).rdb") {
                out.append("\(dir)/dump-\(v).rdb")
            }
        }
        return out
    }()

    /// Encoding, compression, checksums and LRU/LFU are not differences.
    @Test(arguments: variants)
    func dumpEqualsItsVariant(_ variant: String) throws {
        let dump = URL(fileURLWithPath: variant).deletingLastPathComponent().appendingPathComponent("dump.rdb").path
        let r = try DiffEngine(options: DiffOptions()).diff(dump, variant)
        #expect(r.isEmpty, "\(DiffReport(result: r, color: false).text())")
        var keys = 0
        try RDBReader(path: dump).read { if case .key = $0 { keys += 1 } }
        #expect(r.unchanged == keys)
    }

    @Test func metadataDifferencesAreListedApartWhenAsked() throws {
        var options = DiffOptions()
        options.withMetadata = true
        let dir = Paths.fixtures + "/redis-7.0.15"
        let r = try DiffEngine(options: options).diff(dir + "/dump.rdb", dir + "/dump-nocompress.rdb")
        #expect(r.isEmpty)
        #expect(r.metadata.contains { $0.field == "encoding" && $0.a == "lzf" && $0.b == "raw" })
    }
}

/// A pair of files written by a live server: A, then B after one change of every kind.
@Suite(.serialized, .enabled(if: RedisServer.available, "redis-server is not installed (scripts/test installs it)"))
struct DiffPairTests {
    static let setup: [[String]] = [
        ["SET", "s:changed", "old"], ["SET", "s:same", "same"], ["SET", "s:gone", "bye"], ["SET", "s:type", "was a string"],
        ["RPUSH", "l", "a", "b", "c", "d", "e"], ["SADD", "set", "m1", "m2", "m3"], ["ZADD", "z", "1", "a", "2", "b"],
        ["HSET", "h", "f1", "v1", "f2", "v2"], ["SET", "ttl", "x", "PXAT", "4102444800000"], ["SET", "ttl:gone", "x", "PXAT", "4102444800000"],
        ["XADD", "st", "1-1", "f", "v"],
    ]
    static let changes: [[String]] = [
        ["SET", "s:changed", "new"], ["DEL", "s:gone"], ["SET", "s:new", "hello"], ["DEL", "s:type"], ["RPUSH", "s:type", "x"],
        ["LSET", "l", "2", "C"], ["RPUSH", "l", "f"], ["SREM", "set", "m1"], ["SADD", "set", "m4"], ["ZADD", "z", "5", "a", "3", "c"],
        ["HSET", "h", "f1", "V1", "f3", "v3"], ["HDEL", "h", "f2"], ["PEXPIREAT", "ttl", "4102444801000"], ["PERSIST", "ttl:gone"],
        ["XADD", "st", "2-1", "f", "w"],
    ]

    /// Saves A and B from one server; returns their paths (in a directory the caller removes).
    static func pair() throws -> (String, String, URL) {
        let server = try RedisServer()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("rdbtool-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        for c in setup { try server.cli(arguments: c) }
        try server.cli("SAVE")
        try FileManager.default.copyItem(at: server.dir.appendingPathComponent("dump.rdb"), to: out.appendingPathComponent("a.rdb"))
        for c in changes { try server.cli(arguments: c) }
        try server.cli("SAVE")
        try FileManager.default.copyItem(at: server.dir.appendingPathComponent("dump.rdb"), to: out.appendingPathComponent("b.rdb"))
        server.stop()
        return (out.appendingPathComponent("a.rdb").path, out.appendingPathComponent("b.rdb").path, out)
    }

    @Test func everyKindOfChangeIsReportedExactly() throws {
        let (a, b, dir) = try Self.pair()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try DiffEngine(options: DiffOptions()).diff(a, b)
        #expect(DiffReport(result: r, color: false).text() == """
            ~ db0 "h" (hash): value
                ~ field "f1": "v1" -> "V1"
                - field "f2": "v2"
                + field "f3": "v3"
            ~ db0 "l" (list): value
                ~ items 2..4 -> 2..5: ["c", "d", "e"] -> ["C", "d", "e", … 1 more]
            ~ db0 "s:changed" (string): value
                ~ value: "old" -> "new"
            - db0 "s:gone" (string) = "bye"
            + db0 "s:new" (string) = "hello"
            ~ db0 "s:type" (list): type string -> list
            ~ db0 "set" (set): value
                - member "m1"
                + member "m4"
            ~ db0 "st" (stream): value
                ~ length: 1 -> 2
                ~ last_id: 1-1 -> 2-1
                ~ entries_added: 1 -> 2
                + entry 2-1: ["f", "w"]
            ~ db0 "ttl" (string): TTL
                ~ ttl: 2100-01-01T00:00:00.000Z -> 2100-01-01T00:00:01.000Z
            ~ db0 "ttl:gone" (string): TTL
                - ttl: 2100-01-01T00:00:00.000Z
            ~ db0 "z" (zset): value
                ~ score "a": 1 -> 5
                + member "c": 3
            1 added, 1 removed, 9 changed (type 1, value 6, TTL 2, field TTLs 0), 1 unchanged, 11 keys in A, 11 in B

            """)
    }

    @Test func jsonlRecordOfAChangedHash() throws {
        let (a, b, dir) = try Self.pair()
        defer { try? FileManager.default.removeItem(at: dir) }
        var options = DiffOptions()
        options.ignoreTTL = true
        let r = try DiffEngine(options: options, filter: try KeyFilter(globs: [Array("h".utf8)])).diff(a, b)
        #expect(String(decoding: DiffReport(result: r, color: false).jsonl(), as: UTF8.self) == """
            {"db":0,"key":"h","change":"changed","aspects":["value"],"type_a":"hash","type_b":"hash","expire_ms_a":null,"expire_ms_b":null,"details":[{"op":"~","what":"field","name":"f1","a":"v1","b":"V1"},{"op":"-","what":"field","name":"f2","a":"v2"},{"op":"+","what":"field","name":"f3","b":"v3"}]}

            """)
    }

    @Test func ttlToleranceAndIgnoreTTLHideTTLChanges() throws {
        let (a, b, dir) = try Self.pair()
        defer { try? FileManager.default.removeItem(at: dir) }
        var tolerant = DiffOptions()
        tolerant.ttlToleranceMs = 1000
        let r1 = try DiffEngine(options: tolerant).diff(a, b)
        #expect(r1.keys.filter { $0.aspects.contains(.ttl) }.map { String(decoding: $0.key, as: UTF8.self) } == ["ttl:gone"])
        var ignoring = DiffOptions()
        ignoring.ignoreTTL = true
        #expect(try DiffEngine(options: ignoring).diff(a, b).changed(.ttl) == 0)
    }

    @Test func keysOnlyComparesPresenceAndType() throws {
        let (a, b, dir) = try Self.pair()
        defer { try? FileManager.default.removeItem(at: dir) }
        var options = DiffOptions()
        options.keysOnly = true
        let r = try DiffEngine(options: options).diff(a, b)
        #expect(r.keys.map { "\($0.kind.rawValue) \(String(decoding: $0.key, as: UTF8.self))" } ==
                ["removed s:gone", "added s:new", "changed s:type"])
    }

    @Test func standardInputAsSideAKeepsTheDirection() throws {
        let (a, b, dir) = try Self.pair()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Side A from stdin is indexed second: the answer must still read A -> B.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLITests.binary)
        p.arguments = ["diff", "--keys-only", "--color", "never", "-", b]
        p.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: a))
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)
        #expect(text.hasPrefix("- db0 \"s:gone\" (string)\n+ db0 \"s:new\" (string)\n~ db0 \"s:type\" (list): type string -> list\n"))
    }
}

/// AOF inputs: an `aof/` directory against the rewrites of the same server differs only in what
/// no AOF holds (corpus README: consumer times, group read counters, PEL deliveries).
@Suite(.enabled(if: Paths.sharedPresent, "../shared is absent: the corpus AOFs are skipped"))
struct DiffAOFTests {
    static let notInAOF: Set<String> = ["consumer seen_time_ms", "consumer active_time_ms", "group entries_read",
                                        "pel delivery_time_ms", "pel delivery_count"]

    static let builds = ["redis-6.2.16", "redis-7.0.15", "redis-7.4.1", "valkey-8.0.1"]

    @Test(arguments: builds)
    func aofDirectoryAndItsRewriteDifferOnlyInWhatNoAOFHolds(_ build: String) throws {
        let dir = Paths.shared + "/corpus/generated/" + build
        let r = try DiffEngine(options: DiffOptions()).diff(dir + "/aof", dir + "/aof-rewrite-rdbpreamble")
        #expect(r.added == 0 && r.removed == 0)
        let kinds = Set(r.keys.flatMap { $0.details.map(\.what) })
        // Before 7.0 a server keeps no stream v2 counters, which the replay maintains.
        let counters: Set<String> = build.hasPrefix("redis-6") ? ["first_id", "max_deleted_id", "entries_added"] : []
        #expect(kinds.isSubset(of: Self.notInAOF.union(counters).union(["more"])), "\(kinds)")
    }

    /// With the fields no AOF holds set aside, the AOF and its rewrite are the same dataset.
    @Test(arguments: builds)
    func aofDirectoryEqualsItsRewritesIgnoringWhatNoAOFHolds(_ build: String) throws {
        let dir = Paths.shared + "/corpus/generated/" + build
        var options = DiffOptions()
        options.ignoredFields = ["seen_time_ms", "active_time_ms", "delivery_time_ms", "delivery_count", "entries_read"]
        if build.hasPrefix("redis-6") { options.ignoredFields.formUnion(["first_id", "max_deleted_id", "entries_added"]) }
        for rewrite in ["aof-rewrite-rdbpreamble", "aof-rewrite-resp"] {
            let r = try DiffEngine(options: options).diff(dir + "/aof", dir + "/" + rewrite)
            #expect(r.isEmpty, "\(rewrite): \(DiffReport(result: r, color: false).text())")
        }
    }

    @Test func bothRewritesHoldTheSameDataset() throws {
        let dir = Paths.shared + "/corpus/generated/redis-7.0.15"
        var options = DiffOptions()
        options.ignoreTTL = true
        let r = try DiffEngine(options: options).diff(dir + "/aof-rewrite-resp", dir + "/aof-rewrite-rdbpreamble")
        let kinds = Set(r.keys.flatMap { $0.details.map(\.what) })
        #expect(kinds.isSubset(of: Self.notInAOF.union(["more"])), "\(kinds)")
    }
}

/// `dump.rdb` against the same build's `aof/`: two server runs of one workload (corpus README,
/// "`dump.rdb` vs `aof/` of the same build"), so they differ in the expiries set relative to each
/// run's clock and in stream delivery and consumer times, each reported as such. The AOF side is
/// the replayed dataset, so it also lacks what no AOF holds ("Live truth vs after-reload truth":
/// group read counters, counts of re-deliveries); and before 7.0 an RDB holds no stream v2
/// counters (`first_id`, `max_deleted_id`, `entries_added`: null on side A), which the replay keeps.
@Suite(.enabled(if: Paths.sharedPresent, "../shared is absent: the corpus AOFs are skipped"))
struct DiffDumpAgainstAOFTests {
    static var builds: [String] {
        guard Paths.sharedPresent else { return [] }
        let root = Paths.shared + "/corpus/generated"
        return ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted().filter {
            FileManager.default.fileExists(atPath: "\(root)/\($0)/dump.rdb") && FileManager.default.fileExists(atPath: "\(root)/\($0)/aof")
        }
    }

    static let runTimes: Set<String> = ["pel delivery_time_ms", "consumer seen_time_ms", "consumer active_time_ms"]
    static let notInAOF: Set<String> = ["group entries_read", "pel delivery_count"]
    static let v2Counters: Set<String> = ["first_id", "max_deleted_id", "entries_added"]
    /// Keys whose expiry the workload sets relative to its run: 45 s vs 20 s ahead, and one relative PEXPIRE.
    static let relativeExpiries = ["ttl:near:0", "ttl:near:1", "ttl:near:2", "ttl:near:list", "ttl:relative:1h"]

    func diff(_ build: String, ignoring: Set<String> = [], ignoreTTL: Bool = false) throws -> DiffResult {
        let dir = Paths.shared + "/corpus/generated/" + build
        var options = DiffOptions()
        options.detailLimit = .max
        options.ignoredFields = ignoring
        options.ignoreTTL = ignoreTTL
        return try DiffEngine(options: options).diff(dir + "/dump.rdb", dir + "/aof")
    }

    static func names(_ keys: [KeyDiff]) -> [String] { keys.map { String(decoding: $0.key, as: UTF8.self) } }

    /// Field names are bytes in the report.
    static func isBytes(_ v: JSONValue?, _ text: String) -> Bool { if case .bytes(let b)? = v { b == Array(text.utf8) } else { false } }

    @Test(arguments: builds)
    func keyTTLsDifferExactlyOnTheRunRelativeExpiries(_ build: String) throws {
        let r = try diff(build)
        #expect(r.added == 0 && r.removed == 0)
        let ttl = r.keys.filter { $0.aspects.contains(.ttl) }
        #expect(Self.names(ttl) == Self.relativeExpiries)
        #expect(ttl.allSatisfy { $0.aspects == .ttl && $0.details.map(\.what) == ["ttl"] })
    }

    /// 7.4+ hash field TTLs: only the field set to expire soon after each run's fill.
    @Test(arguments: builds)
    func fieldTTLsDifferOnlyOnTheNearField(_ build: String) throws {
        let r = try diff(build)
        let truth = try JSONLDataset(contentsOf: Paths.shared + "/corpus/generated/\(build)/truth.jsonl")
        let hasFieldTTLs = truth.records["0:hash:fieldttl:near"] != nil
        let fieldTTL = r.keys.filter { $0.aspects.contains(.fieldTTL) }
        #expect(Self.names(fieldTTL) == (hasFieldTTLs ? ["hash:fieldttl:near"] : []))
        #expect(fieldTTL.allSatisfy { $0.aspects == .fieldTTL && $0.details.map(\.what) == ["field ttl"]
            && Self.isBytes($0.details.first?.name, "goes") })
    }

    @Test(arguments: builds)
    func valuesDifferOnlyInStreamTimesAndWhatNoAOFHolds(_ build: String) throws {
        let r = try diff(build)
        let value = r.keys.filter { $0.aspects.contains(.value) }
        #expect(value.allSatisfy { $0.typeA == .stream && $0.typeB == .stream && $0.aspects == .value }, "\(Self.names(value))")
        let details = value.flatMap(\.details)
        let counters = details.filter { Self.v2Counters.contains($0.what) }
        #expect(Set(details.map(\.what)).subtracting(counters.map(\.what)).isSubset(of: Self.runTimes.union(Self.notInAOF)),
                "\(Set(details.map(\.what)))")
        let preV2 = ["redis-2", "redis-3", "redis-4", "redis-5", "redis-6"].contains { build.hasPrefix($0) }
        #expect(counters.allSatisfy { d in preV2 && { if case .null? = d.a { true } else { false } }() }, "\(counters.map { "\($0.what): \(String(describing: $0.a))" })")
        if !build.hasPrefix("redis-2") && !build.hasPrefix("redis-3") && !build.hasPrefix("redis-4") {
            #expect(details.contains { $0.what == "pel delivery_time_ms" }, "streams exist from 5.0: their times differ")
        }
    }

    /// With those set aside, the two runs hold the same data.
    @Test(arguments: builds)
    func otherwiseTheDatasetsAreEqual(_ build: String) throws {
        let times: Set<String> = ["seen_time_ms", "active_time_ms", "delivery_time_ms", "delivery_count", "entries_read"]
        let r = try diff(build, ignoring: times.union(Self.v2Counters), ignoreTTL: true)
        #expect(r.isEmpty, "\(DiffReport(result: r, color: false).text())")
    }
}
