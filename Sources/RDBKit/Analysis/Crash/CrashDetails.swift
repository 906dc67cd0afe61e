/// What an `Outcome`'s numbers stand for, read from the AOF in a second replay: the lost
/// commands as redis-cli would show them, and for each affected key how the recovered dataset
/// differs from the one at the crash. Optionally writes the recovered dataset as an RDB.
public struct CrashDetails: Sendable {
    public struct LostCommand: Sendable {
        public var index: Int
        public var loMs: Int64
        public var hiMs: Int64
        public var db: Int
        /// redis-cli quoted arguments.
        public var text: String
        public var loss: LossClass
    }

    public struct AffectedKey: Sendable {
        /// A = after recovery, B = at the crash: `added` is a key the crash loses, `removed` one
        /// whose deletion is undone, `changed` a value or TTL reverted.
        public var diff: KeyDiff
        public var loss: LossClass
    }

    public var commands: [LostCommand] = []
    public var keys: [AffectedKey] = []
    /// Affected keys that end up the same either way (a lost write that rewrote the value).
    public var unchangedKeys = 0
    /// Keys beyond `keyLimit`, not described.
    public var undescribedKeys = 0
    public var recovered: RDBWriter.Summary?

    private struct Stop: Error {}

    /// The command as redis-cli shows it, its name unquoted as people type it.
    static func quoted(_ c: AOFCommand) -> String {
        let name = c.name.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F }
            ? String(decoding: c.upperName, as: UTF8.self) : Quoting.redisCLI(c.name)
        return ([name] + c.arguments.dropFirst().map { Quoting.redisCLI($0) }).joined(separator: " ")
    }

    /// `limit` lost commands and `keyLimit` keys are described. With `writeRecovered`, the
    /// recovered dataset is written there (keys expired at the crash time left out).
    public init(model: CrashModel, outcome: CrashModel.Outcome, limit: Int, keyLimit: Int, diff: DiffOptions = DiffOptions(),
                writeRecovered: (path: String, options: RDBWriter.Options)? = nil) throws {
        let timeline = model.timeline
        let described = outcome.keys.prefix(keyLimit)
        undescribedKeys = outcome.keys.count - described.count
        let refs = described.map { timeline.keys[Int($0.id)] }
        let replayer = Replayer(options: Replayer.Options(skipUnsupported: true))
        var before: [KeyRecord?] = []
        var tookBefore = false
        var recovered: RDBWriter.Summary?
        let engine = DiffEngine(options: diff)
        var affected: [AffectedKey] = []
        var unchanged = 0
        var lost: [LostCommand] = []

        func capture() -> [KeyRecord?] {
            refs.map { replayer.dataset.record(db: $0.db, key: $0.key, now: nil) }
        }
        func atRecoveryPoint() throws {
            guard !tookBefore else { return }
            tookBefore = true
            before = capture()
            if let (path, options) = writeRecovered {
                recovered = try replayer.dataset.writeRDB(path: path, options: options, nowMs: outcome.crashMs,
                                                          protecting: timeline.parts.map(\.path))
            }
        }
        func atCrash() throws {
            try atRecoveryPoint()
            for (k, b) in capture().enumerated() {
                if let d = engine.diff(before[k], b) { affected.append(AffectedKey(diff: d, loss: described[described.startIndex + k].loss)) }
                else { unchanged += 1 }
            }
        }
        do {
            try AOFReader(path: timeline.path, options: timeline.readerOptions).read { event in
                switch event {
                case .file:
                    _ = try replayer.apply([Array("SELECT".utf8), Array("0".utf8)], timeMs: nil)
                case .rdb(.key(let r)):
                    replayer.dataset.load(r)
                case .rdb(.function(let f)):
                    replayer.dataset.load(f)
                case .command(let c):
                    if c.index == outcome.firstLost { try atRecoveryPoint() }
                    if c.index == outcome.atT { throw Stop() }
                    if c.index >= outcome.firstLost && lost.count < limit && !timeline.entries[c.index].isFraming {
                        let e = timeline.entries[c.index]
                        lost.append(LostCommand(index: c.index, loMs: e.loMs, hiMs: e.hiMs, db: c.db,
                                                text: Self.quoted(c),
                                                loss: outcome.classes[c.index - outcome.firstLost]))
                    }
                    _ = try replayer.apply(c.arguments.map { Array($0) }, timeMs: c.timeSeconds.map { $0 * 1000 })
                case .tail(let t):
                    if t.kind == .openTransaction { _ = replayer.discardTransaction() }
                default:
                    break
                }
            }
        } catch is Stop {
            // The state at the crash is reached; later commands had not happened.
        }
        if replayer.inTransaction { _ = replayer.discardTransaction() }
        try atCrash()
        commands = lost
        keys = affected
        unchangedKeys = unchanged
        self.recovered = recovered
    }
}
