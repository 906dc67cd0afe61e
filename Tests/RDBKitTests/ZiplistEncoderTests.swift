import Testing
@testable import RDBKit

@Suite struct ZiplistEncoderTests {
    func ziplist(_ elements: [String]) -> [UInt8] {
        var e = ZiplistEncoder()
        for s in elements { e.append(Array(s.utf8)) }
        return e.finish()
    }

    @Test func referenceExampleOfAStringAnIntegerAndAString() {
        // format.md §5.7: "a", 300, "hello".
        #expect(ziplist(["a", "300", "hello"]) == hex("19 00 00 00 11 00 00 00 03 00  00 01 61  03 C0 2C 01  04 05 68 65 6C 6C 6F  FF"))
    }

    @Test func anEmptyZiplistPointsItsTailAtTheHeaderEnd() {
        #expect(ziplist([]) == hex("0B 00 00 00 0A 00 00 00 00 00 FF"))
    }

    @Test func integersTakeImmediateAndWidthEncodings() {
        var e = ZiplistEncoder()
        for s in ["0", "12", "13", "-128", "32767", "8388607", "2147483647", "9223372036854775807"] { e.append(Array(s.utf8)) }
        #expect(e.body == hex("00 F1  02 FD  02 FE 0D  03 FE 80  03 C0 FF 7F  04 F0 FF FF 7F  05 D0 FF FF FF 7F  06 E0 FF FF FF FF FF FF FF 7F"))
    }

    @Test func aPreviousEntryOf254BytesOrMoreTakesAFiveByteLength() {
        var e = ZiplistEncoder()
        e.append([UInt8](repeating: 0x61, count: 300))
        e.append(Array("b".utf8))
        // 300-byte string: prevlen 00, 14-bit length 41 2C, 300 bytes = 303 bytes.
        #expect(Array(e.body[303..<308]) == [0xFE, 0x2F, 0x01, 0x00, 0x00])
    }

    @Test func thirtyTwoCharacterNumbersStayStrings() {
        var e = ZiplistEncoder()
        e.append(Array(String(repeating: "1", count: 32).utf8))
        #expect(e.body[1] == 0x20)
    }

    @Test func whatTheEncoderWritesTheReaderReadsBack() throws {
        let values = ["", "x", "-1", "65536", String(repeating: "z", count: 20000), "-9223372036854775808"]
        let blob = ziplist(values)
        #expect(try packedElements(blob, kind: "ziplist", ZiplistIterator.init) == values)
    }
}
