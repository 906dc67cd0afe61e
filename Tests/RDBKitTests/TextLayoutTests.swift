import Testing
@testable import RDBKit

@Suite struct TextLayoutTests {
    @Test func padsOnEitherSide() {
        #expect(TextLayout.pad("ab", 4) == "ab  ")
        #expect(TextLayout.padLeft("ab", 4) == "  ab")
        #expect(TextLayout.padLeft("abcde", 4) == "abcde")
    }

    @Test func fixedKeepsTrailingZeros() {
        #expect(TextLayout.fixed(2.5, 2) == "2.50")
        #expect(TextLayout.fixed(0.125, 1) == "0.1")
    }

    @Test func bytesUseBinaryUnits() {
        #expect(TextLayout.bytes(512) == "512 B")
        #expect(TextLayout.bytes(1536) == "1.5 KiB")
        #expect(TextLayout.bytes(20 * 1024 * 1024) == "20.0 MiB")
    }
}
