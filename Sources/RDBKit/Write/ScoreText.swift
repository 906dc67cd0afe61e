#if canImport(Glibc)
import Glibc
#endif

/// A sorted-set score as the text Redis stores in a ziplist or listpack (format.md §4.5,
/// `zzlInsertAt` and `d2string`, redis/redis src/t_zset.c and src/util.c), by RDB version:
///
/// - 9 (≤ 6.2): integral values with |v| < 2^52 as integers, otherwise `%.17g`; `-0` kept.
/// - 10 (7.0): integral values within ±2^62 as integers (`double2ll`, so -0 becomes 0),
///   otherwise `%.17g`.
/// - 11, 12 (7.2+): the same integers, otherwise the shortest round-trip digits
///   (`fpconv_dtoa`'s layout).
///
/// Every form reads back to the same double with `strtod`.
enum ScoreText {
    static func render(_ v: Double, rdbVersion: Int) -> [UInt8] {
        if v.isNaN { return Array("nan".utf8) }
        if v.isInfinite { return Array((v < 0 ? "-inf" : "inf").utf8) }
        if rdbVersion <= 9 {
            if v == 0 { return Array((v.sign == .minus ? "-0" : "0").utf8) }
            if v > -4_503_599_627_370_495, v < 4_503_599_627_370_496, v == v.rounded(.towardZero) {
                return Decimal64.text(Int64(v))
            }
            return printf17g(v)
        }
        // double2ll: within ±(double)(LLONG_MAX / 2), which rounds to ±2^62.
        if v >= -0x1p62, v <= 0x1p62, v == v.rounded(.towardZero) {
            return Decimal64.text(Int64(v))
        }
        return rdbVersion == 10 ? printf17g(v) : shortest(v)
    }

    /// `snprintf("%.17g")`.
    static func printf17g(_ v: Double) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 40) { buf in
            let n = withVaList([v]) { vsnprintf(buf.baseAddress, 40, "%.17g", $0) }
            return (0..<Int(n)).map { UInt8(bitPattern: buf[$0]) }
        }
    }

    /// The shortest digits that round-trip, laid out as `fpconv_dtoa`'s `emit_digits` does:
    /// plain integers while the exponent is small, fixed notation for moderate negative
    /// exponents, otherwise `d.ddde±x` without exponent padding.
    static func shortest(_ v: Double) -> [UInt8] {
        // Swift's description gives the shortest round-trip digits; only the layout differs.
        var text = Array(v.magnitude.description.utf8)
        var exponent = 0
        if let e = text.firstIndex(of: UInt8(ascii: "e")) {
            exponent = Int(String(decoding: text[(e + 1)...], as: UTF8.self)) ?? 0
            text.removeSubrange(e...)
        }
        var digits: [UInt8] = []
        var pointAt = text.count
        for (i, c) in text.enumerated() {
            if c == UInt8(ascii: ".") { pointAt = i } else { digits.append(c) }
        }
        // value = 0.digits × 10^(pointAt + exponent), or digits × 10^K:
        var k = pointAt + exponent - digits.count
        while digits.count > 1 && digits.last == UInt8(ascii: "0") { digits.removeLast(); k += 1 }
        while digits.count > 1 && digits.first == UInt8(ascii: "0") { digits.removeFirst() }
        let n = digits.count
        var out: [UInt8] = v < 0 ? [UInt8(ascii: "-")] : []
        let exp = abs(k + n - 1)
        if k >= 0 && exp < n + 7 {
            out += digits + [UInt8](repeating: UInt8(ascii: "0"), count: k)
        } else if k < 0 && (k > -7 || exp < 4) {
            let offset = n + k
            if offset <= 0 {
                out += Array("0.".utf8) + [UInt8](repeating: UInt8(ascii: "0"), count: -offset) + digits
            } else {
                out += digits[..<offset] + [UInt8(ascii: ".")] + digits[offset...]
            }
        } else {
            out.append(digits[0])
            if n > 1 { out += [UInt8(ascii: ".")] + digits[1...] }
            out += Array("e".utf8) + [k + n - 1 < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")] + Array(String(exp).utf8)
        }
        return out
    }
}
