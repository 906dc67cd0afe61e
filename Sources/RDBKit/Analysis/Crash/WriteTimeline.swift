/// The timed write history of an AOF, built in one replay pass and kept compact: per command
/// its place in the file (to read it again), database, time window, `dirty` increment (§8.3)
/// and the keys it changed (interned). No arguments are kept.
public final class WriteTimeline {
    /// One command of the AOF.
    public struct Entry: Sendable {
        /// Index into `parts`.
        public var part: Int32
        public var offset: Int64
        public var db: Int32
        /// What `server.dirty` grew by (an EXEC carries its transaction's).
        public var dirty: Int32
        /// When it was written, as far as the evidence says: within [loMs, hiMs].
        public var loMs: Int64
        public var hiMs: Int64
        /// Its changed keys: `keyIDs[keyStart..<keyStart+keyCount]`.
        public var keyStart: Int
        public var keyCount: Int32
        /// SELECT, MULTI and EXEC: framing, not writes of their own.
        public var isFraming: Bool
        /// AOF bytes read up to and including this command (the base file included): a proxy of
        /// the dataset's size for the snapshot-duration estimate.
        public var bytesSoFar: Int64
    }

    /// How the command times were established.
    public enum Timing: Sendable, Equatable {
        /// `#TS:` annotations: each command's second is known.
        case annotated(annotations: Int)
        /// No annotations: times bounded only by file evidence (`notes` says which).
        case evidence
    }

    public private(set) var entries: [Entry] = []
    public private(set) var keys: [Replayer.KeyRef] = []
    public private(set) var keyIDs: [Int32] = []
    public let parts: [AOFPart]
    public let path: String
    public let readerOptions: AOFReader.Options
    public private(set) var timing: Timing = .evidence
    /// What the time windows rest on, for the report.
    public private(set) var notes: [String] = []
    /// Keys in the RDB preamble or base the history starts from.
    public private(set) var baseKeys = 0
    /// `ctime` of that base (Unix seconds), when it has one.
    public private(set) var baseCreated: Int64?
    public private(set) var warnings: [AOFWarning] = []
    public private(set) var tails: [AOFTail] = []

    /// Reads and replays `path` once. Throws `AOFError` or `ReplayError`.
    public init(path: String, options: AOFReader.Options = .init()) throws {
        self.path = path
        readerOptions = options
        var entries: [Entry] = [], keys: [Replayer.KeyRef] = [], keyIDs: [Int32] = []
        var keyIndex: [Replayer.KeyRef: Int32] = [:]
        let replay = try HistoryReplay(path: path, options: options) { entry, changed, file in
            var e = entry
            e.keyStart = keyIDs.count
            for k in changed {
                let id: Int32
                if let known = keyIndex[k] { id = known } else {
                    guard keys.count < Int(Int32.max) else {
                        throw CrashError(.history, where: "\(file) offset \(e.offset)", message: "more than 2^31 distinct keys: too many to track")
                    }
                    id = Int32(keys.count); keys.append(k); keyIndex[k] = id
                }
                keyIDs.append(id)
            }
            entries.append(e)
        }
        parts = replay.parts
        self.entries = entries
        self.keys = keys
        self.keyIDs = keyIDs
        baseKeys = replay.baseKeys
        baseCreated = replay.baseCreated
        warnings = replay.warnings
        tails = replay.tails
        if replay.annotations > 0 { timing = .annotated(annotations: replay.annotations) }
        bound(firstAnnotatedMs: replay.firstAnnotatedMs)
    }

    /// Fills in the windows the annotations leave open: before the first annotation a command
    /// precedes that second; without any, each file's commands lie between the base's ctime
    /// (or the previous file's modification time) and the file's own modification time.
    private func bound(firstAnnotatedMs: Int64?) {
        let mtimes = parts.map { AOFLayout.modificationTime($0.path) }
        var lower = baseCreated.map { $0 * 1000 } ?? Int64.min
        var fileLower = [Int64](repeating: lower, count: parts.count)
        for (i, m) in mtimes.enumerated() {
            fileLower[i] = lower
            // The next incr file is opened when this one is closed; a base is written while the
            // following incr file already receives commands, so it bounds nothing.
            if let m, parts[i].role == .incr { lower = max(lower, m * 1000) }
        }
        var untimed = 0
        for i in entries.indices where entries[i].loMs == Int64.min {
            untimed += 1
            let p = Int(entries[i].part)
            entries[i].loMs = fileLower[p]
            var hi = mtimes[p].map { $0 * 1000 + 999 } ?? Int64.max
            if let first = firstAnnotatedMs { hi = min(hi, first + 999) }
            entries[i].hiMs = hi
        }
        switch timing {
        case .annotated(let n):
            notes.append(HistoryReplay.annotatedNote(n))
            if untimed > 0 { notes.append("\(untimed) commands precede the first annotation: timed only as before it") }
        case .evidence:
            var evidence: [String] = []
            if let c = baseCreated { evidence.append("the base RDB's ctime \(UTCTime.iso(seconds: c))") }
            if mtimes.contains(where: { $0 != nil }) { evidence.append("file modification times") }
            evidence.append("manifest order")
            notes.append("no #TS: annotations (aof-timestamp-enabled no): command times are bounded only by "
                         + evidence.joined(separator: ", ") + "; every conclusion below carries that uncertainty")
        }
    }

    public var count: Int { entries.count }

    /// The keys entry `i` changed.
    public func keys(of i: Int) -> ArraySlice<Int32> {
        let e = entries[i]
        return keyIDs[e.keyStart..<e.keyStart + Int(e.keyCount)]
    }

    /// The first and last instants the history can be placed at (ms), when known.
    public var span: (first: Int64, last: Int64)? {
        guard let f = entries.first(where: { $0.loMs != Int64.min }), let l = entries.last(where: { $0.hiMs != Int64.max }) else { return nil }
        return (f.loMs, l.hiMs)
    }
}

extension WriteTimeline {
    private struct Stop: Error {}

    /// Replays the history again into `replayer`, as a server loads it (each file from database
    /// 0, the RDB preamble or base as the starting keys, an open transaction at a file's end
    /// discarded), for readers that look at the dataset between chosen commands. `visit` gets each
    /// command and the step that applies it; it returns false to stop there.
    func replay(into replayer: Replayer, _ visit: (AOFCommand, () throws -> Void) throws -> Bool) throws {
        do {
            try AOFReader(path: path, options: readerOptions).read { event in
                switch event {
                case .file:
                    _ = try replayer.apply([Array("SELECT".utf8), Array("0".utf8)], timeMs: nil)
                case .rdb(.key(let r)):
                    replayer.dataset.load(r)
                case .rdb(.function(let f)):
                    replayer.dataset.load(f)
                case .command(let c):
                    let apply = { _ = try replayer.apply(c.arguments.map { Array($0) }, timeMs: c.timeSeconds.map { $0 * 1000 }) }
                    if try !visit(c, apply) { throw Stop() }
                case .tail(let t):
                    if t.kind == .openTransaction { _ = replayer.discardTransaction() }
                default:
                    break
                }
            }
        } catch is Stop {
            // The visitor has what it needs; later commands are not read.
        }
    }
}
