/// Sorted-set commands (`t_zset.c`): ZADD with every flag, ZINCRBY, ZREM and the ZREMRANGE
/// family, the pops, the *STORE commands with WEIGHTS/AGGREGATE, ZRANGESTORE.
extension Replayer {
    static let sortedSetCommands: [String: Handler] = [
        "ZADD": { r, a in try r.zadd(a, incrOnly: false) },
        "ZINCRBY": { r, a in try r.zadd(a, incrOnly: true) },
        "ZREM": { r, a in try r.zrem(a) },
        "ZREMRANGEBYSCORE": { r, a in try r.zremrange(a) { z in try r.scoreRange(a, z, min: a[2], max: a[3]) } },
        "ZREMRANGEBYLEX": { r, a in try r.zremrange(a) { z in try r.lexRange(a, z, min: a[2], max: a[3]) } },
        "ZREMRANGEBYRANK": { r, a in try r.zremrange(a) { z in r.rankRange(z.count, try a.int(2), try a.int(3)) } },
        "ZPOPMIN": { r, a in try r.zpop(a, min: true) },
        "ZPOPMAX": { r, a in try r.zpop(a, min: false) },
        "BZPOPMIN": { r, a in try r.bzpop(a, min: true) },
        "BZPOPMAX": { r, a in try r.bzpop(a, min: false) },
        "ZMPOP": { r, a in try r.zmpop(a, first: 1) },
        "BZMPOP": { r, a in try r.zmpop(a, first: 2) },
        "ZUNIONSTORE": { r, a in try r.zstore(a, op: .union) },
        "ZINTERSTORE": { r, a in try r.zstore(a, op: .inter) },
        "ZDIFFSTORE": { r, a in try r.zstore(a, op: .diff) },
        "ZRANGESTORE": { r, a in try r.zrangestore(a) },
    ]

    private func zadd(_ a: Args, incrOnly: Bool) throws {
        var nx = false, xx = false, gt = false, lt = false, incr = incrOnly
        var i = 2
        if incrOnly { try a.arity(4) } else {
            while i < a.count {
                if a.isWord(i, "NX") { nx = true } else if a.isWord(i, "XX") { xx = true }
                else if a.isWord(i, "GT") { gt = true } else if a.isWord(i, "LT") { lt = true }
                else if a.isWord(i, "CH") { /* changes only the reply */ } else if a.isWord(i, "INCR") { incr = true }
                else { break }
                i += 1
            }
        }
        let pairs = a.count - i
        guard pairs > 0, pairs % 2 == 0 else { throw a.error(.syntax, "syntax error") }
        if nx && xx { throw a.error(.syntax, "XX and NX options at the same time are not compatible") }
        if (gt && nx) || (lt && nx) || (gt && lt) {
            throw a.error(.syntax, "GT, LT, and/or NX options at the same time are not compatible")
        }
        if incr && pairs > 2 { throw a.error(.syntax, "INCR option supports a single increment-element pair") }
        var scores: [Double] = []
        for j in stride(from: i, to: a.count, by: 2) { scores.append(try a.double(j)) }
        let key = a.bytes(1)
        let z: ZSetObj
        if let existing = try zset(key, a) { z = existing }
        else {
            if xx { return }
            z = ZSetObj()
            store(key, .zset(z))
        }
        z.reserve(adding: stride(from: i + 1, to: a.count, by: 2).lazy.map { a.bytes($0) })
        var changes = 0
        for (n, j) in stride(from: i + 1, to: a.count, by: 2).enumerated() {
            let member = a[j]
            var score = scores[n]
            if let current = z.score(of: member) {
                if nx { continue }
                if incr {
                    score += current
                    if score.isNaN { throw a.error(.outOfRange, "resulting score is not a number (NaN)") }
                }
                if (gt && score <= current) || (lt && score >= current) { continue }
                if score != current { z.set(member, score); changes += 1 }
            } else {
                if xx { continue }
                z.set(member, score)
                changes += 1
            }
        }
        if changes > 0 { touched(key, by: changes) }
    }

    private func zrem(_ a: Args) throws {
        try a.arity(atLeast: 3)
        guard let z = try zset(a[1], a) else { return }
        var removed = 0
        for i in 2..<a.count where z.remove(a[i]) { removed += 1 }
        if z.count == 0 { remove(a[1]) }
        if removed > 0 { touched(a[1], by: removed) }
    }

    private func zremrange(_ a: Args, _ range: (ZSetObj) throws -> Range<Int>) throws {
        try a.arity(4)
        guard let z = try zset(a[1], a) else {
            _ = try range(ZSetObj())  // arguments are checked even for a missing key
            return
        }
        let r = try range(z)
        guard !r.isEmpty else { return }
        z.removeRanks(r)
        if z.count == 0 { remove(a[1]) }
        touched(a[1], by: r.count)
    }

    /// Ranks `start...end` normalised as ZRANGE does, empty when out of range.
    func rankRange(_ count: Int, _ start0: Int64, _ end0: Int64) -> Range<Int> {
        let len = Int64(count)
        var start = start0 < 0 ? len + start0 : start0
        var end = end0 < 0 ? len + end0 : end0
        if start < 0 { start = 0 }
        if start > end || start >= len { return 0..<0 }
        if end >= len { end = len - 1 }
        return Int(start)..<Int(end + 1)
    }

    private struct ScoreBound { var value: Double; var exclusive: Bool }

    private func scoreBound(_ a: Args, _ text: [UInt8]) throws -> ScoreBound {
        var t = text, ex = false
        if t.first == UInt8(ascii: "(") { t.removeFirst(); ex = true }
        guard let v = t.withUnsafeBytes({ parseDouble($0) }), !v.isNaN else {
            throw a.error(.notANumber, "min or max is not a float")
        }
        return ScoreBound(value: v, exclusive: ex)
    }

    /// Ranks whose scores fall in [min, max] (with exclusive ends).
    func scoreRange(_ a: Args, _ z: ZSetObj, min: [UInt8], max: [UInt8]) throws -> Range<Int> {
        let lo = try scoreBound(a, min), hi = try scoreBound(a, max)
        let items = z.ordered
        var start = 0
        while start < items.count && (lo.exclusive ? items[start].score <= lo.value : items[start].score < lo.value) { start += 1 }
        var end = start
        while end < items.count && (hi.exclusive ? items[end].score < hi.value : items[end].score <= hi.value) { end += 1 }
        return start..<end
    }

    private enum LexBound { case min, max, inclusive([UInt8]), exclusive([UInt8]) }

    private func lexBound(_ a: Args, _ t: [UInt8]) throws -> LexBound {
        switch t.first {
        case UInt8(ascii: "+") where t.count == 1: return .max
        case UInt8(ascii: "-") where t.count == 1: return .min
        case UInt8(ascii: "("): return .exclusive(Array(t.dropFirst()))
        case UInt8(ascii: "["): return .inclusive(Array(t.dropFirst()))
        default: throw a.error(.syntax, "min or max not valid string range item")
        }
    }

    private static func gteMin(_ m: [UInt8], _ b: LexBound) -> Bool {
        switch b {
        case .min: true
        case .max: false
        case .inclusive(let v): !m.lexicographicallyPrecedes(v)
        case .exclusive(let v): v.lexicographicallyPrecedes(m)
        }
    }

    private static func lteMax(_ m: [UInt8], _ b: LexBound) -> Bool {
        switch b {
        case .min: false
        case .max: true
        case .inclusive(let v): !v.lexicographicallyPrecedes(m)
        case .exclusive(let v): m.lexicographicallyPrecedes(v)
        }
    }

    /// Ranks of the members in the lex range: the first member at or above `min`, then every
    /// following one up to `max` (what Redis's walk finds; meaningful when scores are equal).
    func lexRange(_ a: Args, _ z: ZSetObj, min: [UInt8], max: [UInt8]) throws -> Range<Int> {
        let lo = try lexBound(a, min), hi = try lexBound(a, max)
        let items = z.ordered
        guard let start = items.firstIndex(where: { Self.gteMin($0.member, lo) }), Self.lteMax(items[start].member, hi) else {
            return 0..<0
        }
        var end = start
        while end < items.count && Self.lteMax(items[end].member, hi) { end += 1 }
        return start..<end
    }

    private func popMembers(_ key: [UInt8], _ z: ZSetObj, min: Bool, count: Int) {
        let n = Swift.min(count, z.count)
        guard n > 0 else { return }
        z.removeRanks(min ? 0..<n : (z.count - n)..<z.count)
        if z.count == 0 { remove(key) }
        touched(key, by: n)
    }

    private func zpop(_ a: Args, min: Bool) throws {
        guard a.count == 2 || a.count == 3 else { throw a.error(.syntax, "wrong number of arguments") }
        var count = 1
        if a.count == 3 {
            let c = try a.int(2)
            guard c >= 0 else { throw a.error(.outOfRange, "value is out of range, must be positive") }
            count = Int(Swift.min(c, Int64(Int32.max)))
        }
        guard let z = try zset(a[1], a) else { return }
        popMembers(a[1], z, min: min, count: count)
    }

    private func bzpop(_ a: Args, min: Bool) throws {
        try a.arity(atLeast: 3)
        for i in 1..<(a.count - 1) {
            if let z = try zset(a[i], a), z.count > 0 { popMembers(a[i], z, min: min, count: 1); return }
        }
    }

    private func zmpop(_ a: Args, first: Int) throws {
        try a.arity(atLeast: first + 3)
        let n = try a.int(first)
        guard n > 0, first + 1 + Int(n) < a.count else { throw a.error(.syntax, "numkeys should be greater than 0") }
        let keysEnd = first + 1 + Int(n)
        let min: Bool
        if a.isWord(keysEnd, "MIN") { min = true } else if a.isWord(keysEnd, "MAX") { min = false }
        else { throw a.error(.syntax, "syntax error") }
        var count = 1
        if a.count > keysEnd + 1 {
            guard a.count == keysEnd + 3, a.isWord(keysEnd + 1, "COUNT") else { throw a.error(.syntax, "syntax error") }
            let c = try a.int(keysEnd + 2)
            guard c > 0 else { throw a.error(.outOfRange, "count should be greater than 0") }
            count = Int(Swift.min(c, Int64(Int32.max)))
        }
        for i in (first + 1)..<keysEnd {
            if let z = try zset(a[i], a), z.count > 0 { popMembers(a[i], z, min: min, count: count); return }
        }
    }

    private enum SetOp { case union, inter, diff }
    private enum Aggregate { case sum, min, max }

    private static func aggregate(_ target: inout Double, _ v: Double, _ agg: Aggregate) {
        switch agg {
        case .sum:
            target += v
            // inf + -inf: Redis keeps 0 rather than NaN.
            if target.isNaN { target = 0 }
        case .min: if v < target { target = v }
        case .max: if v > target { target = v }
        }
    }

    /// A source of a *STORE command as member → score: sets count as score 1.
    private func scoredMembers(_ key: [UInt8], _ a: Args) throws -> [[UInt8]: Double] {
        switch obj(key) {
        case nil: return [:]
        case .zset(let z)?: return z.scores
        case .set(let s)?:
            var m: [[UInt8]: Double] = [:]
            for e in s.members { m[e] = 1 }
            return m
        default: throw wrongType(a)
        }
    }

    private func zstore(_ a: Args, op: SetOp) throws {
        try a.arity(atLeast: 4)
        let n = try a.int(2)
        guard n >= 1 else { throw a.error(.syntax, "at least 1 input key is needed") }
        guard Int64(a.count - 3) >= n else { throw a.error(.syntax, "syntax error") }
        let numkeys = Int(n)
        var sources: [(members: [[UInt8]: Double], weight: Double)] = []
        for i in 3..<(3 + numkeys) { sources.append((try scoredMembers(a[i], a), 1)) }
        var agg = Aggregate.sum
        var j = 3 + numkeys
        while j < a.count {
            if op != .diff && a.isWord(j, "WEIGHTS") && a.count - j - 1 >= numkeys {
                for k in 0..<numkeys { sources[k].weight = try a.double(j + 1 + k) }
                j += 1 + numkeys
            } else if op != .diff && a.isWord(j, "AGGREGATE") && j + 1 < a.count {
                if a.isWord(j + 1, "SUM") { agg = .sum } else if a.isWord(j + 1, "MIN") { agg = .min }
                else if a.isWord(j + 1, "MAX") { agg = .max } else { throw a.error(.syntax, "syntax error") }
                j += 2
            } else { throw a.error(.syntax, "syntax error") }
        }
        var result: [[UInt8]: Double] = [:]
        switch op {
        case .diff:
            let first = sources[0].members
            for (m, s) in first where !sources.dropFirst().contains(where: { $0.members[m] != nil }) { result[m] = s }
        case .inter, .union:
            // Redis orders the inputs by size first, so sums accumulate in that order.
            let ordered = sources.enumerated().sorted { ($0.element.members.count, $0.offset) < ($1.element.members.count, $1.offset) }.map(\.element)
            if op == .inter {
                for (m, s) in ordered[0].members {
                    var score = ordered[0].weight * s
                    if score.isNaN { score = 0 }
                    var inAll = true
                    for src in ordered.dropFirst() {
                        guard let v = src.members[m] else { inAll = false; break }
                        Self.aggregate(&score, v * src.weight, agg)
                    }
                    if inAll { result[m] = score }
                }
            } else {
                for src in ordered {
                    for (m, s) in src.members {
                        var score = src.weight * s
                        if score.isNaN { score = 0 }
                        if result[m] != nil { Self.aggregate(&result[m]!, score, agg) } else { result[m] = score }
                    }
                }
            }
        }
        storeZset(a[1], result)
    }

    /// Stores a *STORE result: an empty one deletes the destination.
    private func storeZset(_ dst: [UInt8], _ members: [[UInt8]: Double]) {
        if members.isEmpty {
            if remove(dst) { touched(dst) }
            return
        }
        let z = ZSetObj()
        for (m, s) in members { z.set(m, s) }
        store(dst, .zset(z))
        touched(dst)
    }

    private func zrangestore(_ a: Args) throws {
        try a.arity(atLeast: 5)
        var byScore = false, byLex = false, rev = false
        var offset: Int64 = 0, limit: Int64 = -1, hasLimit = false
        var j = 5
        while j < a.count {
            if a.isWord(j, "BYSCORE") { byScore = true } else if a.isWord(j, "BYLEX") { byLex = true }
            else if a.isWord(j, "REV") { rev = true }
            else if a.isWord(j, "LIMIT") && j + 2 < a.count {
                offset = try a.int(j + 1); limit = try a.int(j + 2); hasLimit = true
                j += 2
            } else { throw a.error(.syntax, "syntax error") }
            j += 1
        }
        if byScore && byLex { throw a.error(.syntax, "syntax error") }
        if hasLimit && !byScore && !byLex {
            throw a.error(.syntax, "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
        }
        let src = try zset(a[2], a) ?? ZSetObj()
        var picked: [ZSetObj.Item] = []
        let items = src.ordered
        if byScore || byLex {
            // With REV the first bound is the maximum.
            let (lo, hi) = rev ? (a[4], a[3]) : (a[3], a[4])
            let r = byScore ? try scoreRange(a, src, min: lo, max: hi) : try lexRange(a, src, min: lo, max: hi)
            var ranks = Array(r)
            if rev { ranks.reverse() }
            if offset < 0 { ranks = [] }
            ranks = Array(ranks.dropFirst(Int(min(offset, Int64(ranks.count)))))
            if limit >= 0 { ranks = Array(ranks.prefix(Int(min(limit, Int64(ranks.count))))) }
            picked = ranks.map { items[$0] }
        } else {
            let r = rankRange(items.count, try a.int(3), try a.int(4))
            picked = r.map { items[rev ? items.count - 1 - $0 : $0] }
        }
        var result: [[UInt8]: Double] = [:]
        for item in picked { result[item.member] = item.score }
        storeZset(a[1], result)
    }
}
