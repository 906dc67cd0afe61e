/// One persistence file `scan` found: what it is, what it holds, and whether it is intact.
public struct ScanEntry: Sendable {
    public enum Kind: String, Sendable {
        case rdb
        /// A single-file AOF of RESP commands.
        case aof
        /// A single-file AOF starting with an RDB preamble (Redis 4.0-6.2).
        case aofPreamble = "aof-preamble"
        /// A multi-part AOF: the manifest of an `appendonlydir`, with its files as `parts`.
        case aofMultiPart = "aof-multipart"
    }

    /// A file of a multi-part AOF.
    public struct Part: Sendable {
        /// The name in the manifest (the file name for files it does not list).
        public var name: String
        public var path: String
        public var role: AOFPart.Role
        public var format: AOFPart.Format?
        public var size: Int64?
        /// For a temporary file next to the parts: what it is left over from.
        public var leftover: CrashLeftover?
    }

    public var path: String
    public var kind: Kind
    /// The file is gzip (of an RDB or an AOF), read through it.
    public var gzip = false
    /// Bytes on disk; for a multi-part AOF the manifest and the files it loads.
    public var size: Int64 = 0
    /// Of the RDB, the preamble or the RDB base.
    public var dialect: Dialect?
    /// "redis 7.0.15", from the RDB part's AUX fields.
    public var producer: String?
    /// The RDB part's `ctime` AUX field, Unix seconds.
    public var ctime: Int64?
    /// First and last `#TS:` annotation of an AOF, Unix seconds.
    public var firstTimestamp: Int64?
    public var lastTimestamp: Int64?
    /// Keys in the RDB, preamble or base (read before any damage); nil for RESP only.
    public var keys: Int?
    /// Commands in an AOF (read before any damage).
    public var commands: Int?
    public var verdict: VerifyResult.Verdict = .clean
    /// The damage's class (`truncated`, `checksum-mismatch`, ...) and full message.
    public var failureClass: String?
    public var failure: String?
    /// Warnings (verify's one line per kind, the AOF reader's first few), and how many in all.
    public var warnings: [String] = []
    public var warningCount = 0
    public var parts: [Part] = []
    /// Facts worth a line: an AOF base outside its directory, layout oddities.
    public var notes: [String] = []
    /// Set when the file is a temporary file of a save that did not finish.
    public var leftover: CrashLeftover?

    public init(path: String, kind: Kind) { self.path = path; self.kind = kind }

    /// Intact as far as a server loading it is concerned (warnings allowed).
    public var isIntact: Bool { verdict == .clean || verdict == .warnings }
}

/// What `scan` looked at besides the entries.
public struct ScanSummary: Sendable {
    /// Regular files looked at, persistence files or not.
    public var filesLookedAt = 0
    public var directories = 0
    /// Paths neither a regular file nor a directory (FIFOs, sockets, devices, dangling links).
    public var skipped = 0
    public var entries = 0
    /// Directories and files that could not be read, link loops.
    public var warnings: [DirectoryWalker.Warning] = []
    /// How many entries have each verdict.
    public var verdicts: [VerifyResult.Verdict: Int] = [:]

    /// Something could not be read: a path given, a directory, a file.
    public var hasUnreadable: Bool { warnings.contains { $0.kind == .unreadable } }
}
