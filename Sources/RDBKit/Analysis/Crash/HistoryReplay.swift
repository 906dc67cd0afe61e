/// One replay of an AOF, command by command: each command's place, database, `#TS:` time, dirty
/// increment and changed keys, handed to a consumer as it is replayed. `WriteTimeline` keeps them
/// all (crash-report lists lost commands); `plan` aggregates them as they pass.
struct HistoryReplay {
    /// One replayed command: its entry (`keyStart` left for the consumer), the keys it changed
    /// and its file's name. The window is the `#TS:` second, or open (`Int64.min...Int64.max`) when
    /// no annotation precedes it.
    typealias Consumer = (WriteTimeline.Entry, [Replayer.KeyRef], String) throws -> Void

    let parts: [AOFPart]
    /// Keys in the RDB preamble or base the history starts from.
    var baseKeys = 0
    /// `ctime` of that base (Unix seconds), when it has one.
    var baseCreated: Int64?
    var warnings: [AOFWarning] = []
    var tails: [AOFTail] = []
    var annotations = 0
    var firstAnnotatedMs: Int64?

    /// Reads and replays `path` once. Throws `AOFError`, `ReplayError` or what `consume` throws.
    init(path: String, options: AOFReader.Options, consume: Consumer) throws {
        let reader = try AOFReader(path: path, options: options)
        parts = reader.layout.parts
        let replayer = Replayer(options: Replayer.Options(skipUnsupported: true))
        var baseKeys = 0, annotations = 0
        var baseCreated: Int64?, firstTimeMs: Int64?
        var warnings: [AOFWarning] = [], tails: [AOFTail] = []
        var part: Int32 = -1
        var bytes: Int64 = 0
        var previousSize: Int64 = 0
        // Reading and tokenizing on a thread of their own, as for `aof-to-rdb`.
        let readAhead = AOFReadAhead(reader)
        readAhead.start()
        defer { readAhead.stop() }
        var batch = AOFReadAhead.Batch()
        while try readAhead.next(&batch) {
            for item in batch.events {
                switch item.event {
                case .file(let p):
                    part += 1
                    bytes += previousSize
                    previousSize = p.size ?? 0
                    _ = try replayer.apply([Array("SELECT".utf8), Array("0".utf8)], timeMs: nil)
                case .rdb(.key(let r)):
                    replayer.dataset.load(r)
                    baseKeys += 1
                case .rdb(.function(let f)):
                    replayer.dataset.load(f)
                case .rdb(.aux(let name, let value)):
                    if name == Array("ctime".utf8), let t = Int64(String(decoding: value, as: UTF8.self)) { baseCreated = t }
                case .timestamp(let s, _):
                    annotations += 1
                    if firstTimeMs == nil { firstTimeMs = s * 1000 }
                case .command(let c):
                    let timeMs = c.timeSeconds.map { $0 * 1000 }
                    let outcome = try replayer.apply(batch.arguments, item.arguments, timeMs: timeMs)
                    let framing = !item.arguments.isEmpty
                        && ["SELECT", "MULTI", "EXEC"].contains(batch.arguments.withElement(item.arguments.lowerBound) { Replayer.upper($0) })
                    try consume(WriteTimeline.Entry(part: part, offset: c.offset, db: Int32(c.db), dirty: Int32(clamping: outcome.dirty),
                                                    loMs: timeMs ?? Int64.min, hiMs: timeMs.map { $0 + 999 } ?? Int64.max,
                                                    keyStart: 0, keyCount: Int32(clamping: outcome.keys.count),
                                                    isFraming: framing, bytesSoFar: bytes + c.offset + c.byteCount),
                                outcome.keys, c.file)
                case .tail(let t):
                    tails.append(t)
                    if t.kind == .openTransaction { _ = replayer.discardTransaction() }
                case .warning(let w):
                    warnings.append(w)
                default:
                    break
                }
            }
        }
        self.baseKeys = baseKeys
        self.baseCreated = baseCreated
        self.warnings = warnings
        self.tails = tails
        self.annotations = annotations
        firstAnnotatedMs = firstTimeMs
    }

    /// What the windows of an annotated history rest on, for the report.
    static func annotatedNote(_ annotations: Int) -> String {
        "\(annotations) #TS: annotations: each command's time is known to the second (commands of one second are not ordered in time)"
    }
}
