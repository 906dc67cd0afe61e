import Foundation
import Testing
@testable import RDBKit

/// What `verify` reports for hand-built files: verdicts, classes, offsets, warnings.
@Suite struct VerifyTests {
    static func str(_ s: String) -> [UInt8] { [UInt8(s.utf8.count)] + ascii(s) }
    static func aux(_ name: String, _ value: String) -> [UInt8] { [0xFA] + str(name) + str(value) }
    static func stringKey(_ k: String, _ v: String) -> [UInt8] { [0x00] + str(k) + str(v) }
    static func le64(_ v: Int64) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    func verify(_ bytes: [UInt8], _ options: VerifyOptions = VerifyOptions()) -> VerifyResult {
        Verifier(options: options).verify(bytes: bytes, name: "t.rdb")
    }

    @Test func cleanFileIsOneLine() {
        let r = verify(rdbImage([0xFE, 0x00, 0xFB, 0x01, 0x00] + Self.stringKey("a", "x")))
        #expect(r.verdict == .clean)
        #expect(r.keys == 1 && r.databases == 1)
        #expect(r.checks == ["header", "structure", "producer-version", "checksum", "resizedb", "empty-collections",
                             "trailing-bytes", "duplicate-keys"])
        #expect(r.text().hasPrefix("t.rdb: OK, RDB 10, 1 key in 1 db, checksum ok, "))
        #expect(r.text().split(separator: "\n").count == 1)
    }

    @Test func duplicateKeyIsStructuralDamageAtTheSecondRecord() {
        let body = [0xFE, 0x00] + Self.stringKey("a", "x") + Self.stringKey("b", "y") + Self.stringKey("a", "z")
        let r = verify(rdbImage(body))
        #expect(r.verdict == .damaged)
        #expect(r.failure?.kind == .structural)
        #expect(r.failure?.offset == 21)
        #expect(r.failure?.key == ascii("a"))
        #expect(r.failure?.found == "the key again (first at offset 11); Redis refuses to load such a file")
        #expect(r.lastGoodKey?.key == ascii("b"))
        #expect(r.lastGoodKey?.offset == 16 && r.lastGoodKey?.end == 21)
    }

    @Test func sameKeyInTwoDatabasesIsNoDuplicate() {
        let r = verify(rdbImage([0xFE, 0x00] + Self.stringKey("a", "x") + [0xFE, 0x01] + Self.stringKey("a", "x")))
        #expect(r.failure == nil)
        #expect(r.databases == 2)
    }

    @Test func duplicateFoundAfterFingerprintsSpillToDisk() {
        var body: [UInt8] = [0xFE, 0x00]
        for i in 0..<20_000 { body += Self.stringKey("key:\(i)", "v") }
        body += Self.stringKey("key:123", "again")
        var options = VerifyOptions()
        options.duplicateKeyMemory = 1  // the minimum: 64 fingerprints per bucket
        let r = verify(rdbImage(body), options)
        #expect(r.duplicateSpilledBytes > 0)
        #expect(r.duplicateSuspects == 1)
        #expect(r.failure?.key == ascii("key:123"))
        #expect(r.lastGoodKey?.key == ascii("key:19999"))
    }

    @Test func headerNewerThanItsProducerWritesIsUnsupported() {
        let r = verify(rdbImage(Self.aux("redis-ver", "7.0.15") + [0xFE, 0x00] + Self.stringKey("a", "x"), magic: "REDIS0013"))
        #expect(r.verdict == .unsupported)
        #expect(r.failure?.kind == .unsupportedVersion)
        #expect(r.failure?.offset == 5)
        #expect(r.failure?.expected == "RDB version 10 or older, as redis 7.0.15 writes")
    }

    @Test func headerFromBeyondRDB12WithoutAProducerIsUnsupported() {
        let r = verify(rdbImage([0xFE, 0x00] + Self.stringKey("a", "x"), magic: "REDIS0013"))
        #expect(r.failure?.kind == .unsupportedVersion)
        #expect(r.failure?.offset == 5)
        // A fault of the header, not of the record that revealed it.
        #expect(r.failure?.key == nil && r.failure?.typeName == nil)
    }

    @Test func headerOfAProducerThatWritesItIsAccepted() {
        #expect(verify(rdbImage(Self.aux("redis-ver", "8.6.0") + [0xFE, 0x00], magic: "REDIS0013")).verdict == .clean)
        #expect(verify(rdbImage(Self.aux("redis-ver", "255.255.255") + [0xFE, 0x00], magic: "REDIS0013")).verdict == .clean)
    }

    @Test func knownHeaderOtherThanTheProducersIsAWarning() {
        let r = verify(rdbImage(Self.aux("redis-ver", "7.0.0") + [0xFE, 0x00], magic: "REDIS0011"))
        #expect(r.failure == nil)
        #expect(r.warnings.map(\.kind) == [.producerVersion])
        #expect(r.warnings.first?.message == "redis 7.0.0 writes RDB 10, the header says 11 (edited by hand?)")
    }

    @Test func redisCLIEndMarkAfterTheChecksumIsNoWarning() {
        let r = verify(rdbImage([0xFE, 0x00]) + ascii(String(repeating: "0123456789abcdef", count: 3).prefix(40).description))
        #expect(r.verdict == .clean)
        #expect(r.eofMark && r.trailingBytes == 40)
    }

    @Test func otherTrailingBytesAreAWarning() {
        let image = rdbImage([0xFE, 0x00])
        let r = verify(image + [0x2A, 0x31, 0x0D, 0x0A])
        #expect(r.verdict == .warnings)
        #expect(r.warnings.first?.kind == .trailingBytes)
        #expect(r.warnings.first?.offset == Int64(image.count))
        #expect(r.warnings.first?.message == "4 bytes after the checksum (Redis ignores them)")
    }

    @Test func resizeDBHintDifferentFromTheRecordsIsAWarning() {
        let r = verify(rdbImage([0xFE, 0x00, 0xFB, 0x02, 0x01] + Self.stringKey("a", "x")))
        #expect(r.warnings.map(\.message) == ["RESIZEDB says 2 keys (1 with a TTL), the file holds 1 (0)"])
    }

    @Test func emptyCollectionIsAWarning() {
        let r = verify(rdbImage([0xFE, 0x00, 0x02] + Self.str("s") + [0x00]))
        #expect(r.emptyCollections == 1)
        #expect(r.warnings.first?.kind == .emptyCollection)
        #expect(r.warnings.first?.offset == 11)
    }

    @Test func keyExpiredAtNowIsAWarningAndCounted() {
        let body = [0xFE, 0x00, 0xFC] + Self.le64(1_000) + Self.stringKey("old", "x")
            + [0xFC] + Self.le64(5_000) + Self.stringKey("new", "y")
        let r = verify(rdbImage(body), VerifyOptions(nowMs: 2_000))
        #expect(r.keysWithTTL == 2 && r.expiredKeys == 1)
        #expect(r.warnings.map(\.key) == [ascii("old")])
        #expect(r.checks.contains("expired-keys"))
    }

    /// Found by the fuzzer: the warning's text once trapped on formatting Int64.min as a time.
    @Test func anExpiryAtTheStartOfInt64TimeIsAnExpiredKeyNotATrap() {
        let body = [0xFE, 0x00, 0xFC] + Self.le64(Int64.min) + Self.stringKey("k", "v")
        let r = verify(rdbImage(body), VerifyOptions(nowMs: 2_000))
        #expect(r.expiredKeys == 1 && r.verdict == .warnings)
        #expect(r.warnings.first?.message.contains("-292275055-05-16T16:47:04.192Z") == true, "\(r.warnings.map(\.message))")
    }

    @Test func disabledChecksumIsReportedNotAnError() {
        let image = Array(rdbImage([0xFE, 0x00]).dropLast(8)) + [UInt8](repeating: 0, count: 8)
        let r = verify(image)
        #expect(r.verdict == .clean)
        #expect(r.trailer?.status == .disabled)
        #expect(!r.checks.contains("checksum"))
    }

    @Test func checksumMismatchIsReportedAtTheStoredChecksum() {
        var image = rdbImage([0xFE, 0x00] + Self.stringKey("a", "x"))
        image[15] ^= 0x20  // the value byte: only the CRC can tell
        let r = verify(image)
        #expect(r.failure?.kind == .checksumMismatch)
        #expect(r.failure?.offset == Int64(image.count - 8))
        #expect(r.lastGoodKey?.key == ascii("a"))
    }

    @Test func truncationIsReportedAtTheEndOfInputWithTheRecordBeingRead() {
        let image = rdbImage([0xFE, 0x03] + Self.stringKey("a", "x") + Self.stringKey("bb", "yyyy"))
        let r = verify(Array(image.prefix(20)))
        #expect(r.failure?.kind == .truncated)
        #expect(r.failure?.offset == 20)
        #expect(r.failure?.db == 3 && r.failure?.key == ascii("bb"))
        #expect(r.lastGoodKey?.key == ascii("a"))
    }

    @Test func hexdumpShowsTheBytesAroundTheFaultWithTheFaultyByteMarked() {
        let r = verify(rdbImage([0xFE, 0x00, 0x1E] + Self.str("k")), VerifyOptions(hexdumpRadius: 4))
        #expect(r.failure?.kind == .unknownType)
        #expect(r.hexdump?.offset == 7)
        #expect(r.hexdump?.bytes == [0x31, 0x30, 0xFE, 0x00, 0x1E, 0x01, 0x6B, 0xFF])
        #expect(r.text().contains("00000007  31 30 fe 00[1e]01 6b ff"))
    }

    @Test func jsonHasTheDocumentedFieldsInOrder() throws {
        let r = verify(rdbImage([0xFE, 0x00] + Self.stringKey("a", "x")))
        let object = try JSONSerialization.jsonObject(with: Data(r.json().utf8)) as? [String: Any]
        #expect(object?["verdict"] as? String == "clean")
        #expect(object?["class"] is NSNull)
        #expect(r.json().hasPrefix(#"{"file":"t.rdb","verdict":"clean","class":null,"offset":null,"failure":null,"#))
        #expect(r.json().hasSuffix("}\n") && !r.json().dropLast().contains("\n"))
        #expect((object?["counts"] as? [String: Any])?["keys"] as? Int == 1)
        #expect(Set((object ?? [:]).keys) == ["file", "verdict", "class", "offset", "failure", "last_good_key", "hexdump", "file_size",
                                              "gzip", "bytes_read", "format", "producer", "checksum", "trailing_bytes", "eof_mark",
                                              "counts", "warning_counts", "warnings", "checks", "now_ms", "duplicate_check", "timings"])
    }

    @Test func batchKeepsArgumentOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdbtool-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        for i in 0..<7 {
            let p = dir.appendingPathComponent("\(i).rdb").path
            let body: [UInt8] = [0xFE, 0x00] + (0..<(7 - i) * 300).flatMap { (k: Int) -> [UInt8] in Self.stringKey("k\(k)", "v") }
            try Data(i == 3 ? Array(rdbImage(body).dropLast(3)) : rdbImage(body)).write(to: URL(fileURLWithPath: p))
            paths.append(p)
        }
        paths.append(dir.appendingPathComponent("missing.rdb").path)
        var seen: [(Int, VerifyResult.Verdict)] = []
        VerifyBatch.run(paths, jobs: 3, verifier: Verifier()) { i, r in seen.append((i, r.verdict)) }
        #expect(seen.map(\.0) == Array(0..<8))
        #expect(seen.map(\.1) == [.clean, .clean, .clean, .damaged, .clean, .clean, .clean, .unreadable])
    }
}
