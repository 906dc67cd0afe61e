#if canImport(Glibc)
import Glibc
#endif

/// A fast 64-bit hash of bytes, for fingerprints and hash tables (not for adversarial input:
/// every table that uses it compares bytes, or re-checks, before calling two things equal).
enum Hash64 {
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        // murmur3's fmix64: every input bit reaches every output bit.
        var h = x
        h ^= h >> 33; h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33; h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    static func hash(_ p: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let n = p.count
        var h = seed ^ (UInt64(n) &* 0x9E37_79B9_7F4A_7C15)
        var i = 0
        while i + 8 <= n {
            h = (h ^ UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            i += 8
        }
        if i < n {
            // The last 1-7 bytes in one or two loads, not a loop: keys and fields are short.
            // With the length in the seed, each form determines the bytes it covers.
            let tail: UInt64
            if n >= 8 {
                tail = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) >> (8 * UInt64(8 - (n - i)))
            } else if n >= 4 {
                tail = UInt64(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
                    | UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))) << 32
            } else {
                tail = UInt64(p[0]) | UInt64(p[n / 2]) << 8 | UInt64(p[n - 1]) << 16
            }
            h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
        }
        return mix(h)
    }
}

/// Finds repeated elements as they are added: sets, zset members and hash fields must be
/// unique (format.md §9.4), whatever their encoding. Elements are numbered 0, 1, 2, ... in the
/// order they are inserted since the last `reset`. They are compared where they are: in a
/// `ByteList` that keeps the value, in place in their ziplist or listpack blob (valid while it
/// is), or, for plain members read from the stream, in copies kept here. Memory is one slot
/// and one hash per element, within the bound the value itself already takes.
struct DuplicateFinder {
    /// Per slot: high 32 bits of the hash, low 32 bits the element index + 1; 0 is empty.
    private var slots: [UInt64] = []
    /// Each element's hash, by index, for growing the table.
    private var hashes: [UInt64] = []
    private var mask = 0
    private var count = 0
    /// The elements inserted in place (`insert(inPlace:)`).
    private var packed: [PackedElement] = []
    /// Copies of the elements inserted with `insert(copying:)`.
    private var copies = ByteList()

    /// Forgets every element, sized for `expected` of them (a file's count, so capped: the
    /// table still grows as elements really arrive).
    mutating func reset(expecting expected: Int = 0) {
        var size = 16
        while size * 3 < min(expected, 1 << 16) * 4 { size *= 2 }
        if slots.count != size {
            slots = [UInt64](repeating: 0, count: size)
        } else if count > 0 {
            for i in slots.indices { slots[i] = 0 }
        }
        mask = size - 1
        count = 0
        hashes.removeAll(keepingCapacity: true)
        packed.removeAll(keepingCapacity: true)
        copies.removeAll()
    }

    /// Adds element `i` (the last appended) of `list`; returns the index of an equal earlier
    /// element, if there is one.
    mutating func insert(_ i: Int, of list: ByteList) -> Int? {
        let h = list.withElement(i) { Hash64.hash($0) }
        var p = probe(h)
        while let j = candidate(&p) {
            if list.withElement(j, { a in list.withElement(i) { b in sameBytes(a, b) } }) { return j }
        }
        place(h, p)
        return nil
    }

    /// Adds a ziplist or listpack element, compared in its blob (an integer as its decimal text).
    mutating func insert(inPlace e: PackedElement) -> Int? {
        let h = e.withText { Hash64.hash($0) }
        var p = probe(h)
        while let j = candidate(&p) {
            if packed[j].withText({ a in e.withText { b in sameBytes(a, b) } }) { return j }
        }
        place(h, p)
        packed.append(e)
        return nil
    }

    /// Adds bytes that will not stay where they are, as a copy.
    mutating func insert(copying bytes: UnsafeRawBufferPointer) -> Int? {
        let h = Hash64.hash(bytes)
        var p = probe(h)
        while let j = candidate(&p) {
            if copies.withElement(j, { sameBytes($0, bytes) }) { return j }
        }
        place(h, p)
        copies.append(bytes)
        return nil
    }

    /// Where the search for an element of hash `h` is: a slot, and the hash's top 32 bits.
    private struct Probe {
        var slot: Int
        let tag: UInt64
    }

    /// Starts the search for the next element, of hash `h`, with room for it.
    private mutating func probe(_ h: UInt64) -> Probe {
        if slots.isEmpty { reset() }
        if (count + 1) * 4 > slots.count * 3 { grow() }
        return Probe(slot: Int(truncatingIfNeeded: h) & mask, tag: h >> 32)
    }

    /// The next earlier element whose hash has the probe's tag; nil once the probe is at the
    /// empty slot the new element takes.
    private func candidate(_ p: inout Probe) -> Int? {
        while true {
            let v = slots[p.slot]
            if v == 0 { return nil }
            p.slot = (p.slot + 1) & mask
            if v >> 32 == p.tag { return Int(v & 0xFFFF_FFFF) - 1 }
        }
    }

    /// Takes the probe's empty slot for the next element.
    private mutating func place(_ h: UInt64, _ p: Probe) {
        slots[p.slot] = p.tag << 32 | UInt64(count + 1)
        hashes.append(h)
        count += 1
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        mask = slots.count - 1
        for v in old where v != 0 {
            var s = Int(truncatingIfNeeded: hashes[Int(v & 0xFFFF_FFFF) - 1]) & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = v
        }
    }
}

@inline(__always)
func sameBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
}
