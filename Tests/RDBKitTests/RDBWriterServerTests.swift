import Foundation
import Testing
@testable import RDBKit

/// Files written as RDB 9 and 10 load in redis-server 7.0.15 with the dataset the original
/// file gives it, and redis-check-rdb 7.0.15 accepts them.
@Suite(.serialized, .enabled(if: RedisServer.available, "redis-server is not installed (scripts/test installs it)"))
struct RDBWriterServerTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let path: String
        let version: Int
        var testDescription: String { "\(path.split(separator: "/").suffix(2).joined(separator: "/")) as RDB \(version)" }
    }

    /// Fixtures a 7.0.15 server loads (RDB 10 or older), each written as 9 and 10.
    static let cases: [Case] = RoundTripTests.loadable.flatMap { p in [9, 10].map { Case(path: p, version: $0) } }

    static func write(_ c: Case, to dir: URL) throws -> String {
        let out = dir.appendingPathComponent("out-\(c.version).rdb").path
        var options = RDBWriter.Options(version: c.version)
        options.lossy = true  // RDB 9 holds no functions; DEBUG DIGEST covers keys only
        let writer = try RDBWriter(path: out, options: options, protecting: [c.path])
        try RDBReader(path: c.path).read { event in
            switch event {
            case .resizeDB(let db, let keys, let expires): try writer.beginDatabase(db, keys: keys, expires: expires)
            case .key(let r): try writer.write(r)
            case .function(let f): try writer.write(f)
            default: break
            }
        }
        try writer.finish()
        return out
    }

    @Test(arguments: cases)
    func rewrittenFileLoadsWithTheOriginalsDigest(_ c: Case) throws {
        let original = try RedisServer(loading: c.path)
        let expected = try original.cli("DEBUG", "DIGEST")
        let keys = try original.cli("DBSIZE")
        original.stop()

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdbtool-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let written = try Self.write(c, to: dir)
        let loaded = try RedisServer(loading: written)
        #expect(try loaded.cli("DEBUG", "DIGEST") == expected, "\(keys) keys in db 0")
        #expect(try loaded.cli("DBSIZE") == keys)
    }

    @Test(.enabled(if: RedisServer.which("redis-check-rdb") != nil), arguments: cases)
    func redisCheckRDBAcceptsTheRewrittenFile(_ c: Case) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdbtool-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let written = try Self.write(c, to: dir)
        let r = try runProcess(RedisServer.which("redis-check-rdb") ?? "/usr/bin/redis-check-rdb", [written])
        let text = r.stdout + r.stderr
        #expect(r.status == 0, "\(text.suffix(1500))")
        #expect(text.contains("RDB looks OK!"), "\(text.suffix(1500))")
    }
}
