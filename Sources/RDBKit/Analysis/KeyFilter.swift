#if canImport(Glibc)
import Glibc
#endif

/// The key selection of `dump` and the analyses: by database, Redis glob, regular expression,
/// type, expiry and size. Every criterion left unset accepts everything; set criteria must
/// all accept a record.
public struct KeyFilter {
    /// Databases to keep; nil keeps all.
    public var dbs: Set<Int>?
    /// Redis glob patterns (`KEYS`/`SCAN MATCH` syntax, on bytes); a key is kept when any
    /// matches. Empty keeps all.
    public var globs: [[UInt8]]
    /// Types to keep; nil keeps all.
    public var types: Set<DataType>?
    /// Drops keys whose expiry is before `now`, as a server loading the file would.
    public var skipExpired: Bool
    /// The present, in Unix milliseconds, for `skipExpired`.
    public var now: Int64
    /// Keeps only records taking at least this many bytes in the file.
    public var minBytes: Int64?
    /// The regular expression's source, as given.
    public let regexPattern: String?

    private let regex: Regex<AnyRegexOutput>?

    /// A regular expression that does not compile.
    public struct InvalidRegex: Error, CustomStringConvertible {
        public var pattern: String
        public var reason: String
        public var description: String { "invalid regular expression \"\(pattern)\": \(reason)" }
    }

    /// - Parameters:
    ///   - regex: a regular expression (Swift `Regex` syntax, PCRE-like) searched for anywhere in
    ///     the key, which is decoded
    ///     as UTF-8 (invalid bytes become U+FFFD).
    ///   - now: defaults to the current time.
    /// - Throws: `InvalidRegex` when `regex` does not compile.
    public init(dbs: Set<Int>? = nil, globs: [[UInt8]] = [], regex: String? = nil, types: Set<DataType>? = nil,
                skipExpired: Bool = false, now: Int64? = nil, minBytes: Int64? = nil) throws {
        self.dbs = dbs
        self.globs = globs
        self.types = types
        self.skipExpired = skipExpired
        self.now = now ?? Self.currentTimeMs()
        self.minBytes = minBytes
        self.regexPattern = regex
        if let regex {
            do {
                self.regex = try Regex(regex)
            } catch {
                throw InvalidRegex(pattern: regex, reason: "\(error)")
            }
        } else {
            self.regex = nil
        }
    }

    /// The criteria that need only the database and the key, checked before a value is
    /// decoded.
    public func acceptsKey(db: Int, key: [UInt8]) -> Bool {
        if let dbs, !dbs.contains(db) { return false }
        if !globs.isEmpty && !globs.contains(where: { KeyFilter.globMatches(pattern: $0, key) }) { return false }
        if let regex {
            if String(decoding: key, as: UTF8.self).firstMatch(of: regex) == nil { return false }
        }
        return true
    }

    static func currentTimeMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    public func accepts(_ r: KeyRecord) -> Bool {
        accepts(db: r.db, key: r.key, type: r.value.type, expireAtMs: r.expireAtMs, serializedBytes: r.metadata.serializedBytes)
    }

    /// The same criteria for a key read at the structure level.
    public func accepts(_ k: KeyShape) -> Bool {
        accepts(db: k.db, key: k.key, type: k.type, expireAtMs: k.expireAtMs, serializedBytes: k.metadata.serializedBytes)
    }

    private func accepts(db: Int, key: [UInt8], type: DataType, expireAtMs: Int64?, serializedBytes: Int64) -> Bool {
        guard acceptsKey(db: db, key: key) else { return false }
        if let types, !types.contains(type) { return false }
        if skipExpired, let expiry = expireAtMs, expiry < now { return false }
        if let minBytes, serializedBytes < minBytes { return false }
        return true
    }

    // MARK: Redis glob

    /// Whether `string` matches `pattern` as `KEYS` and `SCAN MATCH` decide it: a lone `*`
    /// matches every key (the server's shortcut, which also admits the empty key), any other
    /// pattern exactly as `stringmatchlen` (redis/redis src/util.c), case-sensitively: `*`,
    /// `?`, `[...]` with `^` negation, ranges and `\` escapes, a `\` escaping any byte, an
    /// unterminated `[` closing at the pattern's end. Like the server, it gives up (no match)
    /// past 1000 nested `*`.
    public static func globMatches(pattern: [UInt8], _ string: [UInt8]) -> Bool {
        if pattern == [UInt8(ascii: "*")] { return true }
        return pattern.withUnsafeBytes { p in
            string.withUnsafeBytes { s in
                var skipLongerMatches = false
                return globMatches(p, from: 0, s, from: 0, skipLongerMatches: &skipLongerMatches, nesting: 0)
            }
        }
    }

    private static func globMatches(_ p: UnsafeRawBufferPointer, from pStart: Int,
                                    _ s: UnsafeRawBufferPointer, from sStart: Int,
                                    skipLongerMatches: inout Bool, nesting: Int) -> Bool {
        if nesting > 1000 { return false }
        let star = UInt8(ascii: "*"), backslash = UInt8(ascii: "\\")
        var pi = pStart, si = sStart
        while pi < p.count && si < s.count {
            switch p[pi] {
            case star:
                while pi + 1 < p.count && p[pi + 1] == star { pi += 1 }
                if pi + 1 == p.count { return true }
                while si < s.count {
                    if globMatches(p, from: pi + 1, s, from: si, skipLongerMatches: &skipLongerMatches, nesting: nesting + 1) {
                        return true
                    }
                    if skipLongerMatches { return false }
                    si += 1
                }
                // The rest of the pattern matches nowhere in the rest of the string, so no
                // earlier `*` can help by matching more: every caller may stop too.
                skipLongerMatches = true
                return false
            case UInt8(ascii: "?"):
                si += 1
            case UInt8(ascii: "["):
                pi += 1
                let negated = pi < p.count && p[pi] == UInt8(ascii: "^")
                if negated { pi += 1 }
                var matched = false
                while true {
                    if pi < p.count && p[pi] == backslash && p.count - pi >= 2 {
                        pi += 1
                        if p[pi] == s[si] { matched = true }
                    } else if pi < p.count && p[pi] == UInt8(ascii: "]") {
                        break
                    } else if pi == p.count {
                        pi -= 1  // unterminated class: it ends with the pattern
                        break
                    } else if p.count - pi >= 3 && p[pi + 1] == UInt8(ascii: "-") {
                        // The server compares C `char`s, signed on x86-64 (its common
                        // build), so there bytes >= 0x80 sort below ASCII.
                        var low = Int8(bitPattern: p[pi]), high = Int8(bitPattern: p[pi + 2])
                        if low > high { swap(&low, &high) }
                        let c = Int8(bitPattern: s[si])
                        if c >= low && c <= high { matched = true }
                        pi += 2
                    } else if p[pi] == s[si] {
                        matched = true
                    }
                    pi += 1
                }
                if negated { matched.toggle() }
                if !matched { return false }
                si += 1
            default:
                if p[pi] == backslash && p.count - pi >= 2 { pi += 1 }
                if p[pi] != s[si] { return false }
                si += 1
            }
            pi += 1
            if si == s.count {
                while pi < p.count && p[pi] == star { pi += 1 }
                break
            }
        }
        return pi == p.count && si == s.count
    }
}
