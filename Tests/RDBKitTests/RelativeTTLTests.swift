import Foundation
import Testing
@testable import RDBKit

/// TTLs counted from when a command runs (format.md §9.15): which commands carry them, and how
/// `aof-to-rdb` and `inspect` report what they were resolved against.
@Suite struct RelativeTTLTests {
    func command(_ words: String...) -> AOFCommand {
        AOFCommand(arguments: ByteList(words.map { Array($0.utf8) }), file: "f", offset: 0, byteCount: 0, db: 0,
                   timeSeconds: nil, index: 0)
    }

    @Test func relativeFormsAreRecognisedInAnyCase() {
        #expect(command("set", "k", "v", "ex", "10").hasRelativeTTL)
        #expect(command("SET", "k", "v", "NX", "PX", "10").hasRelativeTTL)
        #expect(command("SETEX", "k", "10", "v").hasRelativeTTL)
        #expect(command("PSETEX", "k", "10", "v").hasRelativeTTL)
        #expect(command("Expire", "k", "10").hasRelativeTTL)
        #expect(command("PEXPIRE", "k", "10").hasRelativeTTL)
        #expect(command("GETEX", "k", "EX", "10").hasRelativeTTL)
        #expect(command("RESTORE", "k", "5000", "payload").hasRelativeTTL)
        #expect(command("HEXPIRE", "h", "10", "FIELDS", "1", "f").hasRelativeTTL)
        #expect(command("HSETEX", "h", "PX", "10", "FIELDS", "1", "f", "v").hasRelativeTTL)
    }

    @Test func absoluteAndTTLFreeFormsAreNot() {
        #expect(!command("SET", "k", "EX").hasRelativeTTL, "EX as the value")
        #expect(!command("SET", "k", "v", "PXAT", "1700000000000").hasRelativeTTL)
        #expect(!command("PEXPIREAT", "k", "1700000000000").hasRelativeTTL)
        #expect(!command("RESTORE", "k", "0", "payload").hasRelativeTTL)
        #expect(!command("RESTORE", "k", "1700000000000", "payload", "REPLACE", "ABSTTL").hasRelativeTTL)
        #expect(!command("HSETEX", "h", "FIELDS", "1", "EX", "v").hasRelativeTTL, "EX as a field name")
        #expect(!command("GETEX", "k", "PERSIST").hasRelativeTTL)
    }

    /// One relative TTL before the first `#TS:` and one after it.
    func mixedAOF(_ dir: ScratchDirectory) throws -> String {
        try dir.write("old.aof", resp("SET", "early", "v", "EX", "100") + resp("SET", "plain", "v")
                      + ascii("#TS:1700000000\r\n") + resp("SETEX", "late", "100", "v") + resp("PEXPIREAT", "plain", "1800000000000"))
    }

    @Test func theReplayResolvesAnnotatedOnesAtTheirTimeAndTheRestAtItsStartClock() throws {
        let dir = try ScratchDirectory()
        let replay = try AOFReplay(path: try mixedAOF(dir))
        #expect(replay.summary.relativeTTLs == RelativeTTLCount(annotated: 1, unannotated: 1))
        let clock = try #require(replay.summary.relativeTTLClockMs)
        #expect(replay.replayer.entry(Array("late".utf8))?.expireAtMs == Int64(1_700_000_100_000))
        #expect(replay.replayer.entry(Array("early".utf8))?.expireAtMs == clock + 100_000)
    }

    @Test func anAOFWithoutRelativeTTLsReportsNone() throws {
        let dir = try ScratchDirectory()
        let replay = try AOFReplay(path: try dir.write("a.aof", resp("SET", "k", "v", "PXAT", "1800000000000")))
        #expect(replay.summary.relativeTTLs.total == 0)
        #expect(replay.summary.relativeTTLClockMs == nil)
        #expect(replay.summary.relativeTTLs.report(clockMs: nil).isEmpty)
    }

    @Test func reportLinesNameTheClockAndTheAssumption() {
        let lines = RelativeTTLCount(annotated: 2, unannotated: 1).report(clockMs: 1_700_000_000_123)
        #expect(lines == [
            "2 relative TTLs (EX/PX, SETEX, EXPIRE, RESTORE without ABSTTL) resolved against the #TS: time before each",
            "1 relative TTL (EX/PX, SETEX, EXPIRE, RESTORE without ABSTTL) before any #TS: annotation: resolved against this "
                + "run's clock, 2023-11-14 22:13:20 UTC, assumed to be the load time (written earlier, such TTLs end later than "
                + "on the server that wrote them; format.md §9.15)",
        ])
        #expect(RelativeTTLCount(unannotated: 3).report(clockMs: nil) == [
            "3 relative TTLs (EX/PX, SETEX, EXPIRE, RESTORE without ABSTTL) before any #TS: annotation: a loading server "
                + "resolves them against its own clock (written earlier, such TTLs end later than on the server "
                + "that wrote them; format.md §9.15)",
        ])
    }

    @Test func aofToRDBSummaryReportsThem() throws {
        let dir = try ScratchDirectory()
        let r = try CLITests.run(["aof-to-rdb", try mixedAOF(dir), "-o", dir.path + "/out.rdb"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("\n1 relative TTL (EX/PX, SETEX, EXPIRE, RESTORE without ABSTTL) resolved against the #TS: time before each\n"))
        #expect(r.out.contains("\n1 relative TTL (EX/PX, SETEX, EXPIRE, RESTORE without ABSTTL) before any #TS: annotation: resolved against this run's clock, "))
    }

    @Test func inspectOfAnAOFReportsThem() throws {
        let dir = try ScratchDirectory()
        let path = try mixedAOF(dir)
        let text = try CLITests.run(["inspect", path]).out
        #expect(text.contains("TTLs        1 relative TTL (EX/PX, SETEX, EXPIRE, RESTORE without ABSTTL) resolved against the #TS: time before each\n"))
        #expect(text.contains("            1 relative TTL (EX/PX, SETEX, EXPIRE, RESTORE without ABSTTL) before any #TS: annotation: a loading server"))
        let json = try JSONSerialization.jsonObject(with: Data(try CLITests.run(["inspect", "--json", path]).out.utf8)) as? [String: Any]
        #expect(json?["relative_ttls"] as? [String: Int] == ["annotated": 1, "unannotated": 1])
    }
}
