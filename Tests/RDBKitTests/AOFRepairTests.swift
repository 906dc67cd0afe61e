import Foundation
import Testing
@testable import RDBKit

/// `verify --fix-to`: the repaired copy is cut where redis-check-aof would cut, and a real
/// redis-server loads it with `aof-load-truncated no`.
@Suite struct AOFRepairTests {
    static let manifest = "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\nfile appendonly.aof.2.incr.aof seq 2 type i\n"

    /// A directory: base `SET a 1`, a history file, and an incr file with `incr`.
    func directory(_ s: ScratchDirectory, incr: [UInt8]) throws -> String {
        try s.write("in/appendonlydir/appendonly.aof.manifest", Self.manifest)
        try s.write("in/appendonlydir/appendonly.aof.1.base.aof", resp("SET", "a", "1"))
        try s.write("in/appendonlydir/appendonly.aof.1.incr.aof", resp("SET", "old", "x"))
        try s.write("in/appendonlydir/appendonly.aof.2.incr.aof", incr)
        return s.path + "/in/appendonlydir"
    }

    /// Repairs `path` into `output`, creating the directory `output` goes in.
    func repair(_ path: String, to output: String, untilMs: Int64? = nil) throws -> AOFRepair {
        try FileManager.default.createDirectory(atPath: (output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var options = VerifyOptions()
        options.untilMs = untilMs
        let result = Verifier(options: options).verifyAOF(path: path)
        let plan = try AOFRepair.plan(result, output: output)
        try plan.write(try #require(result.layout))
        return plan
    }

    func keys(_ server: RedisServer) throws -> [String] {
        try server.cli("KEYS", "*").split(separator: "\n").map(String.init).sorted()
    }

    @Test func truncatedDirectoryIsCopiedWithItsLastFileCut() throws {
        let s = try ScratchDirectory()
        let dir = try directory(s, incr: resp("SET", "b", "2") + resp("SET", "c", "3") + resp("SET", "d", "4").prefix(12))
        let plan = try repair(dir, to: s.path + "/out/appendonlydir")
        #expect(plan.cut?.file == "appendonly.aof.2.incr.aof")
        #expect(plan.cut?.offset == 54)
        let out = s.path + "/out/appendonlydir"
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted()
                == ["appendonly.aof.1.base.aof", "appendonly.aof.2.incr.aof", "appendonly.aof.manifest"])
        #expect(try String(contentsOfFile: out + "/appendonly.aof.manifest", encoding: .utf8)
                == "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n")
        #expect(Verifier().verifyAOF(path: out).verdict == .clean)
        // The input is untouched.
        #expect(Verifier().verifyAOF(path: dir).failure?.kind == .truncated)
    }

    @Test(.enabled(if: RedisServer.available && RedisServer.which("redis-check-aof") != nil, "redis-server or redis-check-aof is not installed"))
    func repairedDirectoryLoadsStrictlyInRedisServer() throws {
        let s = try ScratchDirectory()
        let dir = try directory(s, incr: resp("SET", "b", "2") + resp("MULTI") + resp("SET", "c", "3"))
        _ = try repair(dir, to: s.path + "/out/fixed")
        let check = try runProcess(try #require(RedisServer.which("redis-check-aof")), [s.path + "/out/fixed/appendonly.aof.manifest"])
        #expect(check.status == 0, "\(check.stdout)")
        let server = try RedisServer(extraArguments: ["--dir", s.path + "/out", "--appendonly", "yes", "--appenddirname", "fixed",
                                                      "--aof-load-truncated", "no"])
        #expect(try keys(server) == ["a", "b"])
    }

    @Test(.enabled(if: RedisServer.available && RedisServer.which("redis-check-aof") != nil, "redis-server or redis-check-aof is not installed"))
    func repairedSingleFileLoadsStrictlyInRedisServer() throws {
        let s = try ScratchDirectory()
        let input = try s.write("appendonly.aof", resp("SET", "x", "1") + resp("SET", "y", "2") + resp("SET", "z", "3").prefix(20))
        let plan = try repair(input, to: s.path + "/srv/appendonly.aof")
        #expect(plan.cut?.offset == 54)
        let check = try runProcess(try #require(RedisServer.which("redis-check-aof")), [s.path + "/srv/appendonly.aof"])
        #expect(check.status == 0, "\(check.stdout)")
        let server = try RedisServer(extraArguments: ["--dir", s.path + "/srv", "--appendonly", "yes", "--aof-load-truncated", "no"])
        #expect(try keys(server) == ["x", "y"])
    }

    @Test func untilCutsAtTheFirstAnnotationLaterThanIt() throws {
        let s = try ScratchDirectory()
        let incr = Array("#TS:100\r\n".utf8) + resp("SET", "b", "2") + Array("#TS:200\r\n".utf8) + resp("SET", "c", "3")
        let dir = try directory(s, incr: incr)
        let plan = try repair(dir, to: s.path + "/out", untilMs: 150_000)
        #expect(plan.cut?.offset == 36)
        #expect(plan.cut?.reason == "#TS:200 after --until")
        #expect(Verifier().verifyAOF(path: s.path + "/out").commands == 2)
    }

    @Test func untilInAFileBeforeTheLastIsRefused() throws {
        let s = try ScratchDirectory()
        try s.write("in/m/appendonly.aof.manifest", "file appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n")
        try s.write("in/m/appendonly.aof.1.incr.aof", Array("#TS:300\r\n".utf8) + resp("SET", "b", "2"))
        try s.write("in/m/appendonly.aof.2.incr.aof", resp("SET", "c", "3"))
        #expect(throws: AOFRepairError.self) { try self.repair(s.path + "/in/m", to: s.path + "/out", untilMs: 150_000) }
        #expect(!FileManager.default.fileExists(atPath: s.path + "/out"))
    }

    @Test func damageBeforeTheLastFileIsNotRepairable() throws {
        let s = try ScratchDirectory()
        try s.write("in/m/appendonly.aof.manifest", "file appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n")
        try s.write("in/m/appendonly.aof.1.incr.aof", Array("GARBAGE\r\n".utf8))
        try s.write("in/m/appendonly.aof.2.incr.aof", resp("SET", "c", "3"))
        let e = #expect(throws: AOFRepairError.self) { try self.repair(s.path + "/in/m", to: s.path + "/out") }
        #expect(e?.kind == .notRepairable)
        #expect(e?.file == "appendonly.aof.1.incr.aof")
    }

    @Test func existingOutputDirectoryIsRefused() throws {
        let s = try ScratchDirectory()
        let dir = try directory(s, incr: resp("SET", "b", "2"))
        try s.write("out/keep", "x")
        let e = #expect(throws: AOFRepairError.self) { try self.repair(dir, to: s.path + "/out") }
        #expect(e?.kind == .outputExists)
        #expect(try String(contentsOfFile: s.path + "/out/keep", encoding: .utf8) == "x")
    }
}
