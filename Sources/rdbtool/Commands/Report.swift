import ArgumentParser
import RDBKit

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a self-contained HTML page about the keyspace: summary, memory by type and encoding, prefix treemap, biggest keys, TTL histogram.")

    @Argument(help: "The RDB file (`-` for standard input; gzip is detected).")
    var file: String

    @Option(help: "Where to write the page (written to a temporary file, then renamed into place).")
    var html: String

    @Option(help: "Judge expiry at this time (Unix seconds, <ms>ms, or ISO-8601 UTC). Default: the file's ctime.")
    var now: TimeArgument?

    @Option(help: "How many of the biggest keys to list.")
    var top = 50

    @Option(help: "What separates the parts of a key, for the prefix treemap.")
    var separator = ":"

    @Option(help: "Prefixes kept in all, shared evenly by the two treemap depths (bounds memory).")
    var maxPrefixes = 100_000

    @OptionGroup var model: ModelOptions
    @OptionGroup var reader: ReaderOptions

    func validate() throws {
        guard !separator.isEmpty else { throw ValidationError("--separator must not be empty") }
        guard maxPrefixes >= 1 else { throw ValidationError("--max-prefixes must be at least 1") }
    }

    func run() throws {
        let scan = KeyspaceScan(filter: try KeyFilter(), model: model.model)
        var summary = FileSummaryBuilder(topCount: 0, nowMs: now?.ms)
        var breakdown = MemoryBreakdown()
        var biggest = TopKeys(count: top, by: .memory)
        var prefixes = PrefixAggregator(separator: Array(separator.utf8), depth: 2, maxPrefixes: maxPrefixes)
        var fileSize: Int64? = nil
        do {
            fileSize = try scanKeyspace(file, scan, reader: reader, events: { summary.consume($0) }) { k in
                summary.consume(.keyShape(k.shape))
                breakdown.add(k)
                biggest.add(k)
                prefixes.add(k)
            }
        } catch {
            throw fail(file, error)
        }
        let report = HTMLReport(path: file, fileSize: fileSize, summary: summary.finish(bytesRead: 0), memory: breakdown,
                                top: biggest.entries, prefixes: PrefixReport(path: file, aggregator: prefixes, limit: nil),
                                modelVersion: model.modelVersion)
        do {
            try AtomicFile.write(Array(report.render().utf8), to: html)
        } catch {
            throw fail(html, error)
        }
        Console.error("wrote \(html)")
    }
}
