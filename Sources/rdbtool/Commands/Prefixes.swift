import ArgumentParser
import RDBKit

struct Prefixes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sum keys, estimated memory and serialized bytes by key prefix, at every depth, largest first.",
        discussion: """
            Memory stays bounded: the depths share --max-prefixes evenly. When a depth's table \
            reaches twice its share, its smaller prefixes are pruned into an "other" row, so totals \
            stay exact while a listed prefix seen again after being pruned is undercounted, by at \
            most the bound the output states.
            """)

    @Argument(help: "The RDB file (`-` for standard input; gzip is detected).")
    var file: String

    @Option(help: "What separates the parts of a key.")
    var separator = ":"

    @Option(help: "Deepest prefix level: `a:b:c:d` counts towards `a:`, `a:b:` and `a:b:c:` at depth 3.")
    var depth = 3

    @Option(help: "Prefixes kept in all, shared evenly by the depths (bounds memory).")
    var maxPrefixes = 100_000

    @Option(help: "Rows shown per depth (0: every prefix kept).")
    var limit = 20

    @Flag(help: "Print one JSON object instead of tables.")
    var json = false

    @OptionGroup var filters: FilterOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var reader: ReaderOptions

    func validate() throws {
        guard !separator.isEmpty else { throw ValidationError("--separator must not be empty") }
        guard depth >= 1, maxPrefixes >= 1, limit >= 0 else {
            throw ValidationError("--depth and --max-prefixes must be at least 1, --limit at least 0")
        }
    }

    func run() throws {
        var filter = try filters.makeFilter()
        filter.minBytes = nil  // here --min-bytes is estimated memory
        let scan = KeyspaceScan(filter: filter, model: model.model, minMemory: filters.minBytes)
        var prefixes = PrefixAggregator(separator: Array(separator.utf8), depth: depth, maxPrefixes: maxPrefixes)
        var failure: Error? = nil
        do {
            try scanKeyspace(file, scan, reader: reader) { prefixes.add($0) }
        } catch {
            failure = error
        }
        // A damaged file still gets the sums of the keys read before the damage.
        if failure == nil || prefixes.all.keys > 0 {
            let report = PrefixReport(path: file, aggregator: prefixes, limit: limit == 0 ? nil : limit)
            Console.out(json ? report.json() : report.text())
        }
        if let failure { throw fail(file, failure) }
    }
}
