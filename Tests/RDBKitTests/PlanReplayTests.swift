import Foundation
import Testing
@testable import RDBKit

/// `plan` measured in the replay's one pass gives the numbers of the per-command timeline and of
/// `CrashModel.lossCounts`, instant by instant.
@Suite struct PlanReplayTests {
    static let candidates = [
        PlanCandidate(name: "default", policy: PersistencePolicy()),
        PlanCandidate(name: "save 5 1", policy: PersistencePolicy(savePoints: [.init(seconds: 5, changes: 1)])),
        PlanCandidate(name: "save 10 30 30 1", policy: PersistencePolicy(savePoints: [.init(seconds: 10, changes: 30), .init(seconds: 30, changes: 1)])),
        PlanCandidate(name: "everysec", policy: PersistencePolicy(savePoints: [], appendOnly: true, appendFsync: .everysec)),
        PlanCandidate(name: "always", policy: PersistencePolicy(savePoints: [], appendOnly: true, appendFsync: .always)),
        PlanCandidate(name: "no", policy: PersistencePolicy(savePoints: [], appendOnly: true, appendFsync: .no)),
        PlanCandidate(name: "rdb + aof", policy: PersistencePolicy(savePoints: [.init(seconds: 5, changes: 1)], appendOnly: true),
                      rewrite: AOFRewriteRule(percentage: 100, minSize: 300)),
    ]

    static func settings(started: Int64?, bgsaveMs: Int64?) -> PersistencePlan.Settings {
        var s = PersistencePlan.Settings()
        s.startedSeconds = started
        s.bgsaveMs = bgsaveMs
        return s
    }

    static func expectSame(_ a: PersistencePlan, _ b: PersistencePlan) {
        #expect(a.history.count == b.history.count)
        #expect(a.history.span?.first == b.history.span?.first && a.history.span?.last == b.history.span?.last)
        #expect(a.history.notes == b.history.notes)
        #expect(a.periodSeconds == b.periodSeconds && a.datasetBytes == b.datasetBytes && a.rdbBytes == b.rdbBytes)
        #expect(a.assumptions == b.assumptions)
        #expect(a.results.count == b.results.count)
        for (x, y) in zip(a.results, b.results) {
            let name = x.candidate.name
            for (p, q) in zip(x.loss, y.loss) {
                #expect(p.failure == q.failure && p.instants == q.instants, "\(name)")
                #expect(p.writes == q.writes && p.worstWrites == q.worstWrites && p.window == q.window, "\(name) \(p.failure)")
                #expect(p.curve == q.curve, "\(name) \(p.failure)")
            }
            #expect(x.snapshots.snapshots == y.snapshots.snapshots && x.snapshots.copyOnWrite == y.snapshots.copyOnWrite, "\(name)")
            #expect(x.snapshots.forkPauseMs == y.snapshots.forkPauseMs, "\(name)")
            #expect(x.disk == y.disk, "\(name)")
            #expect(x.restart == y.restart, "\(name)")
        }
    }

    @Test(arguments: [(Int64?.none, Int64?.some(1500)), (Int64?.some(CrashModelTests.at(9, 59, 50)), Int64?.some(1500)), (Int64?.none, Int64?.none)])
    func oneTimedPassGivesTheTimelinesNumbers(_ started: Int64?, _ bgsaveMs: Int64?) throws {
        let (dir, path) = try CrashModelTests.busyHistory()
        let settings = Self.settings(started: started, bgsaveMs: bgsaveMs)
        let streamed = try PersistencePlan(path: path, candidates: Self.candidates, settings: settings)
        let kept = PersistencePlan(timeline: try WriteTimeline(path: path), candidates: Self.candidates, settings: settings)
        #expect(streamed.history.streamed && !kept.history.streamed)
        #expect(streamed.results.map { $0.snapshots.snapshots }.reduce(0, +) > 20)
        Self.expectSame(streamed, kept)
        _ = dir
    }

    @Test func eachInstantsLossIsCrashModelsLossCounts() throws {
        let (dir, path) = try CrashModelTests.busyHistory()
        let timeline = try WriteTimeline(path: path)
        let settings = Self.settings(started: CrashModelTests.at(9, 59, 50), bgsaveMs: 1500)
        let plan = try PersistencePlan(path: path, candidates: Self.candidates, settings: settings)
        var losing = 0
        for (c, r) in zip(Self.candidates, plan.results) {
            for f in PersistencePolicy.Failure.allCases {
                var s = CrashModel.Settings(policy: c.policy, failure: f)
                s.startedSeconds = settings.startedSeconds
                s.bgsaveMs = settings.bgsaveMs
                let m = CrashModel(timeline: timeline, settings: s)
                let counted = LossProfile.instants(of: timeline).map { LossProfile.point(m.lossCounts(atMs: $0), at: $0, timeline: timeline) }
                // Fewer instants than curve points: the curve is every instant.
                #expect(r.loss(f)?.curve == counted, "\(c.name) \(f)")
                losing += counted.filter { $0.worstWrites > 0 }.count
            }
        }
        #expect(losing > 500)
        _ = dir
    }

    @Test func aTornTailIsReadAgainWithTheAOFsTrueSize() throws {
        let (dir, path) = try CrashModelTests.busyHistory()
        let torn = try dir.write("torn.aof", Array(try Data(contentsOf: URL(fileURLWithPath: path))) + Array("*3\r\n$3\r\nSET\r\n$1\r\nk".utf8))
        let settings = Self.settings(started: nil, bgsaveMs: 1500)
        let streamed = try PersistencePlan(path: torn, candidates: Self.candidates, settings: settings)
        let kept = PersistencePlan(timeline: try WriteTimeline(path: torn), candidates: Self.candidates, settings: settings)
        #expect(streamed.history.streamed && streamed.history.tails.count == 1)
        Self.expectSame(streamed, kept)
        _ = dir
    }

    @Test func untimedCommandsAreReadIntoATimeline() throws {
        let dir = try ScratchDirectory()
        let path = try dir.write("appendonly.aof", resp("SET", "a", "1") + Array("#TS:\(CrashModelTests.at(10, 0))\r\n".utf8) + resp("SET", "b", "2"))
        let settings = Self.settings(started: nil, bgsaveMs: 1500)
        let plan = try PersistencePlan(path: path, candidates: Self.candidates, settings: settings)
        #expect(!plan.history.streamed)
        Self.expectSame(plan, PersistencePlan(timeline: try WriteTimeline(path: path), candidates: Self.candidates, settings: settings))
        _ = dir
    }
}
