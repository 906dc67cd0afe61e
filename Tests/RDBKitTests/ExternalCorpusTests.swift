import Foundation
import Testing
@testable import RDBKit

/// Files from other projects' test suites (../shared/corpus/external, never committed): every
/// valid one parses, every broken one is rejected, and named facts their origins assert hold.
@Suite(.enabled(if: Paths.sharedPresent, "../shared is absent: the external corpus is skipped"))
struct ExternalCorpusTests {
    static let root = Paths.shared + "/corpus/external"

    struct Entry: CustomTestStringConvertible, Sendable {
        let file: String
        let status: String
        let version: String
        var testDescription: String { file }
    }

    static let rdbEntries: [Entry] = {
        guard let text = try? String(contentsOfFile: root + "/MANIFEST.tsv", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count > 6, f[4] == "rdb" else { return nil }
            return Entry(file: f[0], status: f[6], version: f[5])
        }
    }()

    func read(_ file: String) throws -> [RDBEvent] {
        var out: [RDBEvent] = []
        try RDBReader(path: Self.root + "/" + file).read { out.append($0) }
        return out
    }

    @Test(arguments: rdbEntries.filter { $0.status == "valid" })
    func validFileParses(_ e: Entry) throws {
        do {
            _ = try read(e.file)
        } catch let error as RDBError where error.kind == .unsupportedFeature {
            // Pre-release (type 6) module values cannot be skipped without their module; the
            // origin decodes them with the module's own parser.
            #expect(error.typeName == "module-pre-release", "\(error)")
        }
    }

    @Test(arguments: rdbEntries.filter { $0.status == "broken" })
    func brokenFileIsRejected(_ e: Entry) {
        #expect(throws: RDBError.self) { _ = try read(e.file) }
    }

    // MARK: Facts the origins' tests assert

    /// The value of one key in the JSONL contract.
    func value(_ file: String, db: Int = 0, key: String) throws -> Any? {
        let data = try dumpJSONL(Self.root + "/" + file)
        let set = try JSONLDataset(data)
        return set.records["\(db):\(key)"]?["value"]
    }

    func json(_ v: Any?) -> String { JSONLDataset.text(v ?? NSNull()) }

    @Test func redisEncodingsFileHoldsItsThirteenKeys() throws {
        let file = "redis__redis/tests__assets__encodings.rdb"
        #expect(keys(try read(file)).count == 13)
        #expect(json(try value(file, key: "string")) == #""Hello World""#)
        #expect(json(try value(file, key: "compressible")) == "\"" + String(repeating: "a", count: 137) + "\"")
        #expect(json(try value(file, key: "list_zipped")) == #"["1","2","3","a","b","c","100000","6000000000"]"#)
        #expect(json(try value(file, key: "set_zipped_3")) ==
                #"["1000000000","2000000000","3000000000","4000000000","5000000000","6000000000"]"#)
        #expect(json(try value(file, key: "zset_zipped")) == #"[["a",1],["b",2],["c",3]]"#)
        #expect(json(try value(file, key: "hash_zipped")) == #"[["a","1"],["b","2"],["c","3"]]"#)
    }

    @Test func emptyKeysAreReadAsEmptyCollections() throws {
        let ks = keys(try read("redis__redis/tests__assets__corrupt_empty_keys.rdb"))
        #expect(Set(ks.map { String(decoding: $0.key, as: UTF8.self) }) == [
            "set", "list_quicklist", "list_quicklist_empty_ziplist", "list_ziplist", "hash", "hash_ziplist",
            "zset", "zset_ziplist", "zset_listpack"])
        #expect(ks.allSatisfy { $0.value.elementCount == 0 })
    }

    @Test func databasesAreKept() throws {
        let ks = keys(try read("sripathikrishnan__redis-rdb-tools/tests__dumps__multiple_databases.rdb"))
        #expect(ks.map(\.db) == [0, 2])
    }

    @Test func millisecondExpiryIsExact() throws {
        let ks = keys(try read("sripathikrishnan__redis-rdb-tools/tests__dumps__keys_with_expiry.rdb"))
        #expect(ks.first?.expireAtMs == 1_671_963_072_573)
    }

    @Test func integerEncodedKeysAreDecimalText() throws {
        let file = "sripathikrishnan__redis-rdb-tools/tests__dumps__integer_keys.rdb"
        #expect(json(try value(file, key: "125")) == #""Positive 8 bit integer""#)
        #expect(json(try value(file, key: "-29477")) == #""Negative 16 bit integer""#)
        #expect(json(try value(file, key: "-183358245")) == #""Negative 32 bit integer""#)
    }

    @Test func compressedKeyDecompresses() throws {
        let file = "sripathikrishnan__redis-rdb-tools/tests__dumps__easily_compressible_string_key.rdb"
        #expect(json(try value(file, key: String(repeating: "a", count: 200))) == #""Key that redis should compress easily""#)
    }

    @Test func zipmapHash() throws {
        let file = "sripathikrishnan__redis-rdb-tools/tests__dumps__zipmap_that_compresses_easily.rdb"
        #expect(json(try value(file, key: "zipmap_compresses_easily")) ==
                #"[["a","aa"],["aa","aaaa"],["aaaaa","aaaaaaaaaaaaaa"]]"#)
    }

    @Test func zipmapWithBigValues() throws {
        let ks = keys(try read("sripathikrishnan__redis-rdb-tools/tests__dumps__zipmap_with_big_values.rdb"))
        guard case .hash(let h) = ks.first?.value else { Issue.record("not a hash"); return }
        var lengths: [String: Int] = [:]
        for i in 0..<h.fields.count { lengths[String(decoding: h.fields[i], as: UTF8.self)] = h.values.length(of: i) }
        #expect(lengths == ["253bytes": 253, "254bytes": 254, "255bytes": 255, "300bytes": 300, "20kbytes": 20000])
    }

    @Test func ziplistIntegersOfEveryWidthInOrder() throws {
        let file = "sripathikrishnan__redis-rdb-tools/tests__dumps__ziplist_with_integers.rdb"
        let expected = (0...12).map(String.init) + ["-2", "13", "25", "-61", "63", "16380", "-16000", "65535", "-65523",
                                                     "4194304", "9223372036854775807"]
        #expect(json(try value(file, key: "ziplist_with_integers")) == json(expected))
    }

    @Test func intset64() throws {
        let file = "sripathikrishnan__redis-rdb-tools/tests__dumps__intset_64.rdb"
        let ks = keys(try read(file))
        guard case .set(let s) = ks.first?.value else { Issue.record("not a set"); return }
        #expect(strings(s) == ["9223090557583032316", "9223090557583032317", "9223090557583032318"])
    }

    @Test func ziplistZsetScores() throws {
        let ks = keys(try read("sripathikrishnan__redis-rdb-tools/tests__dumps__sorted_set_as_ziplist.rdb"))
        guard case .zset(let z) = ks.first?.value else { Issue.record("not a zset"); return }
        #expect(z.scores == [1, 2.37, 3.423])
    }

    @Test func clusterSlotInfoPrecedesItsKey() throws {
        let evs = try read("redis__librdb/test__dumps__cluster_slot_info.rdb")
        #expect(evs.contains { if case .slotInfo(7638, 1, 0) = $0 { true } else { false } })
        #expect(keys(evs).map { String(decoding: $0.key, as: UTF8.self) } == ["abc"])
    }

    @Test func streamV4IdempotencyBlock() throws {
        let ks = keys(try read("redis__librdb/test__dumps__stream_v13_idmp.rdb"))
        guard case .stream(let s) = ks.first?.value else { Issue.record("not a stream"); return }
        #expect(s.entries.map(\.id.description) == ["1771945454291-0", "1771945454291-1", "1771945454291-2"])
        #expect(s.idempotency?.durationSeconds == 100)
        #expect(s.idempotency?.maxEntries == 100)
        #expect(s.idempotency?.producers.map { String(decoding: $0.pid, as: UTF8.self) } == ["producer1", "producer2"])
        #expect(s.idempotency?.producers.first?.entries.first?.id.description == "1771945454291-1")
    }

    @Test func functionLibraryFromFunction2Opcode() throws {
        let evs = try read("redis__librdb/test__dumps__function2.rdb")
        let names = evs.compactMap { if case .function(let f) = $0 { f.shebang?.name } else { nil } }
        #expect(names == ["mylib2", "mylib"])
    }
}
