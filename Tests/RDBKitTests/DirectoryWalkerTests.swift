import Foundation
import Testing
@testable import RDBKit

/// Listing what `scan` looks at: every regular file once, in path order, never stuck.
@Suite struct DirectoryWalkerTests {
    @Test func filesAreListedInPathOrderWithTheirSizes() throws {
        let dir = try ScratchDirectory()
        try dir.write("b/2", "22")
        try dir.write("a", "1")
        try dir.write("b/1/x", "333")
        let listing = DirectoryWalker.walk([dir.path])
        #expect(listing.files == [.init(path: dir.path + "/a", size: 1), .init(path: dir.path + "/b/1/x", size: 3),
                                  .init(path: dir.path + "/b/2", size: 2)])
        #expect(listing.directories == 3)
        #expect(listing.warnings.isEmpty)
    }

    @Test func aSymbolicLinkLoopEndsWithAWarning() throws {
        let dir = try ScratchDirectory()
        try dir.write("data/dump.rdb", "x")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/data/loop", withDestinationPath: "..")
        let listing = DirectoryWalker.walk([dir.path])
        #expect(listing.files.map(\.path) == [dir.path + "/data/dump.rdb"])
        #expect(listing.warnings.map(\.path) == [dir.path + "/data/loop"])
        #expect(listing.warnings.map(\.kind) == [.alreadyVisited])
    }

    @Test func aLinkToALinkedDirectoryIsFollowedOnce() throws {
        let dir = try ScratchDirectory()
        try dir.write("real/dump.rdb", "x")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/alias", withDestinationPath: "real")
        let listing = DirectoryWalker.walk([dir.path])
        // "alias" sorts first, so the files are listed under it; "real" is the second path.
        #expect(listing.files.map(\.path) == [dir.path + "/alias/dump.rdb"])
        #expect(listing.warnings.map(\.path) == [dir.path + "/real"])
    }

    @Test func aFileReachedTwiceIsListedOnce() throws {
        let dir = try ScratchDirectory()
        let file = try dir.write("dump.rdb", "x")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/latest.rdb", withDestinationPath: "dump.rdb")
        #expect(DirectoryWalker.walk([dir.path, file]).files.map(\.path) == [file])
    }

    @Test func fifosAndDanglingLinksAreSkippedUnopened() throws {
        let dir = try ScratchDirectory()
        #expect(mkfifo(dir.path + "/pipe", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/gone", withDestinationPath: "nowhere")
        let listing = DirectoryWalker.walk([dir.path])
        #expect(listing.files.isEmpty)
        #expect(listing.skipped == 2)
        #expect(listing.warnings.isEmpty)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self"), "needs Linux /proc"))
    func theKernelsFilesystemsAreNotEntered() {
        let listing = DirectoryWalker.walk(["/proc", "/sys"])
        #expect(listing.files.isEmpty)
        #expect(listing.directories == 0)
        #expect(listing.warnings.isEmpty)
    }

    @Test func aMissingPathIsUnreadable() {
        let listing = DirectoryWalker.walk(["/nonexistent/rdbtool-scan"])
        #expect(listing.warnings.map(\.kind) == [.unreadable])
        #expect(listing.warnings.first?.message == "No such file or directory")
    }

    @Test(.enabled(if: getuid() != 0, "root reads every directory"))
    func anUnreadableDirectoryIsSkippedWithAWarning() throws {
        let dir = try ScratchDirectory()
        try dir.write("closed/dump.rdb", "x")
        try dir.write("open/dump.rdb", "x")
        #expect(chmod(dir.path + "/closed", 0) == 0)
        defer { chmod(dir.path + "/closed", 0o755) }
        let listing = DirectoryWalker.walk([dir.path])
        #expect(listing.files.map(\.path) == [dir.path + "/open/dump.rdb"])
        #expect(listing.warnings.map(\.path) == [dir.path + "/closed"])
        #expect(listing.warnings.map(\.kind) == [.unreadable])
    }
}
