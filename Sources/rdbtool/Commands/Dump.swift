import ArgumentParser
import RDBKit

struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write every record of an RDB file to standard output, in file order.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case jsonl, json, resp, keys, csv
    }

    @Argument(help: "An RDB file (`-` for standard input; gzip is detected), or an AOF file or directory: its dataset after replay.")
    var file: String

    @Option(help: "jsonl (the JSONL record contract), json (one array), resp (commands that rebuild the dataset), keys, or csv.")
    var format: Format = .jsonl

    @Flag(help: "Add encoding, lru_idle_s, lfu_freq, offset and serialized_bytes to JSON records.")
    var withMetadata = false

    @OptionGroup var filters: FilterOptions
    @OptionGroup var reader: ReaderOptions

    func run() throws {
        let filter = try filters.makeFilter()
        let out = OutputBuffer(fd: 1)
        let writer: RecordWriter = switch format {
        case .jsonl: JSONLWriter(output: out, framing: .lines, withMetadata: withMetadata)
        case .json: JSONLWriter(output: out, framing: .array, withMetadata: withMetadata)
        case .resp: RESPWriter(output: out)
        case .keys: KeysWriter(output: out)
        case .csv: CSVWriter(output: out)
        }
        let includeFunctions = !filters.selectsKeys
        do {
            try writer.begin()
            if DatasetSource.isAOF(file) {
                // The dataset an AOF leaves once replayed; keys are in (db, key) order.
                try DatasetSource.read(file, rdb: reader.readerOptions) { event in
                    switch event {
                    case .key(let r) where filter.accepts(r): try writer.write(r); try out.maybeFlush()
                    case .function(let f) where includeFunctions: try writer.write(f)
                    default: break
                    }
                }
                try writer.finish()
                try out.flush()
                return
            }
            let opened = try Input.open(file)
            let rdb = RDBReader(opened: opened, path: file, options: reader.readerOptions)
            let input = rdb.input
            let progress = Progress(total: opened.fileSize)
            defer { progress.finish() }
            try rdb.read { event in
                switch event {
                case .key(let r):
                    guard filter.accepts(r) else { return }
                    try writer.write(r)
                    try out.maybeFlush()
                    progress.update(input.offset)
                case .function(let f) where includeFunctions:
                    try writer.write(f)
                case .warning(let w):
                    Console.error("\(file): warning: \(w)")
                default:
                    break
                }
            }
            try writer.finish()
            try out.flush()
        } catch {
            // Keep what was written: every record before the fault is whole.
            try? out.flush()
            throw fail(file, error)
        }
    }
}
