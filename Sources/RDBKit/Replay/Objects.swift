/// The replayer's mutable representations of values. Collections are classes so a handler
/// mutates them in place through the dataset's dictionary without copy-on-write copies;
/// `copy()` gives COPY its independent value.
enum Obj {
    case string(StringObj)
    case list(ListObj)
    case set(SetObj)
    case zset(ZSetObj)
    case hash(HashObj)
    case stream(StreamObj)
    /// Module and array values: loaded from a preamble or RESTORE, never changed by a command we replay.
    case opaque(Value)

    var type: DataType {
        switch self {
        case .string: .string
        case .list: .list
        case .set: .set
        case .zset: .zset
        case .hash: .hash
        case .stream: .stream
        case .opaque(let v): v.type
        }
    }

    func copy() -> Obj {
        switch self {
        case .string(let s): .string(StringObj(s.bytes))
        case .list(let l): .list(ListObj(l.items))
        case .set(let s): .set(SetObj(s.members))
        case .zset(let z): .zset(z.copy())
        case .hash(let h): .hash(HashObj(h.fields))
        case .stream(let s): .stream(s.copy())
        case .opaque(let v): .opaque(v)
        }
    }
}

final class StringObj {
    var bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

final class ListObj {
    var items: Deque<[UInt8]>
    init(_ items: Deque<[UInt8]> = Deque()) { self.items = items }
}

final class SetObj {
    var members: Set<[UInt8]>
    init(_ members: Set<[UInt8]> = []) { self.members = members }
}

/// Member → score, plus the members in ZRANGE order (score, then bytes) for rank and range
/// access. The ordered array costs O(n) per insert; a skiplist is not worth it until AOFs with
/// very large, heavily mutated sorted sets show up.
final class ZSetObj {
    struct Item { var score: Double; var member: [UInt8] }
    private(set) var scores: [[UInt8]: Double] = [:]
    private(set) var ordered: [Item] = []

    init() {}

    var count: Int { ordered.count }

    func copy() -> ZSetObj {
        let z = ZSetObj()
        z.scores = scores
        z.ordered = ordered
        return z
    }

    static func precedes(_ a: Item, _ b: Item) -> Bool {
        a.score != b.score ? a.score < b.score : bytewiseLess(a.member, b.member)
    }

    /// The first position whose item does not precede `item`.
    func position(of item: Item) -> Int {
        var lo = 0, hi = ordered.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Self.precedes(ordered[mid], item) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Adds or re-scores a member.
    func set(_ member: [UInt8], _ score: Double) {
        if let old = scores[member] {
            if old == score { return }
            ordered.remove(at: position(of: Item(score: old, member: member)))
        }
        scores[member] = score
        let item = Item(score: score, member: member)
        ordered.insert(item, at: position(of: item))
    }

    @discardableResult
    func remove(_ member: [UInt8]) -> Bool {
        guard let old = scores.removeValue(forKey: member) else { return false }
        ordered.remove(at: position(of: Item(score: old, member: member)))
        return true
    }

    /// Removes the items at ranks `range` (ascending order).
    func removeRanks(_ range: Range<Int>) {
        for i in range { scores.removeValue(forKey: ordered[i].member) }
        ordered.removeSubrange(range)
    }
}

final class HashObj {
    struct Field { var value: [UInt8]; var expireAtMs: Int64? }
    var fields: [[UInt8]: Field]
    init(_ fields: [[UInt8]: Field] = [:]) { self.fields = fields }
}

final class StreamObj {
    struct Entry { var id: StreamID; var fieldsAndValues: [[UInt8]] }
    struct Pending { var consumer: [UInt8]; var deliveryTimeMs: Int64; var deliveryCount: UInt64 }
    struct Consumer { var seenTimeMs: Int64; var activeTimeMs: Int64; var pending: Set<StreamID> = [] }
    struct Group {
        var lastID: StreamID
        /// Redis's `entries_read`; -1 is its "unknown" value (SCG_INVALID_ENTRIES_READ).
        var entriesRead: Int64
        var pel: [StreamID: Pending] = [:]
        var consumers: [[UInt8]: Consumer] = [:]
    }

    var entries = Deque<Entry>()
    var lastID = StreamID.zero
    var firstID = StreamID.zero
    var maxDeletedID = StreamID.zero
    var entriesAdded: UInt64 = 0
    var groups: [[UInt8]: Group] = [:]

    init() {}

    func copy() -> StreamObj {
        let s = StreamObj()
        s.entries = entries; s.lastID = lastID; s.firstID = firstID
        s.maxDeletedID = maxDeletedID; s.entriesAdded = entriesAdded; s.groups = groups
        return s
    }

    /// The position of the first entry whose id is at least `id`.
    func position(of id: StreamID) -> Int {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].id < id { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
