import Foundation
import Testing
@testable import RDBKit

/// `scan` end to end on small trees: what makes one entry, damage, and save leftovers.
@Suite struct PersistenceScannerTests {
    static let fixture = Paths.fixtures + "/redis-7.0.15/dump.rdb"
    static var fixtureBytes: [UInt8] { Array(FileManager.default.contents(atPath: fixture) ?? Data()) }

    static func scan(_ path: String) -> [ScanEntry] { PersistenceScanner.run([path], options: ScanOptions(jobs: 2)).entries }

    @Test func anAOFDirectoryIsOneEntryWithItsParts() throws {
        let dir = try ScratchDirectory()
        try dir.write("appendonlydir/appendonly.aof.manifest",
                      "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n")
        try dir.write("appendonlydir/appendonly.aof.1.base.rdb", Self.fixtureBytes)
        try dir.write("appendonlydir/appendonly.aof.1.incr.aof",
                      ascii("#TS:1732363200\r\n") + resp("SELECT", "0") + resp("SET", "a", "1") + ascii("#TS:1732363205\r\n") + resp("DEL", "a"))
        try dir.write("appendonlydir/temp-appendonly.aof.incr", resp("SET", "b", "2"))
        try dir.write("appendonlydir/README.txt", "not Redis's")
        let entries = Self.scan(dir.path)
        #expect(entries.count == 1)
        let e = try #require(entries.first)
        #expect(e.path == dir.path + "/appendonlydir/appendonly.aof.manifest")
        #expect(e.kind == .aofMultiPart)
        #expect(e.parts.map(\.name) == ["appendonly.aof.1.base.rdb", "appendonly.aof.1.incr.aof", "temp-appendonly.aof.incr"])
        #expect(e.parts.map(\.role) == [.base, .incr, .unlisted])
        #expect(e.parts.map(\.format) == [.rdb, .resp, nil])
        #expect(e.keys == 94)
        #expect(e.commands == 3)
        #expect(e.dialect == Dialect(family: .redis, version: 10))
        #expect(e.producer == "redis 7.0.15")
        #expect(e.firstTimestamp == 1_732_363_200)
        #expect(e.lastTimestamp == 1_732_363_205)
        #expect(e.verdict == .warnings, "the temporary file is not in the manifest")
        #expect(e.parts[2].leftover?.kind == .aofIncr)
        #expect(e.parts[2].leftover?.replaces?.path == e.path)
    }

    @Test func aFileWithTheRDBMagicAndJunkIsADamagedRDB() throws {
        let dir = try ScratchDirectory()
        try dir.write("backup", "REDISjunk")
        let e = try #require(Self.scan(dir.path).first)
        #expect(e.kind == .rdb)
        #expect(e.verdict == .damaged)
        #expect(e.failureClass == "not-rdb")
    }

    @Test func aTruncatedAOFIsDamagedWhereItsLastCommandIsCut() throws {
        let dir = try ScratchDirectory()
        let first = resp("SET", "a", "1")
        let whole = first + resp("SET", "b", "2")
        try dir.write("log", Array(whole.dropLast(3)))
        let e = try #require(Self.scan(dir.path).first)
        #expect(e.kind == .aof)
        #expect(e.commands == 1)
        #expect(e.verdict == .damaged)
        #expect(e.failureClass == "truncated")
        #expect(e.failure == "truncated at offset \(whole.count - 3) (command #2 starting at offset \(first.count)): "
                + "expected the rest of the command, found the end of the file; the file is whole up to offset \(first.count)")
    }

    @Test func aRedisConfBesideALeftoverSaysWhichFileARestartLoads() throws {
        let dir = try ScratchDirectory()
        try dir.write("redis.conf", "# mine\ndbfilename main.rdb\nappendonly yes\nappendfilename \"my.aof\"\n")
        try dir.write("main.rdb", Self.fixtureBytes)
        try dir.write("my.aof", resp("SET", "a", "1"))
        try dir.write("temp-4194999.rdb", Array(Self.fixtureBytes.prefix(5000)))
        let entries = Self.scan(dir.path)
        #expect(entries.map { AOFLayout.baseName($0.path) } == ["main.rdb", "my.aof", "temp-4194999.rdb"])
        let l = try #require(entries[2].leftover)
        #expect(l.kind == .bgsave)
        #expect(l.pid == 4_194_999)
        #expect(l.replaces?.path == dir.path + "/main.rdb")
        #expect(l.replaces?.state == .intact)
        #expect(l.configFile == dir.path + "/redis.conf")
        #expect(l.restart.map(\.condition) == ["appendonly yes"])
        #expect(l.restart.map(\.file.path) == [dir.path + "/my.aof"])
        #expect(l.lines.last == "a restart loads \(dir.path)/my.aof: intact (redis.conf here says appendonly yes)")
    }

    @Test func anEmptyRewriteTemporaryIsReportedByItsName() throws {
        let dir = try ScratchDirectory()
        try dir.write("temp-rewriteaof-4194998.aof", "")
        try dir.write("empty", "")
        let entries = Self.scan(dir.path)
        #expect(entries.map(\.path) == [dir.path + "/temp-rewriteaof-4194998.aof"])
        #expect(entries.first?.kind == .aof)
        #expect(entries.first?.leftover?.kind == .aofRewrite)
        #expect(entries.first?.leftover?.replaces?.state == .missing)
    }

    @Test func leftoverNamesFollowTheServersPatterns() {
        func kind(_ n: String) -> CrashLeftover.Kind? { CrashLeftover.kind(ofName: n)?.kind }
        #expect(kind("temp-1234.rdb") == .bgsave)
        #expect(CrashLeftover.kind(ofName: "temp-1732363200.77.rdb")?.pid == 77)
        #expect(CrashLeftover.kind(ofName: "temp-1732363200.77.rdb")?.time == 1_732_363_200)
        #expect(kind("temp-1732363200.77.rdb") == .replicaSync)
        #expect(kind("temp-rewriteaof-88.aof") == .aofRewrite)
        #expect(kind("temp-rewriteaof-bg-88.aof") == .aofRewriteDone)
        #expect(kind("temp-appendonly.aof.manifest") == .aofManifest)
        #expect(kind("temp-appendonly.aof.incr") == .aofIncr)
        for other in ["dump.rdb", "temp-.rdb", "temp-abc.rdb", "temp-rewriteaof-x.aof", "temp-1.2.3.rdb", "backup-3"] {
            #expect(kind(other) == nil, "\(other)")
        }
    }

    @Test func theConfigurationIsReadAsTheServerReadsIt() {
        let c = PersistenceConfig(RedisConfigFile(Array("# appendonly yes\nDBFILENAME 'a b.rdb'\nappendonly yes\nappendonly no\nappenddirname aofs\n".utf8)))
        #expect(c.dbfilename == "a b.rdb")
        #expect(c.appendonly == false, "the last one wins")
        #expect(c.appenddirname == "aofs")
        #expect(c.appendfilename == "appendonly.aof")
    }

    @Test func jsonIsOneObjectPerFileInPathOrder() throws {
        let r = try CLITests.run(["scan", "--json", Paths.fixtures + "/redis-7.0.15"])
        #expect(r.status == 0)
        let objects = try r.out.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.compactMap { ($0?["path"] as? String).map(AOFLayout.baseName) }
                == ["dump-lfu.rdb", "dump-lru.rdb", "dump-nochecksum.rdb", "dump-nocompress.rdb", "dump.rdb", "dump.rdb.gz"])
        #expect(objects.last??["gzip"] as? Bool == true)
        #expect(objects.allSatisfy { $0?["verdict"] as? String == "clean" && $0?["keys"] as? Int == 94 })
    }

    @Test func aMissingPathExitsThree() throws {
        let r = try CLITests.run(["scan", "/nonexistent/rdbtool-scan"])
        #expect(r.status == 3)
        #expect(r.err == "rdbtool: /nonexistent/rdbtool-scan: No such file or directory\n")
    }
}
