import Foundation
import Testing
@testable import RDBKit

/// The crash model on histories written the way redis-server 7.0.15 writes a timestamped AOF
/// (`#TS:` line, then SELECT, then the command; format.md §7.4).
@Suite struct CrashModelTests {
    /// Unix seconds of 2024-11-23 at a time of day.
    static func at(_ h: Int64, _ m: Int64, _ s: Int64 = 0) -> Int64 { 1_732_320_000 + h * 3600 + m * 60 + s }
    static func ms(_ h: Int64, _ m: Int64, _ s: Int64 = 0, _ milli: Int64 = 0) -> Int64 { at(h, m, s) * 1000 + milli }

    /// The RDB notes' example: a write saved by the 10:00 snapshot, then SET A 10:01, SET B
    /// 10:02, SET C 10:03. The server started 15 minutes before the snapshot, so
    /// `save 900 1` forks it at 10:00:00 (the first second more than 900 s after start-up).
    static func notesHistory() throws -> (ScratchDirectory, String) {
        let dir = try ScratchDirectory()
        var bytes: [UInt8] = []
        bytes += Array("#TS:\(at(9, 44, 59))\r\n".utf8) + resp("SELECT", "0") + resp("SET", "X", "0")
        bytes += Array("#TS:\(at(10, 1))\r\n".utf8) + resp("SET", "A", "1")
        bytes += Array("#TS:\(at(10, 2))\r\n".utf8) + resp("SET", "B", "2")
        bytes += Array("#TS:\(at(10, 3))\r\n".utf8) + resp("SET", "C", "3")
        return (dir, try dir.write("appendonly.aof", bytes))
    }

    static let notesSave = [PersistencePolicy.SavePoint(seconds: 900, changes: 1), .init(seconds: 300, changes: 10),
                            .init(seconds: 60, changes: 10000)]

    static func model(_ path: String, _ policy: PersistencePolicy, failure: PersistencePolicy.Failure = .power,
                      bgsaveMs: Int64? = nil) throws -> CrashModel {
        var s = CrashModel.Settings(policy: policy, failure: failure)
        s.startedSeconds = at(9, 44, 59)
        s.bgsaveMs = bgsaveMs
        return CrashModel(timeline: try WriteTimeline(path: path), settings: s)
    }

    /// The lost keys' names with their classes.
    static func lost(_ m: CrashModel, _ o: CrashModel.Outcome) -> [String: LossClass] {
        Dictionary(uniqueKeysWithValues: o.keys.map { (String(decoding: m.timeline.keys[Int($0.id)].key, as: UTF8.self), $0.loss) })
    }

    @Test func rdbOnlyCrashAt1004LosesExactlyABC() throws {
        let (dir, path) = try Self.notesHistory()
        let m = try Self.model(path, PersistencePolicy(savePoints: Self.notesSave))
        let o = m.evaluate(atMs: Self.ms(10, 4))
        #expect(Self.lost(m, o) == ["A": .certain, "B": .certain, "C": .certain])
        #expect(o.count(.certain) == 3 && o.lostWrites == 3)
        #expect(o.snapshot.early?.forkMs == Self.ms(10, 0))
        #expect(o.snapshot.late?.cut == 2)
        _ = dir
    }

    @Test func appendfsyncAlwaysLosesNothing() throws {
        let (dir, path) = try Self.notesHistory()
        let m = try Self.model(path, PersistencePolicy(savePoints: Self.notesSave, appendOnly: true, appendFsync: .always))
        let o = m.evaluate(atMs: Self.ms(10, 4))
        #expect(o.keys.isEmpty && o.lostWrites == 0)
        #expect(o.source == .aof)
        _ = dir
    }

    @Test func everysecPowerLossInsideTheLastSecondLosesOnlyThatSecondsWrite() throws {
        let (dir, path) = try Self.notesHistory()
        let m = try Self.model(path, PersistencePolicy(savePoints: [], appendOnly: true, appendFsync: .everysec))
        // C's second has fully passed at .999: it was written, after the second's fsync began.
        #expect(Self.lost(m, m.evaluate(atMs: Self.ms(10, 3, 0, 999))) == ["C": .likely])
        // At .5, C may also have come after the crash.
        #expect(Self.lost(m, m.evaluate(atMs: Self.ms(10, 3, 0, 500))) == ["C": .possible])
        // Later only a delayed fsync loses it, with the write postponed behind it (at most 2 s, as
        // for a killed process); once its whole second is 2 s past, nothing.
        #expect(Self.lost(m, m.evaluate(atMs: Self.ms(10, 3, 1, 500))) == ["C": .possible])
        #expect(Self.lost(m, m.evaluate(atMs: Self.ms(10, 3, 2, 500))) == ["C": .possible])
        #expect(Self.lost(m, m.evaluate(atMs: Self.ms(10, 3, 3, 0))).isEmpty)
        _ = dir
    }

    @Test(arguments: [PersistencePolicy.Fsync.always, .everysec, .no])
    func aPowerLossLosesWhateverAKilledProcessMayLose(_ fsync: PersistencePolicy.Fsync) throws {
        let (dir, path) = try Self.notesHistory()
        let policy = PersistencePolicy(savePoints: [], appendOnly: true, appendFsync: fsync)
        let power = try Self.model(path, policy), process = try Self.model(path, policy, failure: .process)
        for s in Int64(0)..<4 {
            for milli: Int64 in [0, 500, 999] {
                let t = Self.ms(10, 3, s, milli)
                let byPower = Self.lost(power, power.evaluate(atMs: t))
                for (key, loss) in Self.lost(process, process.evaluate(atMs: t)) {
                    #expect((byPower[key] ?? .none) >= loss, "\(key) at 10:03:0\(s).\(milli)")
                }
            }
        }
        _ = dir
    }

    @Test func aKilledProcessLosesNoWriteTheAOFHoldsButEverysecsPostponedOnes() throws {
        let (dir, path) = try Self.notesHistory()
        let m = try Self.model(path, PersistencePolicy(savePoints: [], appendOnly: true, appendFsync: .no), failure: .process)
        #expect(m.evaluate(atMs: Self.ms(10, 3, 0, 999)).keys.isEmpty)
        // everysec holds a write back while a slow fsync runs, up to 2 s: a kill may lose that.
        let e = try Self.model(path, PersistencePolicy(savePoints: [], appendOnly: true, appendFsync: .everysec), failure: .process)
        #expect(Self.lost(e, e.evaluate(atMs: Self.ms(10, 3, 1, 500))) == ["C": .possible])
        #expect(Self.lost(e, e.evaluate(atMs: Self.ms(10, 3, 3))).isEmpty)
        _ = dir
    }

    @Test func crashBeforeAnySnapshotLosesEveryWriteSinceStartUp() throws {
        let (dir, path) = try Self.notesHistory()
        let m = try Self.model(path, PersistencePolicy(savePoints: Self.notesSave))
        let o = m.evaluate(atMs: Self.ms(9, 50))
        #expect(Self.lost(m, o) == ["X": .certain])
        #expect(o.snapshot.early == nil && o.snapshot.late == nil)
        _ = dir
    }

    @Test func crashDuringASnapshotFallsBackToThePreviousFile() throws {
        let (dir, path) = try Self.notesHistory()
        let m = try Self.model(path, PersistencePolicy(savePoints: Self.notesSave), bgsaveMs: 30_000)
        let o = m.evaluate(atMs: Self.ms(10, 0, 10))
        #expect(o.inProgress?.forkMs == Self.ms(10, 0))
        #expect(Self.lost(m, o) == ["X": .certain])
        // A killed process leaves the child running: its file may still land.
        let k = try Self.model(path, PersistencePolicy(savePoints: Self.notesSave), failure: .process, bgsaveMs: 30_000)
        #expect(Self.lost(k, k.evaluate(atMs: Self.ms(10, 0, 10))) == ["X": .possible])
        _ = dir
    }

    @Test func crashExactlyAtAnAnnotatedSecondLeavesThatSecondsWritesUncertain() throws {
        let (dir, path) = try Self.notesHistory()
        let m = try Self.model(path, PersistencePolicy(savePoints: Self.notesSave))
        #expect(Self.lost(m, m.evaluate(atMs: Self.ms(10, 3))) == ["A": .certain, "B": .certain, "C": .possible])
        _ = dir
    }

    @Test func aFailedSnapshotIsRetriedAfterFiveSeconds() throws {
        let (dir, path) = try Self.notesHistory()
        var s = CrashModel.Settings(policy: PersistencePolicy(savePoints: Self.notesSave), failure: .power)
        s.startedSeconds = Self.at(9, 44, 59)
        s.failuresMs = [Self.ms(9, 59)]
        let m = CrashModel(timeline: try WriteTimeline(path: path), settings: s)
        #expect(m.snapshots.early.prefix(2).map(\.succeeded) == [false, true])
        #expect(m.snapshots.early.prefix(2).map(\.forkMs) == [Self.ms(10, 0), Self.ms(10, 0, 6)])
        _ = dir
    }

    @Test func withoutAnnotationsTimesComeFromTheFileAndStayUncertain() throws {
        let dir = try ScratchDirectory()
        let path = try dir.write("appendonly.aof", resp("SELECT", "0") + resp("SET", "A", "1") + resp("SET", "B", "2"))
        let mtime = Self.at(10, 3)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: TimeInterval(mtime))], ofItemAtPath: path)
        let timeline = try WriteTimeline(path: path)
        #expect(timeline.timing == .evidence)
        #expect(timeline.notes.first?.hasPrefix("no #TS: annotations") == true)
        #expect(timeline.entries.map(\.hiMs) == [mtime * 1000 + 999, mtime * 1000 + 999, mtime * 1000 + 999])
        var s = CrashModel.Settings(policy: PersistencePolicy(savePoints: [], appendOnly: true, appendFsync: .everysec), failure: .power)
        s.startedSeconds = Self.at(9, 0)
        let m = CrashModel(timeline: timeline, settings: s)
        // Either write may be the last one before the crash: neither is certain either way.
        #expect(Self.lost(m, m.evaluate(atMs: Self.ms(10, 3, 0, 500))) == ["A": .possible, "B": .possible])
    }

    @Test func theReportNamesTheLostCommandsAndWhatEachKeyLosesOnRecovery() throws {
        let (dir, path) = try Self.notesHistory()
        let m = try Self.model(path, PersistencePolicy(savePoints: Self.notesSave))
        let o = m.evaluate(atMs: Self.ms(10, 4))
        let d = try CrashDetails(model: m, outcome: o, limit: 2, keyLimit: 10)
        #expect(d.commands.map(\.text) == ["SET \"A\" \"1\"", "SET \"B\" \"2\""])
        #expect(d.keys.map { "\($0.diff.kind) \(String(decoding: $0.diff.key, as: UTF8.self))" } == ["added A", "added B", "added C"])
        let text = CrashReport(model: m, outcome: o, details: d).text()
        #expect(text.contains("lost writes: 3 (3 lost, 0 likely lost, 0 possibly lost)"))
        #expect(text.contains("2024-11-23T10:01:00Z  db0  SET \"A\" \"1\"  [lost]"))
        #expect(text.contains("… 1 more (--limit)"))
        #expect(text.contains("+ db0 \"C\" (string) = \"3\"  [lost]"))
        _ = dir
    }

    @Test func configFileSavePointsReplaceTheCompiledInList() throws {
        let p = try PersistencePolicy.parseConfig("# comment\nsave 900 1\nsave 300 10\nappendonly yes\nappendfsync always\n")
        #expect(p.savePoints == [.init(seconds: 900, changes: 1), .init(seconds: 300, changes: 10)])
        #expect(p.appendOnly && p.appendFsync == .always)
        #expect(try PersistencePolicy.parseConfig("save \"\"\n").savePoints.isEmpty)
        #expect(try PersistencePolicy.parseConfig("port 6379\n").savePoints == PersistencePolicy.defaultSavePoints)
        #expect(throws: CrashError.self) { try PersistencePolicy.parseConfig("appendfsync sometimes\n") }
    }
}

extension CrashModelTests {
    @Test func aGivenSnapshotsCtimePlacesTheFork() throws {
        let (dir, path) = try Self.notesHistory()
        // No start-up time: the snapshot taken at 10:02 is what anchors the saves.
        var s = CrashModel.Settings(policy: PersistencePolicy(savePoints: Self.notesSave), failure: .power)
        s.observedForks = [Self.at(10, 2, 30)]
        let m = CrashModel(timeline: try WriteTimeline(path: path), settings: s)
        let o = m.evaluate(atMs: Self.ms(10, 4))
        #expect(Self.lost(m, o) == ["C": .certain])
        #expect(m.snapshots.expected.first.map { ($0.observed, $0.cut) } ?? (false, 0) == (true, 4))
        let rdb = try dir.write("dump.rdb", [])
        var options = RDBWriter.Options(version: 10)
        options.creationTime = Self.at(10, 2, 30)
        _ = try Dataset().writeRDB(path: rdb, options: options, nowMs: nil, protecting: [])
        #expect(try SnapshotSimulator.creationTime(ofRDB: rdb) == Self.at(10, 2, 30))
    }

    @Test func theFileInPlaceAtTheCrashIsTheLastSnapshot() throws {
        let (dir, path) = try Self.notesHistory()
        // save 60 1 snapshots A, B and C a minute or less after each is written.
        var s = CrashModel.Settings(policy: PersistencePolicy(savePoints: [.init(seconds: 60, changes: 1)]), failure: .process)
        s.startedSeconds = Self.at(9, 44, 59)
        let simulated = CrashModel(timeline: try WriteTimeline(path: path), settings: s)
        #expect(Self.lost(simulated, simulated.evaluate(atMs: Self.ms(10, 4))).isEmpty)
        // The dump.rdb found after the crash forked at 10:00: no later save completed.
        s.inPlaceAtCrash = Self.at(10, 0)
        let m = CrashModel(timeline: try WriteTimeline(path: path), settings: s)
        let o = m.evaluate(atMs: Self.ms(10, 4))
        #expect(Self.lost(m, o) == ["A": .certain, "B": .certain, "C": .certain])
        #expect([m.snapshots.early, m.snapshots.expected, m.snapshots.late].map { $0.map(\.forkMs) }
                == [[Self.ms(10, 0)], [Self.ms(10, 0, 0, 100)], [Self.ms(10, 0, 0, 100 + SnapshotSimulator.lateTickMs)]])
        #expect(o.snapshot.early?.cut == 2 && o.snapshot.late?.cut == 2)
        _ = dir
    }

    @Test func aSnapshotsContentSaysWhichWritesOfItsForkSecondsItHolds() throws {
        let (dir, path) = try Self.notesHistory()
        let timeline = try WriteTimeline(path: path)
        /// An RDB with ctime 10:02 holding these writes.
        func snapshot(_ name: String, _ writes: [(String, String)]) throws -> String {
            let r = Replayer(options: Replayer.Options(skipUnsupported: true))
            for (k, v) in writes { _ = try r.apply([Array("SET".utf8), Array(k.utf8), Array(v.utf8)], timeMs: nil) }
            var options = RDBWriter.Options(version: 10)
            options.creationTime = Self.at(10, 2)
            let file = try dir.write(name, [])
            _ = try r.dataset.writeRDB(path: file, options: options, nowMs: nil, protecting: [])
            return file
        }
        // Commands: SELECT, SET X, SET A (10:01), SET B (10:02), SET C (10:03).
        let withB = try snapshot("b.rdb", [("X", "0"), ("A", "1"), ("B", "2")])
        #expect(try SnapshotMatch.heldPrefixes(ofRDB: withB, ctime: Self.at(10, 2), timeline: timeline) == 4...4)
        let beforeB = try snapshot("a.rdb", [("X", "0"), ("A", "1")])
        #expect(try SnapshotMatch.heldPrefixes(ofRDB: beforeB, ctime: Self.at(10, 2), timeline: timeline) == 3...3)
        // Only the keys of the fork's second and the one before are compared: B here.
        let foreign = try snapshot("other.rdb", [("B", "9")])
        #expect(try SnapshotMatch.heldPrefixes(ofRDB: foreign, ctime: Self.at(10, 2), timeline: timeline) == nil)
    }

    /// Seen on a real server: under `save 1 40`, whether the first snapshot held its second's 40
    /// writes decides whether a second snapshot ever forks. The latest schedule (all 40 held)
    /// never reaches 40 changes again, the earliest saves again at 10:00:04: the writes after the
    /// first snapshot are only possibly lost, never certainly.
    @Test func whenTheSchedulesPartTheLaterSnapshotLeavesItsWritesPossible() throws {
        let dir = try ScratchDirectory()
        var bytes: [UInt8] = []
        var n = 0
        for (second, writes) in [(1, 45), (2, 40), (3, 35), (4, 3)] {
            bytes += Array("#TS:\(Self.at(10, 0, Int64(second)))\r\n".utf8)
            if second == 1 { bytes += resp("SELECT", "0") }
            for _ in 0..<writes { bytes += resp("SET", "k\(n)", "v"); n += 1 }
        }
        let path = try dir.write("appendonly.aof", bytes)
        var s = CrashModel.Settings(policy: PersistencePolicy(savePoints: [.init(seconds: 1, changes: 40)]), failure: .process)
        s.startedSeconds = Self.at(10, 0)
        let m = CrashModel(timeline: try WriteTimeline(path: path), settings: s)
        #expect(m.snapshots.early.map(\.forkMs) == [Self.ms(10, 0, 2), Self.ms(10, 0, 4)])
        #expect(m.snapshots.late.map(\.forkMs) == [Self.ms(10, 0, 2, 100 + SnapshotSimulator.lateTickMs)])
        let o = m.evaluate(atMs: Self.ms(10, 0, 5, 500))
        // From the earliest first snapshot (none of 10:00:02's writes) on, nothing is certain.
        #expect(o.firstLost == 1 + 45 && o.count(.certain) == 0)
        // The expected schedule's second snapshot holds one of 10:00:04's three writes.
        #expect(o.classes.suffix(3) == [.possible, .likely, .likely])
        #expect(o.lostWrites == 40 + 35 + 3)
        _ = dir
    }

    /// An hour of `save 5 1` under two writes a second, each save taking 300 ms: the latest
    /// reading notices every save in the second after its fork (400 ms in, + 300 ms, + a 400 ms
    /// late tick), so run apart its period is 7 s to the others' 6 s and by the end of the hour
    /// its k-th snapshot is 8 minutes behind. Re-anchored on the expected reading after each save,
    /// every k-th latest snapshot forks one late tick after the k-th earliest, and a crash at any
    /// instant loses no write older than one save period (6 s), the fork second's uncertainty
    /// (1 s) and a late tick plus the save's duration, whatever the number of saves before it.
    @Test func theBandsDoNotWidenOverAnHourOfSaves() throws {
        let dir = try ScratchDirectory()
        var bytes = Array("#TS:\(Self.at(10, 0))\r\n".utf8) + resp("SELECT", "0")
        for second in 0..<Int64(3600) {
            bytes += Array("#TS:\(Self.at(10, 0, second))\r\n".utf8) + resp("SET", "a\(second % 50)", "\(second)")
            bytes += resp("SET", "b\(second % 70)", "\(second)")
        }
        let path = try dir.write("appendonly.aof", bytes)
        let timeline = try WriteTimeline(path: path)
        for failure in [PersistencePolicy.Failure.process, .power] {
            var s = CrashModel.Settings(policy: PersistencePolicy(savePoints: [.init(seconds: 5, changes: 1)]), failure: failure)
            s.startedSeconds = Self.at(10, 0)
            s.bgsaveMs = 300
            let m = CrashModel(timeline: timeline, settings: s)
            let (early, late) = (m.snapshots.early, m.snapshots.late)
            #expect(early.count == 600 && late.count == 600 && m.snapshots.expected.count == 600)
            #expect(zip(early, late).allSatisfy { $1.forkMs - $0.forkMs == 100 + SnapshotSimulator.lateTickMs })
            let bound: Int64 = 6_000 + 1_000 + 100 + SnapshotSimulator.lateTickMs + 300
            var widest: [Int64] = [0, 0]
            for t in stride(from: Self.ms(10, 0, 10), through: Self.ms(10, 59, 59, 750), by: 250) {
                let c = m.lossCounts(atMs: t)
                let window = c.firstLost < c.atT ? t - m.timeline.entries[c.firstLost].loMs : 0
                #expect(window <= bound, "\(failure) at \(t)")
                let half = t < Self.ms(10, 30) ? 0 : 1
                widest[half] = max(widest[half], window)
            }
            // As wide in the second half hour as in the first: nothing accumulates.
            #expect(widest[0] == widest[1] && widest[0] > 6_000, "\(failure): \(widest)")
        }
        _ = dir
    }

    /// An hour of `save 1 50` under seven writes a second: every save is made due by a write, and
    /// each may hold none to two seconds of the writes after it, so the readings' phases part a
    /// little at every save. Early on they say which snapshot is in place; by the end only how
    /// old it can be: 50 changes (eight seconds at most), a second's rounding, a late tick, the
    /// previous save's notice and the save.
    @Test func afterManyCountTriggeredSavesOnlyTheSnapshotsAgeIsKnown() throws {
        let dir = try ScratchDirectory()
        var bytes = Array("#TS:\(Self.at(10, 0))\r\n".utf8) + resp("SELECT", "0")
        for second in 0..<Int64(3600) {
            bytes += Array("#TS:\(Self.at(10, 0, second))\r\n".utf8)
            for w in 0..<7 { bytes += resp("SET", "k\((Int(second) * 7 + w) % 500)", "\(second)") }
        }
        let path = try dir.write("appendonly.aof", bytes)
        var s = CrashModel.Settings(policy: PersistencePolicy(savePoints: [.init(seconds: 1, changes: 50)]), failure: .power)
        s.startedSeconds = Self.at(10, 0)
        s.bgsaveMs = 100
        let m = CrashModel(timeline: try WriteTimeline(path: path), settings: s)
        let early = m.evaluate(atMs: Self.ms(10, 0, 20, 999))
        #expect(!early.phaseUnknown && early.snapshot.early != nil)
        let late = m.evaluate(atMs: Self.ms(10, 59, 0, 999))
        #expect(late.phaseUnknown && late.snapshot.early == nil)
        #expect(late.recoveryPoint.hasPrefix("the last snapshot in place before the crash (likely the one forked at 2024-11-23T10:58:"))
        // From 10:58:52 on, nine seconds of writes, none certainly lost: under 50 changes and the
        // writes of two seconds more (the rounding to seconds, the tick, the notice and the save).
        #expect(m.timeline.entries[late.firstLost].loMs == Self.ms(10, 58, 52))
        #expect(late.lostWrites == 63 && late.count(.certain) == 0 && late.count(.likely) == 21)
        _ = dir
    }

    /// Two minutes of a few writes a second (some in MULTI/EXEC, some seconds idle), seeded.
    static func busyHistory() throws -> (ScratchDirectory, String) {
        let dir = try ScratchDirectory()
        var rng = VerifyMutationTests.Seeded(state: 7)
        var bytes: [UInt8] = []
        for second in 0..<Int64(120) {
            let writes = Int(rng.next() % 5)
            guard writes > 0 else { continue }
            bytes += Array("#TS:\(at(10, 0, second))\r\n".utf8)
            if second == 0 { bytes += resp("SELECT", "0") }
            let transaction = rng.next() % 4 == 0
            if transaction { bytes += resp("MULTI") }
            for w in 0..<writes { bytes += resp("SET", "k\(rng.next() % 40)", "\(second)-\(w)") }
            if transaction { bytes += resp("EXEC") }
        }
        return (dir, try dir.write("appendonly.aof", bytes))
    }

    @Test(arguments: [PersistencePolicy(savePoints: [.init(seconds: 5, changes: 1)]),
                      PersistencePolicy(savePoints: [.init(seconds: 10, changes: 30), .init(seconds: 30, changes: 1)]),
                      PersistencePolicy(savePoints: [], appendOnly: true, appendFsync: .everysec),
                      PersistencePolicy(savePoints: [], appendOnly: true, appendFsync: .no)])
    func lossCountsEqualEvaluateAtEveryInstant(_ policy: PersistencePolicy) throws {
        let (dir, path) = try Self.busyHistory()
        let timeline = try WriteTimeline(path: path)
        var losing = 0, uncertain = 0
        for failure in [PersistencePolicy.Failure.process, .power] {
            var s = CrashModel.Settings(policy: policy, failure: failure)
            s.startedSeconds = Self.at(9, 59, 50)
            s.bgsaveMs = 1500
            let m = CrashModel(timeline: timeline, settings: s)
            for t in stride(from: Self.ms(9, 59, 59), through: Self.ms(10, 2, 10), by: 250) {
                let o = m.evaluate(atMs: t)
                let c = m.lossCounts(atMs: t)
                #expect(c == CrashModel.LossCounts(atT: o.atT, firstLost: o.firstLost, certain: o.count(.certain),
                                                   likely: o.count(.likely), possible: o.count(.possible)),
                        "\(failure) at \(t)")
                if c.total > 0 { losing += 1 }
                if c.possible + c.likely > 0 { uncertain += 1 }
            }
        }
        // The instants are not all trivial ones.
        #expect(losing > 100 && uncertain > 10)
        _ = dir
    }
}
