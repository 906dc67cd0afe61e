import Foundation
import Testing
@testable import RDBKit

@Suite struct AtomicFileTests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdbtool-atomic-\(UUID().uuidString)")

    @Test func writesTheWholeFileAndLeavesNoTemporary() throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.html").path
        try AtomicFile.write(Array("old".utf8), to: path)
        try AtomicFile.write(Array("new page".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new page")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.html"])
    }

    @Test func anUnwritableDirectoryIsAnError() {
        #expect(throws: OutputError.self) { try AtomicFile.write([1], to: "/nonexistent-dir/out.html") }
    }
}
