import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

@main
struct RDBTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rdbtool",
        abstract: "Inspect, dump and check Redis and Valkey persistence files (RDB and AOF).",
        subcommands: [Inspect.self, Dump.self, Memory.self, Top.self, Prefixes.self, Report.self]
    )

    static func main() {
        // A closed pipe (`rdbtool dump | head`) must end output quietly, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        main(nil)
    }
}
