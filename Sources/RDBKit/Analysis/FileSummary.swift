/// What `rdbtool inspect` reports about one RDB file, gathered in one pass over its events.
public struct FileSummary: Sendable {
    public struct KeyInfo: Sendable {
        public var db: Int
        public var key: [UInt8]
        public var type: DataType
        public var encoding: String
        public var elements: Int
        public var serializedBytes: Int64
        public var offset: Int64
    }

    public struct Database: Sendable {
        public var keys = 0
        public var byType: [DataType: Int] = [:]
        public var byEncoding: [String: Int] = [:]
        public var withTTL = 0
        public var expiredAtNow = 0
        /// RESIZEDB hint (keys, keys with expiry), when the file has one.
        public var resizeHint: (keys: UInt64, expires: UInt64)?
        public var serializedBytes: Int64 = 0
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
            var d = summary.databases[r.db] ?? .init()
            let type = r.value.type
            d.keys += 1
            d.byType[type, default: 0] += 1
            d.byEncoding[r.metadata.encoding, default: 0] += 1
            d.serializedBytes += r.metadata.serializedBytes
            if let e = r.expireAtMs {
                d.withTTL += 1
                if let now = nowMs { if e <= now { d.expiredAtNow += 1 } } else { expiries.append((r.db, e)) }
            }
            if type != .string && type != .stream && type != .module && r.value.elementCount == 0 {
                summary.emptyCollections += 1
            }
            summary.databases[r.db] = d
            top.insert(r.metadata.serializedBytes, FileSummary.KeyInfo(
                db: r.db, key: r.key, type: type, encoding: r.metadata.encoding, elements: r.value.elementCount,
                serializedBytes: r.metadata.serializedBytes, offset: r.metadata.offset))
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

    /// The finished summary; `bytesRead` is the input consumed.
    public mutating func finish(bytesRead: Int64) -> FileSummary {
        if let now = nowMs {
            for (db, at) in expiries where at <= now { summary.databases[db]?.expiredAtNow += 1 }
        }
        expiries.removeAll()
        summary.nowMs = nowMs
        summary.biggest = top.sorted
        summary.bytesRead = bytesRead
        return summary
    }
}
