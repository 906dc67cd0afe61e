import ArgumentParser
import RDBKit

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise RDB files: version, producer, keys per database, type and encoding, TTLs, biggest keys, checksum.")

    @Argument(help: "RDB files to read (`-` for standard input; gzip is detected).")
    var files: [String]

    @Option(help: "Judge expiry at this time (Unix seconds, <ms>ms, or ISO-8601 UTC). Default: the file's ctime.")
    var now: TimeArgument?

    @Option(name: .customLong("top"), help: "How many of the biggest keys to list.")
    var topCount = 10

    @Flag(help: "Print one JSON object per file (the README documents its shape).")
    var json = false

    @OptionGroup var reader: ReaderOptions

    func run() throws {
        var status = ExitStatus.ok
        for (i, path) in files.enumerated() {
            let result = inspect(path)
            if json {
                Console.out(result.report.map { $0.json() } ?? "")
            } else {
                if i > 0 { Console.out("\n") }
                Console.out(result.report?.text() ?? "")
            }
            if let e = result.error {
                if result.report == nil || json { Console.error("\(path): \(e)") }
                status = max(status, e.kind == .io ? ExitStatus.unreadable : ExitStatus.of(e))
            }
        }
        if status != ExitStatus.ok { throw ExitCode(status) }
    }

    private func inspect(_ path: String) -> (report: InspectReport?, error: RDBError?) {
        let started = Console.now()
        let opened: Input.Opened
        do { opened = try Input.open(path) } catch let e as RDBError { return (nil, e) } catch { return (nil, nil) }
        let input = BufferedReader(opened.source)
        var options = reader.readerOptions
        options.level = .structure
        let rdb = RDBReader(input: input, options: options)
        var builder = FileSummaryBuilder(topCount: topCount, nowMs: now?.ms)
        let progress = Progress(total: opened.fileSize)
        var failure: RDBError? = nil
        do {
            try rdb.read { event in
                builder.consume(event)
                if case .keyShape = event { progress.update(input.offset) }
            }
        } catch let e as RDBError {
            failure = e
        } catch {
            failure = RDBError(.io, at: input.offset, expected: "readable input", found: "\(error)")
        }
        progress.finish()
        let summary = builder.finish(bytesRead: input.offset)
        let report = InspectReport(path: path, fileSize: opened.fileSize, isGzip: opened.isGzip,
                                   elapsedSeconds: Console.now() - started, summary: summary, error: failure)
        return (report, failure)
    }
}
