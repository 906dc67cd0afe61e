#if canImport(Glibc)
import Glibc
#endif

/// Side A of a diff, held as key → (type, TTL, digest, offset) and never as values: millions of
/// keys in a few hundred MB. Keys are packed in one byte arena and entries in one array, found
/// through an open-addressing table, so an entry costs no allocation of its own.
struct KeyIndex {
    struct Entry {
        var db: Int32
        var type: DataType
        var keyStart: Int
        var keyLength: Int32
        var expireAtMs: Int64?
        var digest: ValueDigest
        var encoding: Encoding
        var lruIdle: UInt64?
        var lfuFreq: UInt8?
        /// Offset of the record in side A, to reread it when it changed.
        var offset: Int64
        var seen = false
    }

    private(set) var entries: [Entry] = []
    private var arena: [UInt8] = []
    /// Entry index + 1 per slot, 0 for empty; the capacity is a power of two.
    private var slots: [Int32] = Array(repeating: 0, count: 1 << 16)
    /// Keys seen twice in one db of side A (a damaged file): the last copy wins, as a merge would.
    private(set) var duplicates = 0

    var count: Int { entries.count }

    private static func hash(db: Int, key: UnsafeRawBufferPointer) -> Int {
        let d = MurmurHash3.hash(key, seed: UInt64(db))
        return Int(truncatingIfNeeded: d.h1)
    }

    func key(of e: Entry) -> ArraySlice<UInt8> { arena[e.keyStart..<e.keyStart + Int(e.keyLength)] }

    private func matches(_ e: Entry, db: Int, key: UnsafeRawBufferPointer) -> Bool {
        guard Int(e.db) == db, Int(e.keyLength) == key.count else { return false }
        return arena.withUnsafeBytes { a in
            key.count == 0 || memcmp(a.baseAddress! + e.keyStart, key.baseAddress!, key.count) == 0
        }
    }

    /// The slot holding (db, key), or the empty slot where it would go.
    private func slot(db: Int, key: UnsafeRawBufferPointer) -> (slot: Int, found: Bool) {
        let mask = slots.count - 1
        var i = Self.hash(db: db, key: key) & mask
        while true {
            let s = Int(slots[i])
            if s == 0 { return (i, false) }
            if matches(entries[s - 1], db: db, key: key) { return (i, true) }
            i = (i + 1) & mask
        }
    }

    mutating func insert(db: Int, key: [UInt8], type: DataType, expireAtMs: Int64?, digest: ValueDigest,
                         metadata: RecordMetadata) {
        if (entries.count + 1) * 4 > slots.count * 3 { grow() }
        key.withUnsafeBytes { k in
            let (i, found) = slot(db: db, key: k)
            let entry = Entry(db: Int32(truncatingIfNeeded: db), type: type, keyStart: arena.count, keyLength: Int32(k.count),
                              expireAtMs: expireAtMs, digest: digest, encoding: metadata.encoding,
                              lruIdle: metadata.lruIdleSeconds, lfuFreq: metadata.lfuFreq, offset: metadata.offset)
            arena.append(contentsOf: k)
            if found {
                duplicates += 1
                entries[Int(slots[i]) - 1] = entry
            } else {
                entries.append(entry)
                slots[i] = Int32(entries.count)
            }
        }
    }

    /// The entry's index for (db, key), or nil.
    func find(db: Int, key: [UInt8]) -> Int? {
        key.withUnsafeBytes { k in
            let (i, found) = slot(db: db, key: k)
            return found ? Int(slots[i]) - 1 : nil
        }
    }

    mutating func markSeen(_ index: Int) { entries[index].seen = true }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (n, e) in entries.enumerated() {
            var i = arena.withUnsafeBytes { a in
                Self.hash(db: Int(e.db), key: UnsafeRawBufferPointer(rebasing: a[e.keyStart..<e.keyStart + Int(e.keyLength)]))
            } & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Int32(n + 1)
        }
    }
}
