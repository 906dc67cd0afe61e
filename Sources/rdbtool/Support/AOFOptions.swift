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

extension AOFOptions {
    /// The write history of `crash-report` and `plan`: `aof` replayed once, its warnings and
    /// tail on standard error. A history that cannot be replayed exits 1, one with more keys
    /// than the timeline numbers exits 4.
    func timeline(_ aof: String) throws -> WriteTimeline {
        let timeline = try replaying(aof) { try WriteTimeline(path: aof, options: readerOptions(level: .values)) }
        report(aof, warnings: timeline.warnings, tails: timeline.tails)
        return timeline
    }

    /// Runs a replay of `aof`, mapping its errors to exit statuses as `timeline` does.
    func replaying<T>(_ aof: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as ReplayError {
            Console.error("\(aof): \(e)")
            throw ExitCode(ExitStatus.damaged)
        } catch let e as CrashError {
            Console.error("\(aof): \(e)")
            throw ExitCode(ExitStatus.unsupported)
        } catch {
            throw fail(aof, error)
        }
    }

    func report(_ aof: String, warnings: [AOFWarning], tails: [AOFTail]) {
        for w in warnings { Console.error("\(aof): warning: \(w)") }
        for t in tails { Console.error("\(aof): \(t)") }
    }
}
