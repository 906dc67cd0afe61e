import ArgumentParser
import RDBKit

struct Top: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the biggest keys by estimated memory, serialized size or element count, in bounded memory.")

    @Argument(help: "The RDB file (`-` for standard input; gzip is detected).")
    var file: String

    @Option(name: [.customShort("n"), .long], help: "How many keys to list.")
    var count = 20

    @Option(help: "memory (estimated, in a server that loads the file), serialized (bytes in the file) or elements.")
    var by: TopKeys.Ranking = .memory

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @OptionGroup var filters: FilterOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var reader: ReaderOptions

    func run() throws {
        var filter = try filters.makeFilter()
        filter.minBytes = nil  // here --min-bytes is estimated memory
        // Without memory to rank or filter by, the file is read at the structure level.
        let needsMemory = by == .memory || filters.minBytes != nil
        let scan = KeyspaceScan(filter: filter, model: needsMemory ? model.model : nil, minMemory: filters.minBytes)
        var top = TopKeys(count: count, by: by)
        var failure: Error? = nil
        do {
            try scanKeyspace(file, scan, reader: reader) { top.add($0) }
        } catch {
            failure = error
        }
        // A damaged file still gets the list of the keys read before the damage.
        if failure == nil || top.entries.count > 0 {
            let report = TopKeysReport(path: file, ranking: by, modelVersion: needsMemory ? model.modelVersion : nil,
                                       entries: top.entries)
            Console.out(json ? report.json() : report.text())
        }
        if let failure { throw fail(file, failure) }
    }
}
