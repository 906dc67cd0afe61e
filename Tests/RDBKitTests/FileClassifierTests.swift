import Foundation
import Testing
@testable import RDBKit

/// `scan`'s first look: content decides, names never do (but for a broken `*.manifest`).
@Suite struct FileClassifierTests {
    static let fixture = Paths.fixtures + "/redis-7.0.15/dump.rdb"
    static let generated = Paths.shared + "/corpus/generated"

    @Test func anRDBIsKnownByItsMagicWithItsHeaderFacts() {
        let s = FileClassifier.sniff(Self.fixture)
        #expect(s.content == .rdb)
        #expect(!s.gzip)
        #expect(s.rdb == RDBHeaderFacts(dialect: Dialect(family: .redis, version: 10), producer: "redis 7.0.15",
                                        ctime: 1_795_483_567, aofPreamble: false, aofBase: false))
    }

    @Test func aGzippedRDBIsLookedAtThroughTheGzip() {
        let s = FileClassifier.sniff(Self.fixture + ".gz")
        #expect(s.content == .rdb)
        #expect(s.gzip)
        #expect(s.rdb?.producer == "redis 7.0.15")
        #expect(s.rdb?.ctime == 1_795_483_567)
    }

    @Test func aFileNamedLikeNothingIsStillAnRDB() throws {
        let dir = try ScratchDirectory()
        let path = try dir.write("backup-3", Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture))))
        #expect(FileClassifier.sniff(path).content == .rdb)
    }

    @Test func aCapturedFullSyncIsAnRDB() throws {
        let dir = try ScratchDirectory()
        let rdb = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture)))
        let s = FileClassifier.sniff(try dir.write("sync", ascii("+FULLRESYNC 8de1787ba490483314a4d30f1c628bc5025eb761 0\r\n$\(rdb.count)\r\n") + rdb))
        #expect(s.content == .rdb)
        #expect(s.rdb?.producer == "redis 7.0.15")
    }

    @Test(.enabled(if: Paths.sharedPresent, "needs ../shared/corpus"))
    func anRDBPreambleAOFIsToldApartFromAnRDB() {
        let s = FileClassifier.sniff(Self.generated + "/redis-6.2.16/aof-rewrite-rdbpreamble/appendonly.aof")
        #expect(s.content == .aofPreamble)
        #expect(s.rdb?.dialect == Dialect(family: .redis, version: 9))
        #expect(s.rdb?.aofPreamble == true)
    }

    @Test(.enabled(if: Paths.sharedPresent, "needs ../shared/corpus"))
    func aMultiPartRDBBaseIsAnRDBMarkedAsABase() {
        let s = FileClassifier.sniff(Self.generated + "/redis-7.0.15/aof-rewrite-rdbpreamble/appendonlydir/appendonly.aof.2.base.rdb")
        #expect(s.content == .rdb)
        #expect(s.rdb?.aofBase == true)
    }

    @Test func respCommandsAreAnAOF() throws {
        let dir = try ScratchDirectory()
        #expect(FileClassifier.sniff(try dir.write("a", resp("SET", "k", "v"))).content == .resp)
        #expect(FileClassifier.sniff(try dir.write("b", ascii("#TS:1732363200\r\n") + resp("PING"))).content == .resp)
        #expect(FileClassifier.sniff(try dir.write("c", "*1\n$4\nPING\n")).content == .resp, "LF-only line ends (format.md §9.1)")
        #expect(FileClassifier.sniff(try dir.write("d", "*3\r\n$3\r\nSE")).content == .resp, "cut inside the first command")
    }

    @Test func aManifestIsKnownByItsLinesWhateverItsName() throws {
        let dir = try ScratchDirectory()
        let s = FileClassifier.sniff(try dir.write("list", "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"))
        #expect(s.content == .manifest)
        #expect(try s.manifest?.get().entries.map(\.name) == ["appendonly.aof.1.base.rdb", "appendonly.aof.1.incr.aof"])
    }

    @Test func textStartingWithFileIsAManifestOnlyWhenNamedOne() throws {
        let dir = try ScratchDirectory()
        #expect(FileClassifier.sniff(try dir.write("notes.txt", "file this under misc\n")).content == .notRedis)
        let broken = FileClassifier.sniff(try dir.write("appendonly.aof.manifest", "file this under misc\n"))
        #expect(broken.content == .manifest)
        if case .failure(let e)? = broken.manifest { #expect(e.kind == .manifest) } else { Issue.record("expected a parse failure") }
    }

    @Test func theRDBMagicMakesAnRDBEvenWhenWhatFollowsIsJunk() throws {
        let dir = try ScratchDirectory()
        #expect(FileClassifier.sniff(try dir.write("x", "REDISjunk")).content == .rdb)
        #expect(FileClassifier.sniff(try dir.write("y", "VALKEY")).content == .rdb)
        #expect(FileClassifier.sniff(try dir.write("z", "REDI")).content == .notRedis, "four bytes are not the magic")
    }

    @Test func filesWithoutASignatureAreNotRedis() throws {
        let dir = try ScratchDirectory()
        var rng = VerifyMutationTests.Seeded(state: 9)
        let random = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }
        for (name, bytes) in [("empty", []), ("random.bin", random), ("readme.md", ascii("* a list item\n* another\n")),
                              ("run.sh", ascii("#!/bin/sh\necho hi\n")), ("redis.conf", ascii("# Redis configuration\nappendonly yes\n")),
                              ("truth.jsonl", ascii("{\"db\":0,\"key\":\"a\"}\n")), ("stars", ascii("*** bold ***\n"))] as [(String, [UInt8])] {
            #expect(FileClassifier.sniff(try dir.write(name, bytes)).content == .notRedis, "\(name)")
        }
    }

    @Test func gzipOfSomethingElseIsNotRedis() throws {
        let dir = try ScratchDirectory()
        let text = try dir.write("notes.txt", String(repeating: "not a database\n", count: 100))
        let gz = try runProcess("/usr/bin/gzip", ["-k", "-n", text])
        #expect(gz.status == 0)
        let s = FileClassifier.sniff(text + ".gz")
        #expect(s.content == .notRedis)
        #expect(s.gzip)
    }
}
