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
    /// Per depth: prefix -> totals. Keys are slices of the record's key: no copy per lookup.
    private var tables: [[ArraySlice<UInt8>: Totals]]
    private var others: [Totals]
    private var undercounts: [Int64]
    private var levelTotals: [Totals]
    /// Keys with no separator at all.
    public private(set) var unprefixed = Totals()
    public private(set) var all = Totals()

    public init(separator: [UInt8], depth: Int, maxPrefixes: Int) {
        self.separator = separator.isEmpty ? [UInt8(ascii: ":")] : separator
        self.depth = max(1, depth)
        self.maxPrefixes = max(1, maxPrefixes)
        tables = Array(repeating: [:], count: self.depth)
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
        var i = 0
        let n = key.count, s = separator.count
        while level < depth && i + s <= n {
            if key[i] == separator[0] && (s == 1 || key[i..<i + s].elementsEqual(separator)) {
                let prefix = key[0..<i + s]
                tables[level][prefix, default: Totals()].add(t)
                levelTotals[level].add(t)
                if tables[level].count >= 2 * maxPrefixes { prune(level, keeping: maxPrefixes) }
                level += 1
                i += s
            } else {
                i += 1
            }
        }
        if level == 0 { unprefixed.add(t) }
    }

    /// Moves every prefix not strictly larger than the `keeping`-th largest into the depth's
    /// "other" total (ties go together, so the result does not depend on table order).
    private mutating func prune(_ level: Int, keeping: Int) {
        guard tables[level].count > keeping else { return }
        let cutoff = tables[level].values.sorted(by: >)[keeping - 1]
        var kept: [ArraySlice<UInt8>: Totals] = [:]
        kept.reserveCapacity(keeping)
        var threshold: Int64 = 0
        for (prefix, t) in tables[level] {
            if t > cutoff {
                kept[ArraySlice(Array(prefix))] = t  // own storage: the record's key is released
            } else {
                others[level].add(t)
                threshold = max(threshold, t.memoryBytes)
            }
        }
        undercounts[level] += threshold
        tables[level] = kept
    }

    /// The result: per depth, the `maxPrefixes` largest prefixes (ties by bytes), largest first.
    public func levels() -> [Level] {
        (0..<depth).map { level in
            var rows = tables[level].map { Row(prefix: Array($0.key), depth: level + 1, totals: $0.value) }
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
