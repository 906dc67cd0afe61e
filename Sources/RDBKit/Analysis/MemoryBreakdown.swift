/// Estimated memory summed by type and by in-memory encoding, for reports.
public struct MemoryBreakdown: Sendable {
    public struct Cell: Sendable, Equatable {
        public var keys: Int64 = 0
        public var bytes: Int64 = 0
    }

    public private(set) var total = Cell()
    /// The parts of `total.bytes`.
    public private(set) var keyBytes: Int64 = 0
    public private(set) var valueBytes: Int64 = 0
    public private(set) var expiryBytes: Int64 = 0
    /// Indexed by type, then encoding: a flat array, as per-key dictionary updates are slow.
    private var cells = [Cell](repeating: Cell(), count: DataType.allCases.count * ServerEncoding.allCases.count)

    public init() {}

    public mutating func add(_ k: KeyStats) {
        guard let m = k.memory else { return }
        total.keys += 1
        total.bytes += m.total
        keyBytes += m.keyBytes
        valueBytes += m.valueBytes
        expiryBytes += m.expiryBytes
        let index = k.shape.type.index * ServerEncoding.allCases.count + Self.position(m.encoding)
        cells[index].keys += 1
        cells[index].bytes += m.total
    }

    private static func position(_ e: ServerEncoding) -> Int { ServerEncoding.allCases.firstIndex(of: e) ?? 0 }

    /// Non-empty (type, encoding) cells, largest first.
    public var byTypeAndEncoding: [(type: DataType, encoding: ServerEncoding, cell: Cell)] {
        let n = ServerEncoding.allCases.count
        return cells.indices.filter { cells[$0].keys > 0 }
            .map { (DataType.allCases[$0 / n], ServerEncoding.allCases[$0 % n], cells[$0]) }
            .sorted { $0.cell.bytes != $1.cell.bytes ? $0.cell.bytes > $1.cell.bytes : ($0.type, $0.encoding.name) < ($1.type, $1.encoding.name) }
    }

    /// Per type, largest first.
    public var byType: [(type: DataType, cell: Cell)] {
        var sums: [DataType: Cell] = [:]
        for c in byTypeAndEncoding {
            sums[c.type, default: Cell()].keys += c.cell.keys
            sums[c.type, default: Cell()].bytes += c.cell.bytes
        }
        return sums.map { ($0.key, $0.value) }.sorted { $0.cell.bytes != $1.cell.bytes ? $0.cell.bytes > $1.cell.bytes : $0.type < $1.type }
    }
}
