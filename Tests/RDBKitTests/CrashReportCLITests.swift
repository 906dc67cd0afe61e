import Foundation
import Testing
@testable import RDBKit

/// `rdbtool crash-report` end to end: options, formats and exit statuses.
@Suite struct CrashReportCLITests {
    static func history() throws -> (ScratchDirectory, String) { try CrashModelTests.notesHistory() }

    @Test func timeOfDayIsOnTheHistorysDate() throws {
        let (dir, aof) = try Self.history()
        let r = try CLITests.run(["crash-report", "--aof", aof, "--save", "900 1 300 10 60 10000", "--started", "\(CrashModelTests.at(9, 44, 59))",
                                  "--at", "10:04", "--failure", "process"])
        #expect(r.status == 0)
        #expect(r.out.hasPrefix("crash at 2024-11-23T10:04:00.000Z, failure: process"))
        #expect(r.out.contains("lost writes: 3 (3 lost, 0 likely lost, 0 possibly lost)"))
        _ = dir
    }

    @Test func jsonCarriesTheCountsAndTheComparison() throws {
        let (dir, aof) = try Self.history()
        let r = try CLITests.run(["crash-report", "--aof", aof, "--save", "900 1", "--started", "\(CrashModelTests.at(9, 44, 59))",
                                  "--at", "2024-11-23T10:04:00Z", "--format", "json", "--compare"])
        #expect(r.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        #expect((json?["lost_writes"] as? [String: Int]) == ["lost": 3, "likely": 0, "possible": 0])
        let compare = (json?["compare"] as? [[String: Any]]) ?? []
        #expect(compare.map { $0["configuration"] as? String ?? "" } == PersistencePolicy.standard.map(\.name))
        #expect((compare.first { $0["configuration"] as? String == "AOF always" }?["lost_writes"] as? [String: Int])?["lost"] == 0)
        _ = dir
    }

    @Test func configFileIsReadAndOptionsOverrideIt() throws {
        let (dir, aof) = try Self.history()
        let conf = try dir.write("redis.conf", "save 900 1\nappendonly yes\nappendfsync always\n")
        let r = try CLITests.run(["crash-report", "--aof", aof, "--config", conf, "--appendonly", "no", "--at", "10:04"])
        #expect(r.status == 0)
        #expect(r.out.contains("configuration: save 900 1, appendonly no"))
    }

    @Test func badInputsExitWithTheDocumentedStatus() throws {
        let (dir, aof) = try Self.history()
        #expect(try CLITests.run(["crash-report", "--aof", dir.path + "/missing.aof", "--at", "10:04"]).status == 3)
        #expect(try CLITests.run(["crash-report", "--aof", aof, "--save", "900", "--at", "10:04"]).status == 2)
        #expect(try CLITests.run(["crash-report", "--aof", aof, "--at", "yesterday"]).status == 2)
        let far = try CLITests.run(["crash-report", "--aof", aof, "--save", "9223372036854775807 1", "--at", "10:04"])
        #expect(far.status == 2 && far.err.contains("9223372036854775807 seconds is beyond the 1000000000000 this model times"), "\(far.err)")
        let conf = try dir.write("bad.conf", "appendfsync sometimes\n")
        let r = try CLITests.run(["crash-report", "--aof", aof, "--config", conf, "--at", "10:04"])
        #expect(r.status == 1)
        #expect(r.err.contains("bad.conf:1: appendfsync takes always, everysec or no"))
        #expect(try CLITests.run(["crash-report", "--aof", aof, "--config", dir.path + "/none.conf", "--at", "10:04"]).status == 3)
        let damaged = try dir.write("damaged.aof", Array("*2\r\n$3\r\nGET\r\n".utf8) + Array("garbage".utf8))
        #expect(try CLITests.run(["crash-report", "--aof", damaged, "--at", "10:04"]).status == 1)
    }
}

extension CrashReportCLITests {
    @Test func theFileInPlaceAtTheCrashIsReadForTheWritesItHolds() throws {
        let (dir, aof) = try Self.history()
        // save 60 1 would have saved C by 10:04; the file found in place holds X, A and B.
        let r = Replayer(options: Replayer.Options(skipUnsupported: true))
        for (k, v) in [("X", "0"), ("A", "1"), ("B", "2")] { _ = try r.apply([Array("SET".utf8), Array(k.utf8), Array(v.utf8)], timeMs: nil) }
        var options = RDBWriter.Options(version: 10)
        options.creationTime = CrashModelTests.at(10, 2)
        let dump = try dir.write("dump.rdb", [])
        _ = try r.dataset.writeRDB(path: dump, options: options, nowMs: nil, protecting: [])
        let arguments = ["crash-report", "--aof", aof, "--save", "60 1", "--started", "\(CrashModelTests.at(9, 44, 59))", "--at", "10:04",
                         "--failure", "process"]
        #expect(try CLITests.run(arguments).out.contains("lost writes: 0 "))
        let anchored = try CLITests.run(arguments + ["--rdb-at-crash", dump])
        #expect(anchored.status == 0)
        #expect(anchored.out.contains("its content matches the history after the first 4 commands"))
        #expect(anchored.out.contains("lost writes: 1 (1 lost, 0 likely lost, 0 possibly lost)"))
        #expect(anchored.out.contains("+ db0 \"C\" (string) = \"3\"  [lost]"))
        let damaged = try dir.write("damaged.rdb", Array("REDIS0010\u{FE}".utf8))
        #expect(try CLITests.run(arguments + ["--rdb-at-crash", damaged]).status == 1)
    }

    @Test func htmlPageIsSelfContainedWithTheChartAndTheLostWrites() throws {
        let (dir, aof) = try Self.history()
        let page = dir.path + "/crash.html"
        let r = try CLITests.run(["crash-report", "--aof", aof, "--save", "900 1", "--started", "\(CrashModelTests.at(9, 44, 59))",
                                  "--at", "10:04", "--html", page])
        #expect(r.status == 0)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script src"))
        #expect(html.contains("<svg class=\"timeline\""))
        #expect(html.contains("class=\"crash\""))
        #expect(html.contains("<rect class=\"lost\""))
        #expect(html.contains("SET &quot;A&quot; &quot;1&quot;"))
    }
}
