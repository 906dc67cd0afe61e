#if canImport(Glibc)
import Glibc
#endif

/// A temporary file a server writes during a save and renames when it is done (format.md
/// §7.2, §8.5): found on disk, the save it belongs to did not finish (or is running now).
/// Says which file it would have replaced, whether that one is intact, and which file a
/// restart loads.
public struct CrashLeftover: Sendable {
    public enum Kind: String, Sendable {
        /// `temp-<child pid>.rdb`: a BGSAVE child's snapshot, renamed over `dbfilename` when done.
        case bgsave
        /// `temp-<unixtime>.<pid>.rdb`: a replica receiving a full sync to disk.
        case replicaSync = "replica-sync"
        /// `temp-rewriteaof-<child pid>.aof`: an AOF rewrite child still writing.
        case aofRewrite = "aof-rewrite"
        /// `temp-rewriteaof-bg-<child pid>.aof`: written whole by the child, not yet installed
        /// by the server (as the new base, or over `appendfilename` before 7.0).
        case aofRewriteDone = "aof-rewrite-done"
        /// `temp-<appendfilename>.manifest`: a new manifest not yet renamed over the current one.
        case aofManifest = "aof-manifest"
        /// `temp-<appendfilename>.incr`: AOF switched on at run time, before its first rewrite
        /// finished.
        case aofIncr = "aof-incr"
    }

    /// How a file that matters stands.
    public struct FileState: Sendable {
        public enum State: String, Sendable {
            case intact, damaged, missing
            /// There, but of a version this build does not read, or not readable: not judged.
            case unknown
        }
        public var path: String
        public var state: State
        /// Its entry's verdict and damage, when it was scanned.
        public var verdict: VerifyResult.Verdict?
        public var failure: String?
        public var keys: Int?
    }

    /// One possible start-up source: under a condition when the configuration is unknown.
    public struct RestartSource: Sendable {
        /// "appendonly no" / "appendonly yes".
        public var condition: String
        public var file: FileState
    }

    public var kind: Kind
    public var pid: Int32?
    /// For a replica's file: when the transfer began, Unix seconds.
    public var startedAt: Int64?
    /// A process with `pid` exists now (the save may still be running; or the pid was reused).
    public var processRunning = false
    /// The file the save would have replaced (for `.aofIncr`: the AOF it would have become).
    public var replaces: FileState?
    /// What a restart loads: one source when a configuration file says, else both.
    public var restart: [RestartSource] = []
    /// The configuration file that decided `restart`, if any.
    public var configFile: String?

    /// The leftover a file name denotes, nil for any other name.
    public static func kind(ofName name: String) -> (kind: Kind, pid: Int32?, time: Int64?)? {
        guard name.hasPrefix("temp-") else { return nil }
        let rest = name.dropFirst(5)
        func number(_ s: Substring) -> Int64? { !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } ? Int64(s) : nil }
        if rest.hasPrefix("rewriteaof-bg-") && rest.hasSuffix(".aof"),
           let pid = number(rest.dropFirst(14).dropLast(4)) {
            return (.aofRewriteDone, Int32(clamping: pid), nil)
        }
        if rest.hasPrefix("rewriteaof-") && rest.hasSuffix(".aof"), let pid = number(rest.dropFirst(11).dropLast(4)) {
            return (.aofRewrite, Int32(clamping: pid), nil)
        }
        if rest.hasSuffix(".manifest") && rest.count > 9 { return (.aofManifest, nil, nil) }
        if rest.hasSuffix(".incr") && rest.count > 5 { return (.aofIncr, nil, nil) }
        if rest.hasSuffix(".rdb") {
            let middle = rest.dropLast(4)
            if let pid = number(middle) { return (.bgsave, Int32(clamping: pid), nil) }
            let halves = middle.split(separator: ".", omittingEmptySubsequences: false)
            if halves.count == 2, let time = number(halves[0]), let pid = number(halves[1]) {
                return (.replicaSync, Int32(clamping: pid), time)
            }
        }
        return nil
    }

    /// True when a live process has this id (`kill(pid, 0)`; EPERM means it is another
    /// user's). A zombie (state `Z` in /proc) is dead: a killed save's child stays one until
    /// its new parent reaps it.
    static func processExists(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? AOFLayout.readHead("/proc/\(pid)/stat", max: 512),
              let close = stat.lastIndex(of: UInt8(ascii: ")")), close + 2 < stat.count else { return true }
        return stat[close + 2] != UInt8(ascii: "Z")
    }

    /// Whether each leftover's save completed is decided by its name; what it would have
    /// replaced and what a restart loads, by the other entries of the server's directory.
    struct Resolver {
        let entries: [String: ScanEntry]
        private var configs: [String: PersistenceConfig] = [:]

        init(entries: [ScanEntry]) {
            var byPath: [String: ScanEntry] = [:]
            for e in entries { byPath[e.path] = e }
            self.entries = byPath
        }

        /// The leftover at `path`, nil when its name is not one.
        mutating func leftover(at path: String) -> CrashLeftover? {
            guard let (kind, pid, time) = CrashLeftover.kind(ofName: AOFLayout.baseName(path)) else { return nil }
            // The server's `dir`: where RDB and rewrite temporaries go; the AOF directory's
            // own temporaries sit one level down.
            let fileDir = AOFLayout.directory(of: path)
            let serverDir = kind == .aofManifest || kind == .aofIncr ? AOFLayout.directory(of: fileDir) : fileDir
            let config = config(for: serverDir)
            var l = CrashLeftover(kind: kind, pid: pid, startedAt: time)
            l.processRunning = pid.map(CrashLeftover.processExists) ?? false
            let rdb = state(AOFLayout.join(serverDir, config.dbfilename))
            let aof = aofState(serverDir, config)
            switch kind {
            case .bgsave, .replicaSync: l.replaces = rdb
            case .aofRewrite, .aofRewriteDone, .aofIncr: l.replaces = aof
            case .aofManifest: l.replaces = state(AOFLayout.join(fileDir, config.appendfilename + ".manifest"))
            }
            l.configFile = config.source
            switch config.appendonly {
            case true?: l.restart = [RestartSource(condition: "appendonly yes", file: aof)]
            case false?: l.restart = [RestartSource(condition: "appendonly no", file: rdb)]
            case nil: l.restart = [RestartSource(condition: "appendonly no", file: rdb),
                                   RestartSource(condition: "appendonly yes", file: aof)]
            }
            return l
        }

        private mutating func config(for dir: String) -> PersistenceConfig {
            if let c = configs[dir] { return c }
            let c = PersistenceConfig.load(directory: dir)
            configs[dir] = c
            return c
        }

        /// The AOF a server in `dir` loads: the manifest in its AOF directory (7.0+), else the
        /// single file (before 7.0, or a 7.0+ server's upgrade path).
        private func aofState(_ dir: String, _ config: PersistenceConfig) -> FileState {
            let manifest = AOFLayout.join(AOFLayout.join(dir, config.appenddirname), config.appendfilename + ".manifest")
            if entries[manifest] != nil { return state(manifest) }
            let single = AOFLayout.join(dir, config.appendfilename)
            if entries[single] != nil { return state(single) }
            return FileState(path: AOFLayout.join(dir, config.appenddirname), state: .missing)
        }

        private func state(_ path: String) -> FileState {
            guard let e = entries[path] else {
                // There, but without any signature: a server fails to load it.
                return AOFLayout.fileSize(path) == nil ? FileState(path: path, state: .missing)
                    : FileState(path: path, state: .damaged, failure: "neither an RDB nor an AOF (no signature)")
            }
            let state: FileState.State = switch e.verdict {
            case .clean, .warnings: .intact
            case .damaged: .damaged
            case .unsupported, .unreadable: .unknown
            }
            // An AOF's keys are its base's only: not the dataset it loads to.
            return FileState(path: path, state: state, verdict: e.verdict, failure: e.failure, keys: e.kind == .rdb ? e.keys : nil)
        }
    }
}
