import ArgumentParser
import RDBKit

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two datasets by meaning: keys added, removed, and changed in type, value or TTL.",
        discussion: "Encodings, compression, hash-table order, LRU/LFU and AUX fields are not differences "
            + "(--with-metadata lists them apart). Exit status as diff(1): 0 same, 1 different, 2 trouble.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, jsonl }
    enum Color: String, ExpressibleByArgument, CaseIterable { case auto, always, never }

    @Argument(help: "Side A: an RDB file (`-` for standard input; gzip is detected), or an AOF file or directory.")
    var a: String

    @Argument(help: "Side B: an RDB file (`-` for standard input; gzip is detected), or an AOF file or directory.")
    var b: String

    @Flag(help: "Treat TTLs (and hash field TTLs) as equal whatever they are.")
    var ignoreTTL = false

    @Option(help: "TTLs closer than this are equal (ms, or with a unit: 500ms, 2s, 1m).")
    var ttlTolerance: DurationArgument?

    @Option(name: .customLong("ignore"), help: "An element field whose differences do not count: seen_time_ms, active_time_ms, delivery_time_ms, delivery_count or entries_read (repeatable).")
    var ignoredFields: [String] = []

    @Flag(help: "Compare which keys exist and their types only.")
    var keysOnly = false

    @Flag(help: "Print only the summary line.")
    var stat = false

    @Flag(help: "Also list differences that are not data: encodings, LRU/LFU, AUX fields, format.")
    var withMetadata = false

    @Option(help: "text (a line per key, details indented, then a summary) or jsonl (one object per changed key).")
    var format: Format = .text

    @Option(help: "Colour text output: auto (when stdout is a terminal), always, never.")
    var color: Color = .auto

    @Option(help: "Element differences shown per key before the rest is counted.")
    var detailLimit = 20

    @OptionGroup var filters: FilterOptions

    @OptionGroup var reader: ReaderOptions

    func validate() throws {
        if a == "-" && b == "-" { throw ValidationError("only one side can be standard input") }
    }

    func run() throws {
        var options = DiffOptions()
        options.ignoreTTL = ignoreTTL
        options.ttlToleranceMs = ttlTolerance?.ms ?? 0
        options.keysOnly = keysOnly
        options.detailLimit = detailLimit
        options.withMetadata = withMetadata
        options.allowNewer = reader.allowNewer
        options.ignoredFields = Set(ignoredFields)
        let filter = try filters.makeFilter()
        let result: DiffResult
        do {
            result = try DiffEngine(options: options, filter: filter).diff(a, b)
        } catch {
            // diff(1) convention: trouble is 2, whatever the cause.
            _ = fail("\(a) vs \(b)", error)
            throw ExitCode(2)
        }
        let report = DiffReport(result: result, color: color == .always || (color == .auto && Console.stdoutIsTerminal))
        if stat {
            Console.out(report.summary() + "\n")
        } else if format == .jsonl {
            Console.out(String(decoding: report.jsonl(), as: UTF8.self))
        } else {
            Console.out(report.text())
        }
        if !result.isEmpty { throw ExitCode(1) }
    }
}

/// A duration: milliseconds, or a number with ms, s, m or h.
struct DurationArgument: ExpressibleByArgument {
    var ms: Int64
    init?(argument: String) {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, scale) in units where argument.hasSuffix(suffix) {
            guard let v = Double(argument.dropLast(suffix.count)), v >= 0 else { return nil }
            ms = Int64(v * Double(scale))
            return
        }
        guard let v = Int64(argument), v >= 0 else { return nil }
        ms = v
    }
}
