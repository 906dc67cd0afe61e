import Foundation
import Testing
@testable import RDBKit

/// The memory model against a real server: redis-server 7.0.15 loads a file, `MEMORY USAGE key
/// SAMPLES 0` is read for every key, and the model's estimate of the same key is compared with
/// it like for like (`MemoryEstimate.memoryUsageCommand`: no expires entry, a shared integer
/// charged its object, as the command counts).
@Suite(.serialized, .enabled(if: RedisServer.available, "redis-server is not installed (scripts/test installs it)"))
struct MemoryModelAccuracyTests {
    /// The 7.0.15 fixture and every corpus fixture a 7.0.15 server can load (RDB 10 or older:
    /// their ziplists, linked lists and old quicklists exercise the conversions on load), plus
    /// the shared corpus's 7.0.15 dump when ../shared is present.
    static let dumps: [String] = {
        var paths = [Paths.fixtures + "/redis-7.0.15/dump.rdb"]
        paths += RoundTripTests.loadable.filter { $0.contains("/corpus/") }
        let shared = Paths.shared + "/corpus/generated/redis-7.0.15/dump.rdb"
        if Paths.sharedPresent && FileManager.default.fileExists(atPath: shared) { paths.append(shared) }
        return paths
    }()

    struct Comparison {
        var key: [UInt8]
        var db: Int
        var model: Int64
        var server: Int64
        var relativeError: Double { Double(model - server) / Double(server) }
    }

    func compare(_ path: String) throws -> [Comparison] {
        var records: [KeyRecord] = []
        try RDBReader(path: path, options: .init(captureLayout: true)).read { event in
            if case .key(let r) = event { records.append(r) }
        }
        let server = try RedisServer(loading: path)
        defer { server.stop() }
        let connection = try server.connect()
        var out: [Comparison] = []
        for db in Set(records.map(\.db)).sorted() {
            let inDB = records.filter { $0.db == db }
            let replies = try connection.pipeline([[Array("SELECT".utf8), Array("\(db)".utf8)]]
                + inDB.map { [Array("MEMORY".utf8), Array("USAGE".utf8), $0.key, Array("SAMPLES".utf8), Array("0".utf8)] })
            let model = MemoryModel()
            for (r, reply) in zip(inDB, replies.dropFirst()) {
                // Keys a server drops on load (expired, empty) have no usage to compare.
                guard case .integer(let usage) = reply else { continue }
                out.append(Comparison(key: r.key, db: db, model: model.estimate(r).memoryUsageCommand, server: usage))
            }
        }
        return out
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    @Test(arguments: dumps)
    func estimatesMatchMemoryUsageOfTheServerThatLoadedTheFile(_ path: String) throws {
        let results = try compare(path)
        try #require(!results.isEmpty)
        let errors = results.map { abs($0.relativeError) }.sorted()
        let within = results.filter { abs($0.relativeError) <= 0.10 }.count
        let modelTotal = results.reduce(0) { $0 + $1.model }, serverTotal = results.reduce(0) { $0 + $1.server }
        let totalError = Double(modelTotal - serverTotal) / Double(serverTotal)
        func pct(_ v: Double) -> String { String(format: "%.2f%%", v * 100) }
        print("""
            memory model vs MEMORY USAGE, \(path.replacingOccurrences(of: Paths.root + "/", with: "")): \(results.count) keys, \
            \(within) within 10%; |error| p50 \(pct(Self.percentile(errors, 0.5))) p90 \(pct(Self.percentile(errors, 0.9))) \
            p95 \(pct(Self.percentile(errors, 0.95))) p99 \(pct(Self.percentile(errors, 0.99))) max \(pct(errors.last ?? 0)); \
            total \(modelTotal) vs \(serverTotal) (\(pct(totalError)))
            """)
        for r in results.sorted(by: { abs($0.relativeError) > abs($1.relativeError) }).prefix(5) where abs(r.relativeError) > 0.001 {
            print("  db \(r.db) \(Quoting.redisCLI(r.key, limit: 60)): model \(r.model), server \(r.server) (\(pct(r.relativeError)))")
        }
        #expect(Double(within) >= 0.95 * Double(results.count))
        #expect(abs(totalError) <= 0.05)
    }
}
