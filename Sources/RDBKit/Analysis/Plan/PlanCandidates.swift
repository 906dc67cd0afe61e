/// One persistence configuration `plan` weighs: the crash-relevant settings plus the AOF
/// auto-rewrite rule that decides the AOF's disk traffic.
public struct PlanCandidate: Sendable {
    public var name: String
    public var policy: PersistencePolicy
    public var rewrite: AOFRewriteRule

    public init(name: String, policy: PersistencePolicy, rewrite: AOFRewriteRule = AOFRewriteRule()) {
        self.name = name; self.policy = policy; self.rewrite = rewrite
    }

    /// The issue's default set: the version's save points, two tighter save lines, the three
    /// fsync policies alone, and RDB + AOF everysec.
    public static let defaults: [PlanCandidate] = {
        typealias P = PersistencePolicy
        func save(_ s: Int64, _ c: Int64) -> [P.SavePoint] { [P.SavePoint(seconds: s, changes: c)] }
        return [
            PlanCandidate(name: "RDB default save points", policy: P()),
            PlanCandidate(name: "RDB save 60 1", policy: P(savePoints: save(60, 1))),
            PlanCandidate(name: "RDB save 300 100", policy: P(savePoints: save(300, 100))),
            PlanCandidate(name: "AOF always", policy: P(savePoints: [], appendOnly: true, appendFsync: .always)),
            PlanCandidate(name: "AOF everysec", policy: P(savePoints: [], appendOnly: true, appendFsync: .everysec)),
            PlanCandidate(name: "AOF no", policy: P(savePoints: [], appendOnly: true, appendFsync: .no)),
            PlanCandidate(name: "RDB + AOF everysec", policy: P(appendOnly: true, appendFsync: .everysec)),
        ]
    }()

    /// A candidates file: one configuration a line, `NAME: directive; directive; ...`, the
    /// directives as in redis.conf (`save`, `appendonly`, `appendfsync`,
    /// `auto-aof-rewrite-percentage`, `auto-aof-rewrite-min-size`). Like a 6.2+ config file, a
    /// line without `save` keeps the compiled-in save points (`save ""` for none). `#` starts a
    /// comment line.
    public static func parse(_ text: String, name file: String) throws(CrashError) -> [PlanCandidate] {
        var out: [PlanCandidate] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = trimmed(raw)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let place = "\(file):\(n + 1)"
            guard let colon = line.firstIndex(of: ":"), !trimmed(line[..<colon]).isEmpty else {
                throw CrashError(.configuration, where: place, message: "expected NAME: directive; directive; ...")
            }
            let directives = RedisConfigFile(Array(line[line.index(after: colon)...].split(separator: ";").joined(separator: "\n").utf8))
            var policy: PersistencePolicy
            let rewrite: AOFRewriteRule
            do {
                policy = try PersistencePolicy.parseConfig(directives, name: file)
                rewrite = try AOFRewriteRule(directives, name: file)
            } catch {
                // The directives share one line of the file: name that line.
                throw CrashError(error.kind, where: place, message: error.message)
            }
            policy.notes.removeAll()
            out.append(PlanCandidate(name: String(trimmed(line[..<colon])), policy: policy, rewrite: rewrite))
        }
        if out.isEmpty { throw CrashError(.configuration, where: file, message: "no candidate configurations") }
        return out
    }

    private static func trimmed(_ s: Substring) -> Substring {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = s.firstIndex(where: { !blank($0) }), let last = s.lastIndex(where: { !blank($0) }) else { return "" }
        return s[first...last]
    }

    /// A server's own configuration as a candidate: its `redis.conf`'s persistence directives.
    public static func readConfig(path: String) throws(CrashError) -> PlanCandidate {
        let file: RedisConfigFile
        do { file = try RedisConfigFile(path: path) } catch {
            throw CrashError(.unreadable, where: path, message: error.found)
        }
        return PlanCandidate(name: "this server (\(path))", policy: try PersistencePolicy.parseConfig(file, name: path),
                             rewrite: try AOFRewriteRule(file, name: path))
    }

    /// Reads and parses a candidates file (at most 4 MiB).
    public static func read(path: String) throws(CrashError) -> [PlanCandidate] {
        let bytes: [UInt8]
        do { bytes = try AOFLayout.readHead(path, max: 4 << 20) } catch {
            throw CrashError(.unreadable, where: path, message: error.found)
        }
        return try parse(String(decoding: bytes, as: UTF8.self), name: path)
    }
}

/// `auto-aof-rewrite-percentage` / `auto-aof-rewrite-min-size` (server defaults 100 and 64mb):
/// a rewrite starts once the AOF has grown by the percentage over its size after the last
/// rewrite and is at least the minimum size; 0 percent disables it.
public struct AOFRewriteRule: Sendable, Equatable {
    public var percentage: Int64
    public var minSize: Int64

    public init(percentage: Int64 = 100, minSize: Int64 = 64 << 20) {
        self.percentage = percentage; self.minSize = minSize
    }

    /// The rule's two directives in a redis.conf (the last of each wins); sizes as redis.conf
    /// writes them: `64mb`, `1gb`, `100000`.
    public init(_ file: RedisConfigFile, name: String) throws(CrashError) {
        self.init()
        for d in file.directives {
            let place = "\(name):\(d.line)"
            switch d.name {
            case "auto-aof-rewrite-percentage":
                guard d.arguments.count == 1, let p = Int64(d.arguments[0]), p >= 0 else {
                    throw CrashError(.configuration, where: place, message: "auto-aof-rewrite-percentage takes a non-negative integer")
                }
                percentage = p
            case "auto-aof-rewrite-min-size":
                guard d.arguments.count == 1, let s = Self.memorySize(d.arguments[0]) else {
                    throw CrashError(.configuration, where: place, message: "auto-aof-rewrite-min-size takes a size such as 64mb")
                }
                minSize = s
            default: continue
            }
        }
    }

    /// redis.conf memory units: k/kb = 1000/1024, m/mb, g/gb likewise; no unit = bytes.
    public static func memorySize(_ text: String) -> Int64? {
        let t = text.lowercased()
        let units: [(String, Int64)] = [("kb", 1024), ("mb", 1 << 20), ("gb", 1 << 30), ("k", 1000), ("m", 1_000_000), ("g", 1_000_000_000)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            guard let v = Int64(t.dropLast(suffix.count)), v >= 0 else { return nil }
            return v.multipliedReportingOverflow(by: scale).overflow ? nil : v * scale
        }
        return Int64(t).flatMap { $0 >= 0 ? $0 : nil }
    }

    /// Whether an AOF of `size` bytes, `base` after the last rewrite, is due for a rewrite
    /// (`serverCron`: growth in percent of the base, the base taken as 1 when 0).
    public func due(size: Int64, base: Int64) -> Bool {
        guard percentage > 0, size >= minSize else { return false }
        let b = max(base, 1)
        return (size - b) * 100 / b >= percentage
    }
}
