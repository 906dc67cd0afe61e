/// One key of a `KeySpace`: its entry and hash in the header, its bytes in the same allocation
/// (one allocation per key, where a dictionary of `[UInt8]` keys costs a node plus an array).
final class KeyNode: ManagedBuffer<KeyNodeHeader, UInt8> {
    static func make(_ key: UnsafeRawBufferPointer, hash: UInt32, entry: Dataset.Entry) -> KeyNode {
        let node = create(minimumCapacity: key.count) { _ in
            KeyNodeHeader(obj: entry.obj, expireAtMs: entry.expireAtMs ?? KeyNodeHeader.noExpiry, hash: hash, count: UInt32(key.count))
        }
        let typed = unsafeDowncast(node, to: KeyNode.self)
        typed.withUnsafeMutablePointerToElements { p in
            if let base = key.baseAddress { p.update(from: base.assumingMemoryBound(to: UInt8.self), count: key.count) }
        }
        return typed
    }

    var entry: Dataset.Entry {
        get {
            let h = header
            return Dataset.Entry(obj: h.obj, expireAtMs: h.expireAtMs == KeyNodeHeader.noExpiry ? nil : h.expireAtMs)
        }
        set {
            header.obj = newValue.obj
            header.expireAtMs = newValue.expireAtMs ?? KeyNodeHeader.noExpiry
        }
    }

    var key: [UInt8] { withKey { Array($0) } }

    func withKey<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let n = Int(header.count)
        return try withUnsafeMutablePointerToElements { try body(UnsafeRawBufferPointer(start: $0, count: n)) }
    }

    func matches(_ key: UnsafeRawBufferPointer, hash: UInt32) -> Bool {
        guard header.hash == hash, Int(header.count) == key.count else { return false }
        return withKey { $0.elementsEqual(key) }
    }
}

/// Four words with the object header: an `Optional` expiry and word-sized hash and length
/// would take two more.
struct KeyNodeHeader {
    static let noExpiry = Int64.min
    var obj: Obj
    /// Unix ms, `noExpiry` for none.
    var expireAtMs: Int64
    let hash: UInt32
    let count: UInt32
}

/// One database's keys: an open-addressing table (linear probing, deletion by backward shift)
/// of `KeyNode`s. Swift's `Dictionary` keeps key and value inline in its buckets at a load of
/// at most 3/4 and doubles in powers of two, so millions of keys cost several times what the
/// keys themselves need; this table pays a pointer and a four-byte hash tag (0: empty) a slot,
/// the tag letting a probe skip other keys without visiting their nodes.
///
/// Nodes are shared between copies of a `KeySpace`: the replayer never copies one (COPY
/// copies the value with `Obj.copy()`).
struct KeySpace {
    private var slots: [KeyNode?] = []
    private var tags: [UInt32] = []
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    /// `Hash64`, not `Hasher`: faster on short keys, and the same every run, so the slot
    /// order `Dataset.writeRDB` writes in (and so the file) is too.
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt32 {
        Swift.max(1, UInt32(truncatingIfNeeded: Hash64.hash(key)))
    }

    /// The slot holding `key`, or nil.
    private func slot(of key: UnsafeRawBufferPointer, hash: UInt32) -> Int? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var i = Int(hash) & mask
        while true {
            let tag = tags[i]
            if tag == 0 { return nil }
            if tag == hash, let node = slots[i], node.matches(key, hash: hash) { return i }
            i = (i + 1) & mask
        }
    }

    func node(_ key: [UInt8]) -> KeyNode? {
        key.withUnsafeBytes { k in slot(of: k, hash: Self.hash(k)).flatMap { slots[$0] } }
    }

    subscript(key: [UInt8]) -> Dataset.Entry? {
        get { node(key)?.entry }
        set {
            if let newValue { insert(key, newValue) } else { removeValue(forKey: key) }
        }
    }

    private mutating func insert(_ key: [UInt8], _ entry: Dataset.Entry) {
        key.withUnsafeBytes { k in
            let hash = Self.hash(k)
            if let i = slot(of: k, hash: hash), let node = slots[i] {
                node.entry = entry
                return
            }
            if (count + 1) * 4 > slots.count * 3 { grow() }
            place(KeyNode.make(k, hash: hash, entry: entry))
            count += 1
        }
    }

    /// Puts `node` in the first free slot from its home (the table has room).
    private mutating func place(_ node: KeyNode) {
        let mask = slots.count - 1
        var i = Int(node.header.hash) & mask
        while tags[i] != 0 { i = (i + 1) & mask }
        slots[i] = node
        tags[i] = node.header.hash
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: nil, count: Swift.max(8, old.count * 2))
        tags = Array(repeating: 0, count: slots.count)
        for case let node? in old { place(node) }
    }

    @discardableResult
    mutating func removeValue(forKey key: [UInt8]) -> Dataset.Entry? {
        key.withUnsafeBytes { k -> Dataset.Entry? in
            guard let i = slot(of: k, hash: Self.hash(k)), let node = slots[i] else { return nil }
            removeSlot(i)
            return node.entry
        }
    }

    /// Empties slot `i`, then moves back every later node of the probe run that may not stay
    /// past the hole (its home is not cyclically after the hole), so lookups never meet a gap.
    private mutating func removeSlot(_ i: Int) {
        let mask = slots.count - 1
        slots[i] = nil
        tags[i] = 0
        count -= 1
        var hole = i, j = i
        while true {
            j = (j + 1) & mask
            let tag = tags[j]
            if tag == 0 { return }
            let home = Int(tag) & mask
            if (j - home) & mask >= (j - hole) & mask {
                slots[hole] = slots[j]
                tags[hole] = tag
                slots[j] = nil
                tags[j] = 0
                hole = j
            }
        }
    }

    mutating func removeAll() {
        slots = []
        tags = []
        count = 0
    }

    /// Calls `body` with each node and its slot (for `node(atSlot:)`), in slot order.
    func forEachNode(_ body: (Int, KeyNode) throws -> Void) rethrows {
        for (i, node) in slots.enumerated() { if let node { try body(i, node) } }
    }

    /// The node in slot `i`, if any.
    func node(atSlot i: Int) -> KeyNode? { slots[i] }

    /// How many slots there are (for `node(atSlot:)`).
    var slotCount: Int { slots.count }

    var keys: [[UInt8]] { slots.compactMap { $0?.key } }

    var entries: some Sequence<Dataset.Entry> { slots.lazy.compactMap { $0?.entry } }
}
