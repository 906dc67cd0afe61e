import ArgumentParser
import RDBKit

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check RDB and AOF files: checksum, full structure, duplicate keys and more; locate any damage.",
        discussion: "Inputs are RDB files or AOFs (a file, an appendonlydir/ or its manifest), told apart by content. Exit status: 0 clean (warnings allowed unless --strict), 1 damaged, 2 usage, 3 unreadable, 4 unsupported version or feature; the highest over all files. With --fix-to or --salvage: 0 once the copy is written.")

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
    var duplicateKeyMemory = 2

    @Option(name: .customLong("fix-to"), help: ArgumentHelp(
        "Write a repaired copy of one AOF: its last file cut at the end of its last complete command (a directory: a new directory with its manifest).",
        valueName: "out"))
    var fixTo: String?

    @Option(help: "With --fix-to: cut the last file at its first #TS: annotation later than this (Unix seconds, <ms>ms, or ISO-8601 UTC).")
    var until: TimeArgument?

    @Option(help: ArgumentHelp("Write every intact key of one RDB file to a new, valid RDB, skipping damaged records.",
                               valueName: "out.rdb"))
    var salvage: String?

    @OptionGroup var reader: ReaderOptions

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if fixTo != nil && files.count != 1 { throw ValidationError("--fix-to takes exactly one AOF") }
        if until != nil && fixTo == nil { throw ValidationError("--until needs --fix-to") }
        if salvage != nil && files.count != 1 { throw ValidationError("--salvage takes exactly one RDB file") }
        if salvage != nil && fixTo != nil { throw ValidationError("--salvage is for RDB files, --fix-to for AOFs: use one") }
        guard duplicateKeyMemory >= 1 else { throw ValidationError("--duplicate-key-memory must be at least 1 (MiB)") }
    }

    func run() throws {
        var options = VerifyOptions(nowMs: now?.ms ?? Console.wallClockMs(), allowNewer: reader.allowNewer,
                                    hexdumpRadius: hexdump ? 64 : 0)
        options.duplicateKeyMemory = duplicateKeyMemory << 20
        options.untilMs = until?.ms
        if let fixTo { return try repair(files[0], to: fixTo, options: options) }
        if let salvage { return try writeSalvage(files[0], to: salvage, options: options) }
        var status = ExitStatus.ok
        VerifyBatch.run(files, jobs: jobs, verifier: Verifier(options: options)) { _, result in
            if !quiet { Console.out(json ? result.json() : result.text()) }
            status = max(status, exitStatus(result))
        }
        if status != ExitStatus.ok { throw ExitCode(status) }
    }

    /// Verifies one AOF and writes its repaired copy: exit 0 once the copy is written (as
    /// `redis-check-aof --fix`), the damage's status when no cut can repair it.
    private func repair(_ path: String, to output: String, options: VerifyOptions) throws {
        guard DatasetSource.isAOF(path) else {
            Console.error("\(path): --fix-to repairs AOFs; this is not one (an RDB file, or unreadable)")
            throw ExitCode(ExitStatus.usage)
        }
        let result = Verifier(options: options).verifyAOF(path: path)
        if !quiet { Console.out(json ? result.json() : result.text()) }
        do {
            let plan = try AOFRepair.plan(result, output: output)
            if let layout = result.layout { try plan.write(layout) }
            guard !quiet else { return }
            if let cut = plan.cut {
                Console.error("\(output): written; \(cut.file) cut at offset \(cut.offset) (\(cut.reason)), \(cut.size - cut.offset) bytes dropped")
            } else {
                Console.error("\(output): written; nothing to cut")
            }
        } catch let e as AOFRepairError {
            Console.error("\(path): no repaired copy: \(e)")
            if e.kind == .outputExists { throw ExitCode(ExitStatus.usage) }
            throw ExitCode(result.failure.map(ExitStatus.of) ?? ExitStatus.damaged)
        } catch {
            throw fail(output, error)
        }
    }

    /// Verifies one RDB file and writes its intact keys to `output`: exit 0 once written.
    private func writeSalvage(_ path: String, to output: String, options: VerifyOptions) throws {
        guard !DatasetSource.isAOF(path) else {
            Console.error("\(path): --salvage reads RDB files; for an AOF use --fix-to")
            throw ExitCode(ExitStatus.usage)
        }
        let result = Verifier(options: options).verify(path: path)
        if !quiet { Console.out(json ? result.json() : result.text()) }
        do {
            let report = try RDBSalvage().salvage(path, to: output)
            if !quiet { Console.error(report.text().dropLast().description) }
        } catch {
            throw fail(path, error)
        }
    }

    private func exitStatus(_ outcome: VerifyOutcome) -> Int32 {
        switch outcome {
        case .rdb(let r): if let e = r.failure { return ExitStatus.of(e) }
        case .aof(let r): if let e = r.failure { return ExitStatus.of(e) }
        }
        return strict && outcome.warningCount > 0 ? ExitStatus.damaged : ExitStatus.ok
    }
}
