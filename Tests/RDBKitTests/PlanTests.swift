import Foundation
import Testing
@testable import RDBKit

/// The plan's cost models on small crafted histories, written the way redis-server 7.0.15
/// writes a timestamped AOF (a `#TS:` line when the second changes).
@Suite struct PlanTests {
    static let t0 = CrashModelTests.at(10, 0)
    static let value = String(repeating: "x", count: 30)

    /// SELECT and SET a, b in second t0; SET c at t0+1; SET d at t0+3. Each SET of a 30-byte value
    /// is 57 bytes, 73 with the `#TS:` line before it; the file's first command counts 64.
    static func history() throws -> (ScratchDirectory, WriteTimeline) {
        let dir = try ScratchDirectory()
        var bytes = Array("#TS:\(t0)\r\n".utf8) + resp("SELECT", "0") + resp("SET", "a", value) + resp("SET", "b", value)
        bytes += Array("#TS:\(t0 + 1)\r\n".utf8) + resp("SET", "c", value)
        bytes += Array("#TS:\(t0 + 3)\r\n".utf8) + resp("SET", "d", value)
        return (dir, try WriteTimeline(path: try dir.write("appendonly.aof", bytes)))
    }

    static func key(_ k: String) -> Replayer.KeyRef { Replayer.KeyRef(db: 0, key: Array(k.utf8)) }

    @Test func commandBytesAreTheDistanceFromThePreviousCommand() throws {
        let (dir, tl) = try Self.history()
        #expect(tl.entries.indices.map { CopyOnWriteEstimate.commandBytes(tl, $0) } == [64, 57, 57, 73, 73])
        _ = dir
    }

    @Test func copyOnWriteCountsPagesOfKeysWrittenDuringTheSave() throws {
        let (dir, tl) = try Self.history()
        var sizes = KeySizes()
        sizes.bytes[Self.key("c")] = 4097  // more than its write carries: the write's 73 bytes count, 1 page
        sizes.bytes[Self.key("d")] = 20    // less: its 20 bytes, 1 page
        // The save runs through seconds t0+1..t0+3: c and d surely within; 2 pages drawn from 100.
        let e = CopyOnWriteEstimate(timeline: tl, fromMs: (Self.t0 + 1) * 1000, toMs: (Self.t0 + 3) * 1000 + 999,
                                    sizes: sizes, datasetBytes: 100 * 4096)
        #expect(e.keys == (2, 2))
        #expect(e.lowBytes == 2 * 4096)
        // Each key: its page, plus straddle, dict entry and bucket pages; plus the 4 MiB baseline.
        #expect(e.highBytes == 8 * 4096 + 4 << 20)
        _ = dir
    }

    @Test func writesOnlyOverlappingTheSaveCountAtTheHighEndOnly() throws {
        let (dir, tl) = try Self.history()
        // From the middle of second t0 to that of t0+1: neither second lies within the save.
        let e = CopyOnWriteEstimate(timeline: tl, fromMs: Self.t0 * 1000 + 500, toMs: (Self.t0 + 1) * 1000 + 500,
                                    sizes: KeySizes(), datasetBytes: 100 * 4096)
        #expect(e.keys == (0, 3))
        #expect(e.lowBytes == 0)
        #expect(e.highBytes == 3 * 4 * 4096 + 4 << 20)
        _ = dir
    }

    @Test func copyOnWriteNeverExceedsTheDatasetPlusBaseline() throws {
        let (dir, tl) = try Self.history()
        let e = CopyOnWriteEstimate(timeline: tl, fromMs: Self.t0 * 1000, toMs: (Self.t0 + 3) * 1000 + 999,
                                    sizes: KeySizes(), datasetBytes: 3 * 4096)
        #expect(e.keys == (4, 4))
        #expect(e.lowBytes == 3 * 4096)
        #expect(e.highBytes == 3 * 4096 + 4 << 20)
        _ = dir
    }

    @Test func aofTrafficIncludesRewritesByTheGrowthRule() throws {
        let (dir, tl) = try Self.history()
        // Base 100 bytes; rewrite at 100 % growth once 150 bytes: after SET a (221) and SET c (230).
        let c = PlanCandidate(name: "aof", policy: PersistencePolicy(savePoints: [], appendOnly: true, appendFsync: .everysec),
                              rewrite: AOFRewriteRule(percentage: 100, minSize: 150))
        let d = DiskTraffic(timeline: tl, candidate: c, snapshots: 0, rdbBytes: 100, periodSeconds: 4)
        #expect(d.rewrites == 2)
        #expect(d.aofAppendBytesPerHour == 324 * 900)
        #expect(d.rewriteBytesPerHour == 200 * 900)
        #expect(d.rdbBytesPerHour == 0)
        #expect(d.maxIncrBytes == 73 && d.meanIncrBytes == 38)
        // Two rewrites' fsyncs, one per second with writes (t0, t0+1, t0+3), over 4 s.
        #expect(d.fsyncsPerSecond == 1.25)
        _ = dir
    }

    @Test func fsyncsPerPolicy() throws {
        let (dir, tl) = try Self.history()
        func fsyncs(_ f: PersistencePolicy.Fsync) -> Double {
            DiskTraffic(timeline: tl, candidate: PlanCandidate(name: "", policy: PersistencePolicy(savePoints: [], appendOnly: true, appendFsync: f),
                                                               rewrite: AOFRewriteRule(percentage: 0)),
                        snapshots: 0, rdbBytes: 100, periodSeconds: 4).fsyncsPerSecond
        }
        #expect(fsyncs(.always) == 1.0)
        #expect(fsyncs(.everysec) == 0.75)
        #expect(fsyncs(.no) == 0)
        _ = dir
    }

    @Test func rdbTrafficIsTheFileOncePerSnapshot() throws {
        let (dir, tl) = try Self.history()
        let d = DiskTraffic(timeline: tl, candidate: PlanCandidate(name: "rdb", policy: PersistencePolicy()), snapshots: 3,
                            rdbBytes: 100, periodSeconds: 4)
        #expect(d.rdbBytesPerHour == 300 * 900)
        #expect(d.aofAppendBytesPerHour == 0 && d.rewrites == 0)
        #expect(d.fsyncsPerSecond == 0.75)
        _ = dir
    }

    @Test func restartLoadsThePreambleThenReplaysTheIncrement() throws {
        let (dir, tl) = try Self.history()
        let c = PlanCandidate(name: "aof", policy: PersistencePolicy(savePoints: [], appendOnly: true), rewrite: AOFRewriteRule(percentage: 100, minSize: 150))
        let d = DiskTraffic(timeline: tl, candidate: c, snapshots: 0, rdbBytes: 100, periodSeconds: 4)
        let aof = RestartEstimate(appendOnly: true, rdbBytes: 100, traffic: d, rdbRate: 100, aofRate: 10)
        #expect(aof.meanSeconds == 1 + 3.8)
        #expect(aof.maxSeconds == 1 + 7.3)
        let rdb = RestartEstimate(appendOnly: false, rdbBytes: 100, traffic: d, rdbRate: 100, aofRate: 10)
        #expect(rdb.meanSeconds == 1 && rdb.maxSeconds == 1)
        _ = dir
    }

    static func profile(_ writes: [Int], curvePoints: Int = 400) -> LossProfile {
        LossProfile(failure: .process, points: writes.enumerated().map { i, w in
            LossProfile.Point(ms: Int64(i) * 1000 + 999, writes: w, worstWrites: w, windowMs: Int64(w) * 1000)
        }, curvePoints: curvePoints)
    }

    @Test func statsUseTheNearestRankPercentile() {
        let s = Self.profile(Array(1...200)).writes
        #expect(s.max == 200 && s.mean == 100.5 && s.p99 == 198)
        #expect(Self.profile([]).writes == Self.profile([0]).writes)
    }

    @Test func largeLossesHaveAP99AtMostAFifthOfAPercentHigh() {
        // Buckets are exact below 1,024 and 1/512 of the value wide above.
        let values = (1...10_000).map { $0 * 37 }
        let s = Self.profile(values).writes
        let exact = Double(values[9_899])
        #expect(s.max == 370_000 && s.mean == 185_018.5)
        #expect(s.p99 >= exact && s.p99 <= exact * 1.002)
        let window = Self.profile(values).window.p99
        #expect(window >= exact && window <= exact * 1.002, "the window, counted in ms, reported in seconds")
    }

    @Test func theCurveKeepsTheWorstInstantOfEachStretchInBoundedPoints() {
        var writes = [Int](repeating: 1, count: 100_000)
        writes[54_321] = 99
        let p = Self.profile(writes, curvePoints: 400)
        #expect(p.instants == 100_000)
        #expect(p.curve.count > 200 && p.curve.count <= 400)
        #expect(p.curve.filter { $0.writes == 99 }.map(\.ms) == [54_321_999])
    }

    @Test func aShortHistoryHasEveryInstantOnItsCurve() {
        #expect(Self.profile([3, 1, 4, 1, 5]).curve.map(\.writes) == [3, 1, 4, 1, 5])
    }

    @Test func lossProfileHasOneInstantPerSecondOfTheHistory() throws {
        let (dir, tl) = try Self.history()
        var s = CrashModel.Settings(policy: PersistencePolicy(savePoints: [], appendOnly: true, appendFsync: .everysec), failure: .power)
        s.startedSeconds = Self.t0
        let m = CrashModel(timeline: tl, settings: s)
        let p = LossProfile(model: m)
        #expect(p.curve.map(\.ms) == (0..<4).map { (Self.t0 + $0) * 1000 + 999 })
        // everysec on power loss: the crash's second likely lost, what was written up to 2 s before
        // the crash possibly (a write postponed behind a slow fsync); SELECT is no write.
        #expect(p.curve.map(\.writes) == [2, 1, 0, 1])
        #expect(p.curve.map(\.worstWrites) == [2, 3, 3, 2])
        #expect(p.curve.map(\.windowMs) == [1000, 2000, 3000, 3000])
        _ = dir
    }

    @Test func candidatesFileLinesAreNamedConfigurations() throws {
        let list = try PlanCandidate.parse("""
            # comment
            fast: save ""; appendonly yes; appendfsync always; auto-aof-rewrite-min-size 1mb
            snap: save 60 1 300 10
            """, name: "c.txt")
        #expect(list.map(\.name) == ["fast", "snap"])
        #expect(list[0].policy == PersistencePolicy(savePoints: [], appendOnly: true, appendFsync: .always))
        #expect(list[0].rewrite == AOFRewriteRule(percentage: 100, minSize: 1 << 20))
        #expect(list[1].policy.savePoints == [.init(seconds: 60, changes: 1), .init(seconds: 300, changes: 10)])
        #expect(!list[1].policy.appendOnly)
    }

    @Test func badCandidateLinesNameTheirPlace() {
        #expect(throws: CrashError.self) { try PlanCandidate.parse("no colon here", name: "c.txt") }
        do { _ = try PlanCandidate.parse("x: appendfsync sometimes", name: "c.txt") } catch {
            #expect(error.description == "c.txt:1: appendfsync takes always, everysec or no")
        }
        do { _ = try PlanCandidate.parse("\nx: auto-aof-rewrite-min-size lots", name: "c.txt") } catch {
            #expect(error.description == "c.txt:2: auto-aof-rewrite-min-size takes a size such as 64mb")
        }
    }

    @Test func goalsParseTimesAndSizes() {
        #expect(PlanGoal.parseLoss("1s") == .maxLoss(seconds: 1))
        #expect(PlanGoal.parseLoss("500ms") == .maxLoss(seconds: 0.5))
        #expect(PlanGoal.parseLoss("2m") == .maxLoss(seconds: 120))
        #expect(PlanGoal.parseLoss("soon") == nil)
        #expect(PlanGoal.parseCOW("2GB") == .maxCOW(bytes: 2 << 30))
        #expect(PlanGoal.parseCOW("100000") == .maxCOW(bytes: 100_000))
        #expect(AOFRewriteRule.memorySize("1k") == 1000)
    }
}
