import Testing
@testable import RDBKit

@Suite struct RDBValueEncoderTests {
    func type(_ v: Value, _ version: Int, limits: EncodingLimits = EncodingLimits(), lossy: Bool = false) throws -> RDBType {
        var e = RDBValueEncoder(rdbVersion: version, limits: limits, lossy: lossy)
        return try e.plan(v).1
    }

    func list(_ s: [String]) -> ByteList { ByteList(s.map { Array($0.utf8) }) }

    @Test func listsAreQuicklistsOfTheVersion() throws {
        #expect(try type(.list(list(["a"])), 9) == .listQuicklist)
        #expect(try type(.list(list(["a"])), 10) == .listQuicklist2)
    }

    @Test func setsAreIntsetsListpacksFrom72OrHashTables() throws {
        #expect(try type(.set(list(["1", "2", "-3"])), 9) == .setIntset)
        #expect(try type(.set(list(["1", "a"])), 10) == .set)
        #expect(try type(.set(list(["1", "a"])), 11) == .setListpack)
        #expect(try type(.set(list(["007"])), 12) == .setListpack)
        #expect(try type(.set(list((0..<513).map(String.init))), 12) == .set)
        #expect(try type(.set(list((0..<129).map { "m\($0)" })), 12) == .set)
        #expect(try type(.set(list([String(repeating: "x", count: 65)])), 12) == .set)
    }

    @Test func sortedSetsArePackedUpTo128MembersOf64Bytes() throws {
        var small = SortedSetValue()
        small.members = list(["a"])
        small.scores = [1]
        #expect(try type(.zset(small), 9) == .zsetZiplist)
        #expect(try type(.zset(small), 10) == .zsetListpack)
        var big = SortedSetValue()
        big.members = list((0..<129).map { "m\($0)" })
        big.scores = Array(repeating: 1, count: 129)
        #expect(try type(.zset(big), 10) == .zset2)
    }

    @Test func hashesArePackedUpTo512FieldsAndFieldTTLsNeedRDB12() throws {
        var h = HashValue()
        h.fields = list(["f"])
        h.values = list(["v"])
        #expect(try type(.hash(h), 9) == .hashZiplist)
        #expect(try type(.hash(h), 12) == .hashListpack)
        h.fieldExpiries = [1_700_000_000_000]
        #expect(try type(.hash(h), 12) == .hashListpackEx)
        #expect(throws: RDBValueEncoder.Unsupported.self) { try type(.hash(h), 11) }
        #expect(try type(.hash(h), 11, lossy: true) == .hashListpack)
        h.values = list([String(repeating: "v", count: 65)])
        #expect(try type(.hash(h), 12) == .hashMetadata)
    }

    @Test func limitsAreOptions() throws {
        var limits = EncodingLimits()
        limits.setMaxIntsetEntries = 2
        #expect(try type(.set(list(["1", "2", "3"])), 9, limits: limits) == .set)
    }

    @Test func streamsTakeTheVersionsStreamType() throws {
        #expect(try type(.stream(StreamValue()), 9) == .streamListpacks)
        #expect(try type(.stream(StreamValue()), 10) == .streamListpacks2)
        #expect(try type(.stream(StreamValue()), 12) == .streamListpacks3)
    }

    @Test func nanScoresAndArraysAreRefused() {
        var z = SortedSetValue()
        z.members = list(["a"])
        z.scores = [.nan]
        #expect(throws: RDBValueEncoder.Unsupported.self) { try type(.zset(z), 10) }
        #expect(throws: RDBValueEncoder.Unsupported.self) { try type(.array(ArrayValue()), 12) }
    }

    func body(_ v: Value, _ version: Int) throws -> [UInt8] {
        var e = RDBValueEncoder(rdbVersion: version, limits: EncodingLimits(), lossy: false)
        let (plan, _) = try e.plan(v)
        var out = RDBEncoder(compression: false)
        e.write(v, plan: plan, to: &out)
        return out.out
    }

    @Test func hashMetadataCodesTTLsFromTheSmallestExpiry() throws {
        // The layout of format.md §5.13.2; Redis stores the true smallest expiry, so "a" (the
        // soonest) has code 1 and "c", 500 ms later, code 501 (14-bit length 41 F5).
        var h = HashValue()
        h.fields = list(["a", "b", "c"])
        h.values = list(["1", "2", "3"])
        h.fieldExpiries = [1_700_000_000_000, nil, 1_700_000_000_500]
        var e = RDBValueEncoder(rdbVersion: 12, limits: EncodingLimits(), lossy: false)
        var out = RDBEncoder(compression: false)
        e.write(.hash(h), plan: .hashMetadata, to: &out)
        #expect(out.out == hex("00 68 E5 CF 8B 01 00 00  03  01 01 61 C0 01  00 01 62 C0 02  41 F5 01 63 C0 03"))
    }

    @Test func listpackExOrdersTriplesBySoonestExpiryWithoutTTLLast() throws {
        var h = HashValue()
        h.fields = list(["never", "late", "soon"])
        h.values = list(["1", "2", "3"])
        h.fieldExpiries = [nil, 2_000, 1_000]
        let b = try body(.hash(h), 12)
        #expect(Array(b.prefix(8)) == hex("E8 03 00 00 00 00 00 00"))
        var expected = ListpackEncoder()
        for s in ["soon", "3"] { expected.append(Array(s.utf8)) }
        expected.append(integer: 1000)
        for s in ["late", "2"] { expected.append(Array(s.utf8)) }
        expected.append(integer: 2000)
        for s in ["never", "1"] { expected.append(Array(s.utf8)) }
        expected.append(integer: 0)
        let lp = expected.finish()
        #expect(Array(b.dropFirst(8)) == [UInt8(lp.count)] + lp)
    }

    @Test func skiplistSortedSetsGoFromTheHighestScore() throws {
        var z = SortedSetValue()
        z.members = list((0..<129).map { "m\($0)" })
        z.scores = (0..<129).map(Double.init)
        let b = try body(.zset(z), 10)
        #expect(Array(b.prefix(6)) == hex("40 81 04 6D 31 32"))  // 129 members, then "m128"
    }

    @Test func packedSortedSetsGoFromTheLowestScoreWithTextScores() throws {
        var z = SortedSetValue()
        z.members = list(["b", "a"])
        z.scores = [2.5, 1]
        #expect(try body(.zset(z), 10) == [0x14] + hex("14 00 00 00 04 00 81 61 02 01 01 81 62 02 83 32 2E 35 04 FF"))
    }

    @Test func moduleValuesAreWrittenAsCaptured() throws {
        let m = ModuleValue(moduleID: 0x45E2_5238_DF91_2C03, payload: hex("02 05 00"))
        #expect(try body(.module(m), 10) == hex("81 45 E2 52 38 DF 91 2C 03 02 05 00"))
    }
}
