/// The replayer's representations of values, compact as the server's (one allocation for a
/// string or a small collection). Collections are classes so a handler mutates them in place
/// through the key space without copy-on-write copies, through their methods (the encoding
/// stays inside them); `copy()` gives COPY its independent value. Strings are immutable.
enum Obj {
    case string(StringObj)
    case list(ListObj)
    case set(SetObj)
    case zset(ZSetObj)
    case hash(HashObj)
    case stream(StreamObj)
    /// Module and array values: loaded from a preamble or RESTORE, never changed by a command we
    /// replay. Boxed so every case is one pointer and a key's entry stays small.
    case opaque(OpaqueObj)

    var type: DataType {
        switch self {
        case .string: .string
        case .list: .list
        case .set: .set
        case .zset: .zset
        case .hash: .hash
        case .stream: .stream
        case .opaque(let o): o.value.type
        }
    }

    func copy() -> Obj {
        switch self {
        case .string(let s): .string(s)
        case .list(let l): .list(l.copy())
        case .set(let s): .set(s.copy())
        case .zset(let z): .zset(z.copy())
        case .hash(let h): .hash(h.copy())
        case .stream(let s): .stream(s.copy())
        case .opaque(let o): .opaque(o)
        }
    }
}

/// A string's bytes in the object's own allocation, as an sds is: one allocation a value.
/// Immutable (so COPY shares it): a command that changes a string stores a new one.
final class StringObj: ManagedBuffer<Int, UInt8> {
    static func make(_ bytes: [UInt8]) -> StringObj {
        let s = unsafeDowncast(create(minimumCapacity: bytes.count) { _ in bytes.count }, to: StringObj.self)
        s.withUnsafeMutablePointerToElements { p in
            bytes.withUnsafeBufferPointer { b in if let base = b.baseAddress { p.update(from: base, count: b.count) } }
        }
        return s
    }

    var count: Int { header }

    var bytes: [UInt8] { withBytes { Array($0) } }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let n = header
        return try withUnsafeMutablePointerToElements { try body(UnsafeRawBufferPointer(start: $0, count: n)) }
    }
}

/// Elements packed in one buffer while the list is small (at most `packedMaxEntries` of at
/// most `packedMaxValue` bytes, about one quicklist node's worth); past that, in a sequence of
/// such buffers (nodes of at most `nodeMaxEntries` elements or `nodeMaxBytes` bytes), as a
/// quicklist holds them: a big list costs its bytes, not an allocation per element. Indexing
/// walks the nodes, then scans one, as Redis does.
final class ListObj {
    private static let packedMaxEntries = 128
    private static let packedMaxValue = 64
    private static let nodeMaxEntries = 128
    private static let nodeMaxBytes = 8192
    private var packed = PackedBytes()
    private var nodes: [PackedBytes]?
    private(set) var count = 0

    init() {}

    func copy() -> ListObj {
        let l = ListObj()
        l.packed = packed
        l.nodes = nodes
        l.count = count
        return l
    }

    var isEmpty: Bool { count == 0 }

    /// Converts to nodes when adding `element` would leave the packed limits.
    private func makeRoom(for element: [UInt8]) {
        guard nodes == nil, packed.count >= Self.packedMaxEntries || element.count > Self.packedMaxValue else { return }
        nodes = packed.isEmpty ? [] : [packed]
        packed = PackedBytes()
    }

    private static func isFull(_ node: PackedBytes) -> Bool {
        node.count >= nodeMaxEntries || node.endPosition >= nodeMaxBytes
    }

    /// The position of element `i` of `node`.
    private static func position(_ i: Int, in node: PackedBytes) -> Int {
        var p = node.startPosition
        for _ in 0..<i { p = node.position(after: p) }
        return p
    }

    /// The node holding element `i` (< count) and its index there.
    private func locate(_ i: Int) -> (node: Int, index: Int) {
        var i = i
        for (n, node) in nodes!.enumerated() {
            if i < node.count { return (n, i) }
            i -= node.count
        }
        return (nodes!.count - 1, nodes![nodes!.count - 1].count)
    }

    /// Sizes a small list's buffer for `elements` about to be pushed.
    func reserve<C: Collection>(adding elements: C) where C.Element: Collection<UInt8> {
        if nodes == nil && count + elements.count <= Self.packedMaxEntries { packed.reserve(adding: elements) }
    }

    func push(_ element: [UInt8], left: Bool) {
        makeRoom(for: element)
        count += 1
        guard nodes != nil else {
            if left { packed.insert(element, at: packed.startPosition) } else { packed.append(element) }
            return
        }
        if left {
            if let first = nodes!.first, !Self.isFull(first) { nodes![0].insert(element, at: first.startPosition) }
            else { nodes!.insert(PackedBytes([element]), at: 0) }
        } else {
            if let last = nodes!.last, !Self.isFull(last) { nodes![nodes!.count - 1].append(element) }
            else { nodes!.append(PackedBytes([element])) }
        }
    }

    /// Removes and returns the first (`left`) or last element; the list must not be empty.
    func pop(left: Bool) -> [UInt8] {
        count -= 1
        guard nodes != nil else {
            let p = left ? packed.startPosition : Self.position(packed.count - 1, in: packed)
            let e = packed.bytes(at: p)
            packed.remove(at: p)
            return e
        }
        let n = left ? 0 : nodes!.count - 1
        let p = left ? nodes![n].startPosition : Self.position(nodes![n].count - 1, in: nodes![n])
        let e = nodes![n].bytes(at: p)
        nodes![n].remove(at: p)
        if nodes![n].isEmpty { nodes!.remove(at: n) }
        return e
    }

    subscript(i: Int) -> [UInt8] {
        get {
            guard let nodes else { return packed.bytes(at: Self.position(i, in: packed)) }
            let (n, j) = locate(i)
            return nodes[n].bytes(at: Self.position(j, in: nodes[n]))
        }
        set {
            makeRoom(for: newValue)
            guard nodes != nil else { packed.replace(at: Self.position(i, in: packed), with: newValue); return }
            let (n, j) = locate(i)
            nodes![n].replace(at: Self.position(j, in: nodes![n]), with: newValue)
        }
    }

    func firstIndex(of element: [UInt8]) -> Int? {
        var i = 0
        for node in nodes ?? [packed] {
            var p = node.startPosition
            while p < node.endPosition {
                if node.element(at: p, equals: element) { return i }
                p = node.position(after: p)
                i += 1
            }
        }
        return nil
    }

    /// Inserts `element` before element `i` (at the end when `i` is `count`).
    func insert(_ element: [UInt8], at i: Int) {
        if i == count { push(element, left: false); return }
        makeRoom(for: element)
        count += 1
        guard nodes != nil else { packed.insert(element, at: Self.position(i, in: packed)); return }
        let (n, j) = locate(i)
        nodes![n].insert(element, at: Self.position(j, in: nodes![n]))
        if nodes![n].count > 2 * Self.nodeMaxEntries || nodes![n].endPosition > 2 * Self.nodeMaxBytes { split(n) }
    }

    /// Splits node `n` in two halves.
    private func split(_ n: Int) {
        let elements = nodes![n].elements
        let half = elements.count / 2
        nodes![n] = PackedBytes(elements[..<half])
        nodes!.insert(PackedBytes(elements[half...]), at: n + 1)
    }

    func remove(at i: Int) {
        count -= 1
        guard nodes != nil else { packed.remove(at: Self.position(i, in: packed)); return }
        let (n, j) = locate(i)
        nodes![n].remove(at: Self.position(j, in: nodes![n]))
        if nodes![n].isEmpty { nodes!.remove(at: n) }
    }

    /// Keeps the elements `keep` accepts, in order.
    func filter(keeping keep: ([UInt8]) throws -> Bool) rethrows {
        guard nodes != nil else {
            var kept = PackedBytes()
            for e in packed.elements where try keep(e) { kept.append(e) }
            packed = kept
            count = kept.count
            return
        }
        var kept: [PackedBytes] = []
        var node = PackedBytes()
        count = 0
        try forEach { e in
            let bytes = Array(e)
            guard try keep(bytes) else { return }
            if Self.isFull(node) { kept.append(node); node = PackedBytes() }
            node.append(bytes)
            count += 1
        }
        if !node.isEmpty { kept.append(node) }
        nodes = kept
    }

    /// Calls `body` with every element's bytes, first to last.
    func forEach(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard let nodes else { try packed.forEach(body); return }
        for node in nodes { try node.forEach(body) }
    }
}

final class OpaqueObj {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Members packed in one buffer while the set is small (a listpack: at most
/// `set-max-listpack-entries` members of at most `set-max-listpack-value` bytes), a
/// `PackedTable` past that (where Redis converts to a hash table).
final class SetObj {
    private static let limits = EncodingLimits()
    private var packed = PackedBytes()
    private var table: PackedTable?

    init() {}

    init<S: Sequence>(_ members: S) where S.Element == [UInt8] {
        for m in members { insert(m) }
    }

    func copy() -> SetObj {
        let s = SetObj()
        s.packed = packed
        s.table = table?.copy()
        return s
    }

    var count: Int { table?.count ?? packed.count }
    var isEmpty: Bool { count == 0 }

    func contains(_ member: [UInt8]) -> Bool {
        if let table { return table.position(of: member) != nil }
        return packed.firstPosition(of: member) != nil
    }

    /// Sizes a small set's buffer for `members` about to be added.
    func reserve<C: Collection>(adding members: C) where C.Element: Collection<UInt8> {
        if table == nil && count + members.count <= Self.limits.setMaxListpackEntries { packed.reserve(adding: members) }
    }

    /// Adds `member`; false when it was there.
    @discardableResult
    func insert(_ member: [UInt8]) -> Bool {
        member.withUnsafeBytes { insert($0) }
    }

    /// Adds `member` (copied into the set); false when it was there.
    @discardableResult
    func insert(_ member: UnsafeRawBufferPointer) -> Bool {
        if table == nil {
            if packed.firstPosition(of: member) != nil { return false }
            if packed.count < Self.limits.setMaxListpackEntries && member.count <= Self.limits.setMaxListpackValue {
                packed.append(member)
                return true
            }
            let t = PackedTable(arity: 1)
            for m in packed.elements { t.add(m) }
            table = t
            packed = PackedBytes()
        }
        let m = Array(member)
        if table!.position(of: m) != nil { return false }
        table!.add(m)
        return true
    }

    /// Removes `member`; false when it was not there.
    @discardableResult
    func remove(_ member: [UInt8]) -> Bool {
        if table != nil { return table!.remove(member) }
        guard let p = packed.firstPosition(of: member) else { return false }
        packed.remove(at: p)
        return true
    }

    /// The members as a Swift set, for the set algebra of the *STORE commands.
    var members: Set<[UInt8]> {
        var out = Set<[UInt8]>(minimumCapacity: count)
        forEach { out.insert(Array($0)) }
        return out
    }

    /// Calls `body` with every member's bytes.
    func forEach(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        if let table {
            let records = table.records
            try records.buffer.withUnsafeBytes { b in
                try table.forEach { p in try body(UnsafeRawBufferPointer(rebasing: b[records.span(at: p)])) }
            }
        } else {
            try packed.forEach(body)
        }
    }
}

/// A sorted set in ZRANGE order (score, then member bytes). While small (at most
/// `zset-max-listpack-entries` members of at most `zset-max-listpack-value` bytes) the
/// members and scores alternate in one packed buffer, as in Redis's listpack; past that, an
/// ordered sequence of blocks (`OrderedItems`) for rank and range access plus a member →
/// score index.
final class ZSetObj {
    struct Item { var score: Double; var member: [UInt8] }
    private static let limits = EncodingLimits()
    /// Member, score (its 8-byte bit pattern), member, score...
    private var packed = PackedBytes()
    private var big: Big?

    /// The big form, boxed: a small sorted set pays one pointer for it.
    private final class Big {
        var ordered: OrderedItems
        var index: [[UInt8]: Double]
        init(_ ordered: OrderedItems, _ index: [[UInt8]: Double]) { self.ordered = ordered; self.index = index }
    }

    init() {}

    /// Sizes a small sorted set's buffer for the members about to be added (each with its
    /// 8-byte score).
    func reserve<C: Collection>(adding members: C) where C.Element: Collection<UInt8> {
        guard big == nil && count + members.count <= Self.limits.zsetMaxEntries else { return }
        packed.reserve(adding: members, extraBytes: 9 * members.count)
    }

    var count: Int { big?.ordered.count ?? packed.count / 2 }

    func copy() -> ZSetObj {
        let z = ZSetObj()
        z.packed = packed
        z.big = big.map { Big($0.ordered, $0.index) }
        return z
    }

    /// The items in order.
    var ordered: [Item] {
        if let big { return big.ordered.items }
        var items: [Item] = []
        items.reserveCapacity(count)
        var p = packed.startPosition
        while p < packed.endPosition {
            let q = packed.position(after: p)
            items.append(Item(score: packedScore(at: q), member: packed.bytes(at: p)))
            p = packed.position(after: q)
        }
        return items
    }

    private func packedScore(at p: Int) -> Double {
        var bits: UInt64 = 0
        for (k, b) in packed.buffer[packed.span(at: p)].enumerated() { bits |= UInt64(b) << (8 * UInt64(k)) }
        return Double(bitPattern: bits)
    }

    /// The position of `member`'s pair in the packed buffer.
    private func packedPosition(of member: [UInt8]) -> Int? {
        packed.firstPosition(of: member, stride: 2)
    }

    func score(of member: [UInt8]) -> Double? {
        if let big { return big.index[member] }
        return packedPosition(of: member).map { packedScore(at: packed.position(after: $0)) }
    }

    /// Member → score, for the *STORE commands.
    var scores: [[UInt8]: Double] {
        big?.index ?? Dictionary(ordered.map { ($0.member, $0.score) }, uniquingKeysWith: { a, _ in a })
    }

    static func precedes(_ a: Item, _ b: Item) -> Bool {
        a.score != b.score ? a.score < b.score : bytewiseLess(a.member, b.member)
    }

    /// The first index of `ordered` whose item does not precede `item`.
    static func position(of item: Item, in ordered: [Item]) -> Int {
        var lo = 0, hi = ordered.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if precedes(ordered[mid], item) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Adds or re-scores a member.
    func set(_ member: [UInt8], _ score: Double) {
        if let old = self.score(of: member) {
            if old == score { return }
            remove(member)
        }
        if big == nil {
            if packed.count / 2 < Self.limits.zsetMaxEntries && member.count <= Self.limits.zsetMaxValue {
                insertPacked(member, score)
                return
            }
            let items = ordered
            big = Big(OrderedItems(items), Dictionary(items.map { ($0.member, $0.score) }, uniquingKeysWith: { a, _ in a }))
            packed = PackedBytes()
        }
        big!.ordered.insert(Item(score: score, member: member))
        big!.index[member] = score
    }

    /// Inserts a member known to be absent at its place in the packed buffer.
    private func insertPacked(_ member: [UInt8], _ score: Double) {
        var p = packed.startPosition
        while p < packed.endPosition {
            let q = packed.position(after: p)
            let s = packedScore(at: q)
            if s > score || (s == score && !packed.buffer[packed.span(at: p)].lexicographicallyPrecedes(member)) { break }
            p = packed.position(after: q)
        }
        withUnsafeBytes(of: score.bitPattern.littleEndian) { packed.insert($0, at: p) }
        packed.insert(member, at: p)
    }

    @discardableResult
    func remove(_ member: [UInt8]) -> Bool {
        if big != nil {
            guard let old = big!.index.removeValue(forKey: member) else { return false }
            big!.ordered.remove(Item(score: old, member: member))
            return true
        }
        guard let p = packedPosition(of: member) else { return false }
        packed.remove(at: p, elements: 2)
        return true
    }

    /// Removes the items at ranks `range` (ascending order).
    func removeRanks(_ range: Range<Int>) {
        if big != nil {
            for item in big!.ordered.removeRanks(range) { big!.index.removeValue(forKey: item.member) }
            return
        }
        var p = packed.startPosition
        for _ in 0..<(2 * range.lowerBound) { p = packed.position(after: p) }
        packed.remove(at: p, elements: 2 * range.count)
    }
}

/// A big sorted set's items in order, in blocks of at most `blockMax`: an insertion or removal
/// moves part of one block, where one array would move half the set (a ZADD of 20,000 new
/// members moved gigabytes).
struct OrderedItems {
    typealias Item = ZSetObj.Item
    private static let blockMax = 512
    private var blocks: [[Item]] = []
    private(set) var count = 0

    init(_ items: [Item]) {
        for start in stride(from: 0, to: items.count, by: Self.blockMax / 2) {
            blocks.append(Array(items[start..<Swift.min(items.count, start + Self.blockMax / 2)]))
        }
        count = items.count
    }

    var items: [Item] { Array(blocks.joined()) }

    /// The block where `item` belongs: the first whose last item does not precede it, else
    /// the last.
    private func block(for item: Item) -> Int {
        var lo = 0, hi = blocks.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            let b = blocks[mid]
            if ZSetObj.precedes(b[b.count - 1], item) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    mutating func insert(_ item: Item) {
        count += 1
        guard !blocks.isEmpty else { blocks = [[item]]; return }
        let b = block(for: item)
        blocks[b].insert(item, at: ZSetObj.position(of: item, in: blocks[b]))
        if blocks[b].count > Self.blockMax {
            let half = blocks[b].count / 2
            let tail = Array(blocks[b][half...])
            blocks[b].removeSubrange(half...)
            blocks.insert(tail, at: b + 1)
        }
    }

    /// Removes `item`, which is there.
    mutating func remove(_ item: Item) {
        guard !blocks.isEmpty else { return }
        let b = block(for: item)
        let i = ZSetObj.position(of: item, in: blocks[b])
        guard i < blocks[b].count else { return }
        blocks[b].remove(at: i)
        count -= 1
        if blocks[b].isEmpty { blocks.remove(at: b) }
    }

    /// Removes the items at ranks `range` and returns them.
    mutating func removeRanks(_ range: Range<Int>) -> ArraySlice<Item> {
        var all = items
        let removed = all[range]
        all.removeSubrange(range)
        self = OrderedItems(all)
        return removed
    }
}

/// Field, value, field, value... packed in one buffer while the hash is small (a listpack: at
/// most `hash-max-listpack-entries` fields, none longer than `hash-max-listpack-value`) and
/// no field has a TTL; past that a `PackedTable` of (field, value, TTL) records, where Redis
/// converts to a hash table. A TTL is its 8 little-endian bytes, none an empty element.
final class HashObj {
    struct Field { var value: [UInt8]; var expireAtMs: Int64? }
    private static let limits = EncodingLimits()
    private var packed = PackedBytes()
    private var table: PackedTable?

    init() {}

    func copy() -> HashObj {
        let h = HashObj()
        h.packed = packed
        h.table = table?.copy()
        return h
    }

    var count: Int { table?.count ?? packed.count / 2 }
    var isEmpty: Bool { count == 0 }

    /// Sizes a small hash's buffer for the fields and values about to be set.
    func reserve<C: Collection>(adding fieldsAndValues: C) where C.Element: Collection<UInt8> {
        if table == nil && count + fieldsAndValues.count / 2 <= Self.limits.hashMaxEntries { packed.reserve(adding: fieldsAndValues) }
    }

    /// A field's value and TTL; setting nil removes it.
    subscript(field: [UInt8]) -> Field? {
        get {
            if let table {
                guard let p = table.position(of: field) else { return nil }
                let v = table.records.position(after: p)
                let ttl = table.records.buffer.withUnsafeBytes { Self.expiry(UnsafeRawBufferPointer(rebasing: $0[table.records.span(at: table.records.position(after: v))])) }
                return Field(value: table.records.bytes(at: v), expireAtMs: ttl)
            }
            guard let p = packed.firstPosition(of: field, stride: 2) else { return nil }
            return Field(value: packed.bytes(at: packed.position(after: p)), expireAtMs: nil)
        }
        set {
            guard let newValue else { remove(field); return }
            if newValue.expireAtMs == nil && setPacked(field, newValue.value) { return }
            if table == nil { convertToTable() }
            table!.remove(field)
            Self.add(field, newValue.value, newValue.expireAtMs, to: table!)
        }
    }

    /// Sets `field` to `value` without a TTL, as HSET does (copied into the hash).
    func set(_ field: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
        if !setPacked(field, value) { self[Array(field)] = Field(value: Array(value), expireAtMs: nil) }
    }

    private func setPacked(_ field: [UInt8], _ value: [UInt8]) -> Bool {
        field.withUnsafeBytes { f in value.withUnsafeBytes { setPacked(f, $0) } }
    }

    /// Sets a field without a TTL in the packed form; false when the hash needs its table.
    private func setPacked(_ field: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> Bool {
        guard table == nil, field.count <= Self.limits.hashMaxValue, value.count <= Self.limits.hashMaxValue else { return false }
        if let p = packed.firstPosition(of: field, stride: 2) {
            packed.replace(at: packed.position(after: p), with: value)
            return true
        }
        guard packed.count / 2 < Self.limits.hashMaxEntries else { return false }
        packed.append(field)
        packed.append(value)
        return true
    }

    private static func add(_ field: [UInt8], _ value: [UInt8], _ expireAtMs: Int64?, to table: PackedTable) {
        table.add(field) { records in
            records.append(value)
            var ttl: [UInt8] = []
            if let t = expireAtMs { appendLittleEndian(UInt64(bitPattern: t), to: &ttl) }
            records.append(ttl)
        }
    }

    private static func expiry(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard bytes.count == 8 else { return nil }
        return Int64(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self)))
    }

    /// Removes `field`; false when it was not there.
    @discardableResult
    func remove(_ field: [UInt8]) -> Bool {
        if table != nil { return table!.remove(field) }
        guard let p = packed.firstPosition(of: field, stride: 2) else { return false }
        packed.remove(at: p, elements: 2)
        return true
    }

    private func convertToTable() {
        let t = PackedTable(arity: 3)
        forEach { f, v, _ in Self.add(Array(f), Array(v), nil, to: t) }
        table = t
        packed = PackedBytes()
    }

    var hasFieldExpiries: Bool {
        // The packed form holds none.
        guard table != nil else { return false }
        var any = false
        forEach { _, _, t in if t != nil { any = true } }
        return any
    }

    /// Calls `body` with each field, its value and its TTL.
    func forEach(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, Int64?) throws -> Void) rethrows {
        if let table {
            let records = table.records
            try records.buffer.withUnsafeBytes { b in
                try table.forEach { p in
                    let f = records.span(at: p), v = records.span(at: f.upperBound), t = records.span(at: v.upperBound)
                    try body(UnsafeRawBufferPointer(rebasing: b[f]), UnsafeRawBufferPointer(rebasing: b[v]),
                             Self.expiry(UnsafeRawBufferPointer(rebasing: b[t])))
                }
            }
            return
        }
        var field: UnsafeRawBufferPointer?
        try packed.forEach { e in
            if let f = field {
                try body(f, e, nil)
                field = nil
            } else {
                field = e
            }
        }
    }
}

final class StreamObj {
    struct Entry { var id: StreamID; var fieldsAndValues: PackedBytes }
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
