import Foundation
import Testing
@testable import RDBKit

/// `dump --format resp` rebuilds the dataset: piped into an empty redis-server 7.0.15, it gives
/// the DEBUG DIGEST of a server that loaded the file itself.
@Suite(.serialized, .enabled(if: RedisServer.available, "redis-server is not installed (scripts/test installs it)"))
struct RoundTripTests {
    /// Fixtures a 7.0.15 server can load (RDB version 10 or older).
    static let loadable: [String] = CorpusTests.fixtureDumps.filter { path in
        guard path.hasSuffix(".rdb"), let v = try? rdbVersion(path) else { return false }
        return v <= 10
    }

    static func rdbVersion(_ path: String) throws -> Int {
        let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)).readData(ofLength: 9)
        return Int(String(decoding: head.suffix(4), as: UTF8.self)) ?? 0
    }

    func resp(_ path: String) throws -> Data { try render(path) { RESPWriter(output: $0) } }

    @Test(arguments: loadable)
    func respRebuildsTheSameDigest(_ path: String) throws {
        let loaded = try RedisServer(loading: path)
        let expected = try loaded.cli("DEBUG", "DIGEST")
        let keys = try loaded.cli("DBSIZE")
        loaded.stop()

        let empty = try RedisServer()
        let pipeReport = try empty.cli(arguments: ["--pipe"], input: try resp(path))
        #expect(pipeReport.contains("errors: 0"), "\(pipeReport)")
        #expect(try empty.cli("DEBUG", "DIGEST") == expected, "\(path): \(keys) keys in db 0")
    }
}
