import ArgumentParser
import RDBKit

/// Options every command that reads an RDB shares.
struct ReaderOptions: ParsableArguments {
    @Flag(help: "Try to read an RDB version newer than this build knows instead of refusing it.")
    var allowNewer = false

    var readerOptions: RDBReader.Options { RDBReader.Options(allowNewer: allowNewer) }
}

/// A `--now` time: Unix seconds, `<ms>ms`, or ISO-8601 UTC.
struct TimeArgument: ExpressibleByArgument {
    var ms: Int64
    init?(argument: String) {
        guard let v = UTCTime.parse(argument) else { return nil }
        ms = v
    }
    static var defaultValueDescription: String { "TIME" }
}
