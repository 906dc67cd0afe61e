import Foundation
import Testing
@testable import RDBKit

/// A save killed for real: a redis-server 7.0.15 SIGKILLed while its BGSAVE child writes
/// `temp-<pid>.rdb` leaves that file truncated beside the intact `dump.rdb` of an earlier SAVE.
@Suite struct ScanCrashTests {
    /// Polls until `done` holds; false after `seconds` (a hung server must fail the test, not
    /// block it).
    static func wait(seconds: Double, until done: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try done() { return true }
            usleep(10_000)
        }
        return false
    }

    /// The temporary file of a running save of `kind`, once it holds at least `bytes`.
    static func tempFile(_ kind: CrashLeftover.Kind, in dir: String, atLeast bytes: Int) -> (name: String, pid: Int32)? {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
            guard let (k, pid, _) = CrashLeftover.kind(ofName: name), k == kind, let pid,
                  let size = (try? FileManager.default.attributesOfItem(atPath: dir + "/" + name))?[.size] as? Int,
                  size >= bytes else { continue }
            return (name, pid)
        }
        return nil
    }

    @Test(.enabled(if: RedisServer.available, "needs redis-server and redis-cli"))
    func aServerKilledMidBGSAVELeavesAnIncompleteSaveBesideAnIntactDump() throws {
        let server = try RedisServer()
        let dir = server.dir.path
        try server.cli("DEBUG", "POPULATE", "2000", "key", "512")
        #expect(try server.cli("SAVE") == "OK")
        // Uncompressed 512-byte values and 2 ms per key: the child writes for about 4 s, steadily.
        try server.cli("CONFIG", "SET", "rdbcompression", "no")
        try server.cli("CONFIG", "SET", "rdb-key-save-delay", "2000")
        #expect(try server.cli("BGSAVE") == "Background saving started")
        var temp: (name: String, pid: Int32)?
        #expect(Self.wait(seconds: 30) { temp = Self.tempFile(.bgsave, in: dir, atLeast: 32 << 10); return temp != nil })
        guard let (name, child) = temp else { return }
        // Stopped first, so the server cannot reap the child and delete its file.
        #expect(kill(server.pid, SIGSTOP) == 0)
        #expect(kill(child, SIGKILL) == 0)
        #expect(kill(server.pid, SIGKILL) == 0)
        #expect(Self.wait(seconds: 30) { !CrashLeftover.processExists(child) })

        let (entries, summary) = PersistenceScanner.run([dir], options: ScanOptions(jobs: 2))
        #expect(entries.map(\.path) == [dir + "/dump.rdb", dir + "/" + name])
        #expect(summary.filesLookedAt == 3, "dump.rdb, the temporary file, server.log")
        let dump = entries[0]
        #expect(dump.kind == .rdb)
        #expect(dump.verdict == .clean)
        #expect(dump.keys == 2000)
        #expect(dump.producer == "redis 7.0.15")
        #expect(dump.leftover == nil)

        let cut = entries[1]
        #expect(cut.kind == .rdb)
        #expect(cut.dialect == Dialect(family: .redis, version: 10))
        #expect(cut.verdict == .damaged)
        #expect(cut.failureClass == "truncated")
        let leftover = try #require(cut.leftover)
        #expect(leftover.kind == .bgsave)
        #expect(leftover.pid == child)
        #expect(!leftover.processRunning)
        #expect(leftover.replaces?.path == dir + "/dump.rdb")
        #expect(leftover.replaces?.state == .intact)
        #expect(leftover.replaces?.keys == 2000)
        // No redis.conf beside them: both start-up sources, each under its condition.
        #expect(leftover.restart.map(\.condition) == ["appendonly no", "appendonly yes"])
        #expect(leftover.restart.map(\.file.path) == [dir + "/dump.rdb", dir + "/appendonlydir"])
        #expect(leftover.restart.map(\.file.state) == [.intact, .missing])
        #expect(leftover.lines.first == "leftover: temporary file of a BGSAVE child (pid \(child)): the save did not complete (no process \(child) now)")

        // The command: damage found (the temporary file) is exit status 1.
        let r = try CLITests.run(["scan", dir])
        #expect(r.status == 1)
        #expect(r.out.contains("  it would have replaced \(dir)/dump.rdb: intact (2000 keys)\n"))
    }

    @Test(.enabled(if: RedisServer.available, "needs redis-server and redis-cli"))
    func aServerKilledMidRewriteLeavesARewriteTemporaryBesideTheIntactAOF() throws {
        let server = try RedisServer(extraArguments: ["--appendonly", "yes"])
        let dir = server.dir.path
        try server.cli("DEBUG", "POPULATE", "2000", "key", "512")
        try server.cli("CONFIG", "SET", "rdbcompression", "no")
        // The rewrite child writes an RDB base (aof-use-rdb-preamble yes), slowed like a BGSAVE.
        try server.cli("CONFIG", "SET", "rdb-key-save-delay", "2000")
        #expect(try server.cli("BGREWRITEAOF") == "Background append only file rewriting started")
        var temp: (name: String, pid: Int32)?
        #expect(Self.wait(seconds: 30) { temp = Self.tempFile(.aofRewrite, in: dir, atLeast: 32 << 10); return temp != nil })
        guard let (name, child) = temp else { return }
        #expect(kill(server.pid, SIGSTOP) == 0)
        #expect(kill(child, SIGKILL) == 0)
        #expect(kill(server.pid, SIGKILL) == 0)
        #expect(Self.wait(seconds: 30) { !CrashLeftover.processExists(child) })

        let entries = PersistenceScanner.run([dir], options: ScanOptions(jobs: 2)).entries
        let manifest = dir + "/appendonlydir/appendonly.aof.manifest"
        #expect(entries.map(\.path) == [manifest, dir + "/" + name])
        #expect(entries[0].kind == .aofMultiPart)
        #expect(entries[0].verdict == .clean)
        let cut = entries[1]
        #expect(cut.kind == .rdb, "the child writes the new base as an RDB")
        #expect(cut.notes == ["the base file of a multi-part AOF (AUX aof-base 1), outside its AOF directory"])
        #expect(cut.failureClass == "truncated")
        let leftover = try #require(cut.leftover)
        #expect(leftover.kind == .aofRewrite)
        #expect(leftover.pid == child)
        #expect(leftover.replaces?.path == manifest)
        #expect(leftover.replaces?.state == .intact)
        #expect(leftover.restart.map(\.file.state) == [.missing, .intact], "no dump.rdb; the AOF")
    }
}
