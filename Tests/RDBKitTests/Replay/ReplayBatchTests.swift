import Testing
@testable import RDBKit

/// Commands given as elements of one buffer (`AOFReadAhead`'s batches), read in place.
@Suite struct ReplayBatchTests {
    /// One buffer holding `commands`, and each command's range of elements.
    private func batch(_ commands: [String]) -> (ByteList, [Range<Int>]) {
        var list = ByteList()
        var ranges: [Range<Int>] = []
        for c in commands {
            let first = list.count
            for word in c.split(separator: " ") { list.append(Array(word.utf8)) }
            ranges.append(first..<list.count)
        }
        return (list, ranges)
    }

    @Test func aCommandReadFromABatchActsAsTheSameCommandGivenAsArrays() throws {
        let commands = ["SET s v EX 100", "HSET h f1 a f2 b f1 c", "SADD t x y x", "RPUSH l 1 2 3",
                        "ZADD z 2 b 1 a 3 c", "PEXPIREAT h 4102444800000", "DEL l"]
        let (list, ranges) = batch(commands)
        let fromBatch = Replayer(options: .init(startTimeMs: 1_000))
        let fromArrays = Replayer(options: .init(startTimeMs: 1_000))
        for (c, r) in zip(commands, ranges) {
            let a = try fromBatch.apply(list, r, timeMs: nil)
            let b = try run(fromArrays, c)
            #expect(a.dirty == b.dirty && a.keys == b.keys)
        }
        var x: [KeyRecord] = [], y: [KeyRecord] = []
        fromBatch.dataset.records(now: nil) { x.append($0) }
        fromArrays.dataset.records(now: nil) { y.append($0) }
        #expect(x.map(\.key) == ["h", "s", "t", "z"].map { Array($0.utf8) })
        #expect(x.map(\.value) == y.map(\.value) && x.map(\.expireAtMs) == y.map(\.expireAtMs))
        #expect(hashValue(fromBatch, "h") == ["f1": "c", "f2": "b"])
    }

    @Test func aTransactionKeepsItsCommandsWhenTheBatchBufferIsReused() throws {
        let r = Replayer()
        var (list, ranges) = batch(["MULTI", "SET a 1", "INCR a"])
        for range in ranges { _ = try r.apply(list, range, timeMs: nil) }
        // The reading thread refills the same buffer with the next batch.
        list.removeAll()
        list.append(Array("EXEC".utf8))
        list.append(Array("XXXXXXXXXXXXXXXX".utf8))
        ranges = [0..<1]
        let o = try r.apply(list, ranges[0], timeMs: nil)
        #expect(o.status == .applied && o.dirty == 2)
        #expect(stringValue(r, "a") == "2")
    }

    @Test func withoutKeyTrackingOnlySkippedCommandsListTheirKeys() throws {
        let r = Replayer(options: .init(skipUnsupported: true, tracksKeys: false))
        let set = try run(r, "SET k v")
        #expect(set.dirty == 1 && set.keys.isEmpty)
        let skipped = try run(r, argv: ["EVALSHA", "abc", "2", "k1", "k2", "arg"])
        #expect(skipped.status == .unsupported && skipped.keys.map(\.key) == [Array("k1".utf8), Array("k2".utf8)])
        #expect(stringValue(r, "k") == "v")
    }

    @Test func commandNamesMatchInAnyCaseAtEveryLength() throws {
        let r = Replayer()
        try run(r, "set a 1", "Incr a", "geoadd g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania")
        #expect(stringValue(r, "a") == "2")
        // 17 bytes: past what `CommandName` packs, found by the table's dictionary.
        try run(r, "georadiusbymember g Palermo 200 km STORE near")
        #expect(zsetValue(r, "near")?.keys.sorted() == ["Catania", "Palermo"])
        #expect(throws: ReplayError.self) { try run(r, "SETX a 1") }
        #expect(throws: ReplayError.self) { try run(r, "GEORADIUSBYMEMBERX g Palermo 200 km") }
    }
}
