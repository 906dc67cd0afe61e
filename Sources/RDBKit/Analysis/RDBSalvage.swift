/// `verify --salvage`: every intact key of a damaged RDB written to a new, valid RDB.
///
/// The file is read record by record; at a record that fails to parse, the salvage
/// resynchronises by scanning forward, byte by byte, for the first offset where a plausible
/// record sequence parses: a type byte or record opcode, a key, a value that passes the
/// decoders' deep checks, then more records: `confirmations` in all, or up to the trailer
/// ending the file exactly. Reading goes on from
/// there; the bytes between are reported as skipped. Work per candidate offset is capped (a
/// candidate is parsed within `window` bytes), so the scan is linear in the damaged region.
/// The keys are written with `RDBWriter` in the input's RDB version when it writes that
/// version, else the nearest it writes. Memory: one record, the scan buffer, the writer's.
public struct RDBSalvage {
    /// A damaged stretch of the input and what was lost with it.
    public struct SkippedRange: Sendable {
        public var from: Int64
        /// Where reading resumed; the file's size when nothing after parsed.
        public var to: Int64
        public var error: RDBError
    }

    public struct Report: Sendable {
        public var input: String
        public var output: String
        public var inputVersion: Int?
        public var outputVersion: Int?
        public var keysWritten = 0
        public var functionsWritten = 0
        public var skipped: [SkippedRange] = []
        /// Keys of damaged records whose name was read.
        public var damagedKeys: [[UInt8]] = []
        /// The sum of the RESIZEDB hints, when the file has them: keys lost is this minus
        /// the keys written.
        public var declaredKeys: UInt64?
        /// What the writer dropped (features the output version cannot hold).
        public var dropped: [String] = []
        public var checksumStatus: RDBTrailer.Status?

        public var keysLost: Int? {
            declaredKeys.map { max(0, Int($0) - keysWritten) }
        }

        public func text() -> String {
            var lines: [String] = []
            let version = outputVersion.map { v in "RDB \(v)" + (inputVersion.map { $0 == v ? "" : " (the input is RDB \($0); the writer's nearest version)" } ?? "") } ?? "no RDB"
            lines.append("\(output): salvaged \(keysWritten) key\(keysWritten == 1 ? "" : "s")"
                         + (functionsWritten > 0 ? " and \(functionsWritten) function librar\(functionsWritten == 1 ? "y" : "ies")" : "")
                         + " from \(input), \(version)")
            for s in skipped {
                lines.append("  skipped bytes \(s.from)..<\(s.to) (\(s.to - s.from) bytes): \(s.error.kind.rawValue) at offset \(s.error.offset)"
                             + (s.error.key.map { ", key \(Quoting.redisCLI($0, limit: 60))" } ?? ""))
            }
            if let lost = keysLost {
                lines.append("  keys lost: \(lost) (RESIZEDB declared \(declaredKeys ?? 0))")
            } else if !skipped.isEmpty {
                lines.append("  keys lost: at least \(skipped.count) (the file has no RESIZEDB hints to count them)")
            }
            if checksumStatus == .mismatch { lines.append("  the input's checksum does not match: values that parsed may still be altered") }
            for d in dropped { lines.append("  dropped: \(d)") }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// Bytes a candidate resynchronisation point may take to parse its records.
    public var window = 1 << 20
    /// Records that must parse in a row from a candidate (fewer when the file ends first).
    public var confirmations = 8
    public init() {}

    /// Salvages `path` (a regular, uncompressed file) into `output`, written atomically.
    /// Throws `RDBError` when the input cannot be read as an RDB at all (header), or the
    /// output cannot be written.
    public func salvage(_ path: String, to output: String) throws -> Report {
        var report = Report(input: path, output: output)
        let source = try FileSource(path: path)
        guard let size = source.regularFileSize else {
            throw RDBError(.io, at: 0, expected: "a regular file (salvage seeks in it)", found: "\(path) is not one")
        }
        var head = [UInt8](repeating: 0, count: 2)
        _ = try head.withUnsafeMutableBytes { try source.read(into: $0) }
        if head == [0x1F, 0x8B] {
            throw RDBError(.unsupportedFeature, at: 0, expected: "an uncompressed RDB (salvage seeks in it)", found: "gzip: decompress it first")
        }
        try source.seek(to: 0)
        var reader = RDBReader(input: BufferedReader(source, checksum: true), options: .init(verifyChecksum: true))
        guard case .header(let dialect)? = try reader.next() else {
            throw RDBError(.notRDB, at: 0, expected: "an RDB header", found: "none")
        }
        report.inputVersion = dialect.version
        let version = min(max(dialect.version, RDBWriter.Options.supportedVersions.lowerBound), RDBWriter.Options.supportedVersions.upperBound)
        var options = RDBWriter.Options(version: version)
        options.lossy = true
        var writer: RDBWriter? = nil
        func makeWriter() throws -> RDBWriter {
            if let writer { return writer }
            let w = try RDBWriter(path: output, options: options, protecting: [path])
            writer = w
            report.outputVersion = version
            return w
        }
        var hints: [Int: UInt64] = [:]
        var db = 0
        var recordStart = reader.input.offset
        var checksummed = true
        reading: while true {
            do {
                guard let event = try reader.next() else { break reading }
                switch event {
                case .aux(let name, let value):
                    if name == Array("redis-ver".utf8) || name == Array("valkey-ver".utf8) {
                        options.producerVersion = String(decoding: value, as: UTF8.self)
                    }
                case .selectDB(let n): db = n
                case .resizeDB(let d, let keys, _): hints[d, default: 0] += keys
                case .key(let r):
                    do {
                        try makeWriter().write(r)
                        report.keysWritten += 1
                    } catch let e as RDBError where e.kind == .unsupportedFeature || e.kind == .unsupportedVersion {
                        report.dropped.append("key \(Quoting.redisCLI(r.key, limit: 60)): \(e.found)")
                    }
                case .function(let f):
                    try makeWriter().write(f)
                    report.functionsWritten += 1
                case .end(let t):
                    report.checksumStatus = checksummed ? t.status : nil
                    break reading
                default:
                    break
                }
                recordStart = reader.input.offset
            } catch let e as RDBError {
                guard e.kind != .io else { throw e }
                if e.kind == .checksumMismatch { report.checksumStatus = .mismatch; break reading }
                if let key = e.key { report.damagedKeys.append(key) }
                checksummed = false
                guard let resume = try resynchronise(source, size: size, after: recordStart, dialect: dialect, db: db) else {
                    report.skipped.append(SkippedRange(from: recordStart, to: size, error: e))
                    break reading
                }
                report.skipped.append(SkippedRange(from: recordStart, to: resume, error: e))
                try source.seek(to: resume)
                reader = RDBReader(input: BufferedReader(source, checksum: false, startOffset: resume), dialect: dialect, db: db,
                                   options: .init(verifyChecksum: false))
                recordStart = resume
            }
        }
        if !hints.isEmpty { report.declaredKeys = hints.values.reduce(0, +) }
        let summary = try makeWriter().finish()
        report.dropped += summary.dropped
        return report
    }

    /// The first offset after `start` where a plausible record sequence parses, nil
    /// when none does before the end of the file. Reads the file in chunks of `2 * window`,
    /// moving by `window`, so every candidate sees `window` bytes after it.
    func resynchronise(_ source: FileSource, size: Int64, after start: Int64, dialect: Dialect, db: Int) throws -> Int64? {
        var base = start + 1
        while base < size {
            try source.seek(to: base)
            let chunk = ChunkBuffer(capacity: Int(min(Int64(2 * window), size - base)))
            try chunk.fill(from: source)
            let last = min(Int64(chunk.bytes.count), Int64(window))
            for i in 0..<Int(last) where Self.mayStartRecord(chunk.bytes[i], dialect) {
                let candidate = base + Int64(i)
                if parsesRecords(chunk, at: i, offset: candidate, size: size, dialect: dialect, db: db) { return candidate }
            }
            base += last
        }
        return nil
    }

    /// A value type byte, or an opcode that begins a record (not AUX: those come first).
    static func mayStartRecord(_ b: UInt8, _ dialect: Dialect) -> Bool {
        switch b {
        case RDBOpcode.eof, RDBOpcode.selectDB, RDBOpcode.resizeDB, RDBOpcode.expireTimeMs, RDBOpcode.expireTime,
             RDBOpcode.idle, RDBOpcode.freq, RDBOpcode.function2:
            return true
        default:
            return dialect.valueType(b) != nil
        }
    }

    /// Whether, from `i` in `chunk` (file offset `offset`), `confirmations` records (a key
    /// among them) parse within the window, or records then the trailer end the file exactly.
    /// One or two records parse from random bytes now and then; eight in a row do not.
    private func parsesRecords(_ chunk: ChunkBuffer, at i: Int, offset: Int64, size: Int64, dialect: Dialect, db: Int) -> Bool {
        let end = min(chunk.bytes.count, i + window)
        let input = BufferedReader(ChunkSource(chunk, from: i, to: end), checksum: false, bufferSize: 1 << 12, startOffset: offset)
        let reader = RDBReader(input: input, dialect: dialect, db: db, options: .init(verifyChecksum: false))
        var records = 0, keys = 0
        do {
            while let event = try reader.next() {
                switch event {
                case .key: keys += 1
                case .end: return input.offset == size
                case .selectDB, .resizeDB, .function: break
                default: return false
                }
                records += 1
                if records >= confirmations { return keys > 0 }
            }
        } catch {
            return false
        }
        return false
    }
}

/// File bytes shared by the candidate parses of one scan chunk.
final class ChunkBuffer {
    var bytes: [UInt8]
    init(capacity: Int) { bytes = [UInt8](repeating: 0, count: capacity) }

    func fill(from source: ByteSource) throws {
        var got = 0
        while got < bytes.count {
            let n = try bytes.withUnsafeMutableBytes { try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[got...])) }
            if n == 0 { break }
            got += n
        }
        bytes.removeLast(bytes.count - got)
    }
}

/// A window of a `ChunkBuffer`, read without copying the chunk.
final class ChunkSource: ByteSource {
    private let chunk: ChunkBuffer
    private var position: Int
    private let end: Int

    init(_ chunk: ChunkBuffer, from: Int, to end: Int) {
        self.chunk = chunk; position = from; self.end = end
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, end - position)
        guard n > 0 else { return 0 }
        chunk.bytes.withUnsafeBytes { p in
            buffer.baseAddress!.copyMemory(from: p.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }
}
