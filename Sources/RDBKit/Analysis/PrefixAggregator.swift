#if canImport(Glibc)
import Glibc
#endif

/// Keys, memory and serialized bytes summed by key prefix, at every level up to a depth:
/// `user:42:name` with separator `:` counts towards `user:` (depth 1) and `user:42:` (depth 2).
///
/// Memory stays bounded however many distinct prefixes a file has: `maxPrefixes` is shared
/// evenly by the depths, each keeping at most `perDepth` of them. When a depth's table reaches
/// twice that, every prefix not strictly larger (memory, then serialized bytes, then keys) than
/// its `perDepth`-th largest is pruned into that depth's "other" total. So:
/// - totals are exact: each depth's rows plus its "other" add up to every key that reached it;
/// - a listed prefix's numbers are lower bounds: a prefix pruned earlier and seen again
///   restarts from zero. It can have lost at most the sum of the pruning thresholds
///   (`maxUndercount`), and 0 when nothing was pruned;
/// - a prefix whose memory exceeds the smallest listed one by more than `maxUndercount` is
///   listed.
/// In practice heavy prefixes recur early and often and are never pruned.
public struct PrefixAggregator {
    public struct Totals: Sendable, Equatable {
        public var keys: Int64 = 0
        public var memoryBytes: Int64 = 0
        public var serializedBytes: Int64 = 0

        public init(keys: Int64 = 0, memoryBytes: Int64 = 0, serializedBytes: Int64 = 0) {
            self.keys = keys; self.memoryBytes = memoryBytes; self.serializedBytes = serializedBytes
        }

        mutating func add(_ o: Totals) {
            keys += o.keys; memoryBytes += o.memoryBytes; serializedBytes += o.serializedBytes
        }

        /// Ranking order: memory, then serialized bytes, then keys.
        static func > (a: Totals, b: Totals) -> Bool {
            (a.memoryBytes, a.serializedBytes, a.keys) > (b.memoryBytes, b.serializedBytes, b.keys)
        }
    }

    public struct Row: Sendable {
        /// The prefix with its trailing separator.
        public var prefix: [UInt8]
        public var depth: Int
        public var totals: Totals
    }

    public struct Level: Sendable {
        public var depth: Int
        /// Largest first.
        public var rows: [Row]
        /// What was pruned at this depth; zero when nothing was.
        public var other: Totals
        /// Keys with at least `depth` separators: rows plus other.
        public var total: Totals
        /// How much any listed prefix's memory may be undercounted.
        public var maxUndercount: Int64
    }

    public let separator: [UInt8]
    public let depth: Int
    /// Prefixes kept in all depths together.
    public let maxPrefixes: Int
    /// Prefixes kept per depth.
    public let perDepth: Int
    private var tables: [PrefixTable]
    private var others: [Totals]
    private var undercounts: [Int64]
    private var levelTotals: [Totals]
    /// Keys with no separator at all.
    public private(set) var unprefixed = Totals()
    public private(set) var all = Totals()

    public init(separator: [UInt8], depth: Int, maxPrefixes: Int) {
        self.separator = separator.isEmpty ? [UInt8(ascii: ":")] : separator
        self.depth = max(1, depth)
        self.maxPrefixes = min(max(1, maxPrefixes), 1 << 28)  // slots hold entry indexes in 32 bits
        perDepth = max(1, self.maxPrefixes / self.depth)
        tables = Array(repeating: PrefixTable(), count: self.depth)
        others = Array(repeating: Totals(), count: self.depth)
        undercounts = Array(repeating: 0, count: self.depth)
        levelTotals = Array(repeating: Totals(), count: self.depth)
    }

    public mutating func add(_ k: KeyStats) {
        add(key: k.shape.key, Totals(keys: 1, memoryBytes: k.memory?.total ?? 0, serializedBytes: k.shape.metadata.serializedBytes))
    }

    public mutating func add(key: [UInt8], _ t: Totals) {
        all.add(t)
        var level = 0
        key.withUnsafeBytes { k in
            separator.withUnsafeBytes { sep in
                var i = 0
                let n = k.count, s = sep.count
                while level < depth && i + s <= n {
                    if k[i] == sep[0] && (s == 1 || UnsafeRawBufferPointer(rebasing: k[i..<i + s]).elementsEqual(sep)) {
                        tables[level].add(UnsafeRawBufferPointer(rebasing: k[0..<i + s]), t)
                        levelTotals[level].add(t)
                        if tables[level].count >= 2 * perDepth { prune(level) }
                        level += 1
                        i += s
                    } else {
                        i += 1
                    }
                }
            }
        }
        if level == 0 { unprefixed.add(t) }
    }

    /// Moves every prefix not strictly larger than the `perDepth`-th largest into the depth's
    /// "other" total (ties go together, so the result does not depend on table order).
    private mutating func prune(_ level: Int) {
        let cutoff = tables[level].totals.sorted(by: >)[perDepth - 1]
        let dropped = tables[level].keep { $0 > cutoff }
        others[level].add(dropped.sum)
        undercounts[level] += dropped.largestMemory
    }

    /// The result: per depth, the `perDepth` largest prefixes (ties by bytes), largest first.
    public func levels() -> [Level] {
        (0..<depth).map { level in
            var rows = tables[level].rows(depth: level + 1)
                .sorted { $0.totals > $1.totals || (!($1.totals > $0.totals) && $0.prefix.lexicographicallyPrecedes($1.prefix)) }
            var other = others[level]
            if rows.count > perDepth {
                for r in rows[perDepth...] { other.add(r.totals) }
                rows.removeLast(rows.count - perDepth)
            }
            return Level(depth: level + 1, rows: rows, other: other, total: levelTotals[level], maxUndercount: undercounts[level])
        }
    }
}

/// Prefix -> totals in three flat arrays (prefix bytes, entries, open-addressing slots): no
/// allocation per prefix, about 60 bytes per entry plus the prefix, where a `Dictionary` of
/// byte arrays takes several times that.
private struct PrefixTable {
    private struct Entry {
        var start: Int
        var length: Int
        var totals: PrefixAggregator.Totals
    }

    private var bytes: [UInt8] = []
    private var entries: [Entry] = []
    /// Open addressing, at most half full: 0 when empty, else entry index + 1 in the high half
    /// and the hash's high half in the low one, so a probe rarely has to look at the entry.
    private var slots = [UInt64](repeating: 0, count: 16)

    var count: Int { entries.count }
    var totals: [PrefixAggregator.Totals] { entries.map(\.totals) }

    mutating func add(_ prefix: UnsafeRawBufferPointer, _ t: PrefixAggregator.Totals) {
        let h = Self.hash(prefix)
        let tag = h >> 32
        let mask = slots.count - 1
        var i = slot(h)
        while slots[i] != 0 {
            if slots[i] & 0xFFFF_FFFF == tag {
                let e = Int(slots[i] >> 32) - 1
                if entries[e].length == prefix.count && equals(entries[e], prefix) {
                    entries[e].totals.add(t)
                    return
                }
            }
            i = (i + 1) & mask
        }
        slots[i] = UInt64(entries.count + 1) << 32 | tag
        entries.append(Entry(start: bytes.count, length: prefix.count, totals: t))
        bytes.append(contentsOf: prefix)
        if entries.count * 2 > slots.count { rehash(slots.count * 2) }
    }

    /// Keeps the entries `keep` accepts; returns what the others add up to and the largest
    /// memory among them.
    mutating func keep(_ keep: (PrefixAggregator.Totals) -> Bool) -> (sum: PrefixAggregator.Totals, largestMemory: Int64) {
        var sum = PrefixAggregator.Totals(), largest: Int64 = 0
        var newBytes: [UInt8] = [], newEntries: [Entry] = []
        // The table refills to the size it had: reserving it now avoids growing past it.
        newEntries.reserveCapacity(entries.count)
        for e in entries {
            if keep(e.totals) {
                newEntries.append(Entry(start: newBytes.count, length: e.length, totals: e.totals))
                newBytes.append(contentsOf: bytes[e.start..<e.start + e.length])
            } else {
                sum.add(e.totals)
                largest = max(largest, e.totals.memoryBytes)
            }
        }
        bytes = newBytes
        entries = newEntries
        rehash(slots.count)
        return (sum, largest)
    }

    func rows(depth: Int) -> [PrefixAggregator.Row] {
        entries.map { PrefixAggregator.Row(prefix: Array(bytes[$0.start..<$0.start + $0.length]), depth: depth, totals: $0.totals) }
    }

    private func equals(_ e: Entry, _ p: UnsafeRawBufferPointer) -> Bool {
        bytes.withUnsafeBytes { b in
            guard let stored = b.baseAddress, let probe = p.baseAddress else { return e.length == p.count }
            return memcmp(stored + e.start, probe, e.length) == 0
        }
    }

    private mutating func rehash(_ size: Int) {
        slots = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        bytes.withUnsafeBytes { b in
            for (n, e) in entries.enumerated() {
                let h = Self.hash(UnsafeRawBufferPointer(rebasing: b[e.start..<e.start + e.length]))
                var i = slot(h)
                while slots[i] != 0 { i = (i + 1) & mask }
                slots[i] = UInt64(n + 1) << 32 | h >> 32
            }
        }
    }

    /// The home slot of a hash: its top bits after a Fibonacci multiply, as FNV-1a's low bits
    /// cluster for prefixes that differ only in their last digits.
    private func slot(_ h: UInt64) -> Int {
        Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> UInt64(UInt64.bitWidth - slots.count.trailingZeroBitCount))
    }

    /// FNV-1a, 64-bit: deterministic and quick for short prefixes.
    private static func hash(_ p: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in p { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }
}
