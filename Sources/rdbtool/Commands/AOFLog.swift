import ArgumentParser
import RDBKit

struct AOFLog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Print every command of an AOF, one per line, in load order.",
        discussion: """
            Text lines are `<time> <db> <arguments>`: the time of the last #TS: annotation in UTC \
            (`-` before the first one), the database the command applies to, and the arguments \
            quoted as redis-cli shows them. Key filters (--key, --key-regex) look at the command's \
            first key; commands without a key (SELECT, MULTI, FLUSHALL, ...) are left out by them. \
            --since/--until compare annotation times and leave out commands written before the \
            first annotation. Keys of an RDB preamble or base are not commands: `dump` shows them.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, jsonl
    }

    @Argument(help: "An AOF file, an appendonlydir/ directory, or its manifest (`-`: a single file on standard input).")
    var path: String

    @Option(help: "text (redis-cli quoting) or jsonl (one object per command).")
    var format: Format = .text

    @Option(help: "Only commands annotated at or after this time (Unix seconds, <ms>ms, or ISO-8601 UTC).")
    var since: TimeArgument?

    @Option(help: "Only commands annotated at or before this time.")
    var until: TimeArgument?

    @OptionGroup var filters: FilterOptions
    @OptionGroup var aof: AOFOptions

    func validate() throws {
        if !filters.types.isEmpty || filters.skipExpired || filters.minBytes != nil {
            throw ValidationError("--type, --skip-expired and --min-bytes select keys of a dataset; they do not apply to commands")
        }
    }

    func run() throws {
        let filter = try filters.makeFilter()
        let byKey = !filters.globs.isEmpty || filters.keyRegex != nil
        let sinceSeconds = since.map { floorSeconds($0.ms) }
        let untilSeconds = until.map { floorSeconds($0.ms) }
        let out = OutputBuffer(fd: 1)
        let writer = AOFLogWriter(output: out, format: format == .text ? .text : .jsonl)
        do {
            let reader = try AOFReader(path: path, options: aof.readerOptions(level: .structure))
            let progress = Progress(total: reader.layout.parts.reduce(0) { $0 + ($1.size ?? 0) })
            defer { progress.finish() }
            var before: Int64 = 0
            var rdbKeys = 0
            var current: AOFPart? = nil
            func noteRDB() {
                if let current, current.format == .rdb {
                    Console.error("\(current.name): RDB \(current.role == .base ? "base" : "preamble") with \(rdbKeys) keys (not commands: `rdbtool dump` shows them)")
                }
            }
            try reader.read { event in
                switch event {
                case .file(let part):
                    noteRDB()
                    before += current?.size ?? 0
                    current = part
                    rdbKeys = 0
                case .rdb(.keyShape), .rdb(.key):
                    rdbKeys += 1
                case .command(let c):
                    if let sinceSeconds, (c.timeSeconds ?? .min) < sinceSeconds { return }
                    if let untilSeconds, (c.timeSeconds ?? .max) > untilSeconds { return }
                    if let dbs = filter.dbs, !dbs.contains(c.db) { return }
                    if byKey {
                        guard let key = c.firstKey, filter.acceptsKey(db: c.db, key: Array(key)) else { return }
                    }
                    try writer.write(c)
                    progress.update(before + (reader.currentInput?.offset ?? 0))
                case .warning(let w):
                    Console.error("\(path): warning: \(w)")
                case .tail(let t):
                    Console.error("\(path): warning: \(t)")
                case .end:
                    noteRDB()
                default:
                    break
                }
            }
            try writer.finish()
        } catch {
            try? out.flush()
            throw fail(path, error)
        }
    }

    private func floorSeconds(_ ms: Int64) -> Int64 { ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000) }
}
