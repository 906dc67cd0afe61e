import Foundation
import Testing
@testable import RDBKit

/// `verify` against ../shared: every damaged file is detected with the class and offset its
/// `.expected.txt` gives, every intact and every valid external RDB verifies clean, every
/// broken external RDB is rejected.
@Suite(.enabled(if: Paths.sharedPresent, "../shared is absent: the corpus is skipped"))
struct VerifyCorpusTests {
    static let corrupt = Paths.shared + "/corpus/generated/corrupt"

    /// The fields of a `.expected.txt` this suite asserts.
    struct Expected: CustomTestStringConvertible, Sendable {
        var file: String
        var kind: String
        var offset: Int64
        var db: Int?
        var key: [UInt8]?
        var recordStart: Int64?
        var lastIntactKey: [UInt8]?
        var sourceSize: Int64
        var testDescription: String { URL(fileURLWithPath: file).lastPathComponent }

        init(_ path: String) throws {
            file = path.replacingOccurrences(of: ".expected.txt", with: ".rdb")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            var fields: [String: String] = [:]
            for line in text.split(separator: "\n") where !line.hasPrefix(" ") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[String(line[..<colon])] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            }
            kind = fields["class"] ?? ""
            offset = Int64(fields["offset"] ?? "") ?? -1
            db = fields["db"].flatMap { Int($0) }
            // A key is `"text"`, or `{"b64": "..."}` when it is not UTF-8.
            func quoted(_ s: String?) -> [UInt8]? {
                guard let s, let a = s.firstIndex(of: "\""), let b = s.lastIndex(of: "\""), a < b else { return nil }
                let inner = String(s[s.index(after: a)..<b])
                if s[a...].hasPrefix("\"b64\": \""), let data = Data(base64Encoded: String(inner.dropFirst(7))) {
                    return Array(data)
                }
                return Array(inner.utf8)
            }
            key = quoted(fields["key"])
            lastIntactKey = quoted(fields["last_intact_key"])
            recordStart = fields["record_bytes"].flatMap { Int64($0.prefix { $0.isNumber }) }
            let source = fields["source"] ?? ""
            sourceSize = Int64(source.split(separator: ",").last?.split(separator: " ").first(where: { Int64($0) != nil }) ?? "") ?? -1
        }
    }

    static let cases: [Expected] = Paths.files(under: corrupt) { $0.hasSuffix(".expected.txt") && !$0.contains("/") }
        .compactMap { try? Expected($0) }

    @Test func everyDamagedFileHasAnExpectation() {
        #expect(Self.cases.count == 130)
    }

    @Test(arguments: cases)
    func damagedFileIsDetectedWithItsClassAndOffset(_ e: Expected) throws {
        let r = Verifier().verify(path: e.file)
        let f = try #require(r.failure, "\(e.testDescription) verified \(r.verdict)")
        #expect(f.kind.rawValue == e.kind)
        switch f.kind {
        case .checksumMismatch:
            // A CRC cannot say where the damage is: verify names the stored checksum, which
            // starts 8 bytes before the end; the damage is at or before its last byte.
            let size = try #require(r.fileSize)
            #expect(f.offset == size - 8)
            #expect(e.offset < size)
        case .structural where e.file.hasSuffix("intset-unsorted.rdb"):
            // Two members swapped: the order breaks at the second of them, one member width
            // (2, 4 or 8 bytes) after the damaged first one.
            #expect(f.offset > e.offset && f.offset <= e.offset + 8, "\(f)")
        case .structural where e.recordStart != nil && f.offset != e.offset:
            // Inside an LZF-compressed blob the fault is reported at the compressed string,
            // which starts inside the damaged record and before the damaged byte.
            #expect(f.found.contains("of the decompressed"), "\(f)")
            #expect(f.offset >= e.recordStart! && f.offset <= e.offset, "\(f)")
        default:
            #expect(f.offset == e.offset, "\(f)")
        }
        if f.kind == .checksumMismatch {
            // Found at the end of the file: the last good key is the file's last key, not
            // the one before the damaged record.
            if e.key == nil { #expect(r.lastGoodKey?.key == e.lastIntactKey) }
            return
        }
        #expect(f.db == e.db)
        #expect(r.lastGoodKey?.key == e.lastIntactKey)
        switch f.kind {
        case .unknownType, .unknownOpcode, .truncated where f.key == nil:
            // The key name follows the type byte: after an unknown one, or when the name
            // itself is cut short, the key is not known.
            #expect(f.key == nil)
        default:
            #expect(f.key == e.key)
        }
    }

    static var intactDumps: [String] {
        guard Paths.sharedPresent else { return [] }
        return Paths.files(under: Paths.shared + "/corpus/generated") { p in
            !p.hasPrefix("corrupt") && p.hasSuffix(".rdb") && !p.contains("aof")
        }
    }

    @Test(arguments: intactDumps)
    func intactDumpVerifiesClean(_ path: String) {
        let r = Verifier().verify(path: path)
        #expect(r.verdict == .clean, "\(r.text())")
        #expect(r.checks.contains("duplicate-keys"))
    }

    static let external = ExternalCorpusTests.rdbEntries

    /// "Valid" external files (other parsers read them) that hold a key twice in one database:
    /// redis-server 7.0.15 aborts loading each ("Duplicated key found in RDB file", checked by
    /// hand), so verify calls them damaged.
    static let duplicateKeyFiles: Set<String> = [
        "leonchen83__redis-rdb-cli/src__test__resources__rct__all.rdb",
        "leonchen83__redis-rdb-cli/src__test__resources__rdt__12.rdb",
        "leonchen83__redis-rdb-cli/src__test__resources__rdt__34.rdb",
        "leonchen83__redis-rdb-cli/src__test__resources__rdt__89.rdb",
        "leonchen83__redis-rdb-cli/src__test__resources__rdt__dump.rdb",
        "leonchen83__redis-rdb-cli/src__test__resources__rdt__filter.rdb",
        "leonchen83__redis-rdb-cli/src__test__resources__rmt__dump.rdb",
    ]

    @Test(arguments: external.filter { $0.status == "valid" })
    func validExternalFileHasNoDamage(_ e: ExternalCorpusTests.Entry) {
        let r = Verifier().verify(path: ExternalCorpusTests.root + "/" + e.file)
        if Self.duplicateKeyFiles.contains(e.file) {
            #expect(r.failure?.kind == .structural && r.failure?.expected == "each key once per database", "\(r.text())")
            return
        }
        if let f = r.failure, f.kind == .unsupportedFeature {
            // Pre-release (type 6) module values cannot be walked without their module.
            #expect(f.typeName == "module-pre-release", "\(f)")
            return
        }
        #expect(r.failure == nil, "\(r.text())")
    }

    @Test(arguments: external.filter { $0.status == "broken" })
    func brokenExternalFileIsRejected(_ e: ExternalCorpusTests.Entry) {
        let r = Verifier().verify(path: ExternalCorpusTests.root + "/" + e.file)
        #expect(r.failure != nil, "\(r.text())")
    }
}
