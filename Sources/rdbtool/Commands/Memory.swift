import ArgumentParser
import RDBKit

struct Memory: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Estimate what each key costs in the memory of a server that loads the file: one row per key.")

    @Argument(help: "The RDB file (`-` for standard input; gzip is detected).")
    var file: String

    @Option(help: "csv (redis-rdb-tools' memory report columns) or jsonl (with the estimate's parts).")
    var format: MemoryRowWriter.Format = .csv

    @OptionGroup var filters: FilterOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var reader: ReaderOptions

    func run() throws {
        var filter = try filters.makeFilter()
        filter.minBytes = nil  // here --min-bytes is estimated memory
        let scan = KeyspaceScan(filter: filter, model: model.model, minMemory: filters.minBytes)
        let out = OutputBuffer(fd: 1)
        let writer = MemoryRowWriter(output: out, format: format)
        do {
            // The header once the input is known to be an RDB file.
            try scanKeyspace(file, scan, reader: reader, events: { if case .header = $0 { writer.begin() } }) { try writer.write($0) }
            try writer.finish()
        } catch {
            try? out.flush()
            throw fail(file, error)
        }
    }
}
