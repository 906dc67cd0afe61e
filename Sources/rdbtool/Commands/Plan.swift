import ArgumentParser
import RDBKit

/// `--max-loss`: a time window such as 1s or 500ms.
struct LossGoalArgument: ExpressibleByArgument {
    var goal: PlanGoal
    init?(argument: String) {
        guard let g = PlanGoal.parseLoss(argument) else { return nil }
        goal = g
    }
    static var defaultValueDescription: String { "TIME" }
}

/// `--max-cow`: a size such as 2GB or 512mb.
struct COWGoalArgument: ExpressibleByArgument {
    var goal: PlanGoal
    init?(argument: String) {
        guard let g = PlanGoal.parseCOW(argument) else { return nil }
        goal = g
    }
    static var defaultValueDescription: String { "SIZE" }
}

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Weigh persistence configurations against a real write history: loss, snapshot cost, disk traffic, restart time.",
        discussion: """
            The history is a timestamped AOF (aof-timestamp-enabled yes), replayed once. For each candidate \
            configuration the crash-loss model of crash-report is evaluated at every second of the period, for \
            a killed process and for a power failure; snapshots are simulated by the save-point rule, each \
            costed for its fork pause and copy-on-write (a range, from the keys written while it runs and \
            the memory model of --rdb); AOF traffic includes automatic rewrites. The model is described in \
            the man page (PLAN MODEL).
            """)

    @Option(help: "The write history: an AOF file, an appendonlydir/ directory, or its manifest.")
    var aof: String

    @Option(help: "The RDB the history starts from: its keys' modelled memory and its file size.")
    var rdb: String?

    @Option(help: "The server's redis.conf: added as the first candidate; its auto-aof-rewrite settings apply to every candidate.")
    var config: String?

    @Option(help: "The configurations to weigh: default, or a file of NAME: directive; directive lines.")
    var candidates = "default"

    @Option(help: "A goal (repeatable): the largest time window a power failure may lose, e.g. 1s or 500ms.")
    var maxLoss: [LossGoalArgument] = []

    @Option(help: "A goal (repeatable): the largest copy-on-write a snapshot may cost, e.g. 2GB.")
    var maxCow: [COWGoalArgument] = []

    @Option(help: "When the server started (its lastsave at the start of the history). Default: the first write.")
    var started: TimeArgument?

    @Option(help: "How long a snapshot takes, in seconds. Default: estimated from the dataset's size.")
    var bgsaveSeconds: Double?

    @Option(help: "Fork pause per GB of dataset, in ms.")
    var forkMsPerGb = SnapshotCost.defaultForkMsPerGB

    @Option(help: "RDB load rate for the restart estimate, MB/s.")
    var rdbLoadMbps = RestartEstimate.defaultRDBBytesPerSecond / 1e6

    @Option(help: "AOF command replay rate for the restart estimate, MB/s.")
    var aofLoadMbps = RestartEstimate.defaultAOFBytesPerSecond / 1e6

    @Option(help: "Output format: text or json.")
    var format: CrashReportCommand.OutputFormat = .text

    @Option(help: "Also write a self-contained HTML page with loss curves and cost bars to this file.")
    var html: String?

    @OptionGroup var aofOptions: AOFOptions

    func validate() throws {
        if let b = bgsaveSeconds, !(b >= 0 && b < 1e9) { throw ValidationError("--bgsave-seconds must be a non-negative number") }
        for (name, v) in [("--fork-ms-per-gb", forkMsPerGb), ("--rdb-load-mbps", rdbLoadMbps), ("--aof-load-mbps", aofLoadMbps)]
        where !(v > 0 && v < 1e12) {
            throw ValidationError("\(name) must be a positive number")
        }
    }

    func resolvedCandidates() throws(CrashError) -> [PlanCandidate] {
        var list = candidates == "default" ? PlanCandidate.defaults : try PlanCandidate.read(path: candidates)
        if let config {
            let server = try PlanCandidate.readConfig(path: config)
            list = [server] + list.map {
                var c = $0
                c.rewrite = server.rewrite
                return c
            }
        }
        return list
    }

    func run() throws {
        let list: [PlanCandidate]
        do { list = try resolvedCandidates() } catch {
            Console.error("\(error)")
            throw ExitCode(ExitStatus.of(error))
        }
        var settings = PersistencePlan.Settings()
        settings.startedSeconds = started.map { $0.ms / 1000 }
        settings.bgsaveMs = bgsaveSeconds.map { Int64(($0 * 1000).rounded()) }
        settings.forkMsPerGB = forkMsPerGb
        settings.rdbLoadBytesPerSecond = rdbLoadMbps * 1e6
        settings.aofLoadBytesPerSecond = aofLoadMbps * 1e6
        if let rdb {
            // Read first: each save's copy-on-write is costed when the save ends, during the replay.
            do {
                settings.sizes = try KeySizes(rdb: rdb)
                settings.rdbBytes = settings.sizes.fileBytes
            } catch { throw fail(rdb, error) }
        }
        let plan = try aofOptions.replaying(aof) {
            try PersistencePlan(path: aof, options: aofOptions.readerOptions(level: .values), candidates: list, settings: settings)
        }
        aofOptions.report(aof, warnings: plan.history.warnings, tails: plan.history.tails)
        guard plan.history.span != nil else {
            Console.error("\(aof): the history has no timed commands (aof-timestamp-enabled yes writes #TS: annotations)")
            throw ExitCode(ExitStatus.damaged)
        }
        if plan.history.timing == .evidence {
            Console.error("\(aof): warning: no #TS: annotations: every instant between the files' time bounds is evaluated, and the losses are as uncertain as those bounds")
        }
        let report = PlanReport(plan: plan, goals: maxLoss.map(\.goal) + maxCow.map(\.goal), source: aof)
        if let html {
            do { try AtomicFile.write(Array(report.html().utf8), to: html) } catch { throw fail(html, error) }
            Console.error("wrote \(html)")
        }
        Console.out(format == .json ? report.json() : report.text())
    }
}
