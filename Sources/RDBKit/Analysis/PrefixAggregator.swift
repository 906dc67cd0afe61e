#if canImport(Glibc)
import Glibc
#endif

/// Keys, memory and serialized bytes summed by key prefix, at every level up to a depth:
/// `user:42:name` with separator `:` counts towards `user:` (depth 1) and `user:42:` (depth 2).
///
/// Memory stays bounded however many distinct prefixes a file has: each depth keeps at most
/// `maxPrefixes` of them. When a depth's table reaches twice that, its smallest half (by
/// memory, then serialized bytes) is pruned into that depth's "other" total. So:
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
    public let maxPrefixes: Int
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
        self.maxPrefixes = min(max(1, maxPrefixes), 1 << 28)  // slots index entries with Int32
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
                    if k[i] == sep[0] && (s == 1 || memcmp(k.baseAddress! + i, sep.baseAddress!, s) == 0) {
                        tables[level].add(UnsafeRawBufferPointer(rebasing: k[0..<i + s]), t)
                        levelTotals[level].add(t)
                        if tables[level].count >= 2 * maxPrefixes { prune(level) }
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

    /// Moves every prefix not strictly larger than the `maxPrefixes`-th largest into the
    /// depth's "other" total (ties go together, so the result does not depend on table order).
    private mutating func prune(_ level: Int) {
        let cutoff = tables[level].totals.sorted(by: >)[maxPrefixes - 1]
        let dropped = tables[level].keep { $0 > cutoff }
        others[level].add(dropped.sum)
        undercounts[level] += dropped.largestMemory
    }

    /// The result: per depth, the `maxPrefixes` largest prefixes (ties by bytes), largest first.
    public func levels() -> [Level] {
        (0..<depth).map { level in
            var rows = tables[level].rows(depth: level + 1)
                .sorted { $0.totals > $1.totals || (!($1.totals > $0.totals) && $0.prefix.lexicographicallyPrecedes($1.prefix)) }
            var other = others[level]
            if rows.count > maxPrefixes {
                for r in rows[maxPrefixes...] { other.add(r.totals) }
                rows.removeLast(rows.count - maxPrefixes)
            }
            return Level(depth: level + 1, rows: rows, other: other, total: levelTotals[level], maxUndercount: undercounts[level])
        }
    }
}

/// Prefix -> totals in three flat arrays (prefix bytes, entries, open-addressing slots): no
/// allocation per prefix, about 50 bytes per entry, where a `Dictionary` of byte arrays takes
/// several times that.
private struct PrefixTable {
    private struct Entry {
        var hash: UInt64
        var start: Int
        var length: Int
        var totals: PrefixAggregator.Totals
    }

    private var bytes: [UInt8] = []
    private var entries: [Entry] = []
    /// Entry index + 1 per slot, 0 when empty; a power of two, at most half full.
    private var slots = [Int32](repeating: 0, count: 16)

    var count: Int { entries.count }
    var totals: [PrefixAggregator.Totals] { entries.map(\.totals) }

    mutating func add(_ prefix: UnsafeRawBufferPointer, _ t: PrefixAggregator.Totals) {
        let h = Self.hash(prefix)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 {
            let e = Int(slots[i]) - 1
            if entries[e].hash == h && entries[e].length == prefix.count && equals(entries[e], prefix) {
                entries[e].totals.add(t)
                return
            }
            i = (i + 1) & mask
        }
        slots[i] = Int32(entries.count + 1)
        entries.append(Entry(hash: h, start: bytes.count, length: prefix.count, totals: t))
        bytes.append(contentsOf: prefix)
        if entries.count * 2 > slots.count { rehash(slots.count * 2) }
    }

    /// Keeps the entries `keep` accepts; returns what the others add up to and the largest
    /// memory among them.
    mutating func keep(_ keep: (PrefixAggregator.Totals) -> Bool) -> (sum: PrefixAggregator.Totals, largestMemory: Int64) {
        var sum = PrefixAggregator.Totals(), largest: Int64 = 0
        var newBytes: [UInt8] = [], newEntries: [Entry] = []
        for e in entries {
            if keep(e.totals) {
                newEntries.append(Entry(hash: e.hash, start: newBytes.count, length: e.length, totals: e.totals))
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
        bytes.withUnsafeBytes { b in e.length == 0 || memcmp(b.baseAddress! + e.start, p.baseAddress!, e.length) == 0 }
    }

    private mutating func rehash(_ size: Int) {
        slots = [Int32](repeating: 0, count: size)
        let mask = size - 1
        for (n, e) in entries.enumerated() {
            var i = Int(truncatingIfNeeded: e.hash) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Int32(n + 1)
        }
    }

    /// FNV-1a, 64-bit: deterministic and quick for short prefixes.
    private static func hash(_ p: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in p { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }
}
