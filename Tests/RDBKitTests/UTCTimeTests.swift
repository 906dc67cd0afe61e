import Testing
@testable import RDBKit

@Suite struct UTCTimeTests {
    @Test func millisecondsBeforeTheEpochFloorToTheSecondBefore() {
        #expect(UTCTime.iso(ms: -1) == "1969-12-31T23:59:59.999Z")
        #expect(UTCTime.iso(ms: -1_000) == "1969-12-31T23:59:59.000Z")
    }

    /// An expiry or a `#TS:` line can hold any 64-bit value: every one formats.
    @Test func theExtremesOfInt64FormatWithoutOverflow() {
        #expect(UTCTime.iso(ms: Int64.min) == "-292275055-05-16T16:47:04.192Z")
        #expect(UTCTime.iso(ms: Int64.max) == "292278994-08-17T07:12:55.807Z")
        #expect(UTCTime.format(seconds: Int64.min / 1000) == "-292275055-05-16 16:47:05 UTC")
    }

    @Test func theMidnightOfTheFirstDayOfInt64TimeIsClamped() {
        #expect(UTCTime.midnight(ofMs: Int64.min) == Int64.min)
        #expect(UTCTime.midnight(ofMs: 86_400_000 + 5) == 86_400_000)
    }
}
