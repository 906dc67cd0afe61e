/// How `scan` works.
public struct ScanOptions: Sendable {
    /// Files looked at and read in parallel (threads).
    public var jobs: Int
    /// How RDB files are verified.
    public var verify: VerifyOptions

    public init(jobs: Int = 1, verify: VerifyOptions = VerifyOptions()) { self.jobs = jobs; self.verify = verify }
}

/// Finds every RDB and AOF under some paths by content, reads each one in full and judges it,
/// and explains the temporary files of saves that did not finish.
///
/// Three steps: list the files (`DirectoryWalker`); look at the start of each, in parallel
/// (`FileClassifier`, a few KB at most); then read the persistence files in full, in parallel,
/// RDBs and AOFs through `Verifier`, as `verify` reads them. The files of a multi-part AOF
/// (its manifest, the parts it lists, and Redis files or temporaries beside them) make one
/// entry. Entries come back sorted by path.
public enum PersistenceScanner {
    public static func run(_ roots: [String], options: ScanOptions) -> (entries: [ScanEntry], summary: ScanSummary) {
        let listing = DirectoryWalker.walk(roots)
        let files = listing.files
        var summary = ScanSummary()
        summary.filesLookedAt = files.count
        summary.directories = listing.directories
        summary.skipped = listing.skipped
        summary.warnings = listing.warnings

        var sniffs: [FileSniff] = []
        sniffs.reserveCapacity(files.count)
        // An empty file says nothing, and is not opened: a size of 0 is also what special files
        // outside /proc report.
        ParallelMap.run(count: files.count, jobs: options.jobs,
                        work: { files[$0].size == 0 ? FileSniff(.notRedis) : FileClassifier.sniff(files[$0].path) }) { _, s in
            sniffs.append(s)
        }
        for (f, s) in zip(files, sniffs) where s.content == .unreadable {
            summary.warnings.append(DirectoryWalker.Warning(kind: .unreadable, path: f.path, message: s.problem ?? "cannot be read"))
        }

        let jobs = plan(files, sniffs)
        let verifier = Verifier(options: options.verify)
        var entries: [ScanEntry] = []
        entries.reserveCapacity(jobs.count)
        ParallelMap.run(count: jobs.count, jobs: options.jobs, work: { analyse(jobs[$0], files: files, sniffs: sniffs, verifier: verifier) }) {
            _, e in entries.append(e)
        }

        var resolver = CrashLeftover.Resolver(entries: entries)
        for i in entries.indices {
            entries[i].leftover = resolver.leftover(at: entries[i].path)
            for j in entries[i].parts.indices where entries[i].parts[j].role == .unlisted {
                entries[i].parts[j].leftover = resolver.leftover(at: entries[i].parts[j].path)
            }
        }
        summary.entries = entries.count
        for e in entries { summary.verdicts[e.verdict, default: 0] += 1 }
        return (entries, summary)
    }

    /// What to read in full: one job per entry, in path order.
    enum Job {
        case rdb(Int)
        case singleAOF(Int)
        /// A manifest and the files beside it that belong to its entry.
        case manifest(Int, beside: Set<String>)
    }

    static func plan(_ files: [DirectoryWalker.File], _ sniffs: [FileSniff]) -> [Job] {
        var byDirectory: [String: [Int]] = [:]
        for (i, f) in files.enumerated() { byDirectory[AOFLayout.directory(of: f.path), default: []].append(i) }
        let index = Dictionary(files.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { a, _ in a })
        func isLeftoverName(_ i: Int) -> Bool { CrashLeftover.kind(ofName: AOFLayout.baseName(files[i].path)) != nil }
        func isRedis(_ i: Int) -> Bool { sniffs[i].content != .notRedis && sniffs[i].content != .unreadable }

        var claimedBy: [Int: Int] = [:]
        var beside: [Int: Set<String>] = [:]
        // Real manifests first: a temporary manifest beside one is one of its leftovers.
        let manifests = sniffs.indices.filter { sniffs[$0].content == .manifest }
        for m in manifests.filter({ !isLeftoverName($0) }) + manifests.filter(isLeftoverName) where claimedBy[m] == nil {
            let dir = AOFLayout.directory(of: files[m].path)
            var members: Set<Int> = []
            if case .success(let manifest)? = sniffs[m].manifest {
                for entry in manifest.entries {
                    // A base still in the server's dir: an interrupted upgrade (format.md §7.2).
                    if let i = index[AOFLayout.join(dir, entry.name)] ?? index[AOFLayout.join(AOFLayout.directory(of: dir), entry.name)] {
                        members.insert(i)
                    }
                }
            }
            for i in byDirectory[dir] ?? [] where i != m && !members.contains(i) && (isRedis(i) || isLeftoverName(i)) {
                members.insert(i)
                beside[m, default: []].insert(files[i].path)
            }
            for i in members where claimedBy[i] == nil { claimedBy[i] = m }
        }

        var jobs: [Job] = []
        for i in files.indices {
            if sniffs[i].content == .manifest && claimedBy[i] == nil {
                jobs.append(.manifest(i, beside: beside[i] ?? []))
                continue
            }
            guard claimedBy[i] == nil else { continue }
            switch sniffs[i].content {
            case .rdb: jobs.append(.rdb(i))
            case .aofPreamble, .resp: jobs.append(.singleAOF(i))
            case .notRedis where isLeftoverName(i) && files[i].size == 0:
                // A save that died before writing a byte: reported by its name.
                jobs.append(files[i].path.hasSuffix(".rdb") ? .rdb(i) : .singleAOF(i))
            default: break
            }
        }
        return jobs
    }

    static func analyse(_ job: Job, files: [DirectoryWalker.File], sniffs: [FileSniff], verifier: Verifier) -> ScanEntry {
        switch job {
        case .rdb(let i):
            let path = files[i].path
            var e = ScanEntry(path: path, kind: .rdb)
            e.gzip = sniffs[i].gzip
            e.size = files[i].size
            let r = verifier.verify(path: path)
            e.dialect = r.dialect
            e.producer = r.producer ?? sniffs[i].rdb?.producer
            e.ctime = sniffs[i].rdb?.ctime
            e.keys = r.keys
            e.verdict = r.verdict
            e.failureClass = r.failure?.kind.rawValue
            e.failure = r.failure?.description
            // One line per kind: a file's expired keys are many alike.
            e.warnings = VerifyWarning.Kind.allCases.compactMap { kind in
                guard let n = r.warningCounts[kind], let first = r.warnings.first(where: { $0.kind == kind }) else { return nil }
                return "\(kind.rawValue)" + (n > 1 ? " (\(n), the first:)" : ":") + " \(first.message)"
            }
            e.warningCount = r.warningCount
            if sniffs[i].rdb?.aofBase == true {
                e.notes.append("the base file of a multi-part AOF (AUX aof-base 1), outside its AOF directory")
            }
            return e
        case .singleAOF(let i):
            let path = files[i].path
            var e = ScanEntry(path: path, kind: sniffs[i].content == .aofPreamble ? .aofPreamble : .aof)
            e.gzip = sniffs[i].gzip
            e.size = files[i].size
            let layout = AOFLayout(kind: .single, path: path, parts: [AOFPart(name: path, path: path, role: .single, size: files[i].size)],
                                   history: [], unlisted: [], notes: [])
            take(verifier.verifyAOF(layout: layout, path: path), into: &e)
            return e
        case .manifest(let i, let beside):
            let path = files[i].path
            var e = ScanEntry(path: path, kind: .aofMultiPart)
            e.size = files[i].size
            do {
                var layout = try AOFLayout.resolve(path)
                // Files beside the parts that are not Redis's are no concern of the AOF.
                layout.unlisted = layout.unlisted.filter { beside.contains($0.path) }
                e.parts = (layout.parts + layout.history + layout.unlisted).map {
                    ScanEntry.Part(name: $0.name, path: $0.path, role: $0.role, format: nil, size: $0.size)
                }
                e.size += layout.parts.reduce(0) { $0 + ($1.size ?? 0) }
                e.notes = layout.notes
                take(verifier.verifyAOF(layout: layout, path: path), into: &e)
            } catch {
                e.verdict = error.kind == .io ? .unreadable : .damaged
                e.failureClass = error.kind.rawValue
                e.failure = "\(error)"
            }
            return e
        }
    }

    /// A row's share of `verify`'s AOF result: its verdict, the first failure, warnings (a
    /// few, then a count), commands, `#TS:` span, and the keys, producer and `ctime` of its RDB
    /// parts (the preamble or base).
    static func take(_ r: AOFVerifyResult, into e: inout ScanEntry) {
        e.verdict = r.verdict
        if let f = r.failure {
            e.failureClass = f.rdbError?.kind.rawValue ?? f.kind.rawValue
            // Where the complete prefix ends, as `verify` says: what a server keeps of a cut file.
            e.failure = unprefixed("\(f)", e.path) + (r.okUpTo.map { "; the file is whole up to offset \($0)" } ?? "")
        }
        let messages = r.warnings.map { unprefixed("\($0)", e.path) }
            + r.files.flatMap { $0.rdb?.warnings.map { "\($0.kind.rawValue): \($0.message)" } ?? [] }
        e.warningCount = r.warningCount
        e.warnings = Array(messages.prefix(warningsKept))
        if e.warningCount > warningsKept { e.warnings.append("... and \(e.warningCount - warningsKept) more") }
        e.commands = r.commands
        e.firstTimestamp = r.firstTimestamp
        e.lastTimestamp = r.lastTimestamp
        let rdbParts = r.files.compactMap(\.rdb)
        if let first = rdbParts.first {
            e.keys = rdbParts.reduce(0) { $0 + $1.keys }
            e.dialect = first.dialect
            e.producer = first.producer
            e.ctime = first.ctime
        }
        let formats = Dictionary(r.files.map { ($0.part.path, $0.part.format) }, uniquingKeysWith: { a, _ in a })
        for i in e.parts.indices where e.parts[i].format == nil {
            e.parts[i].format = formats[e.parts[i].path] ?? nil
        }
    }

    static let warningsKept = 5

    /// A single file's messages name it: the entry's row already does.
    private static func unprefixed(_ message: String, _ path: String) -> String {
        message.hasPrefix(path + ": ") ? String(message.dropFirst(path.count + 2)) : message
    }
}
