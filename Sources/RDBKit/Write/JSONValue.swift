/// A small JSON tree for reports (`inspect --json`), where clarity matters more than speed.
/// Record output uses the streaming writers instead.
public indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    /// Redis bytes under the JSONL contract: a string when valid UTF-8, else `{"b64": ...}`.
    case bytes([UInt8])
    case array([JSONValue])
    /// Keys in the given order.
    case object([(String, JSONValue)])

    public func serialized() -> String {
        let out = OutputBuffer()
        write(to: out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    public func write(to out: OutputBuffer) {
        switch self {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .int(let v): out.appendDecimal(v)
        case .double(let d): JSONEncoding.appendDouble(d, to: out)
        case .string(let s): JSONEncoding.appendString(Array(s.utf8), to: out)
        case .bytes(let b): b.withUnsafeBytes { JSONEncoding.appendBytes($0, to: out) }
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                v.write(to: out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in o.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONEncoding.appendString(Array(k.utf8), to: out)
                out.append(UInt8(ascii: ":"))
                v.write(to: out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
