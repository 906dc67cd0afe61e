/// Renders bytes as redis-cli shows a bulk string (`sdscatrepr`): always in double quotes,
/// printable ASCII as is, `\n \r \t \a \b \\ \"` escaped, other bytes as `\xhh`.
public enum Quoting {
    public static func redisCLI<C: Collection>(_ bytes: C, limit: Int = .max) -> String where C.Element == UInt8 {
        var out: [UInt8] = [0x22]
        var n = 0
        for b in bytes {
            if n == limit { out += Array("...".utf8); break }
            n += 1
            appendEscaped(b, to: &out)
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    /// The same rendering appended to a byte sink, for output written in bulk (`aof log`):
    /// runs of printable bytes are copied whole.
    static func appendRedisCLI<S: ByteSink & ~Copyable>(_ bytes: UnsafeRawBufferPointer, to sink: inout S) {
        sink.append(UInt8(0x22))
        var runStart = 0
        for i in 0..<bytes.count where needsEscape(bytes[i]) {
            if runStart < i { sink.append(UnsafeRawBufferPointer(rebasing: bytes[runStart..<i])) }
            appendEscaped(bytes[i], to: &sink)
            runStart = i + 1
        }
        if runStart < bytes.count { sink.append(UnsafeRawBufferPointer(rebasing: bytes[runStart...])) }
        sink.append(UInt8(0x22))
    }

    @inline(__always) private static func needsEscape(_ b: UInt8) -> Bool {
        b < 0x20 || b > 0x7E || b == 0x5C || b == 0x22
    }

    private static func appendEscaped<S: ByteSink & ~Copyable>(_ b: UInt8, to out: inout S) {
        let escape = UInt8(ascii: "\\")
        switch b {
        case 0x5C: out.append(escape); out.append(escape)
        case 0x22: out.append(escape); out.append(b)
        case 0x0A: out.append(escape); out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(escape); out.append(UInt8(ascii: "r"))
        case 0x09: out.append(escape); out.append(UInt8(ascii: "t"))
        case 0x07: out.append(escape); out.append(UInt8(ascii: "a"))
        case 0x08: out.append(escape); out.append(UInt8(ascii: "b"))
        case 0x20...0x7E: out.append(b)
        default:
            let digits: StaticString = "0123456789abcdef"
            out.append(escape)
            out.append(UInt8(ascii: "x"))
            out.append(digits.utf8Start[Int(b >> 4)])
            out.append(digits.utf8Start[Int(b & 15)])
        }
    }
}
