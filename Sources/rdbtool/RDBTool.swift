import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

@main
struct RDBTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rdbtool",
        abstract: "Inspect, dump and check Redis and Valkey persistence files (RDB and AOF).",
        discussion: """
            rdbtool reads every RDB version Redis (1 to 15) and Valkey (REDIS0011, VALKEY080, VALKEY081) write, \
            front to back in bounded memory, from a path, standard input (-) or gzip (detected by its magic).
            """,
        subcommands: [Inspect.self, Dump.self, Verify.self, Diff.self, Memory.self, Top.self, Prefixes.self, Report.self,
                      AOF.self, AOFToRDB.self, Scan.self, CrashReportCommand.self, Plan.self]
    )

    static func main() {
        // A closed pipe (`rdbtool dump | head`) must end output quietly, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            // swift-argument-parser exits 64 on bad usage; rdbtool documents 2 for every command.
            if exitCode(for: error) == .validationFailure {
                Console.error(fullMessage(for: error))
                Glibc.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}
