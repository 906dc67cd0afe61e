/// One key as the file (or a replayed AOF) holds it: the unit every consumer receives.
public struct KeyRecord: Sendable {
    public var db: Int
    public var key: [UInt8]
    public var value: Value
    /// Absolute expiry in Unix milliseconds, nil when the key does not expire.
    public var expireAtMs: Int64?
    public var metadata: RecordMetadata
    /// How the file packs the value; only when the reader was asked for it
    /// (`RDBReader.Options.captureLayout`) and the value has packed containers.
    public var layout: StoredLayout?

    public init(db: Int, key: [UInt8], value: Value, expireAtMs: Int64?, metadata: RecordMetadata, layout: StoredLayout? = nil) {
        self.db = db; self.key = key; self.value = value; self.expireAtMs = expireAtMs; self.metadata = metadata
        self.layout = layout
    }
}

public struct RecordMetadata: Sendable {
    public var encoding: Encoding
    /// The type byte the value was stored under.
    public var typeByte: UInt8
    public var lruIdleSeconds: UInt64?
    public var lfuFreq: UInt8?
    /// Offset of the record's first byte (its first attribute opcode or its type byte).
    public var offset: Int64
    /// Bytes from `offset` to the end of the record.
    public var serializedBytes: Int64

    public init(encoding: Encoding, typeByte: UInt8, lruIdleSeconds: UInt64? = nil, lfuFreq: UInt8? = nil,
                offset: Int64 = 0, serializedBytes: Int64 = 0) {
        self.encoding = encoding; self.typeByte = typeByte; self.lruIdleSeconds = lruIdleSeconds
        self.lfuFreq = lfuFreq; self.offset = offset; self.serializedBytes = serializedBytes
    }
}

/// The packed containers a value is stored in, in file order. A server that loads the file
/// keeps most of them as they are (a listpack is loaded into one allocation of its size, a
/// quicklist keeps its nodes), so the memory model needs them; the decoded value has lost them.
public struct StoredLayout: Sendable, Equatable {
    public struct Blob: Sendable, Equatable {
        /// Decoded size: a listpack's, ziplist's, intset's or zipmap's total bytes, a quicklist
        /// PLAIN node's element length.
        public var bytes: Int
        /// Elements it holds (a stream node: listpack entries, master entry included).
        public var elements: Int
        public init(bytes: Int, elements: Int) { self.bytes = bytes; self.elements = elements }
    }

    public var blobs: [Blob] = []
    /// A stream's node keys (each node's master entry id), the keys of its radix tree.
    public var streamNodeIDs: [StreamID] = []

    public init(blobs: [Blob] = [], streamNodeIDs: [StreamID] = []) {
        self.blobs = blobs; self.streamNodeIDs = streamNodeIDs
    }
}

/// A key without its contents, for consumers that count and size keys (`inspect`, `verify`):
/// reading at the structure level produces these instead of full records.
public struct KeyShape: Sendable {
    public var db: Int
    public var key: [UInt8]
    public var type: DataType
    public var expireAtMs: Int64?
    public var elementCount: Int
    public var longestElement: Int
    public var metadata: RecordMetadata
}

/// A key's shape as `RDBReader.read(shapes:events:)` passes it: the key's bytes are the
/// reader's, valid only during the call.
public struct KeyShapeView {
    public var db: Int
    public var key: UnsafeRawBufferPointer
    public var type: DataType
    public var expireAtMs: Int64?
    public var elementCount: Int
    public var longestElement: Int
    public var metadata: RecordMetadata
}

extension KeyRecord {
    public var shape: KeyShape {
        KeyShape(db: db, key: key, type: value.type, expireAtMs: expireAtMs, elementCount: value.elementCount,
                 longestElement: value.longestElement, metadata: metadata)
    }
}
