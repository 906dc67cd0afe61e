import ArgumentParser

/// `rdbtool aof ...`: commands that read append-only files.
struct AOF: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aof",
        abstract: "Read append-only files: single files, files with an RDB preamble, or Redis 7+ appendonlydir/ directories.",
        subcommands: [AOFLog.self]
    )
}
