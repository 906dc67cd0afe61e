import ArgumentParser
import RDBKit

extension PersistencePolicy.Fsync: ExpressibleByArgument {}
extension PersistencePolicy.Failure: ExpressibleByArgument {}

/// `--at`: an absolute time, or a time of day on the history's date.
struct CrashTimeArgument: ExpressibleByArgument {
    enum Value { case absolute(Int64), timeOfDay(Int64) }
    var value: Value
    init?(argument: String) {
        if let t = UTCTime.parseTimeOfDay(argument) { value = .timeOfDay(t) }
        else if let t = UTCTime.parse(argument) { value = .absolute(t) }
        else { return nil }
    }
    static var defaultValueDescription: String { "TIME" }
}

struct CrashReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash-report",
        abstract: "Which writes a crash at a given time would lose under a persistence configuration.",
        discussion: """
            The write history is an AOF (file or appendonlydir/), best with #TS: annotations \
            (aof-timestamp-enabled yes). The save-point rule of serverCron, snapshot forks and \
            completions, and the AOF fsync policy are simulated over it; the report gives the recovery \
            point, the lost writes and what each affected key looks like after recovery versus at the \
            crash. Writes whose fate the evidence cannot settle (commands of one second are not ordered, \
            fsync timing) are reported as likely or possibly lost, never as certain. The model is \
            described in the man page (CRASH MODEL).
            """)

    @Option(help: "The write history: an AOF file, an appendonlydir/ directory, or its manifest.")
    var aof: String

    @Option(help: "An RDB snapshot actually taken (repeatable): its ctime anchors when a snapshot forked.")
    var rdb: [String] = []

    @Option(help: "The dump.rdb in place at the crash (the file a restart loads): its snapshot is the last one taken; its content and ctime say which writes it holds.")
    var rdbAtCrash: String?

    @Option(help: "A redis.conf to read save, appendonly, appendfsync, aof-use-rdb-preamble and aof-timestamp-enabled from.")
    var config: String?

    @Option(help: "Save points, as in redis.conf: \"900 1 300 10\"; \"\" for none. Default: 3600 1 300 100 60 10000.")
    var save: String?

    @Option(help: "appendonly: yes or no. Default: no.")
    var appendonly: String?

    @Option(help: "appendfsync: always, everysec or no. Default: everysec.")
    var appendfsync: PersistencePolicy.Fsync?

    @Option(help: "The crash time: Unix seconds, <ms>ms, ISO-8601 UTC, or a time of day (10:04:05.5) on the history's last date.")
    var at: CrashTimeArgument

    @Option(help: "process: the process dies, what it wrote to the kernel survives; power: only what reached the disk survives.")
    var failure: PersistencePolicy.Failure = .power

    @Option(help: "When the server started (its lastsave at the start of the history). Default: the first write.")
    var started: TimeArgument?

    @Option(help: "How long a snapshot takes, in seconds. Default: estimated from the dataset's size.")
    var bgsaveSeconds: Double?

    @Option(help: "Make the first snapshot forked at or after this time fail (repeatable).")
    var bgsaveFailsAt: [TimeArgument] = []

    @Option(help: "Lost commands and affected keys listed in full.")
    var limit = 20

    @Flag(help: "Also show the same crash under each standard configuration, side by side.")
    var compare = false

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(help: "Also write a self-contained HTML page (timeline chart, lost writes, affected keys) to this file.")
    var html: String?

    @Option(help: "Write the dataset as it would come back after the restart to this RDB file.")
    var writeRecovered: String?

    @OptionGroup var aofOptions: AOFOptions

    enum OutputFormat: String, ExpressibleByArgument { case text, json }

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit must be 0 or more") }
        if let a = appendonly, !["yes", "no"].contains(a.lowercased()) { throw ValidationError("--appendonly takes yes or no") }
        if let s = save { do { _ = try PersistencePolicy.parseSave(s) } catch { throw ValidationError("--save: \(error.message)") } }
        if let b = bgsaveSeconds, !(b >= 0 && b < 1e9) { throw ValidationError("--bgsave-seconds must be a non-negative number") }
    }

    /// The configuration file first, then the options over it.
    func resolvedPolicy() throws -> PersistencePolicy {
        var p = PersistencePolicy()
        if let config { p = try PersistencePolicy.readConfig(path: config) }
        if let save { p.savePoints = try PersistencePolicy.parseSave(save); p.notes.removeAll { $0.contains("no save lines") } }
        if let a = appendonly { p.appendOnly = a.lowercased() == "yes" }
        if let f = appendfsync { p.appendFsync = f }
        return p
    }

    func run() throws {
        let policy: PersistencePolicy
        do { policy = try resolvedPolicy() } catch let e as CrashError {
            Console.error("\(e)")
            throw ExitCode(ExitStatus.of(e))
        }
        let timeline = try aofOptions.timeline(aof)

        let crashMs: Int64
        switch at.value {
        case .absolute(let t): crashMs = t
        case .timeOfDay(let t):
            guard let span = timeline.span else {
                Console.error("--at: a time of day needs a history with times; give a date and time")
                throw ExitCode(ExitStatus.usage)
            }
            crashMs = UTCTime.midnight(ofMs: span.last) + t
        }
        func creationTime(_ path: String) throws -> Int64 {
            do {
                guard let c = try SnapshotSimulator.creationTime(ofRDB: path) else {
                    Console.error("\(path): no ctime AUX field: the snapshot cannot be placed in time")
                    throw ExitCode(ExitStatus.damaged)
                }
                return c
            } catch let e as ExitCode { throw e } catch { throw fail(path, error) }
        }
        var settings = CrashModel.Settings(policy: policy, failure: failure)
        settings.startedSeconds = started.map { $0.ms / 1000 }
        settings.observedForks = try rdb.map(creationTime)
        if let rdbAtCrash {
            let ctime = try creationTime(rdbAtCrash)
            settings.inPlaceAtCrash = ctime
            do { settings.inPlaceHolds = try SnapshotMatch.heldPrefixes(ofRDB: rdbAtCrash, ctime: ctime, timeline: timeline) }
            catch let e as ReplayError {
                Console.error("\(aof): \(e)")
                throw ExitCode(ExitStatus.damaged)
            } catch { throw fail(rdbAtCrash, error) }
        }
        settings.failuresMs = bgsaveFailsAt.map(\.ms)
        settings.bgsaveMs = bgsaveSeconds.map { Int64(($0 * 1000).rounded()) }
        let model = CrashModel(timeline: timeline, settings: settings, untilSeconds: crashMs / 1000 + 1)
        let outcome = model.evaluate(atMs: crashMs)

        var writeOptions: (path: String, options: RDBWriter.Options)?
        if let writeRecovered {
            var o = RDBWriter.Options(version: 10)
            o.creationTime = crashMs / 1000
            writeOptions = (writeRecovered, o)
        }
        let details: CrashDetails
        do {
            details = try CrashDetails(model: model, outcome: outcome, limit: limit, keyLimit: limit, writeRecovered: writeOptions)
        } catch let e as ReplayError {
            Console.error("\(aof): \(e)")
            throw ExitCode(ExitStatus.damaged)
        } catch {
            throw fail(writeRecovered ?? aof, error)
        }
        var report = CrashReport(model: model, outcome: outcome, details: details)
        if compare {
            report.comparison = PersistencePolicy.standard.map { entry in
                var s = settings
                s.policy = entry.policy
                // The file in place at the crash came from the actual configuration's saves.
                s.inPlaceAtCrash = nil
                return (entry.name, CrashModel(timeline: timeline, settings: s, untilSeconds: crashMs / 1000 + 1).evaluate(atMs: crashMs))
            }
        }
        if let html {
            do { try AtomicFile.write(Array(report.html().utf8), to: html) } catch { throw fail(html, error) }
        }
        Console.out(format == .json ? report.json(limit: limit) : report.text())
    }
}
