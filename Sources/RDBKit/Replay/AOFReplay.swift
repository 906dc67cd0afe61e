/// Loads an AOF (file or directory) as a server does: the RDB preamble or base as the starting
/// dataset, then every command replayed in order. The result is what the server would hold.
public final class AOFReplay {
    public struct Options: Sendable {
        public var reader = AOFReader.Options()
        /// Count commands that cannot be replayed (module commands, pre-5.0 EVAL) instead of stopping.
        public var skipUnsupported = false
        /// Stop after the last command annotated at or before this time (point-in-time recovery).
        public var untilMs: Int64?
        public init() {}
    }

    public struct Summary: Sendable {
        public var commandsRead = 0
        public var commandsApplied = 0
        /// Commands skipped under `skipUnsupported`, by upper-case name.
        public var unsupported: [String: Int] = [:]
        /// Keys the skipped commands named.
        public var unsupportedKeys = 0
        public var keysFromRDB = 0
        /// Time of the last command read (its `#TS:` annotation), Unix ms.
        public var lastTimeMs: Int64?
        /// `redis-ver` / `valkey-ver` of an RDB preamble or base.
        public var producerVersion: String?
        public var producerIsValkey = false
        public var tails: [AOFTail] = []
        public var warnings: [AOFWarning] = []
        /// The read stopped at `untilMs` before the end of the history.
        public var stoppedAtUntil = false
        /// Commands whose TTL counts from when they run (format.md §9.15).
        public var relativeTTLs = RelativeTTLCount()
        /// What the unannotated ones were resolved against: the clock when the replay started
        /// (Unix ms), as a server loading the file then would.
        public var relativeTTLClockMs: Int64?
    }

    public let replayer: Replayer
    public private(set) var summary = Summary()
    public let layout: AOFLayout

    private struct Stop: Error {}

    /// Reads and replays `path`; `progress` gets the number of commands read now and then.
    public init(path: String, options: Options = Options(), progress: ((Int) -> Void)? = nil) throws {
        let reader = try AOFReader(path: path, options: options.reader)
        layout = reader.layout
        // Only a skipped command's keys are asked for.
        replayer = Replayer(options: Replayer.Options(skipUnsupported: options.skipUnsupported, tracksKeys: false))
        let readAhead = AOFReadAhead(reader)
        readAhead.start()
        // However this ends, the reading thread stops before the replay returns.
        defer { readAhead.stop() }
        do {
            var batch = AOFReadAhead.Batch()
            while try readAhead.next(&batch) {
                for item in batch.events {
                    switch item.event {
                    case .file:
                        // A server loads each file with a fresh client, in database 0.
                        _ = try replayer.apply([Array("SELECT".utf8), Array("0".utf8)], timeMs: summary.lastTimeMs)
                    case .rdb(.key(let r)):
                        replayer.dataset.load(r)
                        summary.keysFromRDB += 1
                    case .rdb(.function(let f)):
                        replayer.dataset.load(f)
                    case .rdb(.aux(let name, let value)):
                        let valkey = name == Array("valkey-ver".utf8)
                        if valkey || name == Array("redis-ver".utf8) {
                            summary.producerVersion = String(decoding: value, as: UTF8.self)
                            summary.producerIsValkey = valkey
                        }
                    case .command(let c):
                        let timeMs = c.timeSeconds.map { $0 * 1000 }
                        if let until = options.untilMs, let t = timeMs, t > until {
                            summary.stoppedAtUntil = true
                            throw Stop()
                        }
                        summary.commandsRead += 1
                        summary.relativeTTLs.count(relative: item.hasRelativeTTL, annotated: c.timeSeconds != nil)
                        // Unannotated ones come before any #TS, while the replayer still runs on its start time.
                        if summary.relativeTTLs.unannotated > 0 && summary.relativeTTLClockMs == nil {
                            summary.relativeTTLClockMs = replayer.nowMs
                        }
                        summary.lastTimeMs = timeMs ?? summary.lastTimeMs
                        do {
                            let outcome = try replayer.apply(batch.arguments, item.arguments, timeMs: timeMs)
                            switch outcome.status {
                            case .applied, .queued: summary.commandsApplied += 1
                            case .unsupported:
                                summary.unsupported[batch.arguments.withElement(item.arguments.lowerBound) { Replayer.upper($0) }, default: 0] += 1
                                summary.unsupportedKeys += outcome.keys.count
                            }
                        } catch var e as ReplayError {
                            e.file = c.file
                            e.offset = c.offset
                            e.timeMs = timeMs
                            throw e
                        }
                        if summary.commandsRead % 100_000 == 0 { progress?(summary.commandsRead) }
                    case .tail(let t):
                        summary.tails.append(t)
                        if t.kind == .openTransaction { _ = replayer.discardTransaction() }
                    case .warning(let w):
                        summary.warnings.append(w)
                    default:
                        break
                    }
                }
            }
        } catch is Stop {
            // Point-in-time recovery: what follows `untilMs` is not applied.
        }
        // A transaction the history never closed was never executed.
        if replayer.inTransaction { _ = replayer.discardTransaction() }
    }

    /// The RDB version the AOF's producer writes (from its preamble or base), within what the
    /// writer supports: Redis before 7.0 → 9, 7.0 → 10, 7.2 → 11, 7.4 and later → 12; Valkey → 11
    /// (Valkey 9's own numbering is not written; it reads RDB 11).
    public var producerRDBVersion: Int? {
        guard let v = summary.producerVersion else { return nil }
        let parts = v.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2 else { return nil }
        if summary.producerIsValkey { return 11 }
        switch (parts[0], parts[1]) {
        case (..<7, _): return 9
        case (7, 0): return 10
        case (7, 1...3): return 11
        default: return 12
        }
    }

    /// The oldest RDB version that can hold the dataset: 12 when a hash field has a TTL.
    public var requiredRDBVersion: Int? {
        replayer.dataset.hasFieldExpiries ? 12 : nil
    }

    /// Writes what a server holds after loading the AOF, judged at `nowMs`: keys (and hash
    /// fields) already expired then are left out, as a loading server drops them.
    public func writeRDB(path: String, options: RDBWriter.Options, nowMs: Int64?) throws -> RDBWriter.Summary {
        try replayer.dataset.writeRDB(path: path, options: options, nowMs: nowMs, protecting: layout.parts.map(\.path))
    }
}
