import Testing
@testable import RDBKit

/// The replayer's compact values past their small (listpack) form hold exactly what a plain
/// Swift model of the same operations holds.
@Suite struct ReplayObjectsTests {
    /// A deterministic stream of numbers (a 64-bit LCG) for the operation sequences.
    struct Numbers {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    static func members(_ s: SetObj) -> Set<[UInt8]> {
        var out = Set<[UInt8]>()
        s.forEach { out.insert(Array($0)) }
        return out
    }

    @Test func packedInsertsPutAnElementBeforeTheOneAtThePosition() {
        var p = PackedBytes()
        p.append(Array("a".utf8))
        p.append(Array("c".utf8))
        // 200 bytes take a two-byte length prefix.
        p.insert(Array(repeating: 0x62, count: 200), at: p.position(after: 0))
        #expect(p.elements == [Array("a".utf8), Array(repeating: 0x62, count: 200), Array("c".utf8)])
        p.insert([], at: 0)
        #expect(p.count == 4 && p.elements.first == [])
        #expect(p.firstPosition(of: Array("c".utf8)) == p.endPosition - 2)
    }

    @Test func bigSetKeepsItsMembersThroughRemovalsAndCompaction() {
        let s = SetObj()
        var model = Set<[UInt8]>()
        for i in 0..<2000 {
            let m = Self.bytes("member:\(i)")
            #expect(s.insert(m) == model.insert(m).inserted)
        }
        #expect(!s.insert(Self.bytes("member:7")))
        // Two thirds removed: their bytes outweigh the live ones, so the buffer is rebuilt.
        for i in 0..<2000 where i % 3 != 0 || i > 1500 {
            #expect(s.remove(Self.bytes("member:\(i)")) == (model.remove(Self.bytes("member:\(i)")) != nil))
        }
        #expect(!s.remove(Self.bytes("absent")))
        for i in 0..<100 { s.insert(Self.bytes("member:\(i)")); model.insert(Self.bytes("member:\(i)")) }
        #expect(s.count == model.count)
        #expect(Self.members(s) == model)
        #expect(s.contains(Self.bytes("member:3")) && !s.contains(Self.bytes("member:1503")))
        #expect(Self.members(s.copy()) == model)
    }

    @Test func bigHashKeepsValuesAndFieldTTLsThroughOverwritesAndRemovals() {
        let h = HashObj()
        var model: [[UInt8]: HashObj.Field] = [:]
        var n = Numbers(state: 1)
        for step in 0..<6000 {
            let f = Self.bytes("field\(n.next(900))")
            switch n.next(10) {
            case 0..<6:
                let v = HashObj.Field(value: Self.bytes("value\(step)"), expireAtMs: step % 7 == 0 ? Int64(step) * 1000 : nil)
                h[f] = v
                model[f] = v
            default:
                #expect(h.remove(f) == (model.removeValue(forKey: f) != nil))
            }
        }
        #expect(h.count == model.count)
        var seen: [[UInt8]: HashObj.Field] = [:]
        h.forEach { f, v, t in seen[Array(f)] = HashObj.Field(value: Array(v), expireAtMs: t) }
        #expect(seen.keys == model.keys)
        for (f, v) in model {
            #expect(seen[f]?.value == v.value && seen[f]?.expireAtMs == v.expireAtMs)
            #expect(h[f]?.value == v.value && h[f]?.expireAtMs == v.expireAtMs)
        }
        #expect(h.hasFieldExpiries)
    }

    @Test func bigListMatchesAnArrayThroughEveryEdit() {
        let l = ListObj()
        var model: [[UInt8]] = []
        var n = Numbers(state: 7)
        for step in 0..<20_000 {
            let e = Self.bytes(String(repeating: "x", count: n.next(3) == 0 ? 70 : 5) + "\(step)")
            switch n.next(12) {
            case 0..<4: l.push(e, left: false); model.append(e)
            case 4..<7: l.push(e, left: true); model.insert(e, at: 0)
            case 7 where !model.isEmpty:
                let left = n.next(2) == 0
                #expect(l.pop(left: left) == (left ? model.removeFirst() : model.removeLast()))
            case 8:
                let i = n.next(model.count + 1)
                l.insert(e, at: i); model.insert(e, at: i)
            case 9 where !model.isEmpty:
                let i = n.next(model.count)
                l.remove(at: i); model.remove(at: i)
            case 10 where !model.isEmpty:
                let i = n.next(model.count)
                l[i] = e; model[i] = e
                #expect(l[i] == e)
            default:
                break
            }
        }
        #expect(l.count == model.count)
        var items: [[UInt8]] = []
        l.forEach { items.append(Array($0)) }
        #expect(items == model)
        #expect(l.firstIndex(of: model[model.count / 2]) == model.firstIndex(of: model[model.count / 2]))
        l.filter { $0.count < 20 }
        model.removeAll { $0.count >= 20 }
        items = []
        l.forEach { items.append(Array($0)) }
        #expect(items == model && l.count == model.count)
    }

    @Test func bigSortedSetStaysInOrderThroughRescoresAndRemovals() {
        let z = ZSetObj()
        var model: [[UInt8]: Double] = [:]
        var n = Numbers(state: 3)
        for _ in 0..<12_000 {
            let m = Self.bytes("player:\(n.next(3000))")
            switch n.next(10) {
            case 0..<7:
                let score = Double(n.next(500)) - 250
                z.set(m, score)
                model[m] = score
            case 7..<9:
                #expect(z.remove(m) == (model.removeValue(forKey: m) != nil))
            default:
                let sorted = model.map { ZSetObj.Item(score: $0.value, member: $0.key) }.sorted(by: ZSetObj.precedes)
                guard sorted.count > 10 else { continue }
                let lo = n.next(sorted.count - 10)
                z.removeRanks(lo..<(lo + 5))
                for item in sorted[lo..<(lo + 5)] { model[item.member] = nil }
            }
        }
        let expected = model.map { ZSetObj.Item(score: $0.value, member: $0.key) }.sorted(by: ZSetObj.precedes)
        #expect(z.count == expected.count)
        #expect(z.ordered.map(\.member) == expected.map(\.member) && z.ordered.map(\.score) == expected.map(\.score))
        #expect(z.score(of: expected[7].member) == expected[7].score)
    }

    @Test func stringKeysKeepTheirTTLAcrossChangesAndGiveWayToOtherTypes() throws {
        let r = Replayer()
        try run(r, "SET k abc", "PEXPIREAT k 5000", "APPEND k def", "INCRBY n 5", "INCRBY n 2")
        #expect(stringValue(r, "k") == "abcdef" && record(r, "k")?.expireAtMs == 5000)
        #expect(stringValue(r, "n") == "7")
        try run(r, "SET k v", "RPUSH k2 a", "SET k2 s KEEPTTL", "DEL n", "RENAME k k3")
        #expect(record(r, "k3")?.expireAtMs == nil && stringValue(r, "k3") == "v")
        #expect(stringValue(r, "k2") == "s" && record(r, "n") == nil && record(r, "k") == nil)
        try run(r, "DEL k2", "RPUSH k2 a b")
        #expect(listValue(r, "k2") == ["a", "b"])
    }
}
