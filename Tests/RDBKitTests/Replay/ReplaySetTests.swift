import Testing
@testable import RDBKit

@Suite struct ReplaySetTests {
    @Test func addRemoveMoveAndStore() throws {
        let r = Replayer()
        #expect(try run(r, "SADD s a b c a").dirty == 3)
        try run(r, "SADD t b c d", "SMOVE s t a", "SREM s zz")
        try run(r, "SINTERSTORE i s t", "SUNIONSTORE u s t", "SDIFFSTORE d t s")
        func members(_ k: String) -> [String]? {
            guard case .set(let l)? = record(r, k)?.value else { return nil }
            return l.map { String(decoding: $0, as: UTF8.self) }.sorted()
        }
        #expect(members("i") == ["b", "c"] && members("u") == ["a", "b", "c", "d"] && members("d") == ["a", "d"])
        try run(r, "SINTERSTORE i s missing")
        #expect(record(r, "i") == nil)
    }
}
