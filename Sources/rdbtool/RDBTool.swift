import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

@main
struct RDBTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rdbtool",
        abstract: "Inspect, dump and check Redis and Valkey persistence files (RDB and AOF).",
        subcommands: [Inspect.self, Dump.self, Verify.self]
    )

    static func main() {
        // A closed pipe (`rdbtool dump | head`) must end output quietly, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            // swift-argument-parser exits 64 (EX_USAGE) for a bad command line; ours is 2.
            if exitCode(for: error) == .validationFailure {
                var text = fullMessage(for: error) + "\n"
                text.withUTF8 { p in _ = write(2, p.baseAddress, p.count) }
                Glibc.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}
