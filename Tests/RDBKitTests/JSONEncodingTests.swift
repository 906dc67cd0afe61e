import Foundation
import Testing
@testable import RDBKit

/// Renders what `body` appends as text.
private func rendered(_ body: (inout [UInt8]) -> Void) -> String {
    var bytes: [UInt8] = []
    body(&bytes)
    return String(decoding: bytes, as: UTF8.self)
}

private func json(_ bytes: [UInt8]) -> String { rendered { JSONEncoding.appendBytes(bytes, to: &$0) } }
private func json(_ v: Double) -> String { rendered { JSONEncoding.appendDouble(v, to: &$0) } }
private func base64(_ bytes: [UInt8]) -> String {
    rendered { sink in bytes.withUnsafeBytes { JSONEncoding.appendBase64($0, to: &sink) } }
}

@Suite struct JSONEncodingTests {
    @Test func plainASCIIIsWrittenVerbatim() {
        #expect(json(ascii("user:1000/profile")) == #""user:1000/profile""#)
        #expect(json(ascii("a longer key that spans several words")) == #""a longer key that spans several words""#)
    }

    @Test func emptyBytesAreAnEmptyString() {
        #expect(json([]) == #""""#)
    }

    @Test func quoteAndBackslashAreEscaped() {
        #expect(json(ascii(#"say "hi" \ bye"#)) == #""say \"hi\" \\ bye""#)
    }

    @Test func controlCharactersUseShortEscapesOrUnicodeEscapes() {
        #expect(json([0x0A, 0x0D, 0x09, 0x08, 0x0C]) == #""\n\r\t\b\f""#)
        #expect(json([0x00, 0x01, 0x1B, 0x1F]) == #""\u0000\u0001\u001b\u001f""#)
    }

    @Test func deleteAndSlashAreNotEscaped() {
        #expect(json([0x7F, 0x2F]) == "\"\u{7F}/\"")
    }

    @Test func validUTF8IsWrittenAsText() {
        #expect(json(Array("naïve café 日本 🎉".utf8)) == "\"naïve café 日本 🎉\"")
        #expect(json(Array("line\n日本".utf8)) == "\"line\\n日本\"")
    }

    @Test func invalidUTF8BecomesBase64() {
        #expect(json([0xFF, 0x62, 0x69, 0x6E]) == #"{"b64":"/2Jpbg=="}"#)
        #expect(json([0x80]) == #"{"b64":"gA=="}"#)
    }

    @Test(arguments: [
        [0xC0, 0x80],              // overlong NUL
        [0xE0, 0x80, 0x80],        // overlong 3-byte form
        [0xED, 0xA0, 0x80],        // UTF-16 surrogate
        [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
        [0xF5, 0x80, 0x80, 0x80],  // lead byte never valid
        [0xE6, 0x97],              // truncated sequence
        [0x61, 0xC3, 0x28],        // bad continuation
    ] as [[UInt8]])
    func strictUTF8RejectsMalformedSequences(_ bytes: [UInt8]) {
        #expect(!bytes.withUnsafeBytes { JSONEncoding.isValidUTF8($0) })
    }

    @Test func utf8BoundaryCodePointsAreAccepted() {
        for scalar in ["\u{80}", "\u{7FF}", "\u{800}", "\u{D7FF}", "\u{E000}", "\u{FFFF}", "\u{10000}", "\u{10FFFF}"] {
            #expect(Array(scalar.utf8).withUnsafeBytes { JSONEncoding.isValidUTF8($0) })
        }
    }

    @Test func nonASCIIAfterALongASCIIRunIsFound() {
        let bytes = ascii("0123456789abcdef") + [0xFF]
        #expect(json(bytes) == #"{"b64":"MDEyMzQ1Njc4OWFiY2RlZv8="}"#)
    }

    @Test func anEscapeIsFoundAtEveryPositionOfAWord() {
        for k in 0..<17 {
            var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 17)
            bytes[k] = UInt8(ascii: "\"")
            let expected = String(repeating: "a", count: k) + #"\""# + String(repeating: "a", count: 16 - k)
            #expect(json(bytes) == "\"" + expected + "\"", "quote at \(k)")
        }
    }

    @Test func aMultiByteSequenceAcrossAWordBoundaryIsKept() {
        #expect(json(Array("abcdefg日本\"xyz0123456789".utf8)) == "\"abcdefg日本\\\"xyz0123456789\"")
        #expect(json(Array("abcdefg🎉".utf8)) == "\"abcdefg🎉\"")
    }

    @Test(arguments: [
        [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xF5, 0x80, 0x80, 0x80], [0xE6, 0x97], [0x61, 0xC3, 0x28],
    ] as [[UInt8]])
    func malformedSequencesAfterEscapedTextMakeTheWholeStringBase64(_ tail: [UInt8]) {
        let bytes = ascii(#"say "hi" \ then "#) + tail
        #expect(json(bytes) == #"{"b64":""# + Data(bytes).base64EncodedString() + #""}"#)
    }

    @Test func base64PadsEachRemainder() {
        #expect(base64(ascii("f")) == "Zg==")
        #expect(base64(ascii("fo")) == "Zm8=")
        #expect(base64(ascii("foo")) == "Zm9v")
        #expect(base64(ascii("foobar")) == "Zm9vYmFy")
    }

    @Test func base64SpansItsInternalChunks() {
        for count in [767, 768, 769, 2000] {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            #expect(base64(bytes) == Data(bytes).base64EncodedString())
        }
    }

    @Test func integralDoublesHaveNoFraction() {
        #expect(json(3) == "3")
        #expect(json(-42) == "-42")
        #expect(json(0) == "0")
        #expect(json(3479099956230698) == "3479099956230698")
    }

    @Test func negativeZeroKeepsItsSign() {
        #expect(json(-0.0) == "-0")
    }

    @Test func fractionalAndLargeDoublesUseTheShortestRoundTrip() {
        #expect(json(1.5) == "1.5")
        #expect(json(0.1) == "0.1")
        #expect(json(0.1 + 0.2) == "0.30000000000000004")
        #expect(json(1e300) == "1e+300")
        #expect(json(8e17) == "8e+17")
        #expect(json(.leastNonzeroMagnitude) == "5e-324")
        #expect(json(.greatestFiniteMagnitude) == "1.7976931348623157e+308")
    }

    @Test func infinitiesAreStrings() {
        #expect(json(.infinity) == #""inf""#)
        #expect(json(-.infinity) == #""-inf""#)
    }

    @Test func unsignedDecimalsUseTheFullRange() {
        #expect(rendered { JSONEncoding.appendDecimal(UInt64.max, to: &$0) } == "18446744073709551615")
        #expect(rendered { JSONEncoding.appendDecimal(UInt64(Int64.max) + 1, to: &$0) } == "9223372036854775808")
        #expect(rendered { JSONEncoding.appendDecimal(7, to: &$0) } == "7")
    }

    @Test func streamIDsAreQuotedMsDashSeq() {
        let id = StreamID(ms: 1_700_000_000_000, seq: UInt64.max)
        #expect(rendered { JSONEncoding.appendStreamID(id, to: &$0) } == #""1700000000000-18446744073709551615""#)
    }

    @Test func stringsFromSwiftTextAreEscapedNotValidated() {
        #expect(rendered { JSONEncoding.appendString("LUA".utf8, to: &$0) } == #""LUA""#)
        #expect(rendered { JSONEncoding.appendString("tab\there é".utf8, to: &$0) } == "\"tab\\there é\"")
    }

    @Test func outputBufferEntryPointsMatchTheSinkForms() {
        let out = OutputBuffer()
        JSONEncoding.appendBytes(UnsafeRawBufferPointer(start: nil, count: 0), to: out)
        JSONEncoding.appendString("é".utf8, to: out)
        JSONEncoding.appendDouble(-.infinity, to: out)
        #expect(String(decoding: out.bytes, as: UTF8.self) == #""""é""-inf""#)
    }
}
