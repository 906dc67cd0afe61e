import Foundation
import Testing
@testable import RDBKit

/// `readValueShape` (what verify and inspect read) walks every value in place; it must accept,
/// measure and reject exactly as `readValue`, which keeps the elements.
@Suite struct ValueShapeTests {
    /// "elements/longest/encoding", or the error's text (class, offset, expected, found).
    static func shapeOutcome(_ type: RDBType, _ bytes: [UInt8]) -> String {
        do {
            let (n, longest, encoding) = try decoder(bytes, Dialect(family: .redis, version: 12)).readValueShape(type)
            return "\(n)/\(longest)/\(encoding)"
        } catch {
            return "\(error)"
        }
    }

    static func valueOutcome(_ type: RDBType, _ bytes: [UInt8]) -> String {
        do {
            let (v, encoding) = try decoder(bytes, Dialect(family: .redis, version: 12)).readValue(type)
            return "\(v.elementCount)/\(v.longestElement)/\(encoding)"
        } catch {
            return "\(error)"
        }
    }

    static func listpack(_ elements: [String]) -> [UInt8] {
        var e = ListpackEncoder()
        for s in elements { e.append(ascii(s)) }
        return e.finish()
    }

    static func ziplist(_ elements: [String]) -> [UInt8] {
        var e = ZiplistEncoder()
        for s in elements { e.append(ascii(s)) }
        return e.finish()
    }

    /// A plain RDB string of up to 16383 bytes.
    static func string(_ b: [UInt8]) -> [UInt8] {
        b.count < 64 ? [UInt8(b.count)] + b : [0x40 | UInt8(b.count >> 8), UInt8(b.count & 0xFF)] + b
    }

    /// An LZF-compressed RDB string (lengths under 64).
    static func lzfString(_ compressed: [UInt8], claimed: Int) -> [UInt8] {
        [0xC3, UInt8(compressed.count), UInt8(claimed)] + compressed
    }

    static let cases: [(String, RDBType, [UInt8])] = [
        ("listpack set", .setListpack, string(listpack(["a", "bb", "12345"]))),
        ("listpack set, a member repeated", .setListpack, string(listpack(["a", "b", "a"]))),
        ("listpack set, 7 as integer and as text", .setListpack, string([12, 0, 0, 0, 2, 0, 0x07, 0x01, 0x81, 0x37, 0x02, 0xFF])),
        ("listpack hash, a field repeated", .hashListpack, string(listpack(["f", "v", "f", "w"]))),
        ("listpack hash, an odd count", .hashListpack, string(listpack(["f", "v", "g"]))),
        ("listpack zset, %.17g scores", .zsetListpack, string(listpack(["m", "-523417.12300000002", "n", "1.5"]))),
        ("listpack zset, a score not a number", .zsetListpack, string(listpack(["m", "1x"]))),
        ("listpack zset, a NaN score", .zsetListpack, string(listpack(["m", "nan"]))),
        ("listpack zset, an inf score", .zsetListpack, string(listpack(["m", "inf"]))),
        ("listpack zset, a member repeated", .zsetListpack, string(listpack(["m", "1", "m", "2"]))),
        ("ziplist zset, a member repeated", .zsetZiplist, string(ziplist(["m", "1", "m", "2"]))),
        ("ziplist hash", .hashZiplist, string(ziplist(["field", "value", "n", "99999"]))),
        ("ziplist list", .listZiplist, string(ziplist(["a", "-70000", "ccc"]))),
        ("quicklist 2, packed and plain nodes", .listQuicklist2, hex("02 02") + string(listpack(["x", "yy"])) + hex("01 03 61 62 63")),
        ("quicklist 1", .listQuicklist, hex("01") + string(ziplist(["x", "yy"]))),
        ("plain set", .set, hex("02 01 61 02 62 62")),
        ("plain set, a member repeated", .set, hex("03 01 61 01 62 01 61")),
        ("plain list may repeat", .list, hex("02 01 61 01 61")),
        ("plain zset 2, a member repeated", .zset2, hex("02 01 61") + [UInt8](repeating: 0, count: 8) + hex("01 61") + [UInt8](repeating: 0, count: 8)),
        ("plain zset 1, text scores", .zset, hex("02 01 61 03 31 2E 35 01 62 FE")),
        ("plain hash, a field repeated", .hash, hex("02 01 66 01 76 01 66 01 77")),
        ("intset", .setIntset, string(hex("02 00 00 00 02 00 00 00 01 00 02 00"))),
        ("intset out of order", .setIntset, string(hex("02 00 00 00 02 00 00 00 02 00 01 00"))),
        ("zipmap, a field repeated", .hashZipmap, string(hex("02 01 66 01 00 76 01 66 01 00 77 FF"))),
        ("listpack hash with field TTLs, a field repeated", .hashListpackEx,
         [UInt8](repeating: 0, count: 8) + string(listpack(["f", "v", "0", "f", "w", "0"]))),
        ("hash with field TTLs, a field repeated", .hashMetadata,
         [UInt8](repeating: 0, count: 8) + hex("02 00 01 66 01 76 00 01 66 01 77")),
        ("module value", .module2, hex("81 00 00 00 00 00 00 00 02") + hex("05 02 61 62 02 07 00")),
        ("module value, an unknown opcode", .module2, hex("01 09")),
        ("LZF string", .string, lzfString(hex("01 61 61 E0 1B 00 01 61 61"), claimed: 40)),
        ("LZF string, a reference before the start", .string, lzfString(hex("00 61 20 02"), claimed: 4)),
        ("LZF string, shorter than claimed", .string, lzfString(hex("02 61 62 63"), claimed: 4)),
        ("LZF string, longer than claimed", .string, lzfString(hex("02 61 62 63"), claimed: 2)),
        ("LZF string, an operand past the end", .string, lzfString(hex("05 61 62"), claimed: 6)),
    ]

    /// The cases the decoders reject; every other one they accept.
    static let rejected: Set<String> = [
        "listpack set, a member repeated", "listpack set, 7 as integer and as text", "listpack hash, a field repeated",
        "listpack hash, an odd count", "listpack zset, a score not a number", "listpack zset, a NaN score",
        "listpack zset, a member repeated", "ziplist zset, a member repeated", "plain set, a member repeated",
        "plain zset 2, a member repeated", "plain hash, a field repeated", "intset out of order", "zipmap, a field repeated",
        "listpack hash with field TTLs, a field repeated", "hash with field TTLs, a field repeated",
        "LZF string, a reference before the start", "LZF string, shorter than claimed", "LZF string, longer than claimed",
        "LZF string, an operand past the end", "module value, an unknown opcode",
    ]

    @Test(arguments: cases.map(\.0))
    func theShapeWalkEndsAsTheValueWalk(_ name: String) throws {
        let (_, type, bytes) = try #require(Self.cases.first { $0.0 == name })
        let shape = Self.shapeOutcome(type, bytes)
        #expect(shape == Self.valueOutcome(type, bytes))
        #expect(shape.contains(": expected ") == Self.rejected.contains(name), "\(shape)")
    }

    @Test func aRepeatedListpackSetMemberIsCaughtInPlaceWithItsOffset() {
        // The blob starts at offset 1; entries are 3 bytes each after the 6-byte header: the
        // second "a" is the third entry, at byte 12 of the blob.
        #expect(Self.shapeOutcome(.setListpack, Self.string(Self.listpack(["a", "b", "a"])))
                == "structural at offset 13: expected unique set members, found \"a\" again (first as element 0)")
    }

    @Test func anIntegerMemberIsMeasuredAsItsDecimalText() {
        #expect(Self.shapeOutcome(.setListpack, Self.string(Self.listpack(["a", "-1234567"]))) == "2/8/listpack")
    }

    @Test func aHashIsCountedInFieldsAndMeasuredOverFieldsAndValues() {
        #expect(Self.shapeOutcome(.hashListpack, Self.string(Self.listpack(["f", "value", "g", "v"]))) == "2/5/listpack")
    }

    @Test func anLZFStringIsMeasuredByItsClaimedLength() {
        #expect(Self.shapeOutcome(.string, Self.lzfString(hex("01 61 61 E0 1B 00 01 61 61"), claimed: 40)) == "40/40/lzf")
    }
}

@Suite struct ScoreTextCheckTests {
    func score(_ s: String) -> Bool { ascii(s).withUnsafeBytes { isScore($0) } }

    @Test func plainDecimalsOfAnyLengthAreScores() {
        #expect(score("-523417.12300000002"))
        #expect(score("0"))
        #expect(score(String(repeating: "9", count: 400)))  // strtod: +inf, still a number
    }

    @Test func otherFormsAreJudgedByStrtod() {
        #expect(score("1e5"))
        #expect(score("inf"))
        #expect(score("+1"))
        #expect(score("1."))
        #expect(score(".5"))
        #expect(!score("nan"))
        #expect(!score(" 1"))
        #expect(!score("1.5.3"))
        #expect(!score("-"))
        #expect(!score(""))
        #expect(!score(String(repeating: "1", count: 512)))
    }

    @Test func shortDecimalsParseAsStrtodParsesThem() {
        for s in ["0.1", "-523417.123", "123456789012345", "-0", "99999.99999", "0.000000000000001", "3.14159"] {
            let parsed = ascii(s).withUnsafeBytes { parseDouble($0) }
            #expect(parsed.map { $0.bitPattern } == strtod(s, nil).bitPattern, "\(s)")
        }
    }
}

@Suite struct LZFValidateTests {
    func validate(_ input: [UInt8], _ expected: Int) throws {
        try input.withUnsafeBytes { try LZF.validate($0, expected: expected) }
    }

    @Test func aValidStreamPasses() throws {
        try validate(hex("0D 68 65 6C 6C 6F 20 77 6F 72 6C 64 2C 20 68 E0 07 0C 01 6F 21"), 32)
    }

    @Test func aReferenceBeforeTheStartIsRejectedWithoutOutput() {
        #expect(throws: LZF.Failure.backReferenceBeforeStart(at: 2, distance: 3, produced: 1)) { try validate(hex("00 61 20 02"), 4) }
    }

    @Test func outputBeyondTheClaimIsRejected() {
        #expect(throws: LZF.Failure.outputOverrun(at: 0)) { try validate(hex("02 61 62 63"), 2) }
    }

    @Test func outputShortOfTheClaimIsRejected() {
        #expect(throws: LZF.Failure.lengthMismatch(produced: 3)) { try validate(hex("02 61 62 63"), 4) }
    }
}

@Suite struct ParallelChecksumTests {
    @Test func theThreadHandsOverEveryByteAndChecksumsAnyPrefix() throws {
        // Over three 1 MiB blocks and many 128 KiB chunks, ending mid-chunk.
        var bytes = [UInt8](repeating: 0, count: 3 << 20 | 12345)
        var x: UInt64 = 1
        for i in bytes.indices {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            bytes[i] = UInt8(truncatingIfNeeded: x >> 56)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rdbtool-crc-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let parallel = try #require(ParallelChecksum(path: path))
        defer { parallel.cancel() }
        let input = BufferedReader(parallel, checksum: false)
        var read: [UInt8] = []
        try input.append(bytes.count, to: &read)
        #expect(try input.atEnd())
        #expect(read == bytes)
        #expect(try parallel.checksum(upTo: Int64(bytes.count)) == CRC64.checksum(bytes))
        #expect(try parallel.checksum(upTo: 2 << 20) == CRC64.checksum(bytes[..<(2 << 20)]))
        #expect(try parallel.checksum(upTo: 1_500_001) == CRC64.checksum(bytes[..<1_500_001]))
    }

    @Test func aPathThatCannotBeOpenedAgainGivesNoThreadAndFreesWhatItHeld() {
        // The file vanished between the first open and this one: the reader checks inline.
        #expect(ParallelChecksum(path: "/nonexistent/rdbtool-\(UUID().uuidString).rdb") == nil)
    }
}
