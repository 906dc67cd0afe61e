/// Reads an AOF as Redis loads it (format.md §7; `loadAppendOnlyFiles`, redis/redis
/// src/aof.c): the base file, then every incr file in manifest order, each with a fresh client
/// (database 0, no transaction); an RDB preamble or RDB base is handed to `RDBReader` on the
/// same buffered input and the RESP after it read on. Streaming: one command's arguments at a
/// time.
///
/// Where the last file does not end after a complete command (a cut write, an open MULTI, a
/// zero-filled tail) the complete prefix is reported and a `.tail` event says where it ends,
/// as `aof-load-truncated yes` recovers; `strict` refuses instead. The same faults in any
/// other file, and garbage anywhere, are errors.
public final class AOFReader {
    public struct Options: Sendable {
        /// Refuse a truncated, zero-filled or open-transaction tail instead of reporting it.
        public var strict = false
        /// Accept `\n` and `\r\r\n` where `\r\n` belongs (format.md §9.1), with a warning.
        public var tolerateLineFeeds = false
        /// How RDB preambles and bases are read.
        public var rdb = RDBReader.Options()
        public init(strict: Bool = false, tolerateLineFeeds: Bool = false, rdb: RDBReader.Options = .init()) {
            self.strict = strict; self.tolerateLineFeeds = tolerateLineFeeds; self.rdb = rdb
        }
    }

    public let layout: AOFLayout
    public let options: Options
    /// The offset reached in the file being read (progress meters).
    public private(set) var currentInput: BufferedReader?

    public init(path: String, options: Options = Options()) throws(AOFError) {
        self.layout = try AOFLayout.resolve(path)
        self.options = options
    }

    public init(layout: AOFLayout, options: Options = Options()) {
        self.layout = layout
        self.options = options
    }

    /// Reads every file, calling `handle` for each event. Throws `AOFError`, or what
    /// `handle` throws.
    public func read(_ handle: (AOFEvent) throws -> Void) throws {
        for note in layout.notes { try handle(.warning(AOFWarning(file: layout.path, offset: nil, message: note))) }
        for extra in layout.unlisted {
            try handle(.warning(AOFWarning(file: extra.name, offset: nil,
                                           message: "not in the manifest, ignored (\(extra.size ?? 0) bytes)")))
        }
        var state = State()
        for (i, part) in layout.parts.enumerated() {
            try readPart(part, isLast: i == layout.parts.count - 1, state: &state, handle)
        }
        currentInput = nil
        try handle(.end)
    }

    /// What carries from one file to the next.
    private struct State {
        var index = 0
        var time: Int64? = nil
    }

    private func readPart(_ part: AOFPart, isLast: Bool, state: inout State, _ handle: (AOFEvent) throws -> Void) throws {
        let input: BufferedReader
        do {
            // RESP needs no CRC: it is switched on below only for an RDB part.
            input = BufferedReader(try Input.open(part.path).source, checksum: false)
        } catch let e as RDBError {
            throw AOFError(.io, file: part.name, at: 0, expected: e.expected, found: e.found)
        }
        currentInput = input
        var part = part
        let first: UInt8?
        do { first = try input.peekByte() } catch { throw AOFError(.io, file: part.name, at: 0, expected: "readable input", found: "\(error)") }
        // The server checks for the `REDIS` signature (Valkey 9 also `VALKEY`); RESP can start
        // with neither letter.
        let isRDB = first == UInt8(ascii: "R") || first == UInt8(ascii: "V")
        part.format = isRDB ? .rdb : .resp
        try handle(.file(part))
        if isRDB {
            if options.rdb.verifyChecksum { input.enableChecksum() }
            let rdb = RDBReader(input: input, options: options.rdb)
            do {
                let dialect = try rdb.readHeader()
                try handle(.rdb(.header(dialect)))
                try rdb.readRecords(dialect) { try handle(.rdb($0)) }
            } catch let e as RDBError {
                throw AOFError(rdb: e, file: part.name)
            }
        }
        try readCommands(part, input: input, isLast: isLast, state: &state, handle)
    }

    private func readCommands(_ part: AOFPart, input: BufferedReader, isLast: Bool, state: inout State,
                              _ handle: (AOFEvent) throws -> Void) throws {
        let resp = RESPCommandReader(input: input, file: part.name, tolerateLineFeeds: options.tolerateLineFeeds)
        var db = 0
        var transaction: (offset: Int64, index: Int)? = nil
        var warnedLineFeeds = false
        while true {
            let item: RESPCommandReader.Item
            do {
                item = try resp.next()
            } catch {
                var e = error
                e.commandIndex = state.index
                if let tail = tail(for: e, part: part, input: input), isLast && !options.strict {
                    try handle(.tail(tail))
                    return
                }
                if e.kind == .truncated || e.kind == .zeroPadding, !isLast {
                    e.found += " (only the last file of an AOF may end early)"
                }
                throw e
            }
            if !warnedLineFeeds, let at = resp.firstLineFeedOnly {
                warnedLineFeeds = true
                try handle(.warning(AOFWarning(file: part.name, offset: at,
                                               message: "LF-only line endings (format.md §9.1): read tolerantly; a server refuses this file")))
            }
            switch item {
            case .end:
                if let open = transaction {
                    let dropped = state.index - open.index
                    let e = AOFError(.openTransaction, file: part.name, at: open.offset, expected: "EXEC closing the MULTI",
                                     found: "the end of the file after \(dropped - 1) queued commands",
                                     commandIndex: open.index, commandOffset: open.offset)
                    guard isLast && !options.strict else { throw e }
                    try handle(.tail(AOFTail(kind: .openTransaction, file: part.name, validUpTo: open.offset,
                                             fileSize: input.offset, droppedCommands: dropped, zerosFrom: nil)))
                }
                return
            case .annotation(let ts):
                if let ts {
                    state.time = ts
                    try handle(.timestamp(seconds: ts, offset: resp.itemOffset))
                }
            case .unterminatedAnnotation:
                try handle(.warning(AOFWarning(file: part.name, offset: resp.itemOffset,
                                               message: "an annotation line cut by the end of the file (ignored, as the server does)")))
            case .command:
                var command = AOFCommand(arguments: resp.arguments, file: part.name, offset: resp.itemOffset,
                                         byteCount: resp.itemBytes, db: db, timeSeconds: state.time, index: state.index)
                if command.isNamed("SELECT") {
                    if command.arguments.count == 2, let n = command.numberArgument(1), n >= 0, n <= Int64(Int32.max) {
                        db = Int(n)
                        command.db = db  // a SELECT is shown in the database it selects
                    } else {
                        try handle(.warning(AOFWarning(file: part.name, offset: resp.itemOffset,
                                                       message: "SELECT without a database number: the database stays \(db)")))
                    }
                } else if command.isNamed("MULTI") {
                    if transaction == nil { transaction = (resp.itemOffset, state.index) }
                } else if command.isNamed("EXEC") {
                    transaction = nil
                }
                state.index += 1
                try handle(.command(command))
            }
        }
    }

    /// The tail a recoverable fault at the end of a file amounts to, nil for other faults.
    private func tail(for e: AOFError, part: AOFPart, input: BufferedReader) -> AOFTail? {
        let start = e.commandOffset ?? e.offset
        switch e.kind {
        case .truncated:
            return AOFTail(kind: .truncated, file: part.name, validUpTo: start, fileSize: e.offset, droppedCommands: 0, zerosFrom: nil)
        case .zeroPadding:
            return AOFTail(kind: .zeroPadding, file: part.name, validUpTo: start, fileSize: input.offset, droppedCommands: 0,
                           zerosFrom: e.offset)
        default:
            return nil
        }
    }
}
