#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import RDBKit

struct AOFToRDB: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aof-to-rdb",
        abstract: "Replay an AOF offline and write the RDB a server would hold after loading it.",
        discussion: """
            The RDB preamble or base is the starting dataset; every command is then applied with \
            Redis's semantics. Keys whose absolute expiry is past at --now (default: the time of the \
            last command) are dropped, as a server drops them on load. The output is written to a \
            temporary file and renamed into place; it is never written over an input.
            """)

    @Argument(help: "An AOF file, an appendonlydir/ directory, or its manifest.")
    var input: String

    @Option(name: .shortAndLong, help: "The RDB file to write.")
    var output: String

    @Option(help: "Stop after the last command annotated at or before this time (point-in-time recovery).")
    var until: TimeArgument?

    @Option(help: "RDB version to write, 9 to 12. Default: the version of the AOF's producer when known, else 10 (12 when hash fields have TTLs).")
    var rdbVersion: Int?

    @Option(help: "Drop keys already expired at this time. Default: the time of the last command read.")
    var now: TimeArgument?

    @Flag(help: "Count commands that cannot be replayed (module commands, pre-5.0 EVAL) instead of stopping at the first.")
    var skipUnsupported = false

    @Flag(help: "Do not LZF-compress strings.")
    var noCompress = false

    @Flag(help: "Drop what the chosen RDB version cannot hold (field TTLs before 12, functions before 10) instead of refusing.")
    var lossy = false

    @OptionGroup var aof: AOFOptions

    func validate() throws {
        if let v = rdbVersion, !RDBWriter.Options.supportedVersions.contains(v) {
            throw ValidationError("--rdb-version must be from 9 to 12")
        }
    }

    func run() throws {
        Malloc.useHugePages()
        let started = Console.now()
        // One malloc arena: the reading and encoding threads then reuse what others freed
        // instead of growing arenas of their own (about 10% more peak memory otherwise).
        Malloc.useOneArena()
        var options = AOFReplay.Options()
        options.reader = aof.readerOptions(level: .values)
        options.skipUnsupported = skipUnsupported
        options.untilMs = until?.ms
        let progress = Progress(total: nil, minimumBytes: 0)
        let replay: AOFReplay
        do {
            replay = try AOFReplay(path: input, options: options) { progress.update(commands: $0) }
        } catch let e as ReplayError {
            progress.finish()
            Console.error("\(input): \(e)")
            throw ExitCode(e.kind == .unsupported ? ExitStatus.unsupported : ExitStatus.damaged)
        } catch {
            progress.finish()
            throw fail(input, error)
        }
        progress.finish()
        let s = replay.summary
        for w in s.warnings { Console.error("\(input): warning: \(w)") }
        for t in s.tails { Console.error("\(input): \(t)") }

        // Unless asked, the producer's version; else 10, or the oldest that holds the data.
        var writerOptions = RDBWriter.Options(version: rdbVersion ?? replay.producerRDBVersion ?? replay.requiredRDBVersion ?? 10)
        writerOptions.compression = !noCompress
        writerOptions.lossy = lossy
        writerOptions.jobs = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        writerOptions.creationTime = (s.lastTimeMs ?? Console.wallClockMs()) / 1000
        let nowMs = now?.ms ?? s.lastTimeMs ?? Console.wallClockMs()
        let written: RDBWriter.Summary
        do {
            written = try replay.writeRDB(path: output, options: writerOptions, nowMs: nowMs)
        } catch {
            throw fail(output, error)
        }
        var lines = ["\(s.commandsRead) commands read, \(s.commandsApplied) applied"
                     + (s.keysFromRDB > 0 ? ", \(s.keysFromRDB) keys from the RDB part" : "")]
        if !s.unsupported.isEmpty {
            let names = s.unsupported.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("skipped (unsupported): \(names); they named \(s.unsupportedKeys) keys")
        }
        lines += s.relativeTTLs.report(clockMs: s.relativeTTLClockMs)
        if s.stoppedAtUntil { lines.append("stopped at --until: later commands not applied") }
        for d in written.dropped { lines.append("dropped: \(d)") }
        lines.append("\(written.keys) keys and \(written.functions) function librar\(written.functions == 1 ? "y" : "ies") written "
                     + "to \(output) (RDB \(writerOptions.version), \(written.bytes) bytes, expiry judged at "
                     + "\(UTCTime.format(seconds: nowMs / 1000))) in \(TextLayout.fixed(Console.now() - started, 2)) s")
        Console.out(lines.joined(separator: "\n") + "\n")
        // The process ends next: freeing millions of keys one by one would only delay the
        // exit, by seconds on a large AOF.
        _ = Unmanaged.passRetained(replay)
    }
}
