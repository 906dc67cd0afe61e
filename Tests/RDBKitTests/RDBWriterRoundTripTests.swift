import Foundation
import Testing
@testable import RDBKit

/// Every dump a real server wrote, read and written again as each RDB version 9–12, reads
/// back to the dataset that server held.
@Suite struct RDBWriterRoundTripTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let path: String
        let version: Int
        var testDescription: String { "\(path.split(separator: "/").suffix(3).joined(separator: "/")) as RDB \(version)" }
    }

    static func cases(_ paths: [String]) -> [Case] { paths.flatMap { p in (9...12).map { Case(path: p, version: $0) } } }

    struct Rewritten {
        var bytes: [UInt8]
        var summary: RDBWriter.Summary
        var sourceVersion: Int
        /// The source's records, as `lines` renders them.
        var sourceLines: [String]
    }

    /// Every record of `path` written as `version` (functions dropped before 10); nil when the
    /// writer refuses the source for its hash field expiries, which only RDB 12 holds.
    static func rewrite(_ path: String, version: Int, compression: Bool = true) throws -> Rewritten? {
        var options = RDBWriter.Options(version: version)
        options.lossy = version < 10
        options.compression = compression
        let writer = try RDBWriter(options: options)
        let source = Renderer()
        var sourceVersion = 0
        do {
            try RDBReader(path: path).read { event in
                source.consume(event)
                switch event {
                case .header(let d): sourceVersion = d.version
                case .resizeDB(let db, let keys, let expires): try writer.beginDatabase(db, keys: keys, expires: expires)
                case .key(let r): try writer.write(r)
                case .function(let f): try writer.write(f)
                default: break
                }
            }
        } catch let e as RDBError where e.kind == .unsupportedFeature && e.expected.contains("hash field expiries") {
            return nil
        }
        let summary = try writer.finish()
        return Rewritten(bytes: writer.bytes, summary: summary, sourceVersion: sourceVersion, sourceLines: try source.finish())
    }

    /// Renders records as JSONL lines.
    final class Renderer {
        let out = OutputBuffer()
        lazy var writer = JSONLWriter(output: out)
        var clearVersionedStreamFields = false
        var clearFieldExpiries = false
        var functions = true

        func consume(_ event: RDBEvent) {
            switch event {
            case .key(var r):
                if clearVersionedStreamFields, case .stream(var s) = r.value {
                    s.firstID = nil
                    s.maxDeletedID = nil
                    s.entriesAdded = nil
                    for g in s.groups.indices {
                        s.groups[g].entriesRead = nil
                        for c in s.groups[g].consumers.indices { s.groups[g].consumers[c].activeTimeMs = nil }
                    }
                    r.value = .stream(s)
                }
                if clearFieldExpiries, case .hash(var h) = r.value {
                    h.fieldExpiries = nil
                    r.value = .hash(h)
                }
                try? writer.write(r)
            case .function(let f) where functions:
                try? writer.write(f)
            default: break
            }
        }

        /// The lines, sorted.
        func finish() throws -> [String] {
            try writer.finish()
            return String(decoding: out.bytes, as: UTF8.self).split(separator: "\n").map(String.init).sorted()
        }
    }

    static func read(_ bytes: [UInt8], into r: Renderer) throws -> [String] {
        try RDBReader(input: BufferedReader(MemorySource(bytes))).read { r.consume($0) }
        return try r.finish()
    }

    /// Stream fields that exist only from some stream type on (format.md §5.12.1): between
    /// versions with different stream types they are absent or derived, not carried.
    static func streamFieldsDiffer(_ a: Int, _ b: Int) -> Bool {
        func level(_ v: Int) -> Int { v <= 9 ? 1 : v == 10 ? 2 : 3 }
        return level(a) != level(b)
    }

    /// The fixtures (one server per RDB version 6 to 12): compared with their truth files.
    @Test(arguments: cases(CorpusTests.fixtureDumps.filter { $0.hasSuffix(".rdb") }))
    func rewrittenFixtureReadsBackToItsTruth(_ c: Case) throws {
        guard let r = try Self.rewrite(c.path, version: c.version) else {
            #expect(c.version < 12)
            return
        }
        #expect(r.summary.skippedEmptyKeys == 0)
        if r.summary.dropped.contains(where: { $0.contains("hash field expiries") }) {
            try expectLossyRewriteMatchesTheSourceWithoutFieldExpiries(c, r)
            return
        }
        let truth = try JSONLDataset(contentsOf: CorpusTests.truth(for: c.path))
        let ignore: Set<String> = Self.streamFieldsDiffer(r.sourceVersion, c.version)
            ? ["first_id", "max_deleted_id", "entries_added", "entries_read", "active_time_ms"] : []
        let mine = Renderer()
        let lines = try Self.read(r.bytes, into: mine)
        var diffs = truth.differences(from: try JSONLDataset(Data(lines.joined(separator: "\n").utf8)), ignoring: ignore)
        if c.version < 10 { diffs.removeAll { $0.hasPrefix("missing in second: function:") } }
        #expect(diffs.isEmpty, "\(diffs.prefix(5).joined(separator: "\n"))")
    }

    /// Every dump of the generated corpus (which `CorpusTests` holds equal to its truth):
    /// compared with the records of the original, line by line.
    @Test(.enabled(if: Paths.sharedPresent), arguments: cases(CorpusTests.sharedDumps))
    func rewrittenCorpusDumpReadsBackAsTheOriginal(_ c: Case) throws {
        guard let r = try Self.rewrite(c.path, version: c.version) else {
            #expect(c.version < 12)
            return
        }
        if r.summary.dropped.contains(where: { $0.contains("hash field expiries") }) {
            try expectLossyRewriteMatchesTheSourceWithoutFieldExpiries(c, r)
            return
        }
        var expected = r.sourceLines
        let mine = Renderer()
        mine.functions = c.version >= 10
        if Self.streamFieldsDiffer(r.sourceVersion, c.version) {
            mine.clearVersionedStreamFields = true
            let source = Renderer()
            source.clearVersionedStreamFields = true
            source.functions = mine.functions
            try RDBReader(path: c.path).read { source.consume($0) }
            expected = try source.finish()
        } else if c.version < 10 {
            expected.removeAll { $0.hasPrefix("{\"type\":\"function\"") }
        }
        let got = try Self.read(r.bytes, into: mine)
        #expect(got.count == expected.count)
        let differing = zip(expected, got).filter { $0 != $1 }
        #expect(differing.isEmpty, "\(differing.prefix(2).map { "want \($0.0.prefix(300))\n got \($0.1.prefix(300))" }.joined(separator: "\n"))")
    }

    /// RDB 9 written lossily (it holds no functions nor field expiries) from a 7.4 dump: the
    /// source's records with their field expiries, stream fields and functions left out.
    func expectLossyRewriteMatchesTheSourceWithoutFieldExpiries(_ c: Case, _ r: Rewritten) throws {
        func renderer() -> Renderer {
            let x = Renderer()
            x.clearFieldExpiries = true
            x.clearVersionedStreamFields = true
            x.functions = false
            return x
        }
        let source = renderer()
        try RDBReader(path: c.path).read { source.consume($0) }
        let expected = try source.finish()
        let got = try Self.read(r.bytes, into: renderer())
        #expect(got == expected)
    }
}
