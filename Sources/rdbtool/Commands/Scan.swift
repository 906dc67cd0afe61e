#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import RDBKit

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find every RDB and AOF under some directories, by content, and say what each holds and whether it is intact.",
        discussion: """
            Every file is looked at (its first bytes: magic, RESP, manifest), whatever its name; the persistence files \
            are then read in full and verified. Temporary files of saves that did not finish are explained. \
            Exit status: 0 every file intact (warnings allowed), 1 damage found in a file, 2 usage, \
            3 something could not be read, 4 unsupported version or feature; the highest found.
            """)

    @Argument(help: "Directories (or files) to scan.")
    var paths: [String]

    @Flag(help: "One JSON object per persistence file, one per line (docs: scan --json).")
    var json = false

    @Flag(name: .shortAndLong, help: "Print nothing: the exit status says it all.")
    var quiet = false

    @Option(name: .shortAndLong, help: "Files looked at and read in parallel (threads). Default: the number of cores.")
    var jobs: Int?

    @Option(help: "Judge expiry at this time (Unix seconds, <ms>ms, or ISO-8601 UTC). Default: now.")
    var now: TimeArgument?

    @OptionGroup var reader: ReaderOptions

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let verify = VerifyOptions(nowMs: now?.ms ?? Console.wallClockMs(), allowNewer: reader.allowNewer)
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let (entries, summary) = PersistenceScanner.run(paths, options: ScanOptions(jobs: jobs ?? max(1, cores), verify: verify))
        for w in summary.warnings { Console.error("\(w)") }
        if !quiet {
            Console.out(json ? entries.map { $0.json() }.joined() : ScanReport.text(entries, summary))
        }
        var status = summary.hasUnreadable ? ExitStatus.unreadable : ExitStatus.ok
        for e in entries { status = max(status, exitStatus(e.verdict)) }
        if status != ExitStatus.ok { throw ExitCode(status) }
    }

    private func exitStatus(_ v: VerifyResult.Verdict) -> Int32 {
        switch v {
        case .clean, .warnings: ExitStatus.ok
        case .damaged: ExitStatus.damaged
        case .unreadable: ExitStatus.unreadable
        case .unsupported: ExitStatus.unsupported
        }
    }
}
