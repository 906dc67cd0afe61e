/// What `rdbtool inspect` reports about one RDB file, gathered in one pass over its events.
public struct FileSummary: Sendable {
    public struct KeyInfo: Sendable {
        public var db: Int
        public var key: [UInt8]
        public var type: DataType
        public var encoding: Encoding
        public var elements: Int
        public var serializedBytes: Int64
        public var offset: Int64
    }

    public struct Database: Sendable {
        public var keys = 0
        public var withTTL = 0
        public var expiredAtNow = 0
        /// RESIZEDB hint (keys, keys with expiry), when the file has one.
        public var resizeHint: (keys: UInt64, expires: UInt64)?
        public var serializedBytes: Int64 = 0
        // Counted in arrays: per-key dictionary updates dominated the profile.
        private var typeCounts = [Int](repeating: 0, count: DataType.allCases.count)
        private var encodingCounts = [Int](repeating: 0, count: Encoding.allCases.count)

        public var byType: [DataType: Int] {
            Dictionary(uniqueKeysWithValues: DataType.allCases.filter { typeCounts[$0.index] > 0 }.map { ($0, typeCounts[$0.index]) })
        }

        public var byEncoding: [Encoding: Int] {
            Dictionary(uniqueKeysWithValues: Encoding.allCases.filter { encodingCounts[Int($0.rawValue)] > 0 }
                .map { ($0, encodingCounts[Int($0.rawValue)]) })
        }

        mutating func count(type: DataType, encoding: Encoding, bytes: Int64) {
            keys += 1
            typeCounts[type.index] += 1
            encodingCounts[Int(encoding.rawValue)] += 1
            serializedBytes += bytes
        }
    }

    public var dialect: Dialect?
    /// AUX fields in file order (names and values as text, lossy for binary values).
    public var aux: [(name: String, value: String)] = []
    public var functions: [FunctionLibrary] = []
    public var moduleAux: [(name: String, bytes: Int)] = []
    public var databases: [Int: Database] = [:]
    public var biggest: [KeyInfo] = []
    public var trailer: RDBTrailer?
    public var warnings: [RDBWarning] = []
    public var slotInfoRecords = 0
    public var emptyCollections = 0
    /// The time expiry is judged against, Unix ms.
    public var nowMs: Int64?
    public var bytesRead: Int64 = 0
    /// Seconds left before expiry at `nowMs`, for keys with a TTL not yet expired.
    public var ttlSeconds = Log2Histogram()
    /// Seconds since last access (IDLE opcode, written under an LRU maxmemory policy).
    public var idleSeconds = Log2Histogram()
    /// The LFU counter (FREQ opcode, written under an LFU maxmemory policy).
    public var lfuFrequency = Log2Histogram()
    /// Element counts (string: bytes), per type in `DataType.allCases` order.
    public var elementCounts = [Log2Histogram](repeating: Log2Histogram(), count: DataType.allCases.count)

    public func elementCounts(of type: DataType) -> Log2Histogram { elementCounts[type.index] }

    public func auxValue(_ name: String) -> String? { aux.first { $0.name == name }?.value }

    public var totalKeys: Int { databases.values.reduce(0) { $0 + $1.keys } }

    /// Producer from the AUX fields: "redis 7.0.15", "valkey 8.0.1".
    public var producer: String? {
        if let v = auxValue("valkey-ver") { return "valkey \(v)" }
        if let v = auxValue("redis-ver") { return "redis \(v)" }
        return nil
    }

    public var creationTimeSeconds: Int64? { auxValue("ctime").flatMap { Int64($0) } }
}

/// Builds a `FileSummary` from reader events.
public struct FileSummaryBuilder {
    public private(set) var summary = FileSummary()
    private var top: TopN<FileSummary.KeyInfo>
    private let explicitNowMs: Int64?
    /// Keys seen before ctime is known cannot be judged yet; ctime always precedes keys in
    /// server-written files, so this is only a fallback.
    private var expiries: [(db: Int, at: Int64)] = []

    public init(topCount: Int = 10, nowMs: Int64? = nil) {
        top = TopN(topCount)
        explicitNowMs = nowMs
    }

    private var nowMs: Int64? {
        explicitNowMs ?? summary.creationTimeSeconds.map { $0 * 1000 }
    }

    public mutating func consume(_ event: RDBEvent) {
        switch event {
        case .header(let d):
            summary.dialect = d
        case .aux(let name, let value):
            summary.aux.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
        case .selectDB(let db):
            summary.databases[db, default: .init()] = summary.databases[db] ?? .init()
        case .resizeDB(let db, let keys, let expires):
            summary.databases[db, default: .init()].resizeHint = (keys, expires)
        case .key(let r):
            consume(r.shape)
        case .keyShape(let k):
            consume(k)
        case .function(let f):
            summary.functions.append(f)
        case .moduleAux(let id, let payload):
            summary.moduleAux.append((ModuleID.name(id), payload.count))
        case .slotInfo:
            summary.slotInfoRecords += 1
        case .slotImport:
            break
        case .warning(let w):
            summary.warnings.append(w)
        case .end(let t):
            summary.trailer = t
        }
    }

    private mutating func consume(_ k: KeyShape) {
        summary.databases[k.db, default: .init()].count(type: k.type, encoding: k.metadata.encoding,
                                                       bytes: k.metadata.serializedBytes)
        if let e = k.expireAtMs {
            summary.databases[k.db, default: .init()].withTTL += 1
            if let now = nowMs {
                judge(db: k.db, expiry: e, now: now)
            } else {
                expiries.append((k.db, e))
            }
        }
        if let idle = k.metadata.lruIdleSeconds { summary.idleSeconds.add(idle) }
        if let freq = k.metadata.lfuFreq { summary.lfuFrequency.add(UInt64(freq)) }
        summary.elementCounts[k.type.index].add(UInt64(k.elementCount))
        if k.type != .string && k.type != .stream && k.type != .module && k.elementCount == 0 {
            summary.emptyCollections += 1
        }
        top.insert(k.metadata.serializedBytes, FileSummary.KeyInfo(
            db: k.db, key: k.key, type: k.type, encoding: k.metadata.encoding, elements: k.elementCount,
            serializedBytes: k.metadata.serializedBytes, offset: k.metadata.offset))
    }

    private mutating func judge(db: Int, expiry: Int64, now: Int64) {
        if expiry <= now {
            summary.databases[db, default: .init()].expiredAtNow += 1
        } else {
            summary.ttlSeconds.add(UInt64((expiry - now) / 1000))
        }
    }

    /// The finished summary; `bytesRead` is the input consumed.
    public mutating func finish(bytesRead: Int64) -> FileSummary {
        if let now = nowMs {
            for (db, at) in expiries { judge(db: db, expiry: at, now: now) }
        }
        expiries.removeAll()
        summary.nowMs = nowMs
        summary.biggest = top.sorted
        summary.bytesRead = bytesRead
        return summary
    }
}
