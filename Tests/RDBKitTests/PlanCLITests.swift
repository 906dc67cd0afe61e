import Foundation
import Testing
@testable import RDBKit

/// `rdbtool plan` end to end: formats, the HTML page, goals and exit statuses.
@Suite struct PlanCLITests {
    static func history() throws -> (ScratchDirectory, String) {
        let dir = try ScratchDirectory()
        var bytes = Array("#TS:\(PlanTests.t0)\r\n".utf8) + resp("SELECT", "0")
        for s in 0..<20 { bytes += Array("#TS:\(PlanTests.t0 + Int64(s) * 3)\r\n".utf8) + resp("SET", "k\(s % 7)", "v\(s)") }
        return (dir, try dir.write("appendonly.aof", bytes))
    }

    @Test func textTableHasEveryDefaultCandidateAndTheRecommendations() throws {
        let (dir, aof) = try Self.history()
        let r = try CLITests.run(["plan", "--aof", aof, "--max-loss", "1s", "--max-cow", "2GB"])
        #expect(r.status == 0, "\(r.err)")
        for c in PlanCandidate.defaults { #expect(r.out.contains("\n\(c.name)  "), "row for \(c.name)") }
        #expect(r.out.contains("history: 21 commands, 2024-11-23T10:00:00.000Z..2024-11-23T10:00:57.999Z (58 crash instants, one a second)"))
        #expect(r.out.contains("--max-loss 1.00 s (power failure, worst instant): AOF always:"))
        #expect(r.out.contains("--max-cow 2.0 GiB (largest snapshot, high end): AOF always:"))
        _ = dir
    }

    @Test func jsonAndTheHTMLPageCarryEveryCandidate() throws {
        let (dir, aof) = try Self.history()
        let page = dir.path + "/plan.html"
        let r = try CLITests.run(["plan", "--aof", aof, "--format", "json", "--html", page, "--max-loss", "10s"])
        #expect(r.status == 0, "\(r.err)")
        let json = try PlanServerTests.json(r.out)
        let names = (json["candidates"] as? [[String: Any]] ?? []).map { $0["configuration"] as? String ?? "" }
        #expect(names == PlanCandidate.defaults.map(\.name))
        #expect(((json["recommendations"] as? [[String: Any]])?.first?["configuration"] as? String) == "AOF always")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.components(separatedBy: "<polyline").count - 1 == 2 * names.count)
        #expect(!html.contains("http://") && !html.contains("https://"), "no network")
    }

    @Test func configAddsTheServersOwnConfiguration() throws {
        let (dir, aof) = try Self.history()
        let conf = try dir.write("redis.conf", "save 30 1\nauto-aof-rewrite-percentage 0\n")
        let r = try CLITests.run(["plan", "--aof", aof, "--config", conf, "--format", "json"])
        #expect(r.status == 0, "\(r.err)")
        let first = (try PlanServerTests.json(r.out)["candidates"] as? [[String: Any]])?.first
        #expect(first?["configuration"] as? String == "this server (\(conf))")
        #expect(first?["save"] as? [[Int]] == [[30, 1]])
    }

    @Test func badInputsExitWithTheDocumentedStatus() throws {
        let (dir, aof) = try Self.history()
        #expect(try CLITests.run(["plan", "--aof", dir.path + "/missing.aof"]).status == 3)
        #expect(try CLITests.run(["plan", "--aof", aof, "--max-loss", "soon"]).status == 2)
        #expect(try CLITests.run(["plan", "--aof", aof, "--candidates", dir.path + "/none.txt"]).status == 3)
        let bad = try dir.write("bad.txt", "x: appendfsync sometimes\n")
        let r = try CLITests.run(["plan", "--aof", aof, "--candidates", bad])
        #expect(r.status == 1)
        #expect(r.err.contains("bad.txt:1: appendfsync takes always, everysec or no"))
    }
}
