/// Renders bytes as redis-cli shows a bulk string (`sdscatrepr`): always in double quotes,
/// printable ASCII as is, `\n \r \t \a \b \\ \"` escaped, other bytes as `\xhh`.
public enum Quoting {
    public static func redisCLI<C: Collection>(_ bytes: C, limit: Int = .max) -> String where C.Element == UInt8 {
        var out = "\""
        var n = 0
        for b in bytes {
            if n == limit { out += "..."; break }
            n += 1
            switch b {
            case 0x5C: out += "\\\\"
            case 0x22: out += "\\\""
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x07: out += "\\a"
            case 0x08: out += "\\b"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "\\x"
                out += String(b, radix: 16).count == 1 ? "0" + String(b, radix: 16) : String(b, radix: 16)
            }
        }
        return out + "\""
    }
}
