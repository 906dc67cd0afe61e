/// The bucket arrays of a Redis `dict` (dict.c) as elements are added, for memory estimates:
/// `MEMORY USAGE` counts 8 bytes per bucket of both tables, and a dict caught mid-rehash holds
/// two. Tables are powers of two (at least 4); a full table (used >= size) grows to the next
/// power of two above used + 1; while rehashing, every add first moves one bucket.
struct DictModel {
    private(set) var size0 = 0
    /// The table being rehashed into; 0 when not rehashing.
    private(set) var size1 = 0
    private var used0 = 0
    private var used1 = 0

    /// Buckets of both tables (`dictSlots`).
    var slots: Int { size0 + size1 }
    var count: Int { used0 + used1 }

    /// `_dictNextExp`: the table size `dictExpand(n)` allocates.
    static func tableSize(_ n: Int) -> Int {
        n <= 4 ? 4 : 1 << (Int.bitWidth - (n - 1).leadingZeroBitCount)
    }

    /// `dictExpand` / `dictTryExpand`: refused while rehashing or below the element count;
    /// the first table is allocated outright, any later one starts a rehash.
    mutating func expand(_ n: Int) {
        guard size1 == 0, used0 <= n else { return }
        let size = Self.tableSize(n)
        guard size != size0 else { return }
        if size0 == 0 { size0 = size } else { size1 = size }
    }

    /// `dictAdd` of `n` new keys.
    mutating func add(_ n: Int = 1) {
        var left = n
        while left > 0 {
            if size1 == 0 && size0 > 0 && used0 < size0 {
                // Room in the only table: no rehash, no growth until it is full.
                let k = min(left, size0 - used0)
                used0 += k
                left -= k
                continue
            }
            if size1 != 0 && used0 > 1 {
                // Mid-rehash: each add moves one element and lands in the new table.
                let k = min(left, used0 - 1)
                used0 -= k
                used1 += 2 * k
                left -= k
                continue
            }
            if size1 != 0 { rehashStep() }
            if size1 == 0 {
                if size0 == 0 { expand(4) } else if used0 >= size0 { expand(used0 + 1) }
            }
            if size1 != 0 { used1 += 1 } else { used0 += 1 }
            left -= 1
        }
    }

    /// `dictRehash(d, 1)`, one element per step: with at most one element per bucket on
    /// average this is the common case; the rehash ends when the old table is empty.
    private mutating func rehashStep() {
        if used0 > 0 { used0 -= 1; used1 += 1 }
        if used0 == 0 {
            size0 = size1; used0 = used1
            size1 = 0; used1 = 0
        }
    }
}
