/// `rdbtool memory`: one row per key with its estimated memory.
///
/// CSV keeps redis-rdb-tools' memory report columns (`database,type,key,size_in_bytes,
/// encoding,num_elements,len_largest_element,expiry`, its type name `sortedset`), with keys
/// escaped as `dump --format csv` escapes them and the expiry as ISO-8601 UTC. JSONL adds the
/// estimate's parts and the record's size in the file, with the project's type names.
public final class MemoryRowWriter {
    public enum Format: String, Sendable, CaseIterable { case csv, jsonl }

    public static let csvHeader = "database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry\n"

    private let out: OutputBuffer
    private let format: Format

    public init(output: OutputBuffer, format: Format) {
        self.out = output
        self.format = format
    }

    public func begin() {
        if format == .csv { out.append(Self.csvHeader) }
    }

    /// Writes a row for a key estimated by a memory model.
    public func write(_ k: KeyStats) throws {
        guard let m = k.memory else { return }
        let s = k.shape
        switch format {
        case .csv:
            out.appendDecimal(Int64(s.db))
            out.append(UInt8(ascii: ","))
            out.append(s.type == .zset ? "sortedset" : s.type.rawValue)
            out.append(UInt8(ascii: ","))
            CSVWriter.appendKey(s.key, to: out)
            out.append(UInt8(ascii: ","))
            out.appendDecimal(m.total)
            out.append(UInt8(ascii: ","))
            out.append(m.encoding.name)
            out.append(UInt8(ascii: ","))
            out.appendDecimal(Int64(s.elementCount))
            out.append(UInt8(ascii: ","))
            out.appendDecimal(Int64(s.longestElement))
            out.append(UInt8(ascii: ","))
            if let ms = s.expireAtMs { out.append(UTCTime.iso(ms: ms)) }
            out.append(UInt8(ascii: "\n"))
        case .jsonl:
            out.append("{\"db\":")
            out.appendDecimal(Int64(s.db))
            out.append(",\"key\":")
            s.key.withUnsafeBytes { JSONEncoding.appendBytes($0, to: out) }
            out.append(",\"type\":\"")
            out.append(s.type.rawValue)
            out.append("\",\"size_in_bytes\":")
            out.appendDecimal(m.total)
            out.append(",\"key_bytes\":")
            out.appendDecimal(m.keyBytes)
            out.append(",\"value_bytes\":")
            out.appendDecimal(m.valueBytes)
            out.append(",\"expiry_bytes\":")
            out.appendDecimal(m.expiryBytes)
            out.append(",\"encoding\":\"")
            out.append(m.encoding.name)
            out.append("\",\"num_elements\":")
            out.appendDecimal(Int64(s.elementCount))
            out.append(",\"len_largest_element\":")
            out.appendDecimal(Int64(s.longestElement))
            out.append(",\"serialized_bytes\":")
            out.appendDecimal(s.metadata.serializedBytes)
            out.append(",\"expiry\":")
            if let ms = s.expireAtMs {
                out.append(UInt8(ascii: "\""))
                out.append(UTCTime.iso(ms: ms))
                out.append(UInt8(ascii: "\""))
            } else {
                out.append("null")
            }
            out.append("}\n")
        }
        try out.maybeFlush()
    }

    public func finish() throws {
        try out.flush()
    }
}
