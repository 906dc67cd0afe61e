import Foundation
import Testing
@testable import RDBKit

@Suite struct AtomicFileTests {
    @Test func commitReplacesTheTargetWhole() throws {
        let dir = try ScratchDirectory()
        let target = try dir.write("dump.rdb", "old")
        let f = try AtomicFile(path: target)
        try Array("new".utf8).withUnsafeBytes { try f.write($0) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "old")
        try f.commit()
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["dump.rdb"])
    }

    @Test func abandoningLeavesNothingBehind() throws {
        let dir = try ScratchDirectory()
        let f = try AtomicFile(path: dir.path + "/out.rdb")
        #expect(FileManager.default.fileExists(atPath: f.temporaryPath))
        f.abandon()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func anInputIsNeverTheTargetWhateverThePath() throws {
        let dir = try ScratchDirectory()
        let input = try dir.write("dump.rdb", "data")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/alias.rdb", withDestinationPath: input)
        #expect(throws: OutputError.self) { _ = try AtomicFile(path: dir.path + "/alias.rdb", protecting: [input]) }
        #expect(try String(contentsOfFile: input, encoding: .utf8) == "data")
    }

    @Test func oneShotWriteReplacesTheWholeFile() throws {
        let dir = try ScratchDirectory()
        let target = try dir.write("out.html", "old")
        try AtomicFile.write(Array("new page".utf8), to: target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new page")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.html"])
    }
}
