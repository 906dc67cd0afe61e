import Testing
@testable import RDBKit

/// The checks Redis runs only with `sanitize-dump-payload yes`, which the decoders always run
/// (format.md §5.11, §5.17, §9.4): duplicates in every encoding, stream PEL ownership.
@Suite struct DeepCheckTests {
    func failure(_ type: RDBType, _ bytes: [UInt8]) -> RDBError? {
        do { _ = try decoder(bytes).readValue(type); return nil } catch { return error as? RDBError }
    }

    /// A listpack of the given entries (each under 64 bytes, strings only).
    func listpack(_ entries: [String]) -> [UInt8] {
        var body: [UInt8] = []
        for e in entries { body += [0x80 | UInt8(e.utf8.count)] + ascii(e) + [UInt8(e.utf8.count + 1)] }
        let total = 6 + body.count + 1
        return [UInt8(total), 0, 0, 0, UInt8(entries.count), 0] + body + [0xFF]
    }

    func blob(_ b: [UInt8]) -> [UInt8] { [UInt8(b.count)] + b }

    @Test func duplicateMemberOfAPlainSetIsRejectedAtTheRepeat() {
        let e = failure(.set, hex("03 01 61 01 62 01 61"))
        #expect(e?.kind == .structural)
        #expect(e?.offset == 5)
        #expect(e?.expected == "unique set members")
        #expect(e?.found == #""a" again (first as element 0)"#)
    }

    @Test func duplicateMemberOfAPlainSortedSetIsRejected() {
        let e = failure(.zset2, hex("02 01 61") + [UInt8](repeating: 0, count: 8) + hex("01 61") + [UInt8](repeating: 0, count: 8))
        #expect(e?.expected == "unique zset members")
        #expect(e?.offset == 11)
    }

    @Test func duplicateFieldOfAPlainHashIsRejected() {
        #expect(failure(.hash, hex("02 01 66 01 76 01 66 01 77"))?.expected == "unique hash fields")
    }

    @Test func plainListMayRepeat() {
        #expect(failure(.list, hex("02 01 61 01 61")) == nil)
    }

    @Test func duplicateFieldOfAListpackHashIsRejectedAtItsEntry() {
        let e = failure(.hashListpack, blob(listpack(["f", "v", "f", "w"])))
        #expect(e?.expected == "unique hash fields")
        // Blob starts at offset 1; the repeated field is the third entry (6 + 3 + 3).
        #expect(e?.offset == 13)
    }

    @Test func integerAndTextOfTheSameNumberAreOneMember() {
        // 7 as a 7-bit integer entry, then "7" as text: the same member for Redis.
        let lp: [UInt8] = [12, 0, 0, 0, 2, 0, 0x07, 0x01, 0x81, 0x37, 0x02, 0xFF]
        #expect(failure(.setListpack, blob(lp))?.expected == "unique set members")
    }

    @Test func duplicateMemberOfAListpackZsetIsRejected() {
        #expect(failure(.zsetListpack, blob(listpack(["m", "1", "m", "2"])))?.expected == "unique zset members")
    }

    @Test func duplicateMemberOfAZiplistZsetIsRejected() {
        // zlbytes 21, zltail 18, 4 entries: "m" 1 "m" 2 (immediate integers).
        let zl = hex("15 00 00 00  12 00 00 00  04 00  00 01 6D  03 F2  02 01 6D  03 F3  FF")
        #expect(failure(.zsetZiplist, blob(zl))?.expected == "unique zset members")
    }

    @Test func duplicateFieldOfAZipmapIsRejected() {
        let zm = hex("02  01 61 01 00 31  01 61 01 00 32  FF")
        #expect(failure(.hashZipmap, blob(zm))?.expected == "unique hash fields")
    }

    @Test func duplicateFieldOfAListpackHashWithTTLsIsRejected() {
        let lp = listpack(["f", "v", "0", "f", "w", "0"])
        #expect(failure(.hashListpackEx, [UInt8](repeating: 0, count: 8) + blob(lp))?.expected == "unique hash fields")
    }

    // MARK: Streams

    /// Type 19 stream of entries 1-1 and 1-2 (format.md §5.12.2), then one group `g` whose
    /// PEL holds 1-1, and `consumers`.
    func stream(consumers: [UInt8]) -> [UInt8] {
        let node = hex("""
            28 00 00 00 0F 00  02 01 00 01 01 01  81 66 02  00 01
            02 01 00 01 00 01 81 76 02 04 01  02 01 00 01 01 01 81 77 02 04 01  FF
            """)
        let id11 = hex("00 00 00 00 00 00 00 01  00 00 00 00 00 00 00 01")
        return hex("01 10") + id11 + blob(node) + hex("02 01 02 01 01 00 00 02")
            + hex("01 01 67 01 02 02 01") + id11 + [UInt8](repeating: 0, count: 8) + hex("01") + consumers
    }

    func consumer(_ name: String, owning ids: Int) -> [UInt8] {
        let id11 = hex("00 00 00 00 00 00 00 01  00 00 00 00 00 00 00 01")
        return [1] + ascii(name) + [UInt8](repeating: 0, count: 8) + [UInt8(ids)] + (0..<ids).flatMap { _ in id11 }
    }

    @Test func pendingEntryOwnedByOneConsumerIsAccepted() {
        #expect(failure(.streamListpacks2, stream(consumers: [1] + consumer("c", owning: 1))) == nil)
    }

    @Test func pendingEntryAfterTheGroupsLastDeliveredIdIsAWarning() throws {
        var bytes = stream(consumers: [1] + consumer("c", owning: 1))
        // The group's last-delivered id 1-2 becomes 0-0.
        let at = try #require(bytes.firstIndex(of: 0x67)) + 1
        bytes[at] = 0; bytes[at + 1] = 0
        let d = decoder(bytes)
        _ = try d.readValue(.streamListpacks2)
        #expect(d.warnings.map(\.message) == [#"group "g" has pending entry 1-1 after its last-delivered id 0-0"#])
    }

    @Test func pendingEntryOwnedByNoConsumerIsRejected() {
        let e = failure(.streamListpacks2, stream(consumers: [1] + consumer("c", owning: 0)))
        #expect(e?.expected == #"every PEL entry of group "g" owned by a consumer"#)
        #expect(e?.found == "1-1 owned by none")
    }

    @Test func pendingEntryOwnedByTwoConsumersIsRejected() {
        let e = failure(.streamListpacks2, stream(consumers: [2] + consumer("c", owning: 1) + consumer("d", owning: 1)))
        #expect(e?.expected == "a PEL id owned by one consumer")
    }
}
