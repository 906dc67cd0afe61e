import Testing
@testable import RDBKit

@Suite struct ScoreTextTests {
    func text(_ v: Double, _ version: Int) -> String { String(decoding: ScoreText.render(v, rdbVersion: version), as: UTF8.self) }

    @Test func integralScoresAreIntegers() {
        for version in 9...12 { #expect(text(3, version) == "3") }
        #expect(text(123_456_789_012_345_678, 10) == "123456789012345680")
        #expect(text(123_456_789_012_345_678, 9) == "1.2345678901234568e+17")
    }

    @Test func negativeZeroKeepsItsSignOnlyBefore70() {
        #expect(text(-0.0, 9) == "-0")
        #expect(text(-0.0, 10) == "0")
    }

    @Test func fractionsArePrintf17gUpTo70AndShortestFrom72() {
        #expect(text(0.1, 9) == "0.10000000000000001")
        #expect(text(0.1, 10) == "0.10000000000000001")
        #expect(text(0.1, 11) == "0.1")
        #expect(text(0.30000000000000004, 12) == "0.30000000000000004")
        #expect(text(2.5, 11) == "2.5")
    }

    @Test func exponentsFollowFpconvLayout() {
        #expect(text(1e300, 10) == "1.0000000000000001e+300")
        #expect(text(1e300, 11) == "1e+300")
        #expect(text(1.5e-7, 11) == "1.5e-7")
        #expect(text(0.001, 11) == "0.001")
        #expect(text(5e-324, 12) == "5e-324")
        #expect(text(1.7976931348623157e308, 12) == "1.7976931348623157e+308")
        #expect(text(-1234.5, 11) == "-1234.5")
    }

    @Test func infinitiesAreSpelledOut() {
        #expect(text(.infinity, 9) == "inf")
        #expect(text(-.infinity, 12) == "-inf")
    }

    @Test func everyFormReadsBackToTheSameDouble() {
        let samples: [Double] = [0.1, 1.0 / 3, -2.5e-12, 6.02214076e23, 4.9e-324, 1e16 + 2, 12345.678901]
        for v in samples {
            for version in 9...12 {
                let t = ScoreText.render(v, rdbVersion: version)
                #expect(t.withUnsafeBytes { parseDouble($0) } == v, "\(v) as \(text(v, version))")
            }
        }
    }
}
