/// Stream commands (`t_stream.c`) in the forms servers propagate: XADD with explicit ids and
/// exact trims, XDEL, XTRIM, XSETID, XGROUP, XCLAIM (the form XREADGROUP, XCLAIM and XAUTOCLAIM
/// are all propagated as) and XACK. first_id, max_deleted_id, entries_added and entries_read
/// are kept as Redis 7.x maintains them.
extension Replayer {
    static let streamCommands: [String: Handler] = [
        "XADD": { r, a in try r.xadd(a) },
        "XDEL": { r, a in try r.xdel(a) },
        "XTRIM": { r, a in try r.xtrim(a) },
        "XSETID": { r, a in try r.xsetid(a) },
        "XGROUP": { r, a in try r.xgroup(a) },
        "XCLAIM": { r, a in try r.xclaim(a) },
        "XACK": { r, a in try r.xack(a) },
    ]

    /// `ms-seq` or `ms` (seq 0), digits only as `string2ull` takes them; with `allowStarSeq`,
    /// `ms-*` gives a nil seq.
    private func streamID(_ a: Args, _ i: Int, allowStarSeq: Bool = false) throws -> (ms: UInt64, seq: UInt64?) {
        let t = a[i]
        let invalid = a.error(.syntax, "Invalid stream ID specified as stream command argument")
        func number(_ s: ArraySlice<UInt8>) -> UInt64? {
            guard !s.isEmpty, s.count <= 20, s.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            var v: UInt64 = 0
            for d in s {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (r, o2) = m.addingReportingOverflow(UInt64(d - 48))
                if o1 || o2 { return nil }
                v = r
            }
            return v
        }
        guard let dash = t.firstIndex(of: UInt8(ascii: "-")) else {
            guard let ms = number(t[...]) else { throw invalid }
            return (ms, 0)
        }
        guard let ms = number(t[..<dash]) else { throw invalid }
        let rest = t[(dash + 1)...]
        if allowStarSeq && rest.elementsEqual([UInt8(ascii: "*")]) { return (ms, nil) }
        guard let seq = number(rest) else { throw invalid }
        return (ms, seq)
    }

    private func strictID(_ a: Args, _ i: Int) throws -> StreamID {
        let (ms, seq) = try streamID(a, i)
        return StreamID(ms: ms, seq: seq ?? 0)
    }

    private struct Trim { var maxLen: Int64?; var minID: StreamID? }

    /// MAXLEN|MINID [=|~] threshold [LIMIT n] at `i`; returns the trim and the index after it.
    /// `~` trims by whole listpack nodes, which this model does not have; servers propagate the
    /// exact `=` result instead, so `~` is refused.
    private func trimOption(_ a: Args, _ i: Int) throws -> (Trim, Int)? {
        let isMaxLen = a.isWord(i, "MAXLEN")
        guard isMaxLen || a.isWord(i, "MINID"), i + 1 < a.count else { return nil }
        var j = i + 1
        if a[j] == [UInt8(ascii: "~")] {
            throw a.error(.unsupported, "approximate trimming (~) depends on the server's node layout; servers propagate the exact '=' form")
        }
        if a[j] == [UInt8(ascii: "=")] { j += 1 }
        guard j < a.count else { throw a.error(.syntax, "syntax error") }
        var trim = Trim()
        if isMaxLen {
            let n = try a.int(j)
            guard n >= 0 else { throw a.error(.outOfRange, "The MAXLEN argument must be >= 0.") }
            trim.maxLen = n
        } else {
            trim.minID = try strictID(a, j)
        }
        j += 1
        if a.isWord(j, "LIMIT") {
            throw a.error(.syntax, "syntax error, LIMIT cannot be used without the special ~ option")
        }
        return (trim, j)
    }

    /// Exact trim (streamTrim); returns the number of entries removed.
    private func apply(_ t: Trim, to s: StreamObj) -> Int {
        var deleted = 0
        while let first = s.entries.first {
            if let maxLen = t.maxLen, Int64(s.entries.count) <= maxLen { break }
            if let minID = t.minID, first.id >= minID { break }
            s.entries.removeFirst()
            deleted += 1
        }
        if s.entries.isEmpty { s.firstID = .zero } else if deleted > 0 { s.firstID = s.entries[0].id }
        return deleted
    }

    private func xadd(_ a: Args) throws {
        try a.arity(atLeast: 5)
        var noMkStream = false
        var trim: Trim?
        var i = 2
        while i < a.count {
            if a.isWord(i, "NOMKSTREAM") { noMkStream = true; i += 1 }
            else if let (t, next) = try trimOption(a, i) { trim = t; i = next }
            else { break }
        }
        guard i < a.count else { throw a.error(.syntax, "syntax error") }
        let idArg = i
        let fields = a.count - idArg - 1
        guard fields >= 2, fields % 2 == 0 else { throw a.error(.syntax, "wrong number of arguments for 'xadd' command") }
        let auto = a.bytes(idArg).elementsEqual([UInt8(ascii: "*")])
        let given = auto ? nil : try streamID(a, idArg, allowStarSeq: true)
        // Redis 5.0 rewrote an empty stream as `XADD k MAXLEN 0 0-0 x y`: accept that idiom only.
        let emptyStreamIdiom = given?.ms == 0 && given?.seq == 0 && trim?.maxLen == 0
        if let given, given.ms == 0, given.seq == 0, !emptyStreamIdiom {
            throw a.error(.syntax, "The ID specified in XADD must be greater than 0-0")
        }
        let key = a.bytes(1)
        let s: StreamObj
        if let existing = try stream(key, a) { s = existing }
        else {
            if noMkStream { return }
            s = StreamObj()
            store(key, .stream(s))
        }
        let last = s.lastID
        let id: StreamID
        if let given {
            if let seq = given.seq { id = StreamID(ms: given.ms, seq: seq) }
            else if last.ms == given.ms {
                guard last.seq != .max else { throw a.error(.outOfRange, "The ID specified in XADD is equal or smaller than the target stream top item") }
                id = StreamID(ms: given.ms, seq: last.seq + 1)
            } else { id = StreamID(ms: given.ms, seq: 0) }
        } else {
            // `*`: the command time, as servers stamp it (never in an AOF, which holds the id).
            let ms = UInt64(max(nowMs, 0))
            id = ms > last.ms ? StreamID(ms: ms, seq: 0)
                : last.seq == .max ? StreamID(ms: last.ms + 1, seq: 0) : StreamID(ms: last.ms, seq: last.seq + 1)
        }
        guard id > last || (emptyStreamIdiom && s.entries.isEmpty) else {
            throw a.error(.outOfRange, "The ID specified in XADD is equal or smaller than the target stream top item")
        }
        s.entries.append(StreamObj.Entry(id: id, fieldsAndValues: PackedBytes(a.bytes((idArg + 1)...))))
        s.lastID = id
        s.entriesAdded += 1
        if s.entries.count == 1 { s.firstID = id }
        if let trim { _ = apply(trim, to: s) }
        touched(key)
    }

    private func xdel(_ a: Args) throws {
        try a.arity(atLeast: 3)
        var ids: [StreamID] = []
        for i in 2..<a.count { ids.append(try strictID(a, i)) }
        guard let s = try stream(a[1], a) else { return }
        var deleted = 0, wasFirst = false
        for id in ids {
            let p = s.position(of: id)
            guard p < s.entries.count, s.entries[p].id == id else { continue }
            s.entries.remove(at: p)
            if id == s.firstID { wasFirst = true }
            if id > s.maxDeletedID { s.maxDeletedID = id }
            deleted += 1
        }
        guard deleted > 0 else { return }
        if s.entries.isEmpty { s.firstID = .zero } else if wasFirst { s.firstID = s.entries[0].id }
        touched(a[1], by: deleted)
    }

    private func xtrim(_ a: Args) throws {
        try a.arity(atLeast: 4)
        guard let (trim, next) = try trimOption(a, 2), next == a.count else { throw a.error(.syntax, "syntax error") }
        guard let s = try stream(a[1], a) else { return }
        let deleted = apply(trim, to: s)
        if deleted > 0 { touched(a[1], by: deleted) }
    }

    private func xsetid(_ a: Args) throws {
        try a.arity(atLeast: 3)
        let id = try strictID(a, 2)
        var entriesAdded: Int64 = -1
        var maxDeleted = StreamID.zero
        var i = 3
        while i < a.count {
            if a.isWord(i, "ENTRIESADDED") && i + 1 < a.count {
                entriesAdded = try a.int(i + 1)
                guard entriesAdded >= 0 else { throw a.error(.outOfRange, "entries_added must be positive") }
            } else if a.isWord(i, "MAXDELETEDID") && i + 1 < a.count {
                maxDeleted = try strictID(a, i + 1)
                guard id >= maxDeleted else {
                    throw a.error(.outOfRange, "The ID specified in XSETID is smaller than the provided max_deleted_entry_id")
                }
            } else { throw a.error(.syntax, "syntax error") }
            i += 2
        }
        guard let s = try stream(a[1], a) else { throw a.error(.noSuchKey, "no such key") }
        if let top = s.entries.last?.id {
            guard id >= top else { throw a.error(.outOfRange, "The ID specified in XSETID is smaller than the target stream top item") }
            if entriesAdded != -1 && Int64(s.entries.count) > entriesAdded {
                throw a.error(.outOfRange, "The entries_added specified in XSETID is smaller than the target stream length")
            }
        }
        s.lastID = id
        if entriesAdded != -1 { s.entriesAdded = UInt64(entriesAdded) }
        if maxDeleted != .zero { s.maxDeletedID = maxDeleted }
        touched(a[1])
    }

    private func xgroup(_ a: Args) throws {
        try a.arity(atLeast: 4)
        let create = a.isWord(1, "CREATE"), setID = a.isWord(1, "SETID")
        var mkStream = false
        var entriesRead: Int64 = -1
        var i = 5
        while i < a.count {
            if create && a.isWord(i, "MKSTREAM") { mkStream = true; i += 1 }
            else if (create || setID) && a.isWord(i, "ENTRIESREAD") && i + 1 < a.count {
                entriesRead = try a.int(i + 1)
                guard entriesRead >= 0 || entriesRead == -1 else {
                    throw a.error(.outOfRange, "value for ENTRIESREAD must be positive or -1")
                }
                i += 2
            } else { throw a.error(.syntax, "unknown subcommand or wrong number of arguments") }
        }
        let key = a[2], name = a[3]
        let existing = try stream(key, a)
        guard existing != nil || mkStream else {
            throw a.error(.noSuchKey, "The XGROUP subcommand requires the key to exist")
        }
        let needsGroup = setID || a.isWord(1, "CREATECONSUMER") || a.isWord(1, "DELCONSUMER")
        if needsGroup, existing?.groups[name] == nil { throw a.error(.noSuchKey, "NOGROUP No such consumer group") }
        if create && a.count >= 5 && a.count <= 8 {
            let s = existing ?? StreamObj()
            let id = a[4] == [UInt8(ascii: "$")] ? s.lastID : try strictID(a, 4)
            guard s.groups[name] == nil else { throw a.error(.exists, "BUSYGROUP Consumer Group name already exists") }
            if existing == nil { store(key, .stream(s)) }
            s.groups[name] = StreamObj.Group(lastID: id, entriesRead: entriesRead)
            touched(key)
        } else if let s = existing, setID && (a.count == 5 || a.count == 7) {
            let id = a[4] == [UInt8(ascii: "$")] ? s.lastID : try strictID(a, 4)
            s.groups[name]?.lastID = id
            s.groups[name]?.entriesRead = entriesRead
            touched(key)
        } else if let s = existing, a.isWord(1, "DESTROY") && a.count == 4 {
            if s.groups.removeValue(forKey: name) != nil { touched(key) }
        } else if let s = existing, a.isWord(1, "CREATECONSUMER") && a.count == 5 {
            if s.groups[name]?.consumers[a[4]] == nil {
                s.groups[name]?.consumers[a[4]] = StreamObj.Consumer(seenTimeMs: nowMs, activeTimeMs: -1)
                touched(key)
            }
        } else if let s = existing, a.isWord(1, "DELCONSUMER") && a.count == 5 {
            guard let c = s.groups[name]?.consumers.removeValue(forKey: a[4]) else { return }
            for id in c.pending { s.groups[name]?.pel.removeValue(forKey: id) }
            touched(key)
        } else {
            throw a.error(.syntax, "unknown subcommand or wrong number of arguments")
        }
    }

    /// XCLAIM key group consumer min-idle id... [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE]
    /// [JUSTID] [LASTID id].
    private func xclaim(_ a: Args) throws {
        try a.arity(atLeast: 6)
        let key = a[1], groupName = a[2], consumer = a[3]
        guard let s = try stream(key, a), s.groups[groupName] != nil else {
            throw a.error(.noSuchKey, "NOGROUP No such key or consumer group")
        }
        let minIdle = max(try a.int(4), 0)
        var ids: [StreamID] = []
        var j = 5
        while j < a.count, let id = try? strictID(a, j) { ids.append(id); j += 1 }
        var retryCount: Int64 = -1, deliveryTime: Int64 = -1
        var force = false, justID = false
        var lastID = StreamID.zero
        while j < a.count {
            let more = j + 1 < a.count
            if a.isWord(j, "FORCE") { force = true }
            else if a.isWord(j, "JUSTID") { justID = true }
            else if a.isWord(j, "IDLE") && more { deliveryTime = nowMs - (try a.int(j + 1)); j += 1 }
            else if a.isWord(j, "TIME") && more { deliveryTime = try a.int(j + 1); j += 1 }
            else if a.isWord(j, "RETRYCOUNT") && more { retryCount = try a.int(j + 1); j += 1 }
            else if a.isWord(j, "LASTID") && more { lastID = try strictID(a, j + 1); j += 1 }
            else { throw a.error(.syntax, "Unrecognized XCLAIM option") }
            j += 1
        }
        // Taken out of the stream while it changes: a copy would copy its whole PEL, on every
        // XCLAIM (a server propagates one per entry read).
        guard var g = s.groups.removeValue(forKey: groupName) else { return }
        defer { s.groups[groupName] = g }
        var changes = 0
        if lastID > g.lastID { g.lastID = lastID; changes = 1 }
        // Redis clamps a TIME in its future to its clock; a server loading the file runs later
        // than any TIME the file holds, so only the negative case applies.
        if deliveryTime < 0 { deliveryTime = nowMs }
        var claimedAny = false
        for id in ids {
            let p = s.position(of: id)
            let entryExists = p < s.entries.count && s.entries[p].id == id
            if !entryExists {
                if let nack = g.pel.removeValue(forKey: id) {
                    g.consumers[nack.consumer]?.pending.remove(id)
                    changes += 1
                }
                continue
            }
            // A NACK FORCE creates has no owner yet, so the idle check does not apply to it.
            let created = force && g.pel[id] == nil
            if created { g.pel[id] = StreamObj.Pending(consumer: [], deliveryTimeMs: nowMs, deliveryCount: 1) }
            guard var nack = g.pel[id] else { continue }
            if !created, minIdle > 0, nowMs - nack.deliveryTimeMs < minIdle { continue }
            if g.consumers[consumer] == nil {
                g.consumers[consumer] = StreamObj.Consumer(seenTimeMs: nowMs, activeTimeMs: -1)
                changes += 1
            } else if !claimedAny {
                g.consumers[consumer]?.seenTimeMs = nowMs
            }
            claimedAny = true
            if !created && nack.consumer != consumer { g.consumers[nack.consumer]?.pending.remove(id) }
            nack.deliveryTimeMs = deliveryTime
            if retryCount >= 0 { nack.deliveryCount = UInt64(retryCount) } else if !justID { nack.deliveryCount += 1 }
            nack.consumer = consumer
            g.pel[id] = nack
            g.consumers[consumer]?.pending.insert(id)
            g.consumers[consumer]?.activeTimeMs = nowMs
            changes += 1
        }
        if changes > 0 { touched(key, by: changes) }
    }

    private func xack(_ a: Args) throws {
        try a.arity(atLeast: 4)
        var ids: [StreamID] = []
        for i in 3..<a.count { ids.append(try strictID(a, i)) }
        // Taken out while it changes, so that it is not copied (as in `xclaim`).
        let name = a[2]
        guard let s = try stream(a.bytes(1), a), var g = s.groups.removeValue(forKey: name) else { return }
        defer { s.groups[name] = g }
        var acked = 0
        for id in ids {
            guard let nack = g.pel.removeValue(forKey: id) else { continue }
            g.consumers[nack.consumer]?.pending.remove(id)
            acked += 1
        }
        if acked > 0 { touched(a.bytes(1), by: acked) }
    }
}
