import Foundation
import Testing
@testable import RDBKit

@Suite struct AOFReaderTests {
    static let generated = Paths.shared + "/corpus/generated"
    static let external = Paths.shared + "/corpus/external"

    // MARK: Files written for the test

    @Test func selectIsTrackedAndEveryFileStartsInDatabaseZero() throws {
        let dir = try ScratchDirectory()
        try dir.write("d/a.manifest", "file base.aof seq 1 type b\nfile incr.aof seq 1 type i\n")
        try dir.write("d/base.aof", resp("SELECT", "3") + resp("SET", "a", "1"))
        try dir.write("d/incr.aof", resp("SET", "b", "2") + resp("MULTI") + resp("SELECT", "5") + resp("SET", "c", "3") + resp("EXEC"))
        let cs = commands(try aofEvents(dir.path + "/d"))
        #expect(cs.map(words) == [["SELECT", "3"], ["SET", "a", "1"], ["SET", "b", "2"], ["MULTI"], ["SELECT", "5"],
                                  ["SET", "c", "3"], ["EXEC"]])
        #expect(cs.map(\.db) == [3, 3, 0, 0, 5, 5, 5])
        #expect(cs.map(\.index) == Array(0..<7))
        #expect(cs.map(\.file) == ["base.aof", "base.aof", "incr.aof", "incr.aof", "incr.aof", "incr.aof", "incr.aof"])
        #expect(cs.map(\.offset) == [0, 23, 0, 27, 42, 65, 92])
    }

    @Test func timeComesFromTheLastAnnotationAcrossFiles() throws {
        let dir = try ScratchDirectory()
        try dir.write("d/a.manifest", "file base.aof seq 1 type b\nfile incr.aof seq 1 type i\n")
        try dir.write("d/base.aof", resp("SET", "a", "1") + ascii("#TS:100\r\n") + resp("SET", "b", "2"))
        try dir.write("d/incr.aof", resp("SET", "c", "3") + ascii("#TS:101\r\n") + resp("SET", "d", "4"))
        let evs = try aofEvents(dir.path + "/d")
        #expect(commands(evs).map(\.timeSeconds) == [nil, 100, 100, 101])
        let stamps = evs.compactMap { if case .timestamp(let s, let at) = $0 { [s, at] } else { nil } }
        #expect(stamps == [[100, 27], [101, 27]])
    }

    @Test func aSelectWithoutANumberKeepsTheDatabaseWithAWarning() throws {
        let dir = try ScratchDirectory()
        let path = try dir.write("x.aof", resp("SELECT", "2") + resp("SELECT", "two") + resp("SET", "a", "1"))
        let evs = try aofEvents(path)
        #expect(commands(evs).map(\.db) == [2, 2, 2])
        #expect(evs.contains { if case .warning(let w) = $0 { w.offset == 23 } else { false } })
    }

    @Test func aTruncatedLastFileEndsWithATailAndStrictRefusesIt() throws {
        let dir = try ScratchDirectory()
        let whole = resp("SET", "a", "1") + resp("SET", "b", "2")
        let path = try dir.write("x.aof", Array(whole.dropLast(3)))
        let evs = try aofEvents(path)
        #expect(commands(evs).count == 1)
        guard case .tail(let t) = evs[evs.count - 2] else { Issue.record("no tail"); return }
        #expect(t.kind == .truncated)
        #expect(t.validUpTo == 27)
        #expect(t.fileSize == Int64(whole.count - 3))
        let e = aofError { _ = try aofEvents(path, options: .init(strict: true)) }
        #expect(e?.kind == .truncated)
        #expect(e?.commandIndex == 1)
        #expect(e?.commandOffset == 27)
    }

    @Test func anOpenTransactionAtTheEndIsDroppedLikeATruncation() throws {
        let dir = try ScratchDirectory()
        let path = try dir.write("x.aof", resp("SET", "foo", "hello") + resp("MULTI") + resp("SET", "bar", "world"))
        let evs = try aofEvents(path)
        #expect(commands(evs).count == 3)
        guard case .tail(let t) = evs[evs.count - 2] else { Issue.record("no tail"); return }
        #expect(t.kind == .openTransaction)
        #expect(t.validUpTo == 33)
        #expect(t.droppedCommands == 2)
        #expect(aofError { _ = try aofEvents(path, options: .init(strict: true)) }?.kind == .openTransaction)
    }

    @Test func onlyTheLastFileMayEndEarly() throws {
        let dir = try ScratchDirectory()
        try dir.write("d/a.manifest", "file base.aof seq 1 type b\nfile incr.aof seq 1 type i\n")
        try dir.write("d/base.aof", Array(resp("SET", "a", "1").dropLast(2)))
        try dir.write("d/incr.aof", resp("SET", "b", "2"))
        let e = aofError { _ = try aofEvents(dir.path + "/d") }
        #expect(e?.kind == .truncated)
        #expect(e?.file == "base.aof")
    }

    @Test func aZeroFilledTailIsRecoveredAndReportedDistinctly() throws {
        let dir = try ScratchDirectory()
        let path = try dir.write("x.aof", resp("SET", "a", "1") + [UInt8](repeating: 0, count: 4096))
        let evs = try aofEvents(path)
        guard case .tail(let t) = evs[evs.count - 2] else { Issue.record("no tail"); return }
        #expect(t.kind == .zeroPadding)
        #expect(t.validUpTo == 27)
        #expect(t.fileSize == 27 + 4096)
    }

    @Test func anRDBPreambleIsReadOnTheSameInputAndItsKeysComeFirst() throws {
        let dir = try ScratchDirectory()
        let path = try dir.write("x.aof", rdbImage(hex("00 01 61 01 31"), magic: "REDIS0009") + resp("SET", "b", "2"))
        let evs = try aofEvents(path)
        guard case .file(let part) = evs[0] else { Issue.record("no file"); return }
        #expect(part.format == .rdb)
        let keys = evs.compactMap { if case .rdb(.key(let r)) = $0 { r } else { nil } }
        #expect(keys.map(\.key) == [ascii("a")])
        #expect(commands(evs).map(\.offset) == [23])
    }

    @Test func aDamagedRDBPartIsAnRDBError() throws {
        let dir = try ScratchDirectory()
        var image = rdbImage(hex("00 01 61 01 31"), magic: "REDIS0009")
        image[image.count - 1] ^= 1
        let e = aofError { _ = try aofEvents(try dir.write("x.aof", image)) }
        #expect(e?.kind == .rdb)
        #expect(e?.rdbError?.kind == .checksumMismatch)
    }

    // MARK: The generated corpus

    static let corpusCommandCounts: [(String, Int)] = [
        ("redis-2.8.24/aof", 1986), ("redis-3.2.13/aof", 1986), ("redis-4.0.14/aof", 1986), ("redis-5.0.14/aof", 2352),
        ("redis-6.0.20/aof", 2352), ("redis-6.2.16/aof", 2353), ("redis-7.0.15/aof", 2367), ("redis-7.4.1/aof", 2688),
        ("redis-unstable/aof", 2688), ("valkey-7.2.7/aof", 2367), ("valkey-8.0.1/aof", 2375),
        ("redis-7.0.15/aof-rewrite-resp", 489), ("redis-7.4.1/aof-rewrite-resp", 847), ("redis-6.2.16/aof-rewrite-resp", 487),
        ("redis-2.8.24/aof-rewrite-resp", 153), ("redis-5.0.14/aof-rewrite-resp", 485),
    ]

    @Test(.enabled(if: Paths.sharedPresent), arguments: corpusCommandCounts)
    func everyCommandOfAGeneratedAOFIsRead(_ dir: String, _ count: Int) throws {
        #expect(commands(try aofEvents(Self.generated + "/" + dir)).count == count)
    }

    @Test(.enabled(if: Paths.sharedPresent)) func theRedis70AOFSpansThreeAnnotatedSecondsAndThreeDatabases() throws {
        let evs = try aofEvents(Self.generated + "/redis-7.0.15/aof")
        let cs = commands(evs)
        #expect(Set(cs.map(\.db)) == [0, 1, 15])
        #expect(cs.first?.timeSeconds == 1_795_477_222)
        #expect(cs.last?.timeSeconds == 1_795_477_223)
        #expect(words(cs[0]) == ["SELECT", "0"])
        #expect(words(cs[1]) == ["FLUSHALL"])
    }

    @Test(.enabled(if: Paths.sharedPresent), arguments: ["redis-4.0.14", "redis-6.2.16", "redis-7.0.15", "redis-7.4.1", "valkey-8.0.1"])
    func rdbBasesHoldTheWholeDatasetOfTheirRewrite(_ build: String) throws {
        let evs = try aofEvents(Self.generated + "/\(build)/aof-rewrite-rdbpreamble")
        let keys = evs.compactMap { if case .rdb(.key(let r)) = $0 { r } else { nil } }
        let truth = try JSONLDataset(contentsOf: Self.generated + "/\(build)/aof/truth.jsonl")
        #expect(keys.count == truth.records.values.filter { $0["type"] as? String != "function" }.count)
        #expect(commands(evs).isEmpty)
    }

    // MARK: Damaged AOFs (corrupt/aof, with their expected.txt)

    @Test(.enabled(if: Paths.sharedPresent), arguments: ["redis-6.2.16", "redis-7.0.15"])
    func truncatedLastCommandKeepsTheIntactCommands(_ build: String) throws {
        let evs = try aofEvents(Self.generated + "/corrupt/aof/\(build)-truncated-last-command")
        #expect(commands(evs).count == 120)
        guard case .tail(let t) = evs[evs.count - 2] else { Issue.record("no tail"); return }
        #expect(t.kind == .truncated)
        #expect(t.validUpTo == (build == "redis-6.2.16" ? 5960 : 6008))
    }

    @Test(.enabled(if: Paths.sharedPresent), arguments: [("redis-6.2.16", 1927, 1946), ("redis-7.0.15", 1943, 1962)])
    func aBadBulkLengthIsStructuralInCommand41(_ build: String, _ commandOffset: Int64, _ offset: Int64) throws {
        let e = aofError { _ = try aofEvents(Self.generated + "/corrupt/aof/\(build)-bad-bulk-length") }
        #expect(e?.kind == .structural)
        #expect(e?.commandIndex == 40)
        #expect(e?.commandOffset == commandOffset)
        #expect(e?.offset == offset)
    }

    @Test(.enabled(if: Paths.sharedPresent), arguments: [("redis-6.2.16", 2940), ("redis-7.0.15", 2972)])
    func garbageInTheMiddleIsStructuralAfter60Commands(_ build: String, _ offset: Int64) throws {
        let e = aofError { _ = try aofEvents(Self.generated + "/corrupt/aof/\(build)-garbage-middle", options: .init(strict: false)) }
        #expect(e?.kind == .structural)
        #expect(e?.commandIndex == 60)
        #expect(e?.offset == offset)
    }

    // MARK: The external corpus (MANIFEST.tsv rows `aof`, `aof-dir`; EXPECTATIONS.md §21)

    struct Entry: CustomTestStringConvertible, Sendable {
        let file: String
        let status: String
        var testDescription: String { file }
    }

    static let externalEntries: [Entry] = {
        guard let text = try? String(contentsOfFile: external + "/MANIFEST.tsv", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count > 6, f[4] == "aof" || f[4] == "aof-dir" else { return nil }
            return Entry(file: f[0], status: f[6])
        }
    }()

    @Test(.enabled(if: Paths.sharedPresent), arguments: externalEntries.filter { $0.status == "valid" })
    func validExternalAOFsReadStrictly(_ e: Entry) throws {
        _ = try aofEvents(Self.external + "/" + e.file, options: .init(strict: true))
    }

    /// Broken at the framing or manifest level; `10-unknown-command` is broken only for a
    /// server that runs the commands.
    @Test(.enabled(if: Paths.sharedPresent),
          arguments: externalEntries.filter { $0.status == "broken" && !$0.file.contains("10-unknown-command") })
    func brokenExternalAOFsAreRefusedStrictly(_ e: Entry) {
        #expect(aofError { _ = try aofEvents(Self.external + "/" + e.file, options: .init(strict: true)) } != nil)
    }

    @Test(.enabled(if: Paths.sharedPresent)) func theRedisShakeLineFeedAOFReadsTolerantly() throws {
        let dir = Self.external + "/tair-opensource__RedisShake/test/aof_test/appendonlydir"
        #expect(aofError { _ = try aofEvents(dir) }?.kind == .lineEndings)
        let evs = try aofEvents(dir, options: .init(tolerateLineFeeds: true))
        let cs = commands(evs)
        #expect(cs.count == 9991)
        #expect(words(cs[9990]) == ["rpush", "mylist", "10000"])
        #expect(evs.compactMap { if case .rdb(.key) = $0 { 1 } else { nil } }.count == 10016)
        #expect(evs.contains { if case .warning(let w) = $0 { w.offset == 2 } else { false } })
    }

    @Test(.enabled(if: Paths.sharedPresent)) func timestampAnnotationsOfTheRedisTestSuite() throws {
        let cs = commands(try aofEvents(Self.external + "/redis__redis/tests__integration__aof/13-timestamp-annotations/appendonlydir"))
        #expect(cs.map { $0.timeSeconds ?? 0 } == [1_628_217_470, 1_628_217_471, 1_628_217_473])
    }
}
