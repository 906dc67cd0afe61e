/// Records of byte strings (the first one the record's key) packed one after another in one
/// `PackedBytes`, found through an open-addressing index of their positions: a big set's
/// members or a big hash's fields cost their bytes and an index slot, where a table of arrays
/// costs an allocation (header, rounding) each as well.
///
/// Removed records stay in the buffer until their bytes outweigh the live ones, then the
/// buffer is rebuilt (the index slots keep their places: only positions change). Iteration is
/// in index order, as Redis iterates a hash table.
///
/// A class, so a small collection's optional big form costs it one pointer.
final class PackedTable {
    /// Per slot: 0 when empty, else the record's position + 1 in the low 40 bits and the top
    /// 24 bits of its key's hash above them, so a probe skips other keys without reading them.
    private var slots: [UInt64] = []
    private(set) var records = PackedBytes()
    /// Elements per record.
    let arity: Int
    private(set) var count = 0
    private var deadBytes = 0

    private static let positionBits: UInt64 = 40
    private static let positionMask: UInt64 = (1 << positionBits) - 1

    init(arity: Int) { self.arity = arity }

    func copy() -> PackedTable {
        let t = PackedTable(arity: arity)
        t.slots = slots
        t.records = records
        t.count = count
        t.deadBytes = deadBytes
        return t
    }

    var isEmpty: Bool { count == 0 }

    private static func tag(_ hash: UInt64) -> UInt64 { hash >> positionBits }

    private func keyHash(at position: Int) -> UInt64 {
        records.buffer.withUnsafeBytes { Hash64.hash(UnsafeRawBufferPointer(rebasing: $0[records.span(at: position)])) }
    }

    /// The index slot and buffer position of the record keyed `key`.
    private func find(_ key: [UInt8]) -> (slot: Int, position: Int)? {
        guard !slots.isEmpty else { return nil }
        let h = key.withUnsafeBytes { Hash64.hash($0) }
        let tag = Self.tag(h), mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s == 0 { return nil }
            if s >> Self.positionBits == tag {
                let p = Int(s & Self.positionMask) - 1
                if records.element(at: p, equals: key) { return (i, p) }
            }
            i = (i + 1) & mask
        }
    }

    /// The buffer position of the record keyed `key` (its key element; the others follow).
    func position(of key: [UInt8]) -> Int? { find(key)?.position }

    /// Adds a record whose key is not there: `key`, then what `rest` appends.
    func add(_ key: [UInt8], rest: (inout PackedBytes) -> Void = { _ in }) {
        if (count + 1) * 4 > slots.count * 3 { resize(Swift.max(8, slots.count * 2)) }
        let p = records.endPosition
        records.append(key)
        rest(&records)
        let h = key.withUnsafeBytes { Hash64.hash($0) }
        place(UInt64(p + 1) | Self.tag(h) << Self.positionBits, hash: h)
        count += 1
    }

    private func place(_ slot: UInt64, hash: UInt64) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = slot
    }

    private func resize(_ n: Int) {
        let old = slots
        slots = Array(repeating: 0, count: n)
        for s in old where s != 0 { place(s, hash: keyHash(at: Int(s & Self.positionMask) - 1)) }
    }

    /// Removes the record keyed `key`; false when there is none.
    @discardableResult
    func remove(_ key: [UInt8]) -> Bool {
        guard let found = find(key) else { return false }
        let p = found.position
        var end = p
        for _ in 0..<arity { end = records.position(after: end) }
        deadBytes += end - p
        count -= 1
        removeSlot(found.slot)
        if deadBytes > 4096 && deadBytes > records.endPosition / 2 { compact() }
        return true
    }

    /// Empties slot `i`, then moves back every later slot of the probe run whose home is not
    /// cyclically after the hole (as `KeySpace` deletes).
    private func removeSlot(_ i: Int) {
        let mask = slots.count - 1
        slots[i] = 0
        var hole = i, j = i
        while true {
            j = (j + 1) & mask
            let s = slots[j]
            if s == 0 { return }
            let home = Int(truncatingIfNeeded: keyHash(at: Int(s & Self.positionMask) - 1)) & mask
            if (j - home) & mask >= (j - hole) & mask {
                slots[hole] = s
                slots[j] = 0
                hole = j
            }
        }
    }

    /// Copies the live records into a new buffer; each slot keeps its place.
    private func compact() {
        var fresh = PackedBytes()
        for i in slots.indices where slots[i] != 0 {
            let s = slots[i]
            var p = Int(s & Self.positionMask) - 1
            let start = fresh.endPosition
            records.buffer.withUnsafeBytes { b in
                for _ in 0..<arity {
                    let span = records.span(at: p)
                    fresh.append(UnsafeRawBufferPointer(rebasing: b[span]))
                    p = span.upperBound
                }
            }
            slots[i] = UInt64(start + 1) | (s & ~Self.positionMask)
        }
        records = fresh
        deadBytes = 0
    }

    /// Calls `body` with each record's position, in index order.
    func forEach(_ body: (Int) throws -> Void) rethrows {
        for s in slots where s != 0 { try body(Int(s & Self.positionMask) - 1) }
    }
}
