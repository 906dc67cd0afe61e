import ArgumentParser

@main
struct RDBTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rdbtool",
        abstract: "Inspect, dump and check Redis and Valkey persistence files (RDB and AOF).",
        subcommands: [Inspect.self]
    )
}
