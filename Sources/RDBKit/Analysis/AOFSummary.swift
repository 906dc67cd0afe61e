/// What `rdbtool inspect` reports about an AOF, gathered in one pass over its events: its
/// files, commands by name and database, the time span of its `#TS:` annotations, how it ends,
/// and for an RDB preamble or base the summary `inspect` gives of an RDB file.
public struct AOFSummary: Sendable {
    public struct File: Sendable {
        public var part: AOFPart
        public var commands = 0
        public var annotations = 0
        /// The RDB preamble or base at the start of the file.
        public var rdb: FileSummary?
    }

    public var layout: AOFLayout
    public var files: [File] = []
    public var commands = 0
    /// Command names (upper case) with their counts, most frequent first.
    public var byName: [(name: [UInt8], count: Int)] = []
    public var byDB: [Int: Int] = [:]
    /// MULTI commands: transactions, and in 7.0+ any execution unit of several commands.
    public var transactions = 0
    public var firstTimestamp: Int64?
    public var lastTimestamp: Int64?
    public var annotations = 0
    /// Commands whose TTL counts from when they run (format.md §9.15).
    public var relativeTTLs = RelativeTTLCount()
    public var tail: AOFTail?
    public var warnings: [AOFWarning] = []
    /// Bytes of every file read (up to where reading stopped).
    public var bytesRead: Int64 = 0

    /// "single file", "single file with RDB preamble" or "multi-part".
    public var formatName: String {
        switch layout.kind {
        case .multiPart: return "multi-part AOF"
        case .single: return files.first?.part.format == .rdb ? "single-file AOF with RDB preamble" : "single-file AOF"
        }
    }
}

/// Builds an `AOFSummary` from reader events.
public struct AOFSummaryBuilder {
    private var summary: AOFSummary
    private var names: [[UInt8]: Int] = [:]
    private var rdb: FileSummaryBuilder?
    private var rdbBytes: Int64 = 0
    private let topCount: Int

    /// `topCount`: the biggest keys kept for an RDB part.
    public init(layout: AOFLayout, topCount: Int = 10) {
        summary = AOFSummary(layout: layout)
        self.topCount = topCount
    }

    public mutating func consume(_ event: AOFEvent) {
        switch event {
        case .file(let part):
            closeRDB()
            summary.files.append(AOFSummary.File(part: part))
            if part.format == .rdb { rdb = FileSummaryBuilder(topCount: topCount) }
        case .rdb(let e):
            rdb?.consume(e)
            if case .end(let t) = e { rdbBytes = t.eofOffset + (t.storedChecksum == nil ? 1 : 9) }
        case .command(let c):
            summary.commands += 1
            summary.byDB[c.db, default: 0] += 1
            if c.isNamed("MULTI") { summary.transactions += 1 }
            summary.relativeTTLs.count(c)
            names[c.upperName, default: 0] += 1
            if !summary.files.isEmpty { summary.files[summary.files.count - 1].commands += 1 }
        case .timestamp(let s, _):
            summary.annotations += 1
            summary.firstTimestamp = summary.firstTimestamp ?? s
            summary.lastTimestamp = s
            if !summary.files.isEmpty { summary.files[summary.files.count - 1].annotations += 1 }
        case .warning(let w):
            summary.warnings.append(w)
        case .tail(let t):
            summary.tail = t
        case .end:
            closeRDB()
        }
    }

    private mutating func closeRDB() {
        guard var builder = rdb, !summary.files.isEmpty else { return }
        summary.files[summary.files.count - 1].rdb = builder.finish(bytesRead: rdbBytes)
        rdb = nil
        rdbBytes = 0
    }

    /// The finished summary; `bytesRead` is the input consumed over all files.
    public mutating func finish(bytesRead: Int64) -> AOFSummary {
        closeRDB()
        summary.byName = names.map { ($0.key, $0.value) }.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.name.lexicographicallyPrecedes($1.name)
        }
        summary.bytesRead = bytesRead
        return summary
    }
}
