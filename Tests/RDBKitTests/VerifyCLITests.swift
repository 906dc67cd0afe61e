import Foundation
import Testing
@testable import RDBKit

/// `rdbtool verify` end to end on AOFs and repairs: exit statuses and what is written.
@Suite struct VerifyCLITests {
    @Test func damagedAOFExitsOneAndCleanAOFZero() throws {
        let s = try ScratchDirectory()
        let bad = try s.write("bad.aof", resp("SET", "a", "1") + Array("*2\r\n$3\r\nGET".utf8))
        let good = try s.write("good.aof", resp("SET", "a", "1"))
        let r = try CLITests.run(["verify", good, bad])
        #expect(r.status == 1)
        #expect(r.out.hasPrefix("\(good): OK, AOF, 1 command, "))
        #expect(r.out.contains("\(bad): DAMAGED (truncated), AOF, 1 command read, "))
        #expect(try CLITests.run(["verify", "--quiet", good]).status == 0)
    }

    @Test func fixToWritesTheCutCopyAndExitsZero() throws {
        let s = try ScratchDirectory()
        let bad = try s.write("bad.aof", resp("SET", "a", "1") + Array("*2\r\n$3\r\nGET".utf8))
        let r = try CLITests.run(["verify", "--quiet", bad, "--fix-to", s.path + "/fixed.aof"])
        #expect(r.status == 0, "\(r.err)")
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: s.path + "/fixed.aof"))) == resp("SET", "a", "1"))
        #expect(try CLITests.run(["verify", s.path + "/fixed.aof"]).status == 0)
    }

    @Test func fixToOverTheInputIsRefused() throws {
        let s = try ScratchDirectory()
        let bad = try s.write("bad.aof", resp("SET", "a", "1") + Array("*2\r\n".utf8))
        let r = try CLITests.run(["verify", "--quiet", bad, "--fix-to", bad])
        #expect(r.status == 3)
        #expect(r.err.contains("is an input"))
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: bad))) == resp("SET", "a", "1") + Array("*2\r\n".utf8))
    }

    @Test func salvageWritesTheIntactKeysAndExitsZero() throws {
        let s = try ScratchDirectory()
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: RDBSalvageTests.fixture)))
        let at = Int(RDBSalvageTests.damagedRecord.lowerBound) + 40
        bytes.replaceSubrange(at..<at + 4, with: [0xFF, 0xFF, 0xFF, 0xFF])
        let input = try s.write("damaged.rdb", bytes)
        let r = try CLITests.run(["verify", input, "--salvage", s.path + "/out.rdb"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.hasPrefix("\(input): DAMAGED (structural), RDB 10 (redis 7.0.15), 29 keys read, "))
        #expect(r.err.contains("skipped bytes 49468..<49543 (75 bytes): structural at offset 49509, key \"hash:small\""))
        #expect(try CLITests.run(["verify", s.path + "/out.rdb"]).status == 0)
    }

    @Test func salvageOfAnAOFIsAUsageError() throws {
        let s = try ScratchDirectory()
        let aof = try s.write("a.aof", resp("SET", "a", "1"))
        let r = try CLITests.run(["verify", aof, "--salvage", s.path + "/out.rdb"])
        #expect(r.status == 2)
        #expect(!FileManager.default.fileExists(atPath: s.path + "/out.rdb"))
    }
}
