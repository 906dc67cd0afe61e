/// List commands (`t_list.c`), including the blocking forms as servers propagate them.
extension Replayer {
    static let listCommands: [String: Handler] = [
        "LPUSH": { r, a in try r.push(a, left: true, onlyExisting: false) },
        "RPUSH": { r, a in try r.push(a, left: false, onlyExisting: false) },
        "LPUSHX": { r, a in try r.push(a, left: true, onlyExisting: true) },
        "RPUSHX": { r, a in try r.push(a, left: false, onlyExisting: true) },
        "LPOP": { r, a in try r.pop(a, left: true) },
        "RPOP": { r, a in try r.pop(a, left: false) },
        "LSET": { r, a in try r.lset(a) },
        "LINSERT": { r, a in try r.linsert(a) },
        "LREM": { r, a in try r.lrem(a) },
        "LTRIM": { r, a in try r.ltrim(a) },
        "RPOPLPUSH": { r, a in try a.arity(3); try r.lmove(a, a[1], a[2], fromLeft: false, toLeft: true) },
        "BRPOPLPUSH": { r, a in try a.arity(4); try r.lmove(a, a[1], a[2], fromLeft: false, toLeft: true) },
        "LMOVE": { r, a in try a.arity(5); try r.lmove(a, a[1], a[2], fromLeft: try r.side(a, 3), toLeft: try r.side(a, 4)) },
        "BLMOVE": { r, a in try a.arity(6); try r.lmove(a, a[1], a[2], fromLeft: try r.side(a, 3), toLeft: try r.side(a, 4)) },
        "BLPOP": { r, a in try r.bpop(a, left: true) },
        "BRPOP": { r, a in try r.bpop(a, left: false) },
        "LMPOP": { r, a in try r.lmpop(a, first: 1) },
        "BLMPOP": { r, a in try r.lmpop(a, first: 2) },
    ]

    func side(_ a: Args, _ i: Int) throws -> Bool {
        if a.isWord(i, "LEFT") { return true }
        if a.isWord(i, "RIGHT") { return false }
        throw a.error(.syntax, "syntax error")
    }

    private func push(_ a: Args, left: Bool, onlyExisting: Bool) throws {
        try a.arity(atLeast: 3)
        let l: ListObj
        if let existing = try list(a.bytes(1), a) { l = existing }
        else {
            if onlyExisting { return }
            l = ListObj()
            store(a.bytes(1), .list(l))
        }
        l.reserve(adding: a.bytes(2...))
        for i in 2..<a.count {
            l.push(a[i], left: left)
        }
        touched(a.bytes(1), by: a.count - 2)
    }

    /// Pops up to `count` elements; deletes the key when emptied. Returns how many.
    @discardableResult
    private func popElements(_ key: [UInt8], _ l: ListObj, left: Bool, count: Int) -> Int {
        let n = min(count, l.count)
        for _ in 0..<n { _ = l.pop(left: left) }
        if l.isEmpty { remove(key) }
        if n > 0 { touched(key, by: n) }
        return n
    }

    private func pop(_ a: Args, left: Bool) throws {
        guard a.count == 2 || a.count == 3 else { throw a.error(.syntax, "wrong number of arguments") }
        var count = 1
        if a.count == 3 {
            let c = try a.int(2)
            guard c >= 0 else { throw a.error(.outOfRange, "value is out of range, must be positive") }
            count = Int(min(c, Int64(Int32.max)))
        }
        guard let l = try list(a[1], a) else { return }
        popElements(a[1], l, left: left, count: count)
    }

    private func bpop(_ a: Args, left: Bool) throws {
        try a.arity(atLeast: 3)
        for i in 1..<(a.count - 1) {
            if let l = try list(a[i], a), !l.isEmpty {
                popElements(a[i], l, left: left, count: 1)
                return
            }
        }
    }

    /// LMPOP numkeys key... LEFT|RIGHT [COUNT n]; BLMPOP has the timeout first.
    private func lmpop(_ a: Args, first: Int) throws {
        try a.arity(atLeast: first + 3)
        let n = try a.int(first)
        guard n > 0, first + 1 + Int(n) < a.count else { throw a.error(.syntax, "numkeys should be greater than 0") }
        let keysEnd = first + 1 + Int(n)
        let left = try side(a, keysEnd)
        var count = 1
        if a.count > keysEnd + 1 {
            guard a.count == keysEnd + 3, a.isWord(keysEnd + 1, "COUNT") else { throw a.error(.syntax, "syntax error") }
            let c = try a.int(keysEnd + 2)
            guard c > 0 else { throw a.error(.outOfRange, "count should be greater than 0") }
            count = Int(min(c, Int64(Int32.max)))
        }
        for i in (first + 1)..<keysEnd {
            if let l = try list(a[i], a), !l.isEmpty {
                popElements(a[i], l, left: left, count: count)
                return
            }
        }
    }

    private func lset(_ a: Args) throws {
        try a.arity(4)
        guard let l = try list(a[1], a) else { throw a.error(.noSuchKey, "no such key") }
        var i = try a.int(2)
        if i < 0 { i += Int64(l.count) }
        guard i >= 0, i < Int64(l.count) else { throw a.error(.outOfRange, "index out of range") }
        l[Int(i)] = a[3]
        touched(a[1])
    }

    private func linsert(_ a: Args) throws {
        try a.arity(5)
        let after: Bool
        if a.isWord(2, "AFTER") { after = true } else if a.isWord(2, "BEFORE") { after = false }
        else { throw a.error(.syntax, "syntax error") }
        guard let l = try list(a[1], a) else { return }
        guard let i = l.firstIndex(of: a[3]) else { return }
        l.insert(a[4], at: after ? i + 1 : i)
        touched(a[1])
    }

    private func lrem(_ a: Args) throws {
        try a.arity(4)
        let count = try a.int(2)
        guard let l = try list(a[1], a) else { return }
        let value = a[3]
        var removed = 0
        let limit = count == 0 ? Int.max : Int(count.magnitude > UInt64(Int.max) ? UInt64(Int.max) : count.magnitude)
        if count >= 0 {
            l.filter { e in
                if removed < limit && e == value { removed += 1; return false }
                return true
            }
        } else {
            var i = l.count - 1
            while i >= 0 && removed < limit {
                if l[i] == value { l.remove(at: i); removed += 1 }
                i -= 1
            }
        }
        guard removed > 0 else { return }
        if l.isEmpty { remove(a[1]) }
        touched(a[1], by: removed)
    }

    private func ltrim(_ a: Args) throws {
        try a.arity(4)
        var start = try a.int(2), end = try a.int(3)
        guard let l = try list(a[1], a) else { return }
        let len = Int64(l.count)
        if start < 0 { start = len + start }
        if end < 0 { end = len + end }
        if start < 0 { start = 0 }
        let left: Int64, right: Int64
        if start > end || start >= len { left = len; right = 0 }
        else {
            if end >= len { end = len - 1 }
            left = start; right = len - end - 1
        }
        for _ in 0..<left { _ = l.pop(left: true) }
        for _ in 0..<right { _ = l.pop(left: false) }
        if l.isEmpty { remove(a[1]) }
        // 6.2+ count the removed elements; the command is propagated either way.
        touched(a[1], by: Int(left + right))
    }

    private func lmove(_ a: Args, _ src: [UInt8], _ dst: [UInt8], fromLeft: Bool, toLeft: Bool) throws {
        guard let s = try list(src, a), !s.isEmpty else { return }
        let d: ListObj
        if let existing = try list(dst, a) { d = existing }
        else { d = ListObj(); store(dst, .list(d)) }
        d.push(s.pop(left: fromLeft), left: toLeft)
        if s.isEmpty { remove(src) }
        touched(src)
        touched(dst, by: 0)
    }
}
