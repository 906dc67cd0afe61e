import Foundation
import Testing
@testable import RDBKit

/// `verify --salvage`: damaged records are skipped, every intact key is written to a new RDB
/// that a real redis-server loads.
@Suite struct RDBSalvageTests {
    static let fixture = Paths.fixtures + "/redis-7.0.15/dump.rdb"
    /// The record of "hash:small" (a listpack hash) in the fixture.
    static let damagedRecord: Range<Int64> = 49468..<49543

    /// The fixture with 4 bytes in the middle of "hash:small" overwritten with 0xFF.
    func damagedFixture(_ s: ScratchDirectory) throws -> String {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture)))
        let at = Int(Self.damagedRecord.lowerBound) + 40
        bytes.replaceSubrange(at..<at + 4, with: [0xFF, 0xFF, 0xFF, 0xFF])
        return try s.write("damaged.rdb", bytes)
    }

    /// (db, key) of every key a server holds.
    func keys(_ server: RedisServer) throws -> Set<[UInt8]> {
        let c = try RESPConnection(port: server.port)
        var out: Set<[UInt8]> = []
        for db in 0..<16 {
            _ = try c.command(Array("SELECT".utf8), Array("\(db)".utf8))
            guard case .array(let names?) = try c.command(Array("KEYS".utf8), Array("*".utf8)) else { continue }
            for case .bulk(let k?) in names { out.insert(Array("\(db):".utf8) + k) }
        }
        return out
    }

    @Test func damagedRecordIsSkippedAndReported() throws {
        let s = try ScratchDirectory()
        let report = try RDBSalvage().salvage(try damagedFixture(s), to: s.path + "/out.rdb")
        #expect(report.skipped.map { $0.from..<$0.to } == [Self.damagedRecord])
        #expect(report.skipped.first?.error.kind == .structural)
        #expect(report.damagedKeys == [Array("hash:small".utf8)])
        #expect(report.keysWritten == 93)
        #expect(report.functionsWritten == 2)
        #expect(report.keysLost == 1)
        #expect(report.outputVersion == 10 && report.inputVersion == 10)
        let r = Verifier().verify(path: s.path + "/out.rdb")
        #expect(r.verdict == .clean, "\(r.text())")
        #expect(r.keys == 93)
    }

    @Test(.enabled(if: RedisServer.available, "redis-server is not installed"))
    func salvagedFileLoadsInRedisServerWithEveryKeyButTheDamagedOne() throws {
        let s = try ScratchDirectory()
        _ = try RDBSalvage().salvage(try damagedFixture(s), to: s.path + "/out.rdb")
        let expected = try keys(try RedisServer(loading: Self.fixture)).subtracting([Array("0:hash:small".utf8)])
        let salvaged = try keys(try RedisServer(loading: s.path + "/out.rdb"))
        #expect(salvaged.count == expected.count)
        #expect(salvaged == expected)
    }

    @Test func garbageBetweenRecordsIsSkippedExactly() throws {
        let s = try ScratchDirectory()
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture)))
        var rng = VerifyMutationTests.Seeded(state: 7)
        let garbage = (0..<(300 << 10)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let at = Int(Self.damagedRecord.lowerBound)
        bytes.insert(contentsOf: garbage, at: at)
        let report = try RDBSalvage().salvage(try s.write("garbage.rdb", bytes), to: s.path + "/out.rdb")
        #expect(report.skipped.map { $0.from..<$0.to } == [Int64(at)..<Int64(at + garbage.count)])
        #expect(report.keysWritten == 94)
        #expect(report.keysLost == 0)
    }

    @Test func damagedLastRecordResumesAtTheTrailer() throws {
        let s = try ScratchDirectory()
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture)))
        // The last key's record ends where EOF (1 byte) and the CRC (8 bytes) begin.
        let eof = bytes.count - 9
        bytes[eof - 3] = 0xFF
        let report = try RDBSalvage().salvage(try s.write("tail.rdb", bytes), to: s.path + "/out.rdb")
        #expect(report.skipped.last?.to == Int64(eof))
        #expect(report.keysWritten == 93)
        #expect(Verifier().verify(path: s.path + "/out.rdb").verdict == .clean)
    }

    @Test func olderVersionIsWrittenAsTheNearestTheWriterSupports() throws {
        let s = try ScratchDirectory()
        let report = try RDBSalvage().salvage(Paths.fixtures + "/corpus/redis-4.0.14/dump.rdb", to: s.path + "/out.rdb")
        #expect(report.inputVersion == 8 && report.outputVersion == 9)
        #expect(report.skipped.isEmpty)
        #expect(report.text().contains("RDB 9 (the input is RDB 8; the writer's nearest version)"))
    }

    @Test func salvageNeverWritesOverItsInput() throws {
        let s = try ScratchDirectory()
        let input = try damagedFixture(s)
        #expect(throws: OutputError.self) { try RDBSalvage().salvage(input, to: input) }
    }

    /// Seeded flips, truncations and insertions: salvage never traps, and what it writes is
    /// a valid RDB (or holds a key twice where the mutant does).
    @Test(arguments: VerifyMutationTests.images.prefix(4))
    func salvageOfAnyMutantIsAValidRDB(_ image: VerifyMutationTests.Image) throws {
        let s = try ScratchDirectory()
        var rng = VerifyMutationTests.Seeded(state: 99 &+ UInt64(image.bytes.count))
        for i in 0..<25 {
            let mutant = VerifyMutationTests.mutate(image.bytes, &rng)
            let input = try s.write("m\(i).rdb", mutant)
            guard let report = try? RDBSalvage().salvage(input, to: s.path + "/m\(i).out.rdb") else { continue }
            let r = Verifier().verify(path: report.output)
            #expect(r.failure == nil || r.failure?.expected == "each key once per database", "mutant \(i): \(r.text())")
        }
    }
}
