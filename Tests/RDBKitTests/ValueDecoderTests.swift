import Testing
@testable import RDBKit

/// Value layouts (format.md §5), from the reference's DUMP examples (type byte removed).
@Suite struct ValueDecoderTests {
    func value(_ type: RDBType, _ bytes: String, _ dialect: Dialect = Dialect(family: .redis, version: 12)) throws -> (Value, Encoding) {
        try decoder(hex(bytes), dialect).readValue(type)
    }

    @Test func ziplistListDecodesStringsAndIntegers() throws {
        let (v, enc) = try value(.listZiplist, "19  19 00 00 00 11 00 00 00 03 00 00 01 61 03 C0 2C 01 04 05 68 65 6C 6C 6F FF")
        guard case .list(let l) = v else { Issue.record("not a list"); return }
        #expect(strings(l) == ["a", "300", "hello"])
        #expect(enc == .ziplist)
    }

    @Test func quicklist2PackedNode() throws {
        let (v, enc) = try value(.listQuicklist2, "01 02 12 12 00 00 00 04 00 81 61 02 81 62 02 01 01 C1 2C 02 FF")
        guard case .list(let l) = v else { Issue.record("not a list"); return }
        #expect(strings(l) == ["a", "b", "1", "300"])
        #expect(enc == .quicklist2)
    }

    @Test func quicklist2PlainNodeIsOneElement() throws {
        let (v, _) = try value(.listQuicklist2, "02 01 03 62 69 67 02 0A 0A 00 00 00 01 00 81 61 02 FF")
        guard case .list(let l) = v else { Issue.record("not a list"); return }
        #expect(strings(l) == ["big", "a"])
    }

    @Test func quicklist2UnknownContainerIsStructural() {
        #expect { try value(.listQuicklist2, "01 03 01 61") } throws: { ($0 as? RDBError)?.kind == .structural }
    }

    @Test func listpackHashPairsFieldsAndValues() throws {
        let (v, _) = try value(.hashListpack, "12 12 00 00 00 04 00 81 66 02 81 76 02 81 6E 02 07 01 FF")
        guard case .hash(let h) = v else { Issue.record("not a hash"); return }
        #expect(strings(h.fields) == ["f", "n"])
        #expect(strings(h.values) == ["v", "7"])
        #expect(h.fieldExpiries == nil)
    }

    @Test func listpackZsetScoresAreIntegersOrText() throws {
        let (v, _) = try value(.zsetListpack, "14 14 00 00 00 04 00 81 61 02 01 01 81 62 02 83 32 2E 35 04 FF")
        guard case .zset(let z) = v else { Issue.record("not a zset"); return }
        #expect(strings(z.members) == ["a", "b"])
        #expect(z.scores == [1, 2.5])
    }

    @Test func intsetMembersInOrder() throws {
        let (v, enc) = try value(.setIntset, "0E 02 00 00 00 03 00 00 00 01 00 02 00 03 00")
        guard case .set(let s) = v else { Issue.record("not a set"); return }
        #expect(strings(s) == ["1", "2", "3"])
        #expect(enc == .intset)
    }

    @Test func unsortedIntsetIsStructural() {
        #expect { try value(.setIntset, "0E 02 00 00 00 03 00 00 00 02 00 01 00 03 00") } throws: {
            ($0 as? RDBError)?.kind == .structural
        }
    }

    @Test func intsetSizeMustMatchItsCount() {
        #expect { try value(.setIntset, "0C 02 00 00 00 03 00 00 00 01 00 02 00") } throws: {
            ($0 as? RDBError)?.kind == .structural
        }
    }

    @Test func zipmapHashSkipsFreeBytes() throws {
        let (v, enc) = try value(.hashZipmap, "12 02 01 61 01 00 31 03 6B 65 79 05 00 76 61 6C 75 65 FF")
        guard case .hash(let h) = v else { Issue.record("not a hash"); return }
        #expect(strings(h.fields) == ["a", "key"])
        #expect(strings(h.values) == ["1", "value"])
        #expect(enc == .zipmap)
    }

    @Test func hashMetadataRebuildsAbsoluteFieldExpiries() throws {
        let (v, enc) = try value(.hashMetadata, "00 68 E5 CF 8B 01 00 00 02 41 F5 01 61 C0 01 00 01 62 C0 02")
        guard case .hash(let h) = v else { Issue.record("not a hash"); return }
        #expect(strings(h.fields) == ["a", "b"])
        #expect(strings(h.values) == ["1", "2"])
        #expect(h.fieldExpiries == [1_700_000_000_500, nil])
        #expect(enc == .metadata)
    }

    @Test func valkeyHash2StoresMinusOneForFieldsWithoutTTL() throws {
        let (v, _) = try value(.valkeyHash2, "02 01 61 01 31 00 68 E5 CF 8B 01 00 00 01 62 01 32 FF FF FF FF FF FF FF FF",
                               Dialect(family: .valkey, version: 80))
        guard case .hash(let h) = v else { Issue.record("not a hash"); return }
        #expect(h.fieldExpiries == [1_700_000_000_000, nil])
    }

    @Test func streamV2DecodesEntriesAndMetadata() throws {
        let body = """
        01 10 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 01
        28 28 00 00 00 0F 00 02 01 00 01 01 01 81 66 02 00 01
        02 01 00 01 00 01 81 76 02 04 01  02 01 00 01 01 01 81 77 02 04 01 FF
        02 01 02 01 01 00 00 02 00
        """
        let (v, _) = try value(.streamListpacks2, body)
        guard case .stream(let s) = v else { Issue.record("not a stream"); return }
        #expect(s.entries.map(\.id) == [StreamID(ms: 1, seq: 1), StreamID(ms: 1, seq: 2)])
        #expect(s.entries.map { strings($0.fieldsAndValues) } == [["f", "v"], ["f", "w"]])
        #expect(s.length == 2)
        #expect(s.lastID == StreamID(ms: 1, seq: 2))
        #expect(s.firstID == StreamID(ms: 1, seq: 1))
        #expect(s.maxDeletedID == .zero)
        #expect(s.entriesAdded == 2)
        #expect(s.groups.isEmpty)
    }

    @Test func moduleValueIsCapturedThroughItsEOFOpcode() throws {
        // id ReJSON-RL/3, then UINT 5, STRING "ab", EOF.
        let (v, enc) = try value(.module2, "81 45 E2 52 38 DF 91 2C 03 02 05 05 02 61 62 00")
        guard case .module(let m) = v else { Issue.record("not a module value"); return }
        #expect(m.name == "ReJSON-RL")
        #expect(m.payload == hex("02 05 05 02 61 62 00"))
        #expect(enc == .module)
    }

    @Test func unknownModuleOpcodeIsStructural() {
        #expect { try value(.module2, "01 09 00") } throws: { ($0 as? RDBError)?.kind == .structural }
    }
}
