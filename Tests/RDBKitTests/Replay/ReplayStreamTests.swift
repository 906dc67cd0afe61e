import Testing
@testable import RDBKit

@Suite struct ReplayStreamTests {
    func stream(_ r: Replayer, _ key: String) -> StreamValue? {
        guard case .stream(let s)? = record(r, key)?.value else { return nil }
        return s
    }

    @Test func xaddTracksIdsCountersAndExactTrims() throws {
        let r = Replayer()
        try run(r, "XADD s 5-1 f v", "XADD s 5-* f v", "XADD s MAXLEN = 2 6 f v")
        let s = try #require(stream(r, "s"))
        #expect(s.entries.ids == [StreamID(ms: 5, seq: 2), StreamID(ms: 6, seq: 0)])
        #expect(s.firstID == StreamID(ms: 5, seq: 2) && s.lastID == StreamID(ms: 6, seq: 0) && s.entriesAdded == 3)
        #expect(throws: ReplayError.self) { try run(r, "XADD s 6-0 f v") }
        #expect(throws: ReplayError.self) { try run(r, "XADD s MAXLEN ~ 2 7 f v") }
        try run(r, "XADD t NOMKSTREAM 1 f v")
        #expect(record(r, "t") == nil)
    }

    @Test func xdelMovesFirstAndMaxDeletedIds() throws {
        let r = Replayer()
        try run(r, "XADD s 1 a 1", "XADD s 2 a 2", "XADD s 3 a 3", "XDEL s 1-0 3-0")
        let s = try #require(stream(r, "s"))
        #expect(s.firstID == StreamID(ms: 2, seq: 0) && s.maxDeletedID == StreamID(ms: 3, seq: 0) && s.length == 1)
        try run(r, "XDEL s 2-0", "XSETID s 9-0 ENTRIESADDED 7 MAXDELETEDID 8-0")
        let e = try #require(stream(r, "s"))
        #expect(e.firstID == .zero && e.lastID == StreamID(ms: 9, seq: 0) && e.entriesAdded == 7 && e.maxDeletedID == StreamID(ms: 8, seq: 0))
    }

    @Test func groupsClaimsAndAcks() throws {
        let r = Replayer()
        try run(r, "XADD s 1 a 1", "XADD s 2 a 2", "XGROUP CREATE s g 0", "XGROUP CREATE s h $ ENTRIESREAD 2")
        try run(r, "XCLAIM s g alice 0 1-0 TIME 1700 RETRYCOUNT 1 FORCE JUSTID LASTID 1-0")
        try run(r, "XCLAIM s g bob 0 2-0 TIME 1800 RETRYCOUNT 3 FORCE JUSTID LASTID 2-0", "XCLAIM s g bob 0 1-0 TIME 1900 JUSTID")
        var g = try #require(stream(r, "s")?.groups.first)
        #expect(g.lastDeliveredID == StreamID(ms: 2, seq: 0) && g.entriesRead == UInt64.max)
        #expect(g.pending.map(\.deliveryCount) == [1, 3] && g.pending.map(\.deliveryTimeMs) == [1900, 1800])
        #expect(g.consumers.map { String(decoding: $0.name, as: UTF8.self) } == ["alice", "bob"] && g.consumers[1].pending.count == 2)
        #expect(stream(r, "s")?.groups.last?.entriesRead == 2 && stream(r, "s")?.groups.last?.lastDeliveredID == StreamID(ms: 2, seq: 0))
        try run(r, "XACK s g 1-0", "XGROUP DELCONSUMER s g alice", "XGROUP CREATECONSUMER s g carol", "XGROUP DESTROY s h")
        g = try #require(stream(r, "s")?.groups.first)
        #expect(g.pending.map(\.id) == [StreamID(ms: 2, seq: 0)] && g.consumers.map(\.name) == [Array("bob".utf8), Array("carol".utf8)])
        #expect(stream(r, "s")?.groups.count == 1)
    }
}
