import Foundation
import Testing
@testable import RDBKit

/// `scan` over a tree holding every server-written file of the shared corpus under random
/// names (seeded), gzip copies, the corpus's damaged files and non-Redis files: every
/// persistence file is found with its kind, version and producer, nothing else is reported.
@Suite struct ScanCorpusTests {
    static let generated = Paths.shared + "/corpus/generated"

    struct Expected: Equatable, CustomStringConvertible {
        var kind: ScanEntry.Kind
        var gzip = false
        var version: Int?
        var producer: String?
        var damaged = false
        var description: String { "\(kind.rawValue)\(gzip ? " gzip" : "") v\(version.map(String.init) ?? "-") \(producer ?? "-")\(damaged ? " damaged" : "")" }
    }

    /// The RDB version in the first 9 bytes, read here without the library.
    static func headerVersion(_ path: String) -> Int? {
        guard let h = FileManager.default.contents(atPath: path)?.prefix(9), h.count == 9 else { return nil }
        let digits = String(decoding: h.suffix(4), as: UTF8.self)
        return Int(digits.drop { $0 == "0" && digits.count > 1 }.isEmpty ? "0" : digits)
    }

    static func producer(ofBuild build: String) -> String? {
        if build == "redis-2.8.24" { return nil }  // RDB 6 has no AUX fields
        if build == "redis-unstable" { return "redis 255.255.255" }
        let parts = build.split(separator: "-", maxSplits: 1)
        return "\(parts[0]) \(parts[1])"
    }

    @Test(.enabled(if: Paths.sharedPresent, "needs ../shared/corpus/generated"))
    func theCorpusRenamedAtRandomIsFoundWithKindsAndVersions() throws {
        let fm = FileManager.default
        let tree = try ScratchDirectory()
        var rng = VerifyMutationTests.Seeded(state: 20_241_123)
        var used = Set<String>()
        func randomName() -> String {
            while true {
                let name = ["backup", "snap", "data", "x", "old", "copy"].randomElement(using: &rng)! + "-" + String(rng.next() % 100_000)
                if used.insert(name).inserted { return name }
            }
        }
        /// A fresh path at some depth under the tree.
        func randomPath() throws -> String {
            var dir = tree.path
            for _ in 0..<Int(rng.next() % 3) { dir += "/" + randomName() }
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            return dir + "/" + randomName()
        }
        var expected: [String: Expected] = [:]
        var copied = 0
        let builds = try fm.contentsOfDirectory(atPath: Self.generated).filter { $0 != "corrupt" }.sorted()
        for build in builds {
            let root = Self.generated + "/" + build
            let producer = Self.producer(ofBuild: build)
            for rel in (fm.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []).sorted() {
                let source = root + "/" + rel
                var isDir: ObjCBool = false
                guard fm.fileExists(atPath: source, isDirectory: &isDir), !isDir.boolValue else { continue }
                let name = (rel as NSString).lastPathComponent
                if rel.contains("appendonlydir/") {
                    // Copied with its directory, below, names kept: the manifest names them.
                    continue
                }
                let target = try randomPath()
                try fm.copyItem(atPath: source, toPath: target)
                copied += 1
                if name.hasSuffix(".rdb") {
                    expected[target] = Expected(kind: .rdb, version: Self.headerVersion(source), producer: producer)
                } else if name == "appendonly.aof" {
                    expected[target] = rel.hasPrefix("aof-rewrite-rdbpreamble/")
                        ? Expected(kind: .aofPreamble, version: Self.headerVersion(source), producer: producer)
                        : Expected(kind: .aof)
                }
            }
            for folder in ["aof", "aof-rewrite-rdbpreamble", "aof-rewrite-resp"] {
                let dir = root + "/" + folder + "/appendonlydir"
                guard fm.fileExists(atPath: dir) else { continue }
                let target = try randomPath()
                try fm.copyItem(atPath: dir, toPath: target)
                let names = try fm.contentsOfDirectory(atPath: dir)
                copied += names.count
                let base = names.first { $0.contains(".base.") }
                let rdbBase = base.flatMap { $0.hasSuffix(".rdb") ? dir + "/" + $0 : nil }
                expected[target + "/appendonly.aof.manifest"] = Expected(
                    kind: .aofMultiPart, version: rdbBase.flatMap(Self.headerVersion), producer: rdbBase == nil ? nil : producer)
            }
        }
        // gzip copies: the kind of what is inside.
        for (source, kind) in [(Self.generated + "/redis-7.4.1/dump.rdb", ScanEntry.Kind.rdb),
                               (Self.generated + "/redis-6.2.16/aof/appendonly.aof", .aof)] {
            let target = try randomPath()
            try fm.copyItem(atPath: source, toPath: target)
            #expect(try runProcess("/usr/bin/gzip", ["-n", target]).status == 0)
            try fm.moveItem(atPath: target + ".gz", toPath: target)
            copied += 1
            expected[target] = kind == .rdb ? Expected(kind: .rdb, gzip: true, version: 12, producer: "redis 7.4.1")
                                            : Expected(kind: .aof, gzip: true)
        }
        // Damaged files keep their kind.
        for name in ["redis-7.0.15-trunc-06-key-name.rdb", "redis-7.4.1-crc-flip.rdb", "valkey-8.0.1-bad-type-byte.rdb"] {
            let target = try randomPath()
            try fm.copyItem(atPath: Self.generated + "/corrupt/" + name, toPath: target)
            copied += 1
            let build = String(name.split(separator: "-").prefix(2).joined(separator: "-"))
            expected[target] = Expected(kind: .rdb, version: Self.headerVersion(target), producer: Self.producer(ofBuild: build), damaged: true)
        }
        // Not Redis's.
        var junk = (0..<5000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        junk[0] = 0x7F
        for bytes in [junk, [], Array("hello\n".utf8), Array("# Redis configuration\nappendonly yes\n".utf8)] {
            try Data(bytes).write(to: URL(fileURLWithPath: try randomPath()))
            copied += 1
        }

        let (entries, summary) = PersistenceScanner.run([tree.path], options: ScanOptions(jobs: 2))
        var found: [String: Expected] = [:]
        for e in entries {
            found[e.path] = Expected(kind: e.kind, gzip: e.gzip, version: e.dialect?.version, producer: e.producer, damaged: !e.isIntact)
        }
        #expect(entries.map(\.path) == entries.map(\.path).sorted(), "sorted by path")
        #expect(Set(found.keys) == Set(expected.keys), "nothing missed, nothing extra")
        for (path, want) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(found[path] == want, "\(path)")
        }
        #expect(summary.filesLookedAt == copied)
        #expect(summary.warnings.isEmpty)
        #expect(expected.count == 119)
    }
}
