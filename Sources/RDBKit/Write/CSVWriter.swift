/// `dump --format csv`: one row per key with its size and expiry, for spreadsheets and
/// ad-hoc analysis. Fields are quoted per RFC 4180 where needed; rows end with `\n`.
public final class CSVWriter: RecordWriter {
    public static let header = "db,key,type,encoding,elements,serialized_bytes,expires_at_ms\n"

    private let out: OutputBuffer

    public init(output: OutputBuffer) {
        self.out = output
    }

    public func begin() throws {
        out.append(CSVWriter.header)
    }

    public func write(_ r: KeyRecord) throws {
        out.appendDecimal(Int64(r.db))
        out.append(UInt8(ascii: ","))
        Self.appendKey(r.key, to: out)
        out.append(UInt8(ascii: ","))
        out.append(r.value.type.rawValue)
        out.append(UInt8(ascii: ","))
        Self.appendField(r.metadata.encoding.name, to: out)
        out.append(UInt8(ascii: ","))
        out.appendDecimal(Int64(r.value.elementCount))
        out.append(UInt8(ascii: ","))
        out.appendDecimal(r.metadata.serializedBytes)
        out.append(UInt8(ascii: ","))
        if let ms = r.expireAtMs { out.appendDecimal(ms) }
        out.append(UInt8(ascii: "\n"))
        try out.maybeFlush()
    }

    /// Function libraries are not keys and have no row.
    public func write(_ library: FunctionLibrary) throws {}

    public func finish() throws {
        try out.flush()
    }

    /// A key as a CSV field: the redis-cli rendering escapes every non-printable byte, so the
    /// file stays valid UTF-8 and one line per key; its surrounding quotes are CSV's business.
    static func appendKey(_ key: [UInt8], to out: OutputBuffer) {
        // Printable ASCII without `"`, `\` or `,` (most keys) is its own rendering and field.
        if key.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E && $0 != 0x22 && $0 != 0x5C && $0 != 0x2C }) {
            out.append(key)
            return
        }
        appendField(String(Quoting.redisCLI(key).dropFirst().dropLast()), to: out)
    }

    /// RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled.
    static func appendField(_ text: String, to out: OutputBuffer) {
        guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            out.append(text)
            return
        }
        out.append(UInt8(ascii: "\""))
        for b in text.utf8 {
            if b == 0x22 { out.append(UInt8(ascii: "\"")) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }
}
