import Testing
@testable import RDBKit

@Suite struct RDBReaderTests {
    func error(_ bytes: [UInt8], options: RDBReader.Options = .init()) -> RDBError? {
        do { _ = try events(bytes, options: options); return nil } catch { return error as? RDBError }
    }

    @Test func keyWithExpiryFromReferenceExample() throws {
        let r = try #require(keys(try events(rdbImage(hex("FC AC 2B D3 0A A2 01 00 00 00 01 6E C1 39 30")))).first)
        #expect(r.key == ascii("n"))
        #expect(r.value == .string(ascii("12345")))
        #expect(r.expireAtMs == 0x0000_01A2_0AD3_2BAC)
        #expect(r.metadata.encoding == .int)
        #expect(r.metadata.offset == 9)
        #expect(r.metadata.serializedBytes == 15)
    }

    @Test func attributesApplyToTheNextKeyOnly() throws {
        let ks = keys(try events(rdbImage(hex("F8 05 00 01 61 01 31 F9 07 00 01 62 01 32 00 01 63 01 33"))))
        #expect(ks.map(\.metadata.lruIdleSeconds) == [5, nil, nil])
        #expect(ks.map(\.metadata.lfuFreq) == [nil, 7, nil])
    }

    @Test func selectDBAppliesToFollowingKeys() throws {
        let ks = keys(try events(rdbImage(hex("00 01 61 01 31 FE 0F FB 01 00 00 01 62 01 32"))))
        #expect(ks.map(\.db) == [0, 15])
    }

    @Test func auxFieldsAreReportedAsText() throws {
        let evs = try events(rdbImage(hex("FA 0A 72 65 64 69 73 2D 62 69 74 73 C0 40")))
        guard case .aux(let name, let value) = evs[1] else { Issue.record("no aux"); return }
        #expect(name == ascii("redis-bits"))
        #expect(value == ascii("64"))
    }

    @Test func functionLibraryNameAndEngineComeFromTheShebang() throws {
        let code = "#!lua name=mylib\nreturn 1"
        let evs = try events(rdbImage([0xF5, UInt8(code.utf8.count)] + ascii(code)))
        guard case .function(let f) = evs[1] else { Issue.record("no function"); return }
        #expect(f.shebang?.name == "mylib")
        #expect(f.shebang?.engine == "LUA")
    }

    @Test func checksumIsVerifiedInOnePass() throws {
        let evs = try events(rdbImage(hex("00 01 61 01 31")))
        guard case .end(let t) = evs.last else { Issue.record("no end"); return }
        #expect(t.status == .ok)
    }

    @Test func checksumMismatchIsReportedAfterTheEOFOpcode() {
        var image = rdbImage(hex("00 01 61 01 31"))
        image[image.count - 1] ^= 1
        let e = error(image)
        #expect(e?.kind == .checksumMismatch)
        #expect(e?.offset == 15)
    }

    @Test func zeroChecksumMeansDisabled() throws {
        var image = rdbImage(hex("00 01 61 01 31"))
        for i in image.count - 8..<image.count { image[i] = 0 }
        guard case .end(let t) = try events(image).last else { Issue.record("no end"); return }
        #expect(t.status == .disabled)
    }

    @Test func versionsBeforeFiveHaveNoChecksum() throws {
        let evs = try events(ascii("REDIS0004") + hex("00 01 61 01 31 FF"))
        guard case .end(let t) = evs.last else { Issue.record("no end"); return }
        #expect(t.status == .absent)
    }

    @Test func newerVersionIsRefusedWithItsNumber() {
        let e = error(rdbImage([], magic: "REDIS0016"))
        #expect(e?.kind == .unsupportedVersion)
        #expect(e?.offset == 5)
        #expect(e?.found == "16")
    }

    @Test func newerVersionIsReadWithAllowNewer() throws {
        #expect(keys(try events(rdbImage(hex("00 01 61 01 31"), magic: "REDIS0016"), options: .init(allowNewer: true))).count == 1)
    }

    @Test func valkeyMagicSelectsValkeyNumbering() throws {
        let evs = try events(rdbImage(hex("16 01 68 01 01 61 01 31 FF FF FF FF FF FF FF FF"), magic: "VALKEY080"))
        guard case .header(let d) = evs[0] else { Issue.record("no header"); return }
        #expect(d == Dialect(family: .valkey, version: 80))
        #expect(keys(evs).first?.metadata.encoding == .hashtable)
    }

    @Test func valkeyMagicWithARedisVersionIsRefused() {
        #expect(error(rdbImage([], magic: "VALKEY012"))?.kind == .unsupportedVersion)
    }

    @Test func otherMagicIsNotAnRDB() {
        let e = error(ascii("*1\r\n$4\r\nPING\r\n"))
        #expect(e?.kind == .notRDB)
        #expect(e?.offset == 0)
    }

    @Test func truncatedHeaderIsTruncation() {
        #expect(error(ascii("REDIS00"))?.kind == .truncated)
    }

    @Test func unknownTypeByteNamesTheOffsetAndDatabase() {
        let e = error(rdbImage(hex("FE 02 1E 01 61")))
        #expect(e?.kind == .unknownType)
        #expect(e?.offset == 11)
        #expect(e?.db == 2)
    }

    @Test func unknownOpcodeIsReported() {
        #expect(error(rdbImage(hex("F0 00")))?.kind == .unknownOpcode)
    }

    @Test func errorInsideAValueNamesItsKey() {
        let e = error(rdbImage(hex("0B 01 6B 0C 02 00 00 00 03 00 00 00 01 00 02 00")))
        #expect(e?.kind == .structural)
        #expect(e?.key == ascii("k"))
        #expect(e?.typeName == "set-intset")
    }

    @Test func truncationInsideAKeyIsReportedAtTheEndOfInput() {
        let image = Array(rdbImage(hex("00 01 61 05 68 65 6C 6C 6F")).prefix(16))
        let e = error(image)
        #expect(e?.kind == .truncated)
        #expect(e?.offset == 16)
        #expect(e?.key == ascii("a"))
    }

    @Test func enterpriseOpcodesAreSkippedWithAWarning() throws {
        let evs = try events(rdbImage(hex("79 05 00 01 61 01 31")))
        #expect(keys(evs).count == 1)
        #expect(evs.contains { if case .warning = $0 { true } else { false } })
    }

    @Test func moduleAuxIsWalkedWithoutTheModule() throws {
        let evs = try events(rdbImage(hex("F7 81 45 E2 52 38 DF 91 2C 03 02 01 02 07 00 00 01 61 01 31")))
        #expect(evs.contains { if case .moduleAux(let id, let p) = $0 { id == 0x45E2_5238_DF91_2C03 && p == hex("02 01 02 07 00") } else { false } })
        #expect(keys(evs).count == 1)
    }

    @Test func diskBasedReplicationBulkHeaderIsStripped() throws {
        let image = rdbImage(hex("00 01 61 01 31"))
        let evs = try events(ascii("+FULLRESYNC 0123 14\r\n\n\n$\(image.count)\r\n") + image)
        #expect(keys(evs).count == 1)
        guard case .end(let t) = evs.last else { Issue.record("no end"); return }
        #expect(t.status == .ok)
        #expect(evs.contains { if case .warning(let w) = $0 { w.message.contains("FULLRESYNC") } else { false } })
    }

    @Test func disklessEOFMarkHeaderIsStripped() throws {
        let mark = String(repeating: "ab", count: 20)
        let image = rdbImage(hex("00 01 61 01 31"))
        let evs = try events(ascii("$EOF:\(mark)\r\n") + image + ascii(mark))
        #expect(keys(evs).count == 1)
    }

    @Test func bigEndianExpiriesOfOldVersionsAreSwapped() throws {
        // 1 671 963 072 573 ms written big-endian by a v6 producer.
        let evs = try events(rdbImage(hex("FC 00 00 01 85 48 C3 D8 3D 00 01 6B 01 76"), magic: "REDIS0006"))
        #expect(keys(evs).first?.expireAtMs == 1_671_963_072_573)
        #expect(evs.contains { if case .warning(let w) = $0 { w.message.contains("big-endian") } else { false } })
    }

    @Test func littleEndianExpiriesOfOldVersionsAreKept() throws {
        let evs = try events(rdbImage(hex("FC 3D D8 C3 48 85 01 00 00 00 01 6B 01 76"), magic: "REDIS0006"))
        #expect(keys(evs).first?.expireAtMs == 1_671_963_072_573)
        #expect(!evs.contains { if case .warning = $0 { true } else { false } })
    }

    // MARK: Layouts

    /// An intset {1, 2} under key "a": 16-bit encoding, 2 members, 12 bytes.
    static let intsetImage = rdbImage(hex("0B 01 61 0C 02 00 00 00 02 00 00 00 01 00 02 00"))

    @Test func layoutsAreCapturedOnlyWhenAskedFor() throws {
        #expect(keys(try events(Self.intsetImage)).first?.layout == nil)
        let r = keys(try events(Self.intsetImage, options: .init(captureLayout: true))).first
        #expect(r?.layout == StoredLayout(blobs: [.init(bytes: 12, elements: 2)]))
    }

    @Test func layoutsListQuicklistNodesAndStreamNodeKeysInFileOrder() throws {
        var list: StoredLayout?, stream: StoredLayout?, listCount = 0
        try RDBReader(path: Paths.fixtures + "/redis-7.0.15/dump.rdb", options: .init(captureLayout: true)).read { event in
            guard case .key(let r) = event else { return }
            if r.key == ascii("list:large") { list = r.layout; listCount = r.value.elementCount }
            if r.key == ascii("stream:large") { stream = r.layout }
        }
        #expect((list?.blobs.count ?? 0) > 1)
        #expect(list?.blobs.reduce(0) { $0 + $1.elements } == listCount)
        #expect((stream?.streamNodeIDs.count ?? 0) > 1)
        #expect(stream?.streamNodeIDs.count == stream?.blobs.count)
        #expect(stream?.streamNodeIDs == stream?.streamNodeIDs.sorted())
    }
}
