import Testing
@testable import RDBKit

@Suite struct ReplayHashTests {
    @Test func setIncrementAndDelete() throws {
        let r = Replayer()
        #expect(try run(r, "HSET h a 1 b 2").dirty == 2)
        try run(r, "HSETNX h a 9", "HINCRBY h a 5", "HINCRBYFLOAT h f 1.25", "HINCRBYFLOAT h f 0.05", "HDEL h b")
        #expect(hashValue(r, "h") == ["a": "6", "f": "1.3"])
        try run(r, "HDEL h a f")
        #expect(record(r, "h") == nil)
    }

    @Test func fieldTTLsAreKeptDroppedAndFiltered() throws {
        let r = Replayer()
        try run(r, "HSET h a 1 b 2 c 3", "HPEXPIREAT h 5000 FIELDS 2 a b", "HPEXPIREAT h 4000 GT FIELDS 1 a")
        try run(r, "HPERSIST h FIELDS 1 b", "HEXPIRE h 10 FIELDS 1 c", time: 1000)
        guard case .hash(let v)? = record(r, "h")?.value else { Issue.record("no hash"); return }
        let expiries = Dictionary(uniqueKeysWithValues: v.fields.indices.map { (String(decoding: v.fields[$0], as: UTF8.self), v.fieldExpiries?[$0] ?? nil) })
        #expect(expiries == ["a": 5000, "b": nil, "c": 11000])
        try run(r, "HSET h a 9")
        var fields: [String] = []
        r.dataset.records(now: 20_000) { rec in if case .hash(let h) = rec.value { fields = h.fields.map { String(decoding: $0, as: UTF8.self) }.sorted() } }
        #expect(fields == ["a", "b"])
    }

    @Test func hsetexAndHgetex() throws {
        let r = Replayer()
        try run(r, "HSETEX h PXAT 7000 FIELDS 2 a 1 b 2", "HSETEX h FNX FIELDS 1 a 5", "HGETEX h PERSIST FIELDS 1 b")
        guard case .hash(let v)? = record(r, "h")?.value else { Issue.record("no hash"); return }
        #expect(hashValue(r, "h") == ["a": "1", "b": "2"])
        #expect(v.fieldExpiries?.compactMap { $0 } == [7000])
    }
}
