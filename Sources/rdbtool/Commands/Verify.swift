import ArgumentParser
import RDBKit

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check RDB and AOF files: checksum, full structure, duplicate keys and more; locate any damage.",
        discussion: "Exit status: 0 clean (warnings allowed unless --strict), 1 damaged, 2 usage, 3 unreadable, 4 unsupported version or feature; the highest over all files.")

    @Argument(help: "RDB files, AOF files, appendonlydir/ directories or manifests (`-` for an RDB on standard input; gzip is detected).")
    var files: [String]

    @Flag(help: "One JSON object per file, one per line (docs: verify --json).")
    var json = false

    @Flag(name: .shortAndLong, help: "Print nothing: the exit status says it all.")
    var quiet = false

    @Flag(help: "Treat warnings (empty collections, expired keys, RESIZEDB mismatches, trailing bytes...) as damage.")
    var strict = false

    @Option(name: .shortAndLong, help: "Files verified in parallel (threads); output stays in argument order.")
    var jobs = 1

    @Option(help: "Judge expiry at this time (Unix seconds, <ms>ms, or ISO-8601 UTC). Default: now.")
    var now: TimeArgument?

    @Flag(help: "Show the bytes around a fault's offset.")
    var hexdump = false

    @Option(help: "MiB of memory for duplicate-key fingerprints before they spill to a temporary file.")
    var duplicateKeyMemory = 4

    @OptionGroup var reader: ReaderOptions

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard duplicateKeyMemory >= 1 else { throw ValidationError("--duplicate-key-memory must be at least 1 (MiB)") }
    }

    func run() throws {
        var options = VerifyOptions(nowMs: now?.ms ?? Console.wallClockMs(), allowNewer: reader.allowNewer,
                                    hexdumpRadius: hexdump ? 64 : 0)
        options.duplicateKeyMemory = duplicateKeyMemory << 20
        var status = ExitStatus.ok
        VerifyBatch.run(files, jobs: jobs, verifier: Verifier(options: options)) { _, result in
            if !quiet { Console.out(json ? result.json() : result.text()) }
            status = max(status, exitStatus(result))
        }
        if status != ExitStatus.ok { throw ExitCode(status) }
    }

    private func exitStatus(_ outcome: VerifyOutcome) -> Int32 {
        switch outcome {
        case .rdb(let r): if let e = r.failure { return ExitStatus.of(e) }
        case .aof(let r): if let e = r.failure { return ExitStatus.of(e) }
        }
        return strict && outcome.warningCount > 0 ? ExitStatus.damaged : ExitStatus.ok
    }
}
