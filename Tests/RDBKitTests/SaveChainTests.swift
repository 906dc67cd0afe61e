import Testing
@testable import RDBKit

/// The crash model against a server whose every write has its millisecond: `serverCron`'s
/// save-point rule (format.md §8.2) run tick by tick at a fixed phase over writes at known
/// instants, the history then written as a `#TS:` AOF (seconds only) for the model. Real
/// servers cannot be run for hours in a test; this one can, and says where each snapshot cut.
@Suite struct SaveChainTests {
    /// A write's instant (ms) and the snapshots the reference server takes.
    struct Reference {
        var writesMs: [Int64] = []
        /// (cut: writes before the fork, renamed into place at)
        var snapshots: [(cut: Int, doneMs: Int64)] = []

        /// The rule at every tick from `startMs + phaseMs`: notice a finished child, then fork when
        /// a save point matches; a tick runs `lateMs[j]` behind its slot.
        init(startMs: Int64, seconds: Int64, writesPerSecond: ClosedRange<Int>, save: [PersistencePolicy.SavePoint],
             durationMs: Int64, phaseMs: Int64, lateMs: ClosedRange<Int64>, rng: inout VerifyMutationTests.Seeded) {
            for s in 0..<seconds {
                let n = Int.random(in: writesPerSecond, using: &rng)
                writesMs += (0..<n).map { _ in startMs + s * 1000 + Int64.random(in: 0..<1000, using: &rng) }.sorted()
            }
            var dirty = 0, lastsave = startMs / 1000, next = 0
            var child: (before: Int, doneMs: Int64)?
            var slot = startMs + phaseMs
            while slot < startMs + seconds * 1000 + 30_000 {
                let tick = slot + Int64.random(in: lateMs, using: &rng)
                while next < writesMs.count && writesMs[next] < tick { next += 1; dirty += 1 }
                if let c = child, c.doneMs <= tick {
                    dirty -= c.before
                    lastsave = tick / 1000
                    child = nil
                }
                if child == nil, save.contains(where: { Int64(dirty) >= $0.changes && tick / 1000 - lastsave > $0.seconds }) {
                    child = (dirty, tick + durationMs)
                    snapshots.append((next, tick + durationMs))
                }
                slot += 100
            }
        }

        func aof() -> [UInt8] {
            var bytes: [UInt8] = []
            var second = Int64.min
            for (i, ms) in writesMs.enumerated() {
                if ms / 1000 != second {
                    second = ms / 1000
                    bytes += Array("#TS:\(second)\r\n".utf8)
                    if i == 0 { bytes += resp("SELECT", "0") }
                }
                bytes += resp("SET", "k\(i % 300)", "\(i)")
            }
            return bytes
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var seed: UInt64
        var save: [PersistencePolicy.SavePoint]
        var writesPerSecond: ClosedRange<Int>
        var seconds: Int64
        /// How far behind its slot each tick of the reference server runs.
        var lateMs: ClosedRange<Int64>
        var testDescription: String {
            "seed \(seed), save \(save.map { "\($0.seconds) \($0.changes)" }.joined(separator: " ")), \(writesPerSecond) writes/s"
        }
    }

    static let cases = [
        Case(seed: 1, save: [.init(seconds: 1, changes: 50)], writesPerSecond: 4...10, seconds: 3600, lateMs: 0...50),
        Case(seed: 2, save: [.init(seconds: 1, changes: 50)], writesPerSecond: 0...20, seconds: 3600, lateMs: 0...300),
        Case(seed: 3, save: [.init(seconds: 60, changes: 1), .init(seconds: 10, changes: 200)], writesPerSecond: 5...40,
             seconds: 1800, lateMs: 0...100),
        Case(seed: 4, save: [.init(seconds: 1, changes: 1000)], writesPerSecond: 100...300, seconds: 600, lateMs: 0...50),
    ]

    /// Over hundreds of saves, most made due by their changes, the reference server's snapshot in
    /// place at every second is one the bands allow (a power loss: only files in place count), and
    /// the bands stay one save wide (plus the writes of the fork's, the notice's and the crash's
    /// seconds) however many saves came before.
    @Test(arguments: cases) func theReferenceServersSnapshotStaysInsideTheBands(_ c: Case) throws {
        var rng = VerifyMutationTests.Seeded(state: c.seed)
        let start = CrashModelTests.at(10, 0)
        let ref = Reference(startMs: start * 1000, seconds: c.seconds, writesPerSecond: c.writesPerSecond, save: c.save, durationMs: 100,
                            phaseMs: Int64.random(in: 0..<100, using: &rng), lateMs: c.lateMs, rng: &rng)
        let dir = try ScratchDirectory()
        let path = try dir.write("appendonly.aof", ref.aof())
        var s = CrashModel.Settings(policy: PersistencePolicy(savePoints: c.save), failure: .power)
        s.startedSeconds = start
        s.bgsaveMs = 100
        let m = CrashModel(timeline: try WriteTimeline(path: path), settings: s)
        var outside = 0, widest = 0, checked = 0
        var first: String?
        for second in stride(from: start + 10, to: start + c.seconds, by: 1) {
            let t = second * 1000 + 999
            // Entry 0 is SELECT: write i is entry i + 1.
            let real = 1 + (ref.snapshots.last { $0.doneMs <= t }?.cut ?? 0)
            let counts = m.lossCounts(atMs: t)
            let maxCut = counts.atT - counts.certain
            checked += 1
            widest = max(widest, maxCut - counts.firstLost)
            if real < counts.firstLost || real > maxCut {
                outside += 1
                if first == nil { first = "at +\(second - start) s: real cut \(real), bands \(counts.firstLost)...\(maxCut)" }
            }
        }
        print("\(c.testDescription): \(ref.snapshots.count) saves, \(outside)/\(checked) outside, widest band \(widest) writes; \(first ?? "")")
        #expect(outside == 0, "\(first ?? "")")
        // One save's changes, or its seconds of writes, whichever comes first, and five seconds of writes.
        let period = c.save.map { max(Int($0.changes), Int($0.seconds) * c.writesPerSecond.upperBound) }.min() ?? 0
        #expect(widest <= period + 5 * c.writesPerSecond.upperBound, "\(widest)")
        _ = dir
    }
}
