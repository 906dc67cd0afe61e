/// The N biggest keys by one measure, in O(N) memory whatever the file size (`TopN`).
public struct TopKeys {
    public enum Ranking: String, Sendable, CaseIterable {
        /// Estimated memory in a server that loaded the file (needs a memory model).
        case memory
        /// Bytes the record takes in the file.
        case serialized
        /// Element count (string: length in bytes).
        case elements
    }

    public struct Entry: Sendable {
        public var db: Int
        public var key: [UInt8]
        public var type: DataType
        /// The server's encoding after load when memory was estimated, else the file's.
        public var encoding: String
        public var elements: Int
        public var serializedBytes: Int64
        public var memoryBytes: Int64?
        public var expireAtMs: Int64?
    }

    public let ranking: Ranking
    private var top: TopN<Entry>

    public init(count: Int, by ranking: Ranking) {
        self.ranking = ranking
        top = TopN(count)
    }

    public mutating func add(_ k: KeyStats) {
        let weight: Int64
        switch ranking {
        case .memory: weight = k.memory?.total ?? 0
        case .serialized: weight = k.shape.metadata.serializedBytes
        case .elements: weight = Int64(k.shape.elementCount)
        }
        top.insert(weight, Entry(
            db: k.shape.db, key: k.shape.key, type: k.shape.type,
            encoding: k.memory?.encoding.name ?? k.shape.metadata.encoding.name, elements: k.shape.elementCount,
            serializedBytes: k.shape.metadata.serializedBytes, memoryBytes: k.memory?.total, expireAtMs: k.shape.expireAtMs))
    }

    /// Largest first; ties in file order.
    public var entries: [Entry] { top.sorted }
}
