import ArgumentParser
import RDBKit

/// Options every command that reads an AOF shares.
struct AOFOptions: ParsableArguments {
    @Flag(help: "Refuse a truncated last command, an unclosed MULTI or a zero-filled tail instead of reading the complete part before it (what aof-load-truncated yes does).")
    var strict = false

    @Flag(help: "Read files whose line endings are \\n (or \\r\\r\\n) instead of \\r\\n, with a warning; servers refuse them.")
    var tolerateLineFeeds = false

    @Flag(help: "Try to read an RDB preamble or base of a version newer than this build knows.")
    var allowNewer = false

    func readerOptions(level: RDBReader.Level) -> AOFReader.Options {
        AOFReader.Options(strict: strict, tolerateLineFeeds: tolerateLineFeeds,
                          rdb: RDBReader.Options(allowNewer: allowNewer, level: level))
    }
}
