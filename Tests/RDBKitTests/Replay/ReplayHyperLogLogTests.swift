import Testing
@testable import RDBKit

@Suite struct ReplayHyperLogLogTests {
    @Test func pfaddWritesASparseHLLAndPfcountCachesTheCardinality() throws {
        let r = Replayer()
        try run(r, "PFADD h a b c")
        guard case .string(let b)? = record(r, "h")?.value else { Issue.record("no HLL"); return }
        #expect(Array(b.prefix(5)) == Array("HYLL".utf8) + [1] && b[15] & 0x80 != 0)
        try run(r, "PFCOUNT h")
        guard case .string(let c)? = record(r, "h")?.value else { Issue.record("no HLL"); return }
        #expect(Array(c[8..<16]) == [3, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func manyElementsPromoteToDense() throws {
        let r = Replayer()
        try run(r, argv: ["PFADD", "h"] + (0..<5000).map { "e\($0)" })
        guard case .string(let b)? = record(r, "h")?.value else { Issue.record("no HLL"); return }
        #expect(b.count == 12304 && b[4] == 0)
        try run(r, "PFCOUNT h")
        guard case .string(let c)? = record(r, "h")?.value, let count = HLL.count(c) else { Issue.record("no HLL"); return }
        #expect(abs(Int(count) - 5000) < 150)
    }
}
