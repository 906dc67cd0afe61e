import ArgumentParser
import RDBKit

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise RDB and AOF files: version, producer, keys per database, type and encoding, TTLs, biggest keys, checksum; for an AOF its files, commands by name and database, and time span.",
        discussion: """
            Whether an input is an RDB or an AOF is decided by its content: the REDIS/VALKEY magic \
            (an RDB, or an AOF when RESP commands follow the RDB), RESP commands or #TS: annotations \
            (an AOF file), a manifest, or a directory holding one (a multi-part AOF).
            """)

    @Argument(help: "RDB or AOF files, or AOF directories (`-` for an RDB on standard input; gzip is detected).")
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
            if i > 0 && !json { Console.out("\n") }
            status = max(status, isAOF(path) ? inspectAOF(path) : inspectRDB(path))
        }
        if status != ExitStatus.ok { throw ExitCode(status) }
    }

    /// By content (format.md §7): an RDB file goes to the RDB path, which hands over to the AOF
    /// one when RESP follows the RDB.
    private func isAOF(_ path: String) -> Bool {
        guard path != "-", let content = try? AOFLayout.content(of: path) else { return false }
        return content == .directory || content == .manifest || content == .resp
    }

    private func inspectRDB(_ path: String) -> Int32 {
        let result = inspect(path)
        if result.followedByRESP { return inspectAOF(path) }
        if json {
            Console.out(result.report.map { $0.json() } ?? "")
        } else {
            Console.out(result.report?.text() ?? "")
        }
        guard let e = result.error else { return ExitStatus.ok }
        if result.report == nil || json { Console.error("\(path): \(e)") }
        return e.kind == .io ? ExitStatus.unreadable : ExitStatus.of(e)
    }

    private func inspect(_ path: String) -> (report: InspectReport?, error: RDBError?, followedByRESP: Bool) {
        let started = Console.now()
        let opened: Input.Opened
        do { opened = try Input.open(path) } catch let e as RDBError { return (nil, e, false) } catch { return (nil, nil, false) }
        var options = reader.readerOptions
        options.level = .structure
        let rdb = RDBReader(opened: opened, path: path, options: options)
        let input = rdb.input
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
        // An AOF with an RDB preamble (format.md §7.3): marked so, or RESP right after the CRC.
        if failure == nil, path != "-" {
            let next = try? input.peekByte()
            if builder.summary.auxValue("aof-preamble") == "1" || next == UInt8(ascii: "*") || next == UInt8(ascii: "#") {
                return (nil, nil, true)
            }
        }
        let summary = builder.finish(bytesRead: input.offset)
        let report = InspectReport(path: path, fileSize: opened.fileSize, isGzip: opened.isGzip,
                                   elapsedSeconds: Console.now() - started, summary: summary, error: failure)
        return (report, failure, false)
    }

    private func inspectAOF(_ path: String) -> Int32 {
        let started = Console.now()
        let aof: AOFReader
        do {
            var options = AOFReader.Options(rdb: reader.readerOptions)
            options.rdb.level = .structure
            aof = try AOFReader(path: path, options: options)
        } catch {
            Console.error(error.file == path ? "\(error)" : "\(path): \(error)")
            return ExitStatus.of(error)
        }
        var builder = AOFSummaryBuilder(layout: aof.layout, topCount: topCount)
        var done: Int64 = 0
        var previous: AOFPart? = nil
        var failure: AOFError? = nil
        do {
            try aof.read { event in
                if case .file(let part) = event {
                    done += previous?.size ?? 0
                    previous = part
                }
                builder.consume(event)
            }
        } catch let e as AOFError {
            failure = e
        } catch {
            failure = AOFError(.io, file: path, at: 0, expected: "readable input", found: "\(error)")
        }
        let bytes = done + (failure == nil ? previous?.size ?? 0 : aof.currentInput?.offset ?? 0)
        let report = AOFInspectReport(summary: builder.finish(bytesRead: bytes), elapsedSeconds: Console.now() - started,
                                      error: failure)
        Console.out(json ? report.json() : report.text())
        guard let failure else { return ExitStatus.ok }
        if json { Console.error("\(path): \(failure)") }
        return ExitStatus.of(failure)
    }
}
