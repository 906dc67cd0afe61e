import Testing
@testable import RDBKit

@Suite struct StalenessBoundTests {
    /// Seconds 100 to 109 with ten changes each (one SELECT first), the server started at 100.
    static func tenChangesASecond() -> StalenessBound {
        var bound = StalenessBound(startedSeconds: 100)
        for k in 0..<10 { bound.append(second: 100 + Int64(k), first: k == 0 ? 0 : 1 + 10 * k, writesBefore: 10 * k, dirty: 10) }
        return bound
    }

    static let save = [PersistencePolicy.SavePoint(seconds: 1, changes: 30)]

    /// Under `save 1 30` and 100 ms saves, the dump the server started with is replaced once 30
    /// changes (by 102.999) and a late tick (400 ms) and a save have passed: by 103.499. A
    /// snapshot cut at 101's start was noticed by 102.499, so the next is due at 104.000 (two
    /// seconds after the notice's second) and in place by 104.500; one cut at 102's start, by 105.500.
    @Test func theStartingDumpIsInPlaceUntilOneSaveCouldHaveReplacedIt() {
        let bound = Self.tenChangesASecond()
        #expect(bound.oldest(atMs: 103_499, savePoints: Self.save, durationMs: 100)?.second == 100)
        #expect(bound.oldest(atMs: 103_500, savePoints: Self.save, durationMs: 100)?.second == 100)
        #expect(bound.oldest(atMs: 104_500, savePoints: Self.save, durationMs: 100)?.second == 101)
        #expect(bound.oldest(atMs: 105_500, savePoints: Self.save, durationMs: 100)?.second == 102)
    }

    /// The answer is the second before the first whose start survives: a cut inside it may.
    @Test func aCutInsideTheSecondBeforeTheFirstSurvivingStartIsKept() {
        let bound = Self.tenChangesASecond()
        let oldest = bound.oldest(atMs: 104_499, savePoints: Self.save, durationMs: 100)
        #expect(oldest?.second == 100 && oldest?.first == 0 && oldest?.writesBefore == 0)
        #expect(bound.oldest(atMs: 104_500, savePoints: Self.save, durationMs: 100)?.first == 11)
    }

    /// Changes that never reach a save point's count force nothing: the starting dump stays possible.
    @Test func withTooFewChangesNoSnapshotIsForced() {
        let bound = Self.tenChangesASecond()
        let oldest = bound.oldest(atMs: 200_000, savePoints: [.init(seconds: 1, changes: 1000)], durationMs: 100)
        #expect(oldest?.second == 100)
    }

    @Test func beforeTheFirstSecondThereIsNothingToBound() {
        #expect(Self.tenChangesASecond().oldest(atMs: 99_999, savePoints: Self.save, durationMs: 100) == nil)
    }
}
