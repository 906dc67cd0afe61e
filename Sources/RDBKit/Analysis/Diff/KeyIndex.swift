#if canImport(Glibc)
import Glibc
#endif

/// Side A of a diff, held as key → (type, TTL, digest, offset) and never as values: millions of
/// keys in a few hundred MB. Keys are packed in one byte arena and entries in one array, found
/// through an open-addressing table, so an entry costs no allocation of its own.
struct KeyIndex {
    /// 64 bytes: optionals are flag bits, not `Optional` fields (which padded it to 96), as the
    /// index of a 4.4M-key file is mostly these.
    struct Entry {
        var digest: ValueDigest
        var keyStart: Int
        /// Offset of the record in side A, to reread it when it changed.
        var offset: Int64
        private var expiry: Int64
        private var idle: UInt64
        var db: Int32
        var keyLength: Int32
        var type: DataType
        var encoding: Encoding
        private var freq: UInt8
        private var flags: UInt8

        private static let hasExpiry: UInt8 = 1, hasIdle: UInt8 = 2, hasFreq: UInt8 = 4, seenFlag: UInt8 = 8

        init(db: Int32, type: DataType, keyStart: Int, keyLength: Int32, expireAtMs: Int64?, digest: ValueDigest,
             encoding: Encoding, lruIdle: UInt64?, lfuFreq: UInt8?, offset: Int64) {
            self.digest = digest; self.keyStart = keyStart; self.offset = offset
            expiry = expireAtMs ?? 0; idle = lruIdle ?? 0; freq = lfuFreq ?? 0
            self.db = db; self.keyLength = keyLength; self.type = type; self.encoding = encoding
            flags = (expireAtMs == nil ? 0 : Self.hasExpiry) | (lruIdle == nil ? 0 : Self.hasIdle) | (lfuFreq == nil ? 0 : Self.hasFreq)
        }

        var expireAtMs: Int64? { flags & Self.hasExpiry != 0 ? expiry : nil }
        var lruIdle: UInt64? { flags & Self.hasIdle != 0 ? idle : nil }
        var lfuFreq: UInt8? { flags & Self.hasFreq != 0 ? freq : nil }
        var seen: Bool {
            get { flags & Self.seenFlag != 0 }
            set { flags = newValue ? flags | Self.seenFlag : flags & ~Self.seenFlag }
        }
    }

    /// Entries in fixed-size chunks: a growing array would hold its old and its doubled copy at
    /// once, half a GB of the 4.4M-key benchmark pair's peak.
    private var chunks: [[Entry]] = []
    private static let chunkShift = 16
    private(set) var count = 0
    private var arena: [UInt8] = []
    /// Per slot: the low 32 bits of the key's hash, which place it (so growing needs no rehash)
    /// and reject most other keys without touching their entries, and the entry index + 1; 0
    /// for empty. The capacity is a power of two.
    private var slots: [UInt64] = Array(repeating: 0, count: 1 << 16)
    /// Keys seen twice in one db of side A (a damaged file): the last copy wins, as a merge would.
    private(set) var duplicates = 0

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
        guard Int(e.db) == db, Int(e.keyLength) == key.count else { return false }
        return arena.withUnsafeBytes { a in
            key.count == 0 || memcmp(a.baseAddress! + e.keyStart, key.baseAddress!, key.count) == 0
        }
    }

    /// The slot holding (db, key), or the empty slot where it would go, and the key's hash.
    private func slot(db: Int, key: UnsafeRawBufferPointer) -> (slot: Int, found: Bool, hash: UInt32) {
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

    mutating func insert(db: Int, key: [UInt8], type: DataType, expireAtMs: Int64?, digest: ValueDigest,
                         metadata: RecordMetadata) {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        key.withUnsafeBytes { k in
            let (i, found, h) = slot(db: db, key: k)
            let entry = Entry(db: Int32(truncatingIfNeeded: db), type: type, keyStart: arena.count, keyLength: Int32(k.count),
                              expireAtMs: expireAtMs, digest: digest, encoding: metadata.encoding,
                              lruIdle: metadata.lruIdleSeconds, lfuFreq: metadata.lfuFreq, offset: metadata.offset)
            arena.append(contentsOf: k)
            if found {
                duplicates += 1
                self[Int(slots[i] & 0xFFFF_FFFF) - 1] = entry
            } else {
                append(entry)
                slots[i] = UInt64(h) << 32 | UInt64(count)
            }
        }
    }

    /// The entry's index for (db, key), or nil.
    func find(db: Int, key: [UInt8]) -> Int? {
        key.withUnsafeBytes { k in
            let (i, found, _) = slot(db: db, key: k)
            return found ? Int(slots[i] & 0xFFFF_FFFF) - 1 : nil
        }
    }

    mutating func markSeen(_ index: Int) { self[index].seen = true }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for v in old where v != 0 {
            var i = Int(v >> 32) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = v
        }
    }
}
