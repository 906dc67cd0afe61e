import Testing
@testable import RDBKit

@Suite struct RDBEncoderTests {
    @Test func lengthsTakeTheShortestFormOfTheReferenceTable() {
        let table: [(UInt64, String)] = [
            (0, "00"), (63, "3F"), (64, "40 40"), (300, "41 2C"), (16383, "7F FF"), (16384, "80 00 00 40 00"),
            (6_799_553, "80 00 67 C0 C1"), (1 << 32, "81 00 00 00 01 00 00 00 00"), (UInt64.max, "81 FF FF FF FF FF FF FF FF"),
        ]
        for (v, bytes) in table {
            var e = RDBEncoder(compression: true)
            e.appendLength(v)
            #expect(e.out == hex(bytes), "\(v)")
        }
    }

    func string(_ s: [UInt8], compression: Bool = true) -> [UInt8] {
        var e = RDBEncoder(compression: compression)
        e.appendString(s)
        return e.out
    }

    @Test func stringsAreIntegerEncodedAsTheReferenceDumpsShow() {
        #expect(string(ascii("hello")) == hex("05 68 65 6C 6C 6F"))
        #expect(string(ascii("12345")) == hex("C1 39 30"))
        #expect(string(ascii("64")) == hex("C0 40"))
        #expect(string(ascii("1795476946")) == hex("C2 D2 CD 04 6B"))
        #expect(string(ascii("-2147483648")) == hex("C2 00 00 00 80"))
    }

    @Test func integerLookalikesAndWideIntegersStayPlain() {
        #expect(string(ascii("007")) == hex("03 30 30 37"))
        #expect(string(ascii("4294967296")) == [10] + ascii("4294967296"))
        #expect(string([]) == [0])
    }

    @Test func longRepetitiveStringsAreLZFCompressedUnlessCompressionIsOff() throws {
        let s = [UInt8](repeating: 0x61, count: 40)
        let packed = string(s)
        #expect(packed[0] == 0xC3)
        #expect(packed[2] == 40)
        var out: [UInt8] = []
        try Array(packed[3...]).withUnsafeBytes { try LZF.decompress($0, expected: 40, into: &out) }
        #expect(out == s)
        #expect(string(s, compression: false) == [40] + s)
    }

    @Test func twentyByteStringsAreNeverCompressed() {
        let s = [UInt8](repeating: 0x61, count: 20)
        #expect(string(s) == [20] + s)
    }

    @Test func streamIDsAreBigEndianRawOrLengthPairs() {
        var e = RDBEncoder(compression: true)
        e.appendRawStreamID(StreamID(ms: 1, seq: 2))
        e.appendLengthStreamID(StreamID(ms: 1, seq: 2))
        #expect(e.out == hex("00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 02 01 02"))
    }
}
