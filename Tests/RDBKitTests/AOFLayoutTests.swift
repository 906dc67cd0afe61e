import Testing
@testable import RDBKit

@Suite struct AOFLayoutTests {
    static let external = Paths.shared + "/corpus/external/redis__redis/tests__integration__aof-multi-part"

    @Test func contentDecidesTheKindNotTheName() throws {
        let dir = try ScratchDirectory()
        #expect(try AOFLayout.content(of: dir.write("a.rdb", resp("PING"))) == .resp)
        #expect(try AOFLayout.content(of: dir.write("b.aof", "#TS:1\r\n")) == .resp)
        #expect(try AOFLayout.content(of: dir.write("c.aof", ascii("REDIS0010") + [0xFF])) == .rdb)
        #expect(try AOFLayout.content(of: dir.write("d.aof", ascii("VALKEY080"))) == .rdb)
        #expect(try AOFLayout.content(of: dir.write("e.txt", "# comment\nfile x seq 1 type b\n")) == .manifest)
        #expect(try AOFLayout.content(of: dir.write("f.aof", "")) == .resp)
        #expect(try AOFLayout.content(of: dir.write("g.aof", "hello")) == .unknown)
        #expect(try AOFLayout.content(of: dir.path) == .directory)
    }

    @Test func aDirectoryResolvesThroughItsManifest() throws {
        let dir = try ScratchDirectory()
        try dir.write("appendonlydir/appendonly.aof.manifest",
                      "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\nfile appendonly.aof.2.incr.aof seq 2 type i\n")
        try dir.write("appendonlydir/appendonly.aof.1.base.rdb", "")
        try dir.write("appendonlydir/appendonly.aof.2.incr.aof", resp("PING"))
        try dir.write("appendonlydir/temp-rewriteaof-bg-123.aof", "x")
        // Both the AOF directory and the server `dir` above it resolve to the same parts.
        for path in [dir.path + "/appendonlydir", dir.path] {
            let layout = try AOFLayout.resolve(path)
            #expect(layout.kind == .multiPart)
            #expect(layout.parts.map(\.name) == ["appendonly.aof.1.base.rdb", "appendonly.aof.2.incr.aof"])
            #expect(layout.parts.map(\.role) == [.base, .incr])
            #expect(layout.parts.map(\.size) == [0, 14])
            #expect(layout.history.map(\.name) == ["appendonly.aof.1.incr.aof"])
            #expect(layout.history.first?.size == nil)
            #expect(layout.unlisted.map(\.name) == ["temp-rewriteaof-bg-123.aof"])
        }
    }

    @Test func aServerDirOfAnOldVersionResolvesToItsAOFFile() throws {
        let dir = try ScratchDirectory()
        try dir.write("appendonly.aof", resp("PING"))
        try dir.write("dump.rdb", ascii("REDIS0009"))
        let layout = try AOFLayout.resolve(dir.path)
        #expect(layout.kind == .single)
        #expect(layout.parts.map(\.path) == [dir.path + "/appendonly.aof"])
    }

    @Test(.enabled(if: Paths.sharedPresent)) func aListedFileMissingOnDiskIsAnError() throws {
        let e = aofError { _ = try AOFLayout.resolve(Self.external + "/01-missing-incr-file/appendonlydir") }
        #expect(e?.kind == .missingFile)
        #expect(e?.expected == "appendonly.aof.1.incr.aof, which the manifest lists")
    }

    @Test(.enabled(if: Paths.sharedPresent)) func anInterruptedUpgradeReadsTheBaseFromTheServerDir() throws {
        let layout = try AOFLayout.resolve(Self.external + "/16-interrupted-upgrade/appendonlydir")
        #expect(layout.parts.map(\.path) == [Self.external + "/16-interrupted-upgrade/appendonly.aof"])
        #expect(layout.notes.count == 1)
    }

    @Test func aBrokenManifestIsReportedAsOneEvenWhenEmpty() throws {
        let dir = try ScratchDirectory()
        let e = aofError { _ = try AOFLayout.resolve(try dir.write("x.manifest", "")) }
        #expect(e?.kind == .manifest)
    }

    @Test func somethingElseIsNotAnAOF() throws {
        let dir = try ScratchDirectory()
        #expect(aofError { _ = try AOFLayout.resolve(try dir.write("x", "hello")) }?.kind == .notAOF)
        #expect(aofError { _ = try AOFLayout.resolve(dir.path) }?.kind == .notAOF)
    }
}
