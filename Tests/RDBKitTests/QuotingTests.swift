import Testing
@testable import RDBKit

@Suite struct QuotingTests {
    @Test func redisCLIEscapesAsSdscatrepr() {
        #expect(Quoting.redisCLI(Array("a\"b\\c\n\r\t\u{07}\u{08}".utf8) + [0x00, 0xFF]) == #""a\"b\\c\n\r\t\a\b\x00\xff""#)
    }

    @Test func aLimitCutsWithAnEllipsis() {
        #expect(Quoting.redisCLI(Array("abcdef".utf8), limit: 3) == #""abc...""#)
    }

    @Test func theByteRenderingMatchesTheStringOne() {
        let samples: [[UInt8]] = [[], Array("plain".utf8), Array(0...255), Array("mixed \u{1} text\u{7F}".utf8)]
        for s in samples {
            var out: [UInt8] = []
            s.withUnsafeBytes { Quoting.appendRedisCLI($0, to: &out) }
            #expect(String(decoding: out, as: UTF8.self) == Quoting.redisCLI(s))
        }
    }
}
