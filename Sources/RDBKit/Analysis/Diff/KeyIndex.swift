#if canImport(Glibc)
import Glibc
#endif

/// Side A of a diff, held as key → (type, TTL, digest, offset) and never as values: millions of
/// keys in a few hundred MB. Keys are packed in one byte arena and entries in one array, found
/// through an open-addressing table, so an entry costs no allocation of its own. Entries are
/// appended as side A is read and the table is built once after it (`buildTable`).
struct KeyIndex {
    /// 80 bytes: optionals are flag bits, not `Optional` fields (which padded it to 96), as the
    /// index of a 4.4M-key file is mostly these; the key's hash fills what was padding.
    struct Entry {
        var digest: ValueDigest
        var keyStart: Int
        /// Offset of the record in side A, to reread it when it changed.
        var offset: Int64
        private var expiry: Int64
        private var idle: UInt64
        var db: Int32
        var keyLength: Int32
        /// The low 32 bits of the key's hash: where the table places it.
        var hash: UInt32
        var type: DataType
        var encoding: Encoding
        private var freq: UInt8
        private var flags: UInt8

        private static let hasExpiry: UInt8 = 1, hasIdle: UInt8 = 2, hasFreq: UInt8 = 4, seenFlag: UInt8 = 8,
                           replacedFlag: UInt8 = 16

        init(db: Int32, type: DataType, keyStart: Int, keyLength: Int32, hash: UInt32, expireAtMs: Int64?,
             digest: ValueDigest, encoding: Encoding, lruIdle: UInt64?, lfuFreq: UInt8?, offset: Int64) {
            self.digest = digest; self.keyStart = keyStart; self.offset = offset
            expiry = expireAtMs ?? 0; idle = lruIdle ?? 0; freq = lfuFreq ?? 0
            self.db = db; self.keyLength = keyLength; self.hash = hash; self.type = type; self.encoding = encoding
            flags = (expireAtMs == nil ? 0 : Self.hasExpiry) | (lruIdle == nil ? 0 : Self.hasIdle) | (lfuFreq == nil ? 0 : Self.hasFreq)
        }

        var expireAtMs: Int64? { flags & Self.hasExpiry != 0 ? expiry : nil }
        var lruIdle: UInt64? { flags & Self.hasIdle != 0 ? idle : nil }
        var lfuFreq: UInt8? { flags & Self.hasFreq != 0 ? freq : nil }
        var seen: Bool {
            get { flags & Self.seenFlag != 0 }
            set { flags = newValue ? flags | Self.seenFlag : flags & ~Self.seenFlag }
        }
        /// An earlier copy of a key side A holds twice: found by nothing, reported by nothing.
        var replaced: Bool {
            get { flags & Self.replacedFlag != 0 }
            set { flags = newValue ? flags | Self.replacedFlag : flags & ~Self.replacedFlag }
        }
    }

    /// Entries in fixed-size chunks: a growing array would hold its old and its doubled copy at
    /// once, half a GB of the 4.4M-key benchmark pair's peak.
    private var chunks: [[Entry]] = []
    private static let chunkShift = 16
    private(set) var count = 0
    private var arena: [UInt8] = []
    /// Per slot: the low 32 bits of the key's hash, which place it and reject most other keys
    /// without touching their entries, and the entry index + 1; 0 for empty. The capacity is a
    /// power of two; empty until `buildTable`.
    private var slots: [UInt64] = []
    /// Keys seen twice in one db of side A (a damaged file): the last copy wins, as a merge would.
    private(set) var duplicates = 0
    /// The entry after the last one `findExpectingOrder` found.
    private var cursor = 0

    subscript(i: Int) -> Entry {
        get { chunks[i >> Self.chunkShift][i & (1 << Self.chunkShift - 1)] }
        set { chunks[i >> Self.chunkShift][i & (1 << Self.chunkShift - 1)] = newValue }
    }

    var indices: Range<Int> { 0..<count }

    private mutating func append(_ e: Entry) {
        if count & (1 << Self.chunkShift - 1) == 0 {
            chunks.append([])
            chunks[chunks.count - 1].reserveCapacity(1 << Self.chunkShift)
        }
        chunks[chunks.count - 1].append(e)
        count += 1
    }

    private static func hash(db: Int, key: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(truncatingIfNeeded: Hash64.hash(key, seed: UInt64(db)))
    }

    func key(of e: Entry) -> ArraySlice<UInt8> { arena[e.keyStart..<e.keyStart + Int(e.keyLength)] }

    private func matches(_ e: Entry, db: Int, key: UnsafeRawBufferPointer) -> Bool {
        guard Int(e.db) == db, Int(e.keyLength) == key.count, !e.replaced else { return false }
        return arena.withUnsafeBytes { a in
            key.count == 0 || memcmp(a.baseAddress! + e.keyStart, key.baseAddress!, key.count) == 0
        }
    }

    /// The slot holding (db, key), or the empty slot where it would go, and the key's hash.
    private func slot(db: Int, key: UnsafeRawBufferPointer) -> (slot: Int, found: Bool, hash: UInt32) {
        precondition(!slots.isEmpty, "KeyIndex looked up before buildTable")
        let h = Self.hash(db: db, key: key)
        let mask = slots.count - 1
        return slots.withUnsafeBufferPointer { s in
            var i = Int(h) & mask
            while true {
                let v = s[i]
                if v == 0 { return (i, false, h) }
                if UInt32(truncatingIfNeeded: v >> 32) == h && matches(self[Int(v & 0xFFFF_FFFF) - 1], db: db, key: key) {
                    return (i, true, h)
                }
                i = (i + 1) & mask
            }
        }
    }

    /// Appends side A's next key; `buildTable` must follow before any lookup.
    mutating func insert(db: Int, key: [UInt8], type: DataType, expireAtMs: Int64?, digest: ValueDigest,
                         metadata: RecordMetadata) {
        let entry = key.withUnsafeBytes { k in
            Entry(db: Int32(truncatingIfNeeded: db), type: type, keyStart: arena.count, keyLength: Int32(k.count),
                  hash: Self.hash(db: db, key: k), expireAtMs: expireAtMs, digest: digest,
                  encoding: metadata.encoding, lruIdle: metadata.lruIdleSeconds, lfuFreq: metadata.lfuFreq,
                  offset: metadata.offset)
        }
        arena.append(contentsOf: key)
        append(entry)
    }

    /// Places every entry in the table, in file order, so that of a key held twice (a damaged
    /// file) the last copy wins, as a merge would. Built in one go rather than per insert: each
    /// placement is a cache miss in a table of tens of MB, and a batch's first slots are loaded
    /// together, so their misses overlap instead of following one another.
    mutating func buildTable() {
        var capacity = 1 << 16
        while capacity * 3 < count * 4 { capacity *= 2 }
        slots = Array(repeating: 0, count: capacity)
        let mask = capacity - 1
        let batch = 16
        var first = [UInt64](repeating: 0, count: batch)
        var written = [Int](repeating: -1, count: batch)
        var start = 0
        while start < count {
            let end = Swift.min(start + batch, count)
            for i in start..<end { first[i - start] = slots[Int(self[i].hash) & mask] }
            for i in start..<end {
                let home = Int(self[i].hash) & mask
                // A slot this batch has written since it was loaded is read again.
                let v = written[0..<(i - start)].contains(home) ? slots[home] : first[i - start]
                written[i - start] = place(i, home: home, homeValue: v, mask: mask)
            }
            start = end
        }
    }

    /// Puts entry `i` in the first free slot from `home`, or in place of an earlier copy of its
    /// key; returns the slot.
    private mutating func place(_ i: Int, home: Int, homeValue: UInt64, mask: Int) -> Int {
        let e = self[i]
        var s = home
        var v = homeValue
        while v != 0 {
            if UInt32(truncatingIfNeeded: v >> 32) == e.hash {
                let j = Int(v & 0xFFFF_FFFF) - 1
                let other = self[j]
                if other.db == e.db && other.keyLength == e.keyLength
                    && arena[other.keyStart..<other.keyStart + Int(other.keyLength)] == arena[e.keyStart..<e.keyStart + Int(e.keyLength)] {
                    self[j].replaced = true
                    self[j].seen = true
                    duplicates += 1
                    break
                }
            }
            s = (s + 1) & mask
            v = slots[s]
        }
        slots[s] = UInt64(e.hash) << 32 | UInt64(i + 1)
        return s
    }

    /// The entry's index for (db, key), or nil.
    func find(db: Int, key: [UInt8]) -> Int? {
        key.withUnsafeBytes { k in
            let (i, found, _) = slot(db: db, key: k)
            return found ? Int(slots[i] & 0xFFFF_FFFF) - 1 : nil
        }
    }

    /// `find` for keys that arrive in roughly the order side A listed them: two snapshots of one
    /// server list keys in the order of its hash table, so the entry wanted is usually one of
    /// the few after the last one found. Those are checked first, in sequence, where memory is
    /// read ahead; a probe of the table costs three cache misses (slot, entry, key bytes) on
    /// an index of millions of keys. Any other key is found through the table, as by `find`.
    mutating func findExpectingOrder(db: Int, key: [UInt8]) -> Int? {
        let found: Int? = key.withUnsafeBytes { k in
            for i in cursor..<Swift.min(cursor + Self.lookahead, count) where matches(self[i], db: db, key: k) {
                return i
            }
            let (s, found, _) = slot(db: db, key: k)
            return found ? Int(slots[s] & 0xFFFF_FFFF) - 1 : nil
        }
        if let found { cursor = found + 1 }
        return found
    }

    /// Entries `findExpectingOrder` checks in sequence: enough to pass over keys deleted between
    /// two snapshots, few enough to cost less than a probe when the orders differ.
    private static let lookahead = 4

    mutating func markSeen(_ index: Int) { self[index].seen = true }
}
