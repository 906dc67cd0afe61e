/// UTC calendar conversions without Foundation (report output and time arguments).
public enum UTCTime {
    /// "2024-11-23 12:34:56 UTC" for Unix seconds.
    public static func format(seconds: Int64) -> String {
        let (days, secs) = floorDivMod(seconds, 86400)
        let (y, m, d) = civil(fromDays: days)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d)) \(two(secs / 3600)):\(two(secs % 3600 / 60)):\(two(secs % 60)) UTC"
    }

    /// ISO-8601 to the second, "2024-11-23T12:34:56Z" (AOF `#TS:` times have no finer grain).
    public static func iso(seconds: Int64) -> String {
        String(format(seconds: seconds).dropLast(4).map { $0 == " " ? "T" : $0 }) + "Z"
    }

    /// ISO-8601 with milliseconds, "2024-11-23T12:34:56.789Z".
    public static func iso(ms: Int64) -> String {
        let (s, frac) = floorDivMod(ms, 1000)
        let base = String(format(seconds: s).dropLast(4).map { $0 == " " ? "T" : $0 })
        let f = frac < 10 ? "00\(frac)" : frac < 100 ? "0\(frac)" : "\(frac)"
        return "\(base).\(f)Z"
    }

    /// Parses Unix seconds ("1732365296"), Unix ms ("1732365296123ms"), or ISO-8601 UTC
    /// ("2024-11-23T12:34:56Z", "2024-11-23 12:34:56", optional ".mmm"); returns Unix ms.
    public static func parse(_ text: String) -> Int64? {
        if text.hasSuffix("ms"), let v = Int64(text.dropLast(2)) { return v }
        if let v = Int64(text) { return v * 1000 }
        var t = Substring(text)
        if t.hasSuffix("Z") { t = t.dropLast() }
        let parts = t.split(whereSeparator: { $0 == "T" || $0 == " " })
        guard parts.count == 2 || parts.count == 1 else { return nil }
        let date = parts[0].split(separator: "-")
        guard date.count == 3, let y = Int64(date[0]), let mo = Int64(date[1]), let d = Int64(date[2]),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var ms: Int64 = 0
        if parts.count == 2 {
            let timeAndFrac = parts[1].split(separator: ".", maxSplits: 1)
            let hms = timeAndFrac[0].split(separator: ":")
            guard hms.count >= 2, hms.count <= 3, let h = Int64(hms[0]), let mi = Int64(hms[1]),
                  h < 24, mi < 60 else { return nil }
            let s = hms.count == 3 ? Int64(hms[2]) : 0
            guard let s, s < 61 else { return nil }
            ms = (h * 3600 + mi * 60 + s) * 1000
            if timeAndFrac.count == 2 {
                let digits = timeAndFrac[1].prefix(3)
                guard let f = Int64(digits), digits.count > 0 else { return nil }
                ms += f * [100, 10, 1][digits.count - 1]
            }
        }
        return days(fromCivil: y, mo, d) * 86_400_000 + ms
    }

    /// Parses a time of day, "10:04", "10:04:05" or "10:04:05.250"; returns ms since midnight.
    public static func parseTimeOfDay(_ text: String) -> Int64? {
        guard !text.contains("-"), !text.contains(" "), text.contains(":") else { return nil }
        return parse("1970-01-01T" + text)
    }

    /// Unix ms of the midnight (UTC) that starts the day holding `ms`.
    public static func midnight(ofMs ms: Int64) -> Int64 {
        let (day, _) = floorDivMod(ms, 86_400_000)
        let (start, overflow) = day.multipliedReportingOverflow(by: 86_400_000)
        return overflow ? Int64.min : start
    }

    /// Floor division by a positive `b` and the remainder in 0..<b, for every Int64: times come
    /// from files, and an expiry of Int64.min is as possible as any other.
    private static func floorDivMod(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    // Howard Hinnant's civil-from-days and days-from-civil algorithms.
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
