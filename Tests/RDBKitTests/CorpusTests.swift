import Foundation
import Testing
@testable import RDBKit

/// Every dump written by a real server must dump to exactly the dataset that server held.
@Suite struct CorpusTests {
    /// The lean copy in Fixtures/ (RDB 6 to 12): runs on a fresh clone.
    static let fixtureDumps = Paths.files(under: Paths.fixtures) { $0.hasSuffix(".rdb") || $0.hasSuffix(".rdb.gz") }

    @Test(arguments: fixtureDumps)
    func fixtureDumpEqualsItsTruth(_ path: String) throws {
        let truthPath = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("truth.jsonl").path
        let truth = try JSONLDataset(contentsOf: truthPath)
        let mine = try JSONLDataset(try dumpJSONL(path))
        let diffs = truth.differences(from: mine)
        #expect(diffs.isEmpty, "\(path):\n\(diffs.prefix(5).joined(separator: "\n"))")
    }

    /// Every `dump*.rdb` of every build in ../shared, with the truth its folder's notes name.
    static var sharedDumps: [String] {
        guard Paths.sharedPresent else { return [] }
        return Paths.files(under: Paths.shared + "/corpus/generated") { p in
            !p.hasPrefix("corrupt") && p.hasSuffix(".rdb") && !p.contains("aof")
        }
    }

    static func truth(for dump: String) -> String {
        var dir = URL(fileURLWithPath: dump).deletingLastPathComponent()
        // replica/ has no truth of its own: its NOTES.txt names the build's.
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("truth.jsonl").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("truth.jsonl").path
    }

    @Test(.enabled(if: Paths.sharedPresent, "../shared is absent: the generated corpus is skipped"), arguments: sharedDumps)
    func generatedDumpEqualsItsTruth(_ path: String) throws {
        let truth = try JSONLDataset(contentsOf: Self.truth(for: path))
        let mine = try JSONLDataset(try dumpJSONL(path))
        let diffs = truth.differences(from: mine)
        #expect(diffs.isEmpty, "\(path):\n\(diffs.prefix(5).joined(separator: "\n"))")
    }

    /// The Swift comparison agrees with the contract's own tool.
    @Test(.enabled(if: Paths.sharedPresent, "../shared is absent: jsonl-compare is not available"))
    func officialComparatorAcceptsOurDump() throws {
        let dump = Paths.shared + "/corpus/generated/redis-7.4.1/dump.rdb"
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("rdbtool-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: out) }
        try dumpJSONL(dump).write(to: out)
        let r = try runProcess("/usr/bin/env", ["python3", Paths.shared + "/tools/jsonl-compare", Self.truth(for: dump), out.path])
        #expect(r.status == 0, "\((r.stdout + r.stderr).prefix(2000))")
    }
}
