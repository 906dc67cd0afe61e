@testable import RDBKit

/// A key as the keyspace analyses receive it.
func keyStats(_ key: String, db: Int = 0, type: DataType = .string, elements: Int = 1, longest: Int = 1,
              serialized: Int64 = 10, memory: Int64? = nil, encoding: ServerEncoding = .embstr,
              expireAtMs: Int64? = nil) -> KeyStats {
    KeyStats(shape: KeyShape(db: db, key: Array(key.utf8), type: type, expireAtMs: expireAtMs, elementCount: elements,
                             longestElement: longest,
                             metadata: RecordMetadata(encoding: .raw, typeByte: 0, serializedBytes: serialized)),
             memory: memory.map { MemoryEstimate(keyBytes: 32, valueBytes: $0 - 32 - (expireAtMs == nil ? 0 : 24),
                                                 expiryBytes: expireAtMs == nil ? 0 : 24, encoding: encoding, sharedValue: false) })
}
