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
        let timeline: WriteTimeline
        do {
            timeline = try WriteTimeline(path: aof, options: readerOptions(level: .values))
        } catch let e as ReplayError {
            Console.error("\(aof): \(e)")
            throw ExitCode(ExitStatus.damaged)
        } catch let e as CrashError {
            Console.error("\(aof): \(e)")
            throw ExitCode(ExitStatus.unsupported)
        } catch {
            throw fail(aof, error)
        }
        for w in timeline.warnings { Console.error("\(aof): warning: \(w)") }
        for t in timeline.tails { Console.error("\(aof): \(t)") }
        return timeline
    }
}
