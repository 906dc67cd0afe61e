#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The estimated memory of each key of a dataset (the keyspace report's memory model), keyed
/// as the write history names keys, and the dataset's total.
public struct KeySizes: Sendable {
    public var bytes: [Replayer.KeyRef: Int64] = [:]
    /// Keys, values, TTL entries and the databases' hash tables.
    public var totalBytes: Int64 = 0
    /// The RDB file's size, when read from one.
    public var fileBytes: Int64?

    public init() {}

    /// Models every key of an RDB (one pass). Throws `RDBError`.
    public init(rdb path: String, model: MemoryModel = MemoryModel()) throws {
        let reader = try RDBReader(path: path)
        fileBytes = AOFLayout.fileSize(path)
        var keys: [Int: (keys: Int, expires: Int)] = [:]
        while let event = try reader.next() {
            guard case .key(let r) = event else { continue }
            let m = model.estimate(r).total
            bytes[Replayer.KeyRef(db: r.db, key: r.key)] = m
            totalBytes += m
            keys[r.db, default: (0, 0)].keys += 1
            if r.expireAtMs != nil { keys[r.db, default: (0, 0)].expires += 1 }
        }
        totalBytes += keys.values.reduce(0) { $0 + MemoryModel.keyspaceBucketBytes(keys: $1.keys, expires: $1.expires) }
    }
}

/// What a snapshot's copy-on-write costs, as a range. Which pages hold which keys is not
/// knowable offline; the two ends rest on stated assumptions:
/// - each key the history writes while the child runs touches `min(its modelled size, the
///   bytes its writes carry)` (a SET rewrites the value, an RPUSH to a long list only its
///   tail), at least one page;
/// - low: those pages lie scattered at random over the dataset's pages, so two written keys
///   share a page only by chance (a workload that writes keys created together, clustered in
///   memory, can dirty fewer);
/// - high: every written key dirties its own pages, one more where its allocation straddles a
///   page boundary, the page of its dict entry and a dict bucket page, plus `baselineBytes` for
///   the child's own buffers and the parent's client and AOF buffers; never more than the
///   dataset plus that baseline.
public struct CopyOnWriteEstimate: Sendable, Equatable {
    public var lowBytes: Int64
    public var highBytes: Int64
    /// Distinct keys written (surely, possibly) during the save.
    public var keys: (sure: Int, possible: Int)
    public static let pageBytes: Int64 = 4096
    public static let baselineBytes: Int64 = 4 << 20

    public static func == (a: Self, b: Self) -> Bool {
        a.lowBytes == b.lowBytes && a.highBytes == b.highBytes && a.keys == b.keys
    }

    /// Bytes command `i` carries in the AOF (its distance from the previous one; 64 for the
    /// first command of a file, whose distance spans file boundaries).
    static func commandBytes(_ timeline: WriteTimeline, _ i: Int) -> Int64 {
        let e = timeline.entries
        guard i > 0, e[i - 1].part == e[i].part else { return 64 }
        return max(1, e[i].bytesSoFar - e[i - 1].bytesSoFar)
    }

    /// The keys written while one child runs, fed command by command in file order.
    public struct Writes: Sendable {
        public let fromMs: Int64
        public let toMs: Int64
        /// Bytes each key's writes carry: those whose window lies within the save, and all that overlap it.
        var carried: [Replayer.KeyRef: (sure: Int64, possible: Int64)] = [:]

        public init(fromMs: Int64, toMs: Int64) { self.fromMs = fromMs; self.toMs = toMs }

        /// Whether a write in [loMs, hiMs] may fall within the save.
        public func overlaps(loMs: Int64, hiMs: Int64) -> Bool { hiMs >= fromMs && loMs <= toMs }

        /// A command carrying `bytes` that changed `keys` within [loMs, hiMs] (overlapping the save).
        public mutating func add(loMs: Int64, hiMs: Int64, bytes b: Int64, keys: some Sequence<Replayer.KeyRef>) {
            let within = loMs >= fromMs && hiMs <= toMs
            for k in keys {
                carried[k, default: (0, 0)].possible += b
                if within { carried[k, default: (0, 0)].sure += b }
            }
        }

        /// The pages the writes dirty (see the type's assumptions), summed for the low and high end.
        public func pages(sizes: KeySizes) -> Pages {
            var p = Pages()
            for (k, c) in carried {
                let size = sizes.bytes[k]
                func pages(_ carried: Int64) -> Int64 {
                    let touched = size.map { min($0, carried) } ?? carried
                    return max(1, (touched + CopyOnWriteEstimate.pageBytes - 1) / CopyOnWriteEstimate.pageBytes)
                }
                p.highPages += pages(c.possible) + 3
                p.possibleKeys += 1
                if c.sure > 0 {
                    p.lowPages += pages(c.sure)
                    p.sureKeys += 1
                }
            }
            return p
        }
    }

    /// What a save's writes come to before the dataset's size is applied.
    public struct Pages: Sendable, Equatable {
        public var lowPages: Int64 = 0
        public var highPages: Int64 = 0
        public var sureKeys = 0
        public var possibleKeys = 0
    }

    /// The estimate for a child running from `fromMs` to `toMs`: writes whose time window lies
    /// within it count at both ends, those that only overlap it at the high end.
    public init(timeline: WriteTimeline, fromMs: Int64, toMs: Int64, sizes: KeySizes, datasetBytes: Int64) {
        var writes = Writes(fromMs: fromMs, toMs: toMs)
        let entries = timeline.entries
        // Windows are in file order, so the first overlapping write is found by its start.
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].hiMs < fromMs && entries[mid].loMs < fromMs { lo = mid + 1 } else { hi = mid }
        }
        var i = lo
        while i < entries.count && entries[i].loMs <= toMs {
            let e = entries[i]
            if writes.overlaps(loMs: e.loMs, hiMs: e.hiMs) {
                writes.add(loMs: e.loMs, hiMs: e.hiMs, bytes: Self.commandBytes(timeline, i),
                           keys: timeline.keys(of: i).lazy.map { timeline.keys[Int($0)] })
            }
            i += 1
        }
        self.init(writes.pages(sizes: sizes), datasetBytes: datasetBytes)
    }

    public init(_ p: Pages, datasetBytes: Int64) {
        let datasetPages = max(1, datasetBytes / Self.pageBytes)
        // Distinct pages among `lowPages` drawn at random from the dataset's.
        let spread = Double(max(datasetPages, p.lowPages))
        let low = (spread * (1 - pow(1 - 1 / spread, Double(p.lowPages)))).rounded()
        lowBytes = Int64(low) * Self.pageBytes
        highBytes = min(p.highPages * Self.pageBytes, datasetBytes) + Self.baselineBytes
        keys = (p.sureKeys, p.possibleKeys)
    }
}

/// The cost of the snapshots a configuration takes over the history (the `expected` reading of
/// the snapshot simulator): how often, the fork pause each causes, and their copy-on-write.
public struct SnapshotCost: Sendable {
    /// Page-table copy time per GB of resident memory: redis.io's latency documentation
    /// measures about 10 ms per GB on Linux on bare metal and modern VMs (Xen PV guests are far slower).
    public static let defaultForkMsPerGB = 10.0

    /// Snapshots forked within the history.
    public var snapshots: Int
    public var perHour: Double
    /// For each snapshot.
    public var forkPauseMs: Double
    public var copyOnWrite: [CopyOnWriteEstimate]
    public var maxCOW: (low: Int64, high: Int64) {
        (copyOnWrite.map(\.lowBytes).max() ?? 0, copyOnWrite.map(\.highBytes).max() ?? 0)
    }

    /// `datasetBytes`: the resident set taken as the modelled dataset.
    public init(model: CrashModel, periodSeconds: Double, sizes: KeySizes, datasetBytes: Int64, forkMsPerGB: Double) {
        let end = model.timeline.span?.last ?? Int64.min
        let taken = model.snapshots.expected.filter { $0.forkMs <= end }
        self.init(copyOnWrite: taken.map {
            CopyOnWriteEstimate(timeline: model.timeline, fromMs: $0.forkMs, toMs: $0.doneMs, sizes: sizes, datasetBytes: datasetBytes)
        }, periodSeconds: periodSeconds, datasetBytes: datasetBytes, forkMsPerGB: forkMsPerGB)
    }

    /// `copyOnWrite`: one estimate for each snapshot forked within the history.
    public init(copyOnWrite: [CopyOnWriteEstimate], periodSeconds: Double, datasetBytes: Int64, forkMsPerGB: Double) {
        snapshots = copyOnWrite.count
        perHour = periodSeconds > 0 ? Double(copyOnWrite.count) * 3600 / periodSeconds : 0
        forkPauseMs = Double(datasetBytes) / Double(1 << 30) * forkMsPerGB
        self.copyOnWrite = copyOnWrite
    }
}
