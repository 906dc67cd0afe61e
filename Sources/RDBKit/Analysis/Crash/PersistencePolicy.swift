/// A server's persistence settings as far as a crash is concerned (format.md §8): save points,
/// whether the AOF is on and how it is fsynced, and what kind of failure ends the process.
public struct PersistencePolicy: Sendable, Equatable {
    /// `save <seconds> <changes>`: a snapshot once `changes` writes are pending and more than
    /// `seconds` have passed since the last completed save (§8.2).
    public struct SavePoint: Sendable, Equatable {
        public var seconds: Int64
        public var changes: Int64
        public init(seconds: Int64, changes: Int64) { self.seconds = seconds; self.changes = changes }
    }

    public enum Fsync: String, Sendable, CaseIterable { case always, everysec, no }

    public enum Failure: String, Sendable, CaseIterable {
        /// The process dies (kill -9, OOM kill, segfault); the kernel keeps what was written to it.
        case process
        /// Power loss, kernel panic, VM reset: only what reached the disk survives.
        case power
    }

    /// The compiled-in list of every release from 2.0 to 7.4 and Valkey (§8.4).
    public static let defaultSavePoints = [SavePoint(seconds: 3600, changes: 1), SavePoint(seconds: 300, changes: 100),
                                           SavePoint(seconds: 60, changes: 10000)]

    public var savePoints: [SavePoint]
    public var appendOnly: Bool
    public var appendFsync: Fsync
    public var aofUseRDBPreamble = true
    public var aofTimestamps = false
    /// Where a setting came from when it is an assumption rather than given (shown in reports).
    public var notes: [String] = []

    public init(savePoints: [SavePoint] = PersistencePolicy.defaultSavePoints, appendOnly: Bool = false,
                appendFsync: Fsync = .everysec) {
        self.savePoints = savePoints; self.appendOnly = appendOnly; self.appendFsync = appendFsync
    }

    /// Save points further apart than this (some 31,700 years) are refused, so that times in ms stay in range.
    static let maxSaveSeconds: Int64 = 1_000_000_000_000

    /// Parses the arguments of `save` directives: `"900 1 300 10"` (pairs), `""` for none.
    public static func parseSave(_ text: String) throws(CrashError) -> [SavePoint] {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if words.isEmpty || words == ["\"\""] { return [] }
        guard words.count % 2 == 0 else {
            throw CrashError(.configuration, where: "save", message: "expected pairs of <seconds> <changes>, got \"\(text)\"")
        }
        var out: [SavePoint] = []
        for i in stride(from: 0, to: words.count, by: 2) {
            guard let s = Int64(words[i]), let c = Int64(words[i + 1]), s >= 0, c >= 0 else {
                throw CrashError(.configuration, where: "save", message: "\"\(words[i]) \(words[i + 1])\" is not two non-negative integers")
            }
            guard s <= Self.maxSaveSeconds else {
                throw CrashError(.configuration, where: "save", message: "\(s) seconds is beyond the \(Self.maxSaveSeconds) this model times")
            }
            out.append(SavePoint(seconds: s, changes: c))
        }
        return out
    }

    /// Reads a `redis.conf`: `save`, `appendonly`, `appendfsync`, `aof-use-rdb-preamble`,
    /// `aof-timestamp-enabled`; other directives are ignored. Without `save` lines the
    /// compiled-in list applies, as 6.2+ and Valkey do (§8.4; before 6.2 it would be none).
    public static func parseConfig(_ text: String, name: String = "redis.conf") throws(CrashError) -> PersistencePolicy {
        try parseConfig(RedisConfigFile(Array(text.utf8)), name: name)
    }

    /// Reads and parses a `redis.conf` file.
    public static func readConfig(path: String) throws(CrashError) -> PersistencePolicy {
        let file: RedisConfigFile
        do { file = try RedisConfigFile(path: path) } catch {
            throw CrashError(.unreadable, where: path, message: error.found)
        }
        return try parseConfig(file, name: path)
    }

    public static func parseConfig(_ file: RedisConfigFile, name: String) throws(CrashError) -> PersistencePolicy {
        if let n = file.unparsableLines.first {
            throw CrashError(.configuration, where: "\(name):\(n)", message: "unbalanced quotes")
        }
        var policy = PersistencePolicy()
        var sawSave = false
        for d in file.directives {
            let place = "\(name):\(d.line)"
            let args = d.arguments
            func yesNo() throws(CrashError) -> Bool {
                guard args.count == 1, let v = ["yes": true, "no": false][args[0].lowercased()] else {
                    throw CrashError(.configuration, where: place, message: "\(d.name) takes yes or no")
                }
                return v
            }
            switch d.name {
            case "save":
                // The first save directive replaces the compiled-in list; later ones append.
                if !sawSave { policy.savePoints = []; sawSave = true }
                if args == [""] || args.isEmpty { policy.savePoints = []; continue }
                do { policy.savePoints += try parseSave(args.joined(separator: " ")) }
                catch { throw CrashError(.configuration, where: place, message: error.message) }
            case "appendonly": policy.appendOnly = try yesNo()
            case "aof-use-rdb-preamble": policy.aofUseRDBPreamble = try yesNo()
            case "aof-timestamp-enabled": policy.aofTimestamps = try yesNo()
            case "appendfsync":
                guard args.count == 1, let f = Fsync(rawValue: args[0].lowercased()) else {
                    throw CrashError(.configuration, where: place, message: "appendfsync takes always, everysec or no")
                }
                policy.appendFsync = f
            default: continue
            }
        }
        if !sawSave { policy.notes.append("\(name) has no save lines: the compiled-in 3600 1 300 100 60 10000 applies (6.2 and later; earlier releases would have none)") }
        return policy
    }

    /// `save 900 1 300 10`, or `save ""`.
    public var saveText: String {
        savePoints.isEmpty ? "\"\"" : savePoints.map { "\($0.seconds) \($0.changes)" }.joined(separator: " ")
    }

    /// One line: what persists and how.
    public var summary: String {
        let rdb = savePoints.isEmpty ? "no save points" : "save \(saveText)"
        return appendOnly ? "\(rdb), appendonly yes, appendfsync \(appendFsync.rawValue)" : "\(rdb), appendonly no"
    }

    /// The configurations `--compare` sets side by side.
    public static let standard: [(name: String, policy: PersistencePolicy)] = [
        ("RDB default save points", PersistencePolicy()),
        ("RDB save 60 1", PersistencePolicy(savePoints: [SavePoint(seconds: 60, changes: 1)])),
        ("AOF everysec", PersistencePolicy(savePoints: [], appendOnly: true, appendFsync: .everysec)),
        ("AOF always", PersistencePolicy(savePoints: [], appendOnly: true, appendFsync: .always)),
        ("AOF no", PersistencePolicy(savePoints: [], appendOnly: true, appendFsync: .no)),
        ("RDB + AOF everysec", PersistencePolicy(appendOnly: true, appendFsync: .everysec)),
    ]
}

/// A crash-report input that cannot be used: a bad configuration, a history without the times
/// a question needs, an inconsistent snapshot.
public struct CrashError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case configuration
        /// A configuration or snapshot file that cannot be read.
        case unreadable
        /// The AOF cannot answer the question (no commands, a time outside it).
        case history
    }
    public var kind: Kind
    /// The file and line, option, or file offset at fault.
    public var place: String
    public var message: String

    public init(_ kind: Kind, where place: String, message: String) {
        self.kind = kind; self.place = place; self.message = message
    }

    public var description: String { "\(place): \(message)" }
}
