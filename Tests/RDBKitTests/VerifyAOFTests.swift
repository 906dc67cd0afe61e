import Foundation
import Testing
@testable import RDBKit

/// `verify` on AOFs: hand-made damage in single files and directories, with the class, file,
/// offset, command number and `ok_up_to` redis-check-aof would give.
@Suite struct VerifyAOFTests {
    static let manifest = "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n"
    static let set1 = resp("SET", "a", "1")  // 27 bytes
    static let set2 = resp("SET", "b", "2")

    /// A directory whose base holds one SET and whose incr files hold the given bytes.
    func directory(_ scratch: ScratchDirectory, incr1: [UInt8], incr2: [UInt8], manifest: String = manifest) throws -> String {
        try scratch.write("appendonlydir/appendonly.aof.manifest", manifest)
        try scratch.write("appendonlydir/appendonly.aof.1.base.aof", Self.set1)
        try scratch.write("appendonlydir/appendonly.aof.1.incr.aof", incr1)
        try scratch.write("appendonlydir/appendonly.aof.2.incr.aof", incr2)
        return scratch.path + "/appendonlydir"
    }

    @Test func cleanDirectoryIsOneLine() throws {
        let s = try ScratchDirectory()
        let dir = try directory(s, incr1: Array("#TS:1700000000\r\n".utf8) + Self.set2, incr2: Self.set1)
        let r = Verifier().verifyAOF(path: dir)
        #expect(r.verdict == .clean)
        #expect(r.commands == 3 && r.annotations == 1 && r.files.count == 3)
        #expect(r.text().hasPrefix("\(dir): OK, multi-part AOF, 3 files, 3 commands, #TS 2023-11-14T22:13:20Z, "))
        #expect(r.text().split(separator: "\n").count == 1)
        #expect(r.checks == ["manifest", "files", "commands", "ending"])
    }

    @Test func truncatedLastCommandIsDamageThatAServerRecoversFrom() throws {
        let s = try ScratchDirectory()
        let path = try s.write("appendonly.aof", Self.set1 + Self.set2 + Self.set1.prefix(20))
        let r = Verifier().verifyAOF(path: path)
        #expect(r.verdict == .damaged)
        #expect(r.failure?.kind == .truncated)
        #expect(r.failure?.offset == 74)
        #expect(r.failure?.commandIndex == 2)
        #expect(r.okUpTo == 54)
        #expect(r.recoverable)
        #expect(r.lastGoodCommand?.index == 1 && r.lastGoodCommand?.offset == 27 && r.lastGoodCommand?.end == 54)
        #expect(r.text().contains("ok up to      offset 54: a server with aof-load-truncated yes loads the AOF cut there"))
    }

    @Test func garbageInTheMiddleIsStructuralWithFileOffsetLineAndCommand() throws {
        let s = try ScratchDirectory()
        let dir = try directory(s, incr1: Self.set1 + Array("GARBAGE\r\n".utf8) + Self.set2, incr2: [])
        let r = Verifier().verifyAOF(path: dir)
        #expect(r.verdict == .damaged)
        let f = try #require(r.failure)
        #expect(f.kind == .structural)
        #expect(f.file == "appendonly.aof.1.incr.aof")
        #expect(f.offset == 27)
        #expect(f.commandIndex == 2)  // the base's SET is command #1, the incr's first #2
        #expect(r.line == 8)  // each SET takes 7 lines
        #expect(r.okUpTo == 27)
        #expect(!r.recoverable)
        #expect(r.text().contains("  offset        27 (0x1b), line 8\n"))
    }

    @Test func truncationInAFileThatIsNotTheLastIsNotRecoverable() throws {
        let s = try ScratchDirectory()
        let dir = try directory(s, incr1: Self.set1 + Self.set2.prefix(10), incr2: Self.set1)
        let r = Verifier().verifyAOF(path: dir)
        #expect(r.failure?.kind == .truncated)
        #expect(r.failure?.file == "appendonly.aof.1.incr.aof")
        #expect(r.okUpTo == 27)
        #expect(!r.recoverable)
    }

    @Test func openTransactionAtTheEndIsCutBeforeItsMulti() throws {
        let s = try ScratchDirectory()
        let path = try s.write("appendonly.aof", Self.set1 + resp("MULTI") + Self.set2)
        let r = Verifier().verifyAOF(path: path)
        #expect(r.failure?.kind == .openTransaction)
        #expect(r.okUpTo == 27)
        #expect(r.recoverable)
    }

    @Test func damageInsideATransactionIsCutBeforeItsMulti() throws {
        let s = try ScratchDirectory()
        let path = try s.write("appendonly.aof", Self.set1 + resp("MULTI") + Self.set2 + Array("*3\r\n$3\r\nSET\r\nGARBAGE".utf8))
        let r = Verifier().verifyAOF(path: path)
        #expect(r.failure?.kind == .structural)
        #expect(r.failure?.commandOffset == 69)
        #expect(r.okUpTo == 27)
    }

    @Test func strayExecIsAWarningAsAServerLoadsIt() throws {
        let s = try ScratchDirectory()
        let path = try s.write("appendonly.aof", Self.set1 + resp("EXEC"))
        let r = Verifier().verifyAOF(path: path)
        #expect(r.verdict == .warnings)
        #expect(r.warnings.map(\.message) == ["EXEC without MULTI (redis-check-aof rejects the file; a server ignores it)"])
        #expect(r.warnings.first?.offset == 27)
    }

    @Test func missingIncrFileIsReportedByName() throws {
        let s = try ScratchDirectory()
        let dir = try directory(s, incr1: Self.set1, incr2: Self.set2)
        try FileManager.default.removeItem(atPath: dir + "/appendonly.aof.2.incr.aof")
        let r = Verifier().verifyAOF(path: dir)
        #expect(r.verdict == .damaged)
        #expect(r.failure?.kind == .missingFile)
        #expect(r.failure?.expected == "appendonly.aof.2.incr.aof, which the manifest lists")
    }

    @Test func badManifestLineIsReportedWithItsLineNumber() throws {
        let s = try ScratchDirectory()
        let bad = Self.manifest.replacingOccurrences(of: "seq 2 type i", with: "seq 1 type i")
        let dir = try directory(s, incr1: Self.set1, incr2: Self.set2, manifest: bad)
        let r = Verifier().verifyAOF(path: dir)
        #expect(r.failure?.kind == .manifest)
        #expect(r.failure?.offset == 3)
        #expect(r.failure?.found == "1 after 1")
        #expect(r.text().contains("  line          3\n"))
    }

    @Test func extraFileInTheDirectoryIsAWarning() throws {
        let s = try ScratchDirectory()
        let dir = try directory(s, incr1: Self.set1, incr2: Self.set2)
        try s.write("appendonlydir/appendonly.aof.3.incr.aof", Self.set1)
        let r = Verifier().verifyAOF(path: dir)
        #expect(r.verdict == .warnings)
        #expect(r.warnings.map(\.message) == ["not in the manifest, ignored (27 bytes)"])
    }

    @Test func damagedRDBPreambleGetsTheRDBVerdict() throws {
        let s = try ScratchDirectory()
        var preamble = rdbImage([0xFA] + VerifyTests.str("aof-preamble") + VerifyTests.str("1") + [0xFE, 0x00] + VerifyTests.stringKey("k", "v"))
        preamble[preamble.count - 3] ^= 0xFF  // inside the stored CRC
        let path = try s.write("appendonly.aof", preamble + Self.set1)
        let outcome = Verifier().verifyAny(path: path)
        guard case .aof(let r) = outcome else { Issue.record("read as an RDB"); return }
        #expect(r.failure?.kind == .rdb)
        #expect(r.failureClass == "checksum-mismatch")
        #expect(r.files.first?.rdb?.failure?.kind == .checksumMismatch)
    }

    @Test func rdbPreambleFollowedByCommandsIsCleanWithoutTrailingBytesWarning() throws {
        let s = try ScratchDirectory()
        let preamble = rdbImage([0xFA] + VerifyTests.str("aof-preamble") + VerifyTests.str("1") + [0xFE, 0x00] + VerifyTests.stringKey("k", "v"))
        let path = try s.write("appendonly.aof", preamble + Self.set1)
        let r = Verifier().verifyAOF(path: path)
        #expect(r.verdict == .clean, "\(r.text())")
        #expect(r.files.first?.rdb?.keys == 1)
        #expect(r.commands == 1)
    }

    @Test func jsonNamesClassFileAndOkUpTo() throws {
        let s = try ScratchDirectory()
        let path = try s.write("appendonly.aof", Self.set1 + Self.set2.prefix(5))
        let json = Verifier().verifyAOF(path: path).json()
        let o = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(o["verdict"] as? String == "damaged")
        #expect(o["class"] as? String == "truncated")
        #expect(o["format"] as? String == "aof")
        let f = try #require(o["failure"] as? [String: Any])
        #expect(f["ok_up_to"] as? Int == 27)
        #expect(f["recoverable"] as? Bool == true)
        #expect(f["file"] as? String == path)
    }
}

/// `verify` on the corpus AOFs: every intact one is clean, every damaged one is found where
/// its `.expected.txt` and redis-check-aof say.
@Suite(.enabled(if: Paths.sharedPresent, "../shared is absent: the corpus is skipped"))
struct VerifyAOFCorpusTests {
    static var intact: [String] {
        guard Paths.sharedPresent else { return [] }
        let root = Paths.shared + "/corpus/generated"
        return ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { $0 != "corrupt" }.sorted().flatMap { v in
            ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + v)) ?? []).filter { $0.hasPrefix("aof") }.sorted()
                .map { root + "/" + v + "/" + $0 }
        }
    }

    @Test func corpusHoldsTheAOFsOfEveryServer() {
        #expect(Self.intact.count == 31)
    }

    @Test(arguments: intact)
    func intactAOFVerifiesClean(_ path: String) {
        let outcome = Verifier().verifyAny(path: path)
        guard case .aof(let r) = outcome else { Issue.record("read as an RDB"); return }
        #expect(r.verdict == .clean, "\(r.text())")
    }

    static var damaged: [String] {
        guard Paths.sharedPresent else { return [] }
        return Paths.files(under: Paths.shared + "/corpus/generated/corrupt/aof") { $0.hasSuffix(".expected.txt") }
    }

    @Test(arguments: damaged)
    func damagedAOFIsFoundWithItsClassAndOkUpTo(_ expectation: String) throws {
        let text = try String(contentsOfFile: expectation, encoding: .utf8)
        func field(_ name: String) -> String? {
            text.split(separator: "\n").first { $0.hasPrefix(name + ": ") }.map { String($0.dropFirst(name.count + 2)) }
        }
        func checker(_ name: String) -> Int64? {
            // The last file checked is the damaged one.
            guard let r = text.range(of: name + "=", options: .backwards) else { return nil }
            return Int64(text[r.upperBound...].prefix { $0.isNumber })
        }
        let r = Verifier().verifyAOF(path: expectation.replacingOccurrences(of: ".expected.txt", with: ""))
        let f = try #require(r.failure)
        #expect(f.kind.rawValue == field("class"))
        #expect(r.okUpTo == checker("ok_up_to"))
        let damagedFile = try #require(field("damaged file"))
        let damagedName = damagedFile.prefix { $0 != " " }.split(separator: "/").last.map(String.init) ?? ""
        #expect(f.file.hasSuffix(damagedName))
        let offset = try #require(field("offset").flatMap { Int64($0) })
        if field("detail")?.contains("bulk length") == true {
            // A longer length swallows the argument's line end: the walk stops where the next
            // `$` should be, after the damaged digit (where redis-check-aof stops too).
            #expect(f.offset > offset)
        } else {
            #expect(f.offset == offset)
        }
        #expect(r.recoverable == (f.kind == .truncated))
    }
}
