import Testing
@testable import RDBKit

/// `verify` checks packed containers on a thread of their own (`BlobCheckQueue`) while the
/// reader frames the records after them: shapes, faults and the last good key must be what
/// the reader finds inline, in file order.
@Suite struct BlobCheckQueueTests {
    static func str(_ s: String) -> [UInt8] { [UInt8(s.utf8.count)] + ascii(s) }
    static func stringKey(_ k: String, _ v: String) -> [UInt8] { [0x00] + str(k) + str(v) }

    static func listpack(_ elements: [String]) -> [UInt8] {
        var e = ListpackEncoder()
        for x in elements { e.append(ascii(x)) }
        return e.finish()
    }

    /// A raw string of up to 16383 bytes, with its length.
    static func blob(_ b: [UInt8]) -> [UInt8] {
        (b.count < 64 ? [UInt8(b.count)] : [0x40 | UInt8(b.count >> 8), UInt8(b.count & 0xFF)]) + b
    }

    /// A hash stored as one listpack (type 16).
    static func hashKey(_ k: String, _ listpack: [UInt8]) -> [UInt8] { [16] + str(k) + blob(listpack) }

    /// `f`/`v` as a listpack: header at bytes 0-5, "f" at 6-8 (its back-length at 8), "v" at 9-11.
    static let fieldValue = listpack(["f", "v"])

    func verify(_ bytes: [UInt8]) -> VerifyResult {
        Verifier().verify(bytes: bytes, name: "t.rdb")
    }

    /// Every field of a fault, to compare two.
    func summary(_ e: RDBError?) -> String? {
        e.map { "\($0.kind) at \($0.offset): expected \($0.expected), found \($0.found); db \($0.db ?? -1), key "
            + "\($0.key.map { String(decoding: $0, as: UTF8.self) } ?? "-"), type \($0.typeName ?? "-")" }
    }

    /// What the reader throws reading inline, on one thread.
    func inlineFailure(_ bytes: [UInt8]) -> String? {
        do {
            let reader = RDBReader(input: BufferedReader(MemorySource(bytes)), options: .init(level: .structure))
            try reader.read(shapes: { _ in }, events: { _ in })
            return nil
        } catch {
            return summary(error as? RDBError)
        }
    }

    struct Shape: Equatable {
        var key: String, elements: Int, longest: Int, offset: Int64, bytes: Int64, encoding: Encoding
    }

    func shapes(_ bytes: [UInt8], concurrent: Bool) throws -> [Shape] {
        var out: [Shape] = []
        let reader = RDBReader(input: BufferedReader(MemorySource(bytes)),
                               options: .init(level: .structure, concurrentBlobChecks: concurrent))
        try reader.read(shapes: { k in
            out.append(Shape(key: String(decoding: k.key, as: UTF8.self), elements: k.elementCount, longest: k.longestElement,
                             offset: k.metadata.offset, bytes: k.metadata.serializedBytes, encoding: k.metadata.encoding))
        }, events: { _ in })
        return out
    }

    /// Strings, listpack hashes and sets, intsets and quicklists mixed, over several batches.
    static func manyKeys(_ n: Int) -> [UInt8] {
        var body: [UInt8] = [0xFE, 0x00]
        for i in 0..<n {
            switch i % 4 {
            case 0: body += stringKey("s\(i)", String(repeating: "x", count: i % 60))
            case 1: body += hashKey("h\(i)", listpack((0..<(i % 5 + 1)).flatMap { ["f\($0)", "value\(i)"] }))
            case 2: body += [20] + str("t\(i)") + blob(listpack((0..<(i % 7 + 1)).map { "m\($0)" }))
            default:
                // A quicklist of two listpack nodes.
                body += [18] + str("l\(i)") + [2, 2] + blob(listpack(["a", "bb"])) + [2] + blob(listpack(["\(i)"]))
            }
        }
        return rdbImage(body)
    }

    @Test func shapesArriveInFileOrderAsTheReaderFindsThemInline() throws {
        let image = Self.manyKeys(3000)
        let concurrent = try shapes(image, concurrent: true)
        #expect(concurrent.count == 3000)
        #expect(concurrent == (try shapes(image, concurrent: false)))
        #expect(concurrent[1] == Shape(key: "h1", elements: 2, longest: 6, offset: 16, bytes: 36, encoding: .listpack))
        #expect(concurrent[2999].key == "l2999" && concurrent[2999].elements == 3 && concurrent[2999].encoding == .quicklist2)
    }

    @Test func aDamagedBlobIsReportedWhereTheInlineReaderReportsIt() {
        var lp = Self.fieldValue
        lp[8] = 3  // "f"'s back-length
        let image = rdbImage([0xFE, 0x00] + Self.stringKey("a", "x") + Self.hashKey("h", lp) + Self.stringKey("b", "y"))
        let r = verify(image)
        // The listpack starts at byte 20: header 9, SELECTDB 2, "a" 5, type, key and length 4.
        #expect(r.failure?.kind == .structural)
        #expect(r.failure?.offset == 28)
        #expect(r.failure?.expected == "listpack back-length 2" && r.failure?.found == "3")
        #expect(r.failure?.key == ascii("h") && r.failure?.db == 0 && r.failure?.typeName == "hash-listpack")
        #expect(summary(r.failure) == inlineFailure(image))
        #expect(r.lastGoodKey?.key == ascii("a"))
    }

    @Test func aDamagedBlobFollowedByAFramingErrorReportsTheBlob() {
        var lp = Self.fieldValue
        lp[8] = 3
        // Type 30 after the hash: an unknown type, read before the thread has checked the hash.
        let image = rdbImage([0xFE, 0x00] + Self.stringKey("a", "x") + Self.hashKey("h", lp) + [30] + Self.str("k"))
        let r = verify(image)
        #expect(r.failure?.kind == .structural)
        #expect(r.failure?.offset == 28)
        #expect(r.failure?.key == ascii("h"))
        #expect(r.lastGoodKey?.key == ascii("a"))
    }

    @Test func aFramingErrorAfterGoodBlobsComesAfterTheirKeys() {
        let image = rdbImage([0xFE, 0x00] + Self.hashKey("h", Self.fieldValue) + [30] + Self.str("k"))
        let r = verify(image)
        #expect(r.failure?.kind == .unknownType)
        #expect(r.failure?.offset == 28)
        #expect(summary(r.failure) == inlineFailure(image))
        #expect(r.keys == 1)
        #expect(r.lastGoodKey?.key == ascii("h") && r.lastGoodKey?.offset == 11 && r.lastGoodKey?.end == 28)
    }

    @Test func aFaultInAQuicklistAfterADamagedNodeReportsTheNode() {
        var node = Self.listpack(["a"])
        node[node.count - 1] = 0xFE  // the terminator
        // Two nodes: the damaged listpack, then container 7, which does not exist.
        let image = rdbImage([0xFE, 0x00, 18] + Self.str("l") + [2, 2] + Self.blob(node) + [7] + Self.blob(node))
        let r = verify(image)
        #expect(r.failure?.kind == .structural)
        #expect(r.failure?.offset == 17 + Int64(node.count - 1))
        #expect(r.failure?.expected == "listpack terminator 0xff")
        #expect(summary(r.failure) == inlineFailure(image))
    }

    @Test func aDamagedBlobBehindFullBatchesKeepsTheKeyBeforeItAsLastGood() {
        var lp = Self.fieldValue
        lp[8] = 3
        let good = Array(Self.manyKeys(2000).dropFirst(9).dropLast(9))  // the body without header and trailer
        let image = rdbImage(good + Self.hashKey("bad", lp))
        let r = verify(image)
        #expect(r.failure?.key == ascii("bad"))
        #expect(summary(r.failure) == inlineFailure(image))
        #expect(r.keys == 2000)
        #expect(r.lastGoodKey?.key == ascii("l1999"))
    }

    /// Plain (hash-table) collections: a set (type 2), a hash (type 4), a sorted set (type 5).
    static func plainSet(_ k: String, _ members: [String]) -> [UInt8] {
        [2] + str(k) + [UInt8(members.count)] + members.flatMap(str)
    }

    static func plainHash(_ k: String, _ pairs: [(String, String)]) -> [UInt8] {
        [4] + str(k) + [UInt8(pairs.count)] + pairs.flatMap { str($0.0) + str($0.1) }
    }

    static func plainZset(_ k: String, _ members: [String]) -> [UInt8] {
        [5] + str(k) + [UInt8(members.count)] + members.enumerated().flatMap { i, m in
            str(m) + withUnsafeBytes(of: Double(i).bitPattern.littleEndian) { Array($0) }
        }
    }

    @Test func plainCollectionsBehindABlobHaveTheShapesTheReaderFindsInline() throws {
        var body: [UInt8] = [0xFE, 0x00]
        for i in 0..<1200 {
            body += Self.hashKey("h\(i)", Self.fieldValue)
            switch i % 3 {
            case 0: body += Self.plainSet("s\(i)", (0...(i % 9)).map { "member\($0)" })
            case 1: body += Self.plainHash("p\(i)", (0...(i % 5)).map { ("f\($0)", String(repeating: "v", count: $0 * 7)) })
            default: body += Self.plainZset("z\(i)", (0...(i % 4)).map { "m\($0)" })
            }
        }
        let image = rdbImage(body)
        let concurrent = try shapes(image, concurrent: true)
        #expect(concurrent.count == 2400)
        #expect(concurrent == (try shapes(image, concurrent: false)))
        #expect(concurrent[3] == Shape(key: "p1", elements: 2, longest: 7, offset: 60, bytes: 20, encoding: .hashtable))
    }

    @Test func aRepeatedMemberOfAPlainSetIsReportedWhereTheInlineReaderReportsIt() {
        // The hash at 11-27 keeps the queue busy; the set's second "a" is at 36.
        let image = rdbImage([0xFE, 0x00] + Self.hashKey("h", Self.fieldValue) + Self.plainSet("s", ["a", "b", "a"]))
        let r = verify(image)
        #expect(r.failure?.kind == .structural && r.failure?.offset == 36)
        #expect(r.failure?.expected == "unique set members" && r.failure?.found == "\"a\" again (first as element 0)")
        #expect(r.failure?.key == ascii("s") && r.failure?.typeName == "set-hashtable")
        #expect(summary(r.failure) == inlineFailure(image))
        #expect(r.lastGoodKey?.key == ascii("h"))
    }

    @Test func aRepeatedFieldBeforeATruncationInTheSameHashIsReportedFirst() {
        // Three fields claimed, the second repeats the first, the third's value is cut off.
        let hash = [4] + Self.str("p") + [3] + Self.str("f") + Self.str("1") + Self.str("f") + Self.str("2") + Self.str("g") + [9]
        let image = [UInt8](rdbImage([0xFE, 0x00] + Self.hashKey("h", Self.fieldValue) + hash).prefix(9 + 2 + 17 + hash.count))
        let r = verify(image)
        #expect(r.failure?.expected == "unique hash fields" && r.failure?.offset == 36)
        #expect(summary(r.failure) == inlineFailure(image))
    }

    @Test func aConsumersFaultStopsTheReadAtItsKey() {
        struct Stop: Error {}
        let reader = RDBReader(input: BufferedReader(MemorySource(Self.manyKeys(1500))),
                               options: .init(level: .structure, concurrentBlobChecks: true))
        var seen: [String] = []
        #expect(throws: Stop.self) {
            try reader.read(shapes: { k in
                seen.append(String(decoding: k.key, as: UTF8.self))
                if seen.count == 700 { throw Stop() }
            }, events: { _ in })
        }
        #expect(seen.count == 700 && seen.last == "l699")
    }
}
