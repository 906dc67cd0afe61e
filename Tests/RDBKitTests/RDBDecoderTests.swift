import Testing
@testable import RDBKit

/// Lengths, strings and numbers (format.md §4), from the reference's examples.
@Suite struct RDBDecoderTests {
    @Test(arguments: [
        ("00", UInt64(0)), ("3F", 63), ("40 40", 64), ("41 2C", 300), ("7F FF", 16383),
        ("80 00 00 40 00", 16384), ("80 00 67 C0 C1", 6_799_553),
        ("81 00 00 00 01 00 00 00 00", 1 << 32), ("81 FF FF FF FF FF FF FF FF", UInt64.max),
    ])
    func lengthEncodings(bytes: String, value: UInt64) throws {
        #expect(try decoder(hex(bytes)).readLength() == value)
    }

    @Test func nonMinimalLengthIsAccepted() throws {
        #expect(try decoder(hex("80 00 00 00 05")).readLength() == 5)
    }

    @Test func reservedLengthPrefixIsStructuralError() {
        #expect { try decoder(hex("82 00")).readLength() } throws: { ($0 as? RDBError)?.kind == .structural }
    }

    @Test func stringEncodingWhereALengthBelongsIsRejected() {
        #expect { try decoder(hex("C0 01")).readLength() } throws: { ($0 as? RDBError)?.kind == .structural }
    }

    @Test(arguments: [
        ("05 68 65 6C 6C 6F", "hello"), ("C1 39 30", "12345"), ("C0 40", "64"), ("C0 80", "-128"),
        ("C2 D2 CD 04 6B", "1795476946"), ("00", ""),
    ])
    func stringEncodings(bytes: String, text: String) throws {
        #expect(try decoder(hex(bytes)).readString() == ascii(text))
    }

    @Test func lzfStringDecompresses() throws {
        let d = decoder(hex("C3 15 20 0D 68 65 6C 6C 6F 20 77 6F 72 6C 64 2C 20 68 E0 07 0C 01 6F 21"))
        #expect(try d.readString() == ascii("hello world, hello world, hello!"))
        #expect(d.lastStringEncoding == .lzf)
    }

    @Test func brokenLzfIsReportedAtTheFaultyByte() {
        // A back-reference (at byte 5) before any output exists.
        #expect { try decoder(hex("C3 02 04 20 02")).readString() } throws: {
            guard let e = $0 as? RDBError else { return false }
            return e.kind == .structural && e.offset == 3
        }
    }

    @Test func impossibleLzfExpansionIsRejectedBeforeAllocating() {
        #expect { try decoder(hex("C3 01 81 00 00 00 10 00 00 00 00 00")).readString() } throws: {
            ($0 as? RDBError)?.kind == .structural
        }
    }

    @Test func stringLongerThanTheInputIsTruncation() {
        #expect { try decoder(hex("80 10 00 00 00 61 62")).readString() } throws: {
            guard let e = $0 as? RDBError else { return false }
            return e.kind == .truncated && e.offset == 7
        }
    }

    @Test(arguments: [("FD", Double.nan), ("FE", Double.infinity), ("FF", -Double.infinity), ("03 31 2E 35", 1.5)])
    func textDoubles(bytes: String, value: Double) throws {
        let d = try decoder(hex(bytes)).readTextDouble()
        #expect(d == value || (d.isNaN && value.isNaN))
    }

    @Test func moduleIdDecodesToItsName() {
        #expect(ModuleID.name(0x45E2_5238_DF91_2C03) == "ReJSON-RL")
        #expect(ModuleValue(moduleID: 0x45E2_5238_DF91_2C03, payload: []).encodingVersion == 3)
    }
}
