/// TTLs that count from the moment a command runs (format.md §9.15). Servers 2.6.12 – 3.2.9 (and
/// 4.0 release candidates) log `SET … EX/PX` verbatim and 2.6 – 6.2 log `RESTORE` with a relative
/// TTL; AOFs written by other tools may hold SETEX, EXPIRE and the rest. Replayed later than it was
/// written, such a TTL ends later, unless the command's time is known from a `#TS:` annotation.
extension AOFCommand {
    /// Whether a TTL argument of this command is relative to when it runs.
    public var hasRelativeTTL: Bool {
        if isNamed("SETEX") || isNamed("PSETEX") || isNamed("EXPIRE") || isNamed("PEXPIRE")
            || isNamed("HEXPIRE") || isNamed("HPEXPIRE") {
            return true
        }
        if isNamed("SET") { return hasRelativeOption(from: 3) }
        if isNamed("GETEX") || isNamed("HSETEX") || isNamed("HGETEX") { return hasRelativeOption(from: 2) }
        if isNamed("RESTORE") {
            guard let ttl = numberArgument(2), ttl != 0 else { return false }
            return !(4..<arguments.count).contains { isWord($0, "ABSTTL") }
        }
        return false
    }

    /// An `EX` or `PX` option at or after `start`; hash commands' options end at `FIELDS`.
    private func hasRelativeOption(from start: Int) -> Bool {
        var i = start
        while i < arguments.count, !isWord(i, "FIELDS") {
            if isWord(i, "EX") || isWord(i, "PX") { return true }
            i += 1
        }
        return false
    }
}

/// How many relative TTLs an AOF holds, split by what they can be resolved against.
public struct RelativeTTLCount: Sendable, Equatable {
    /// After a `#TS:` annotation: resolved against that second.
    public var annotated = 0
    /// Before any annotation: only the reader's own clock is left (a loading server uses its own).
    public var unannotated = 0
    public var total: Int { annotated + unannotated }

    public init(annotated: Int = 0, unannotated: Int = 0) { self.annotated = annotated; self.unannotated = unannotated }

    public mutating func count(_ c: AOFCommand) {
        count(relative: c.hasRelativeTTL, annotated: c.timeSeconds != nil)
    }

    mutating func count(relative: Bool, annotated isAnnotated: Bool) {
        guard relative else { return }
        if isAnnotated { annotated += 1 } else { unannotated += 1 }
    }
}

extension RelativeTTLCount {
    /// Lines for `aof-to-rdb`'s summary and `inspect`, none when there are no relative TTLs.
    /// `clockMs`: what the unannotated ones were resolved against; nil when nothing resolved them
    /// (inspect), and a loading server will use its own clock.
    public func report(clockMs: Int64?) -> [String] {
        var lines: [String] = []
        if annotated > 0 {
            lines.append("\(annotated) relative TTL\(annotated == 1 ? "" : "s") (EX/PX, SETEX, EXPIRE, RESTORE without ABSTTL) "
                         + "resolved against the #TS: time before each")
        }
        if unannotated > 0 {
            let when = clockMs.map { "resolved against this run's clock, \(UTCTime.format(seconds: $0 / 1000)), assumed to be the load time" }
                ?? "a loading server resolves them against its own clock"
            lines.append("\(unannotated) relative TTL\(unannotated == 1 ? "" : "s") (EX/PX, SETEX, EXPIRE, RESTORE without ABSTTL) "
                         + "before any #TS: annotation: \(when) (written earlier, such TTLs end later than on the server "
                         + "that wrote them; format.md §9.15)")
        }
        return lines
    }
}
