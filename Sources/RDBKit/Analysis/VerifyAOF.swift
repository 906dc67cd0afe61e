/// The verification of an AOF: its layout (manifest syntax, sequence numbers, missing and extra
/// files), every RDB preamble or base verified as an RDB file is (checksum included), and every
/// command of every file tokenised strictly, as `redis-check-aof` walks them (format.md §7.5).
///
/// Any file that does not end after a complete command is damage, as `redis-check-aof` says
/// (exit 1): a cut last command, a MULTI without EXEC, a zero-filled tail. `okUpTo` then says
/// where the complete prefix ends: for a cut command or an open MULTI in the last file, what a
/// server with `aof-load-truncated yes` (its default) keeps and loads; `recoverable` says so.
public struct AOFVerifyResult: Sendable {
    public struct File: Sendable {
        public var part: AOFPart
        public var commands = 0
        public var annotations = 0
        /// The full RDB verification of a preamble or RDB base.
        public var rdb: VerifyResult?
    }

    /// A complete command, by position.
    public struct CommandLocation: Sendable {
        public var file: String
        /// Position among all commands of the AOF, from 0.
        public var index: Int
        public var name: [UInt8]
        public var offset: Int64
        public var end: Int64
    }

    public var path: String
    public var layout: AOFLayout?
    public var files: [File] = []
    public var commands = 0
    public var annotations = 0
    public var firstTimestamp: Int64?
    public var lastTimestamp: Int64?
    public var failure: AOFError?
    /// For a failure inside a file's commands: the end of the last complete command before it
    /// in that file (`redis-check-aof`'s `ok_up_to`).
    public var okUpTo: Int64?
    /// Line (from 1) of the failure's offset in its file, as `redis-check-aof` counts lines.
    public var line: Int?
    /// The failure is a cut command or an open MULTI at the end of the last file: a server
    /// with `aof-load-truncated yes` loads the AOF cut at `okUpTo`.
    public var recoverable = false
    public var lastGoodCommand: CommandLocation?
    /// With `VerifyOptions.untilMs`: the first `#TS:` annotation later than it.
    public var firstAnnotationAfterUntil: (file: String, offset: Int64, seconds: Int64)?
    public var warnings: [AOFWarning] = []
    public var hexdump: (offset: Int64, bytes: [UInt8])?
    public var totalSeconds = 0.0

    public var verdict: VerifyResult.Verdict {
        if let f = failure {
            switch f.kind {
            case .io: return .unreadable
            case .rdb:
                switch f.rdbError?.kind {
                case .io: return .unreadable
                case .unsupportedVersion, .unsupportedFeature: return .unsupported
                default: return .damaged
                }
            default: return .damaged
            }
        }
        return warningCount > 0 ? .warnings : .clean
    }

    /// AOF warnings and those of every RDB part.
    public var warningCount: Int { warnings.count + files.reduce(0) { $0 + ($1.rdb?.warningCount ?? 0) } }

    /// The file the failure is in, when it is one of the AOF's.
    public var failedFile: File? {
        guard let f = failure else { return nil }
        return files.last { $0.part.name == f.file }
    }
}

extension Verifier {
    /// Verifies an AOF file, `appendonlydir/` or manifest (see `AOFVerifyResult`).
    public func verifyAOF(path: String) -> AOFVerifyResult {
        do {
            return verifyAOF(layout: try AOFLayout.resolve(path), path: path)
        } catch {
            var result = AOFVerifyResult(path: path)
            result.failure = error
            return result
        }
    }

    /// Verifies an AOF whose layout is already resolved (`scan` leaves out files beside the
    /// parts that are none of Redis's); `path` names it in the result.
    public func verifyAOF(layout: AOFLayout, path: String) -> AOFVerifyResult {
        let started = monotonicSeconds()
        var result = AOFVerifyResult(path: path)
        verifyAOF(layout, into: &result)
        result.totalSeconds = monotonicSeconds() - started
        return result
    }

    private func verifyAOF(_ layout: AOFLayout, into result: inout AOFVerifyResult) {
        let path = result.path
        result.layout = layout
        // The RDB parts are verified in full first; the tokenising pass then only walks them.
        var rdbOptions = RDBReader.Options()
        rdbOptions.allowNewer = options.allowNewer
        rdbOptions.verifyChecksum = false
        rdbOptions.level = .structure
        let reader = AOFReader(layout: layout, options: .init(strict: true, rdb: rdbOptions))
        var partOptions = options
        partOptions.isAOFPart = true
        // The commands after a base assume its exact state: its keys expire only afterwards.
        partOptions.nowMs = nil
        let partVerifier = Verifier(options: partOptions)
        struct RDBPartFailed: Error { let error: RDBError }
        // Where the current file's open MULTI began: damage inside a transaction is cut
        // before it, as the loader reverts the whole transaction and redis-check-aof counts
        // `ok_up_to` from there.
        var openMulti: Int64? = nil
        do {
            try reader.read { event in
                switch event {
                case .file(let part):
                    openMulti = nil
                    var file = AOFVerifyResult.File(part: part)
                    if part.format == .rdb {
                        let r = partVerifier.verify(path: part.path)
                        file.rdb = r
                        result.files.append(file)
                        if let e = r.failure { throw RDBPartFailed(error: e) }
                    } else {
                        result.files.append(file)
                    }
                case .command(let c):
                    // Servers never write these; a loading server runs them (the command fails,
                    // loading goes on), redis-check-aof rejects the file.
                    if c.isNamed("MULTI") {
                        if openMulti != nil {
                            result.warnings.append(AOFWarning(file: c.file, offset: c.offset,
                                                              message: "MULTI inside a MULTI (redis-check-aof rejects the file; a server ignores it)"))
                        }
                        openMulti = openMulti ?? c.offset
                    } else if c.isNamed("EXEC") {
                        if openMulti == nil {
                            result.warnings.append(AOFWarning(file: c.file, offset: c.offset,
                                                              message: "EXEC without MULTI (redis-check-aof rejects the file; a server ignores it)"))
                        }
                        openMulti = nil
                    }
                    result.commands += 1
                    result.files[result.files.count - 1].commands += 1
                    result.lastGoodCommand = .init(file: c.file, index: c.index, name: c.upperName, offset: c.offset,
                                                   end: c.offset + c.byteCount)
                case .timestamp(let seconds, let offset):
                    if let until = options.untilMs, result.firstAnnotationAfterUntil == nil, seconds > until / 1000 {
                        result.firstAnnotationAfterUntil = (result.files[result.files.count - 1].part.name, offset, seconds)
                    }
                    result.annotations += 1
                    result.files[result.files.count - 1].annotations += 1
                    if result.firstTimestamp == nil { result.firstTimestamp = seconds }
                    result.lastTimestamp = seconds
                case .warning(let w):
                    result.warnings.append(w)
                case .rdb, .tail, .end:
                    break
                }
            }
        } catch let e as RDBPartFailed {
            result.failure = AOFError(rdb: e.error, file: result.files.last?.part.name ?? path)
        } catch let e as AOFError {
            result.failure = e
        } catch {
            result.failure = AOFError(.io, file: path, at: 0, expected: "readable input", found: "\(error)")
        }
        if let f = result.failure, f.kind != .rdb, f.kind != .manifest, f.kind != .io,
           let part = layout.parts.first(where: { $0.name == f.file }) {
            locate(f, in: part, isLast: part.name == layout.parts.last?.name, transactionStart: openMulti, into: &result)
        }
    }

    /// Fills `okUpTo`, `line`, `recoverable` and the hexdump for a failure in `part`'s commands;
    /// `transactionStart` is the MULTI the failure is inside of, if any.
    private func locate(_ f: AOFError, in part: AOFPart, isLast: Bool, transactionStart: Int64?,
                        into result: inout AOFVerifyResult) {
        let okUpTo = transactionStart ?? f.commandOffset ?? f.offset
        result.okUpTo = okUpTo
        result.recoverable = isLast && (f.kind == .truncated || f.kind == .openTransaction)
        result.line = try? Self.lineNumber(of: f.offset, in: part.path)
        if options.hexdumpRadius > 0 {
            result.hexdump = try? Self.window(around: f.offset, radius: options.hexdumpRadius) { try Input.open(part.path) }
        }
    }

    /// 1 + the number of `\n` bytes before `offset`.
    static func lineNumber(of offset: Int64, in path: String) throws -> Int {
        let source = try Input.open(path).source
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var lines = 1
        var left = offset
        while left > 0 {
            let want = Int(min(left, Int64(buffer.count)))
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[..<want])) }
            if n == 0 { break }
            for b in buffer[..<n] where b == 0x0A { lines += 1 }
            left -= Int64(n)
        }
        return lines
    }
}
