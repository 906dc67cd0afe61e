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
        // The recovery point lies in [p0, p1] (p0: the pessimistic one, p1: where the writes lost
        // at least likely begin); the crash in [p2, atT] (p2: after the last such write). A key
        // is as surely lost as its writes only if its state differs at all four corners.
        let firm = outcome.classes.indices.filter { outcome.classes[$0] > .possible }
        let p1 = outcome.firstLost + (firm.first ?? outcome.classes.count)
        let p2 = firm.last.map { outcome.firstLost + $0 + 1 } ?? p1
        let points = [outcome.firstLost, p1, p2, outcome.atT]
        var states: [[KeyRecord?]?] = [nil, nil, nil, nil]
        var recovered: RDBWriter.Summary?
        let engine = DiffEngine(options: diff)
        var affected: [AffectedKey] = []
        var unchanged = 0
        var lost: [LostCommand] = []

        func capture(at index: Int) throws {
            for (k, p) in points.enumerated() where p <= index && states[k] == nil {
                states[k] = refs.map { replayer.dataset.record(db: $0.db, key: $0.key, now: nil) }
                if k == 0, let (path, options) = writeRecovered {
                    recovered = try replayer.dataset.writeRDB(path: path, options: options, nowMs: outcome.crashMs,
                                                              protecting: timeline.parts.map(\.path))
                }
            }
        }
        try timeline.replay(into: replayer) { c, apply in
            try capture(at: c.index)
            // The state at the crash is reached; later commands had not happened.
            if c.index >= outcome.atT { return false }
            if c.index >= outcome.firstLost && lost.count < limit && !timeline.entries[c.index].isFraming {
                let e = timeline.entries[c.index]
                lost.append(LostCommand(index: c.index, loMs: e.loMs, hiMs: e.hiMs, db: c.db, text: Self.quoted(c),
                                        loss: outcome.classes[c.index - outcome.firstLost]))
            }
            try apply()
            return true
        }
        if replayer.inTransaction { _ = replayer.discardTransaction() }
        try capture(at: Int.max)
        let (s0, s1, s2, s3) = (states[0] ?? [], states[1] ?? [], states[2] ?? [], states[3] ?? [])
        for k in refs.indices {
            guard let d = engine.diff(s0[k], s3[k]) else { unchanged += 1; continue }
            let firmlyLost = engine.diff(s0[k], s2[k]) != nil && engine.diff(s1[k], s2[k]) != nil && engine.diff(s1[k], s3[k]) != nil
            let loss = described[described.startIndex + k].loss
            affected.append(AffectedKey(diff: d, loss: firmlyLost ? loss : min(loss, .possible)))
        }
        commands = lost
        keys = affected
        unchangedKeys = unchanged
        self.recovered = recovered
    }
}
