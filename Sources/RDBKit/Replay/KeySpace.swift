#if canImport(Glibc)
import Glibc
#endif

/// One key of a `KeySpace`: its value and expiry in the header, its bytes in the same
/// allocation and, for a string, the value's bytes after them (as Redis embeds short strings):
/// one allocation per string key, where a node beside a string object costs two.
final class KeyNode: ManagedBuffer<KeyNodeHeader, UInt8> {
    /// A node for `key` holding `entry`, a string's bytes inline.
    static func make(_ key: UnsafeRawBufferPointer, entry: Dataset.Entry) -> KeyNode {
        if case .string(let s) = entry.obj, s.count <= UInt32.max {
            return s.withBytes { make(key, obj: nil, string: $0, expireAtMs: entry.expireAtMs) }
        }
        return make(key, obj: entry.obj, string: UnsafeRawBufferPointer(start: nil, count: 0), expireAtMs: entry.expireAtMs)
    }

    /// A node for `key` holding the string `value`.
    static func make(_ key: UnsafeRawBufferPointer, string value: UnsafeRawBufferPointer, expireAtMs: Int64?) -> KeyNode {
        guard value.count <= UInt32.max else {
            return make(key, obj: .string(StringObj.make(Array(value))), string: UnsafeRawBufferPointer(start: nil, count: 0), expireAtMs: expireAtMs)
        }
        return make(key, obj: nil, string: value, expireAtMs: expireAtMs)
    }

    private static func make(_ key: UnsafeRawBufferPointer, obj: Obj?, string: UnsafeRawBufferPointer, expireAtMs: Int64?) -> KeyNode {
        let node = create(minimumCapacity: key.count + string.count) { _ in
            KeyNodeHeader(obj: obj, expireAtMs: expireAtMs ?? KeyNodeHeader.noExpiry,
                          keyCount: UInt32(key.count), stringCount: UInt32(string.count))
        }
        let typed = unsafeDowncast(node, to: KeyNode.self)
        typed.withUnsafeMutablePointerToElements { p in
            if let base = key.baseAddress { p.update(from: base.assumingMemoryBound(to: UInt8.self), count: key.count) }
            if let base = string.baseAddress {
                (p + key.count).update(from: base.assumingMemoryBound(to: UInt8.self), count: string.count)
            }
        }
        return typed
    }

    /// The value; an inline string is copied out into a `StringObj`.
    var entry: Dataset.Entry {
        Dataset.Entry(obj: header.obj ?? .string(withInlineBytes { StringObj.make(Array($0)) }), expireAtMs: expireAtMs)
    }

    var expireAtMs: Int64? {
        get { header.expireAtMs == KeyNodeHeader.noExpiry ? nil : header.expireAtMs }
        set { header.expireAtMs = newValue ?? KeyNodeHeader.noExpiry }
    }

    var type: DataType { header.obj?.type ?? .string }

    /// The value when it is not an inline string (nil when it is: see `withString`).
    var object: Obj? { header.obj }

    /// Whether `entry` may replace this node's value in place: neither is an inline string.
    func holdsInPlace(_ entry: Dataset.Entry) -> Bool {
        guard header.obj != nil else { return false }
        if case .string = entry.obj { return false }
        return true
    }

    func replace(_ entry: Dataset.Entry) {
        header.obj = entry.obj
        expireAtMs = entry.expireAtMs
    }

    var key: [UInt8] { withKey { Array($0) } }

    func withKey<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let n = Int(header.keyCount)
        return try withUnsafeMutablePointerToElements { try body(UnsafeRawBufferPointer(start: $0, count: n)) }
    }

    /// Calls `body` with the inline string's bytes, or nil when the value is not one.
    func withString<R>(_ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        guard header.obj == nil else { return try body(nil) }
        return try withInlineBytes(body)
    }

    /// The bytes after the key's: an inline string's.
    private func withInlineBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let k = Int(header.keyCount), n = Int(header.stringCount)
        return try withUnsafeMutablePointerToElements { try body(UnsafeRawBufferPointer(start: $0 + k, count: n)) }
    }

    func matches(_ key: UnsafeRawBufferPointer) -> Bool {
        guard Int(header.keyCount) == key.count else { return false }
        guard let k = key.baseAddress else { return true }
        return withUnsafeMutablePointerToElements { memcmp($0, k, key.count) == 0 }
    }
}

/// Three words with the object header: an `Optional` expiry would take another. The key's
/// hash is not kept: the table's tags hold it.
struct KeyNodeHeader {
    static let noExpiry = Int64.min
    /// nil: a string, its bytes after the key's.
    var obj: Obj?
    /// Unix ms, `noExpiry` for none.
    var expireAtMs: Int64
    let keyCount: UInt32
    let stringCount: UInt32
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
            if tag == hash, let node = slots[i], node.matches(key) { return i }
            i = (i + 1) & mask
        }
    }

    func node(_ key: UnsafeRawBufferPointer) -> KeyNode? {
        slot(of: key, hash: Self.hash(key)).flatMap { slots[$0] }
    }

    func node(_ key: [UInt8]) -> KeyNode? { key.withUnsafeBytes { node($0) } }

    subscript(key: [UInt8]) -> Dataset.Entry? {
        get { node(key)?.entry }
        set {
            if let newValue { key.withUnsafeBytes { insert($0, newValue) } } else { removeValue(forKey: key) }
        }
    }

    /// Sets `key` to `entry` (an inline string node for a string).
    mutating func insert(_ k: UnsafeRawBufferPointer, _ entry: Dataset.Entry) {
        let hash = Self.hash(k)
        if let i = slot(of: k, hash: hash), let node = slots[i] {
            if node.holdsInPlace(entry) { node.replace(entry) } else { slots[i] = KeyNode.make(k, entry: entry) }
            return
        }
        add(KeyNode.make(k, entry: entry), hash: hash)
    }

    /// Sets `key` to the string `value` with expiry `expireAtMs`.
    mutating func setString(_ k: UnsafeRawBufferPointer, _ v: UnsafeRawBufferPointer, expireAtMs: Int64?) {
        let hash = Self.hash(k)
        let node = KeyNode.make(k, string: v, expireAtMs: expireAtMs)
        if let i = slot(of: k, hash: hash) { slots[i] = node } else { add(node, hash: hash) }
    }

    mutating func setString(_ key: [UInt8], _ value: [UInt8], expireAtMs: Int64?) {
        key.withUnsafeBytes { k in value.withUnsafeBytes { v in setString(k, v, expireAtMs: expireAtMs) } }
    }

    /// Changes the expiry of `key` if present, in place.
    mutating func setExpiry(_ key: UnsafeRawBufferPointer, _ expireAtMs: Int64?) {
        node(key)?.expireAtMs = expireAtMs
    }

    func contains(_ key: [UInt8]) -> Bool { node(key) != nil }

    /// Adds a node for a key not in the table.
    private mutating func add(_ node: KeyNode, hash: UInt32) {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        place(node, hash: hash)
        count += 1
    }

    /// Puts `node` in the first free slot from its home (the table has room).
    private mutating func place(_ node: consuming KeyNode, hash: UInt32) {
        let mask = slots.count - 1
        var i = Int(hash) & mask
        while tags[i] != 0 { i = (i + 1) & mask }
        slots[i] = node
        tags[i] = hash
    }

    private mutating func grow() {
        var old: [KeyNode?] = []
        swap(&old, &slots)
        let oldTags = tags
        slots = Array(repeating: nil, count: Swift.max(8, old.count * 2))
        tags = Array(repeating: 0, count: slots.count)
        // Moved out of the old table, not copied: no reference counting per key.
        old.withUnsafeMutableBufferPointer { b in
            for i in b.indices { if let node = b[i].take() { place(node, hash: oldTags[i]) } }
        }
    }

    @discardableResult
    mutating func removeValue(forKey k: UnsafeRawBufferPointer) -> Dataset.Entry? {
        guard let i = slot(of: k, hash: Self.hash(k)), let node = slots[i] else { return nil }
        removeSlot(i)
        return node.entry
    }

    @discardableResult
    mutating func removeValue(forKey key: [UInt8]) -> Dataset.Entry? {
        key.withUnsafeBytes { removeValue(forKey: $0) }
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

    var nodes: some Sequence<KeyNode> { slots.lazy.compactMap { $0 } }
}
