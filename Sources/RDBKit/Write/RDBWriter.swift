#if canImport(Glibc)
import Glibc
#endif

/// Writes an RDB file of version 9 to 12 from the value model, encoding each value as a
/// server of that version would save it (`RDBValueEncoder`): header, AUX fields, function
/// libraries, then per database SELECTDB (and RESIZEDB when the sizes are declared), the keys
/// with their expiry and LRU/LFU attributes, EOF and the CRC-64 (format.md §1.6).
///
/// Streaming: records are encoded one at a time into a buffer that is flushed to disk as it
/// fills. Records of one database should come together (a reader's file order does); a
/// database met again gets another SELECTDB, which loaders accept. A file target is written to
/// a temporary file next to it and renamed into place by `finish()`.
public final class RDBWriter {
    public struct Options: Sendable {
        /// The RDB version to write: 9 (Redis 5.0–6.2), 10 (7.0), 11 (7.2, Valkey 7.2–8.1), 12 (7.4).
        public var version: Int
        /// `rdbcompression`: LZF-compress strings and blobs over 20 bytes where that pays.
        public var compression = true
        /// `rdbchecksum`: the CRC-64 trailer, or 8 zero bytes ("disabled") when false.
        public var checksum = true
        public var limits = EncodingLimits()
        /// The `redis-ver` AUX value; by default the first release writing `version`.
        public var producerVersion: String?
        /// The `ctime` AUX value, Unix seconds; by default now.
        public var creationTime: Int64?
        /// The `used-mem` AUX value.
        public var usedMemory: Int64 = 0
        /// Mark the file as an AOF base (`aof-base` 1; `aof-preamble` 1 for RDB 9).
        public var aofBase = false
        /// Drop what the version cannot hold (hash field expiries before 12, function libraries
        /// before 10), reported in the summary, instead of refusing the record.
        public var lossy = false
        /// Threads `Dataset.writeRDB` may convert and encode keys on.
        public var jobs = 1

        public static let supportedVersions = 9...12

        public init(version: Int) { self.version = version }

        var defaultProducer: String {
            switch version {
            case 9: "5.0.0"
            case 10: "7.0.0"
            case 11: "7.2.0"
            default: "7.4.0"
            }
        }
    }

    public struct Summary: Sendable {
        public var keys = 0
        public var functions = 0
        /// Lists, sets, sorted sets and hashes without elements: servers skip them on load
        /// (format.md §5.17), so they are not written.
        public var skippedEmptyKeys = 0
        public var bytes: Int64 = 0
        /// What `lossy` dropped, one line per record.
        public var dropped: [String] = []
    }

    public let options: Options
    public private(set) var summary = Summary()
    /// The whole file, for a writer made without a path, after `finish()`.
    public private(set) var bytes: [UInt8] = []

    private let file: AtomicFile?
    private var enc: RDBEncoder
    private var values: RDBValueEncoder
    private var crc: UInt64 = 0
    private var written: Int64 = 0
    private var currentDB: Int? = nil
    private var finished = false
    private static let flushSize = 1 << 20

    /// Writes to `path` through a temporary file; `inputs` are paths the output must not
    /// replace (the files being read).
    public convenience init(path: String, options: Options, protecting inputs: [String] = []) throws {
        try Self.validate(options)
        try self.init(options: options, file: AtomicFile(path: path, protecting: inputs))
    }

    /// Writes into memory: `bytes` after `finish()`.
    public convenience init(options: Options) throws {
        try Self.validate(options)
        try self.init(options: options, file: nil)
    }

    private init(options: Options, file: AtomicFile?) throws {
        self.options = options
        self.file = file
        enc = RDBEncoder(compression: options.compression)
        values = RDBValueEncoder(rdbVersion: options.version, limits: options.limits, lossy: options.lossy)
        writeHeader()
    }

    private static func validate(_ options: Options) throws {
        guard Options.supportedVersions.contains(options.version) else {
            throw RDBError(.unsupportedVersion, at: 0, expected: "an RDB version from 9 to 12 to write", found: "\(options.version)")
        }
    }

    deinit { file?.abandon() }

    // MARK: Records

    /// Starts database `db` with its RESIZEDB hint: `keys` keys, `expires` of them with a TTL.
    public func beginDatabase(_ db: Int, keys: UInt64, expires: UInt64) throws {
        selectDB(db)
        enc.append(byte: RDBOpcode.resizeDB)
        enc.appendLength(keys)
        enc.appendLength(expires)
        try maybeFlush()
    }

    public func write(_ r: KeyRecord) throws {
        if Self.isEmptyCollection(r.value) {
            summary.skippedEmptyKeys += 1
            return
        }
        let at = offset
        if currentDB != r.db { selectDB(r.db) }
        do {
            try Self.encode(r, values: &values, to: &enc)
        } catch {
            throw Self.unsupported(error, at: at, r)
        }
        for d in values.dropped { summary.dropped.append(Self.droppedLine(d, r)) }
        values.dropped.removeAll()
        summary.keys += 1
        try maybeFlush()
    }

    private static func unsupported(_ error: RDBValueEncoder.Unsupported, at offset: Int64, _ r: KeyRecord) -> RDBError {
        RDBError(.unsupportedFeature, at: offset, expected: error.expected, found: error.found,
                 db: r.db, key: r.key, typeName: r.value.type.rawValue)
    }

    private static func droppedLine(_ what: String, _ r: KeyRecord) -> String {
        "db \(r.db) key \(Quoting.redisCLI(r.key, limit: 60)): \(what) dropped"
    }

    /// Records of one database encoded apart from the writer (`encode(_:options:)`, which may
    /// run on another thread), for `append(_:)` in order: how writing a large dataset uses
    /// several cores.
    public struct EncodedRecords: Sendable {
        var bytes: [UInt8] = []
        var keys = 0
        var skippedEmptyKeys = 0
        var dropped: [String] = []
        /// The record a value encoder refused, where in `bytes` it began and why.
        var failure: (at: Int, record: KeyRecord, error: RDBValueEncoder.Unsupported)?
    }

    public static func encode(_ records: [KeyRecord], options: Options) -> EncodedRecords {
        var enc = RDBEncoder(compression: options.compression)
        var values = RDBValueEncoder(rdbVersion: options.version, limits: options.limits, lossy: options.lossy)
        var out = EncodedRecords()
        for r in records {
            if isEmptyCollection(r.value) {
                out.skippedEmptyKeys += 1
                continue
            }
            do {
                try encode(r, values: &values, to: &enc)
            } catch {
                out.failure = (enc.out.count, r, error)
                break
            }
            for d in values.dropped { out.dropped.append(droppedLine(d, r)) }
            values.dropped.removeAll()
            out.keys += 1
        }
        out.bytes = enc.out
        return out
    }

    /// Appends records `encode(_:options:)` made, after `beginDatabase` of their database.
    public func append(_ e: EncodedRecords) throws {
        let start = offset
        // A chunk as large as the buffer goes out as it is, not copied into the buffer (which
        // would grow to hold it).
        if e.bytes.count >= Self.flushSize {
            try flush()
            try write(e.bytes)
        } else {
            enc.out.append(contentsOf: e.bytes)
        }
        summary.keys += e.keys
        summary.skippedEmptyKeys += e.skippedEmptyKeys
        summary.dropped += e.dropped
        if let f = e.failure { throw Self.unsupported(f.error, at: start + Int64(f.at), f.record) }
        try maybeFlush()
    }

    /// One record: expiry, LRU/LFU, type byte, key, value.
    private static func encode(_ r: KeyRecord, values: inout RDBValueEncoder,
                               to enc: inout RDBEncoder) throws(RDBValueEncoder.Unsupported) {
        let (plan, type) = try values.plan(r.value)
        if let ms = r.expireAtMs {
            enc.append(byte: RDBOpcode.expireTimeMs)
            enc.appendMillisecondTime(ms)
        }
        if let idle = r.metadata.lruIdleSeconds {
            enc.append(byte: RDBOpcode.idle)
            enc.appendLength(idle)
        }
        if let freq = r.metadata.lfuFreq {
            enc.append(byte: RDBOpcode.freq)
            enc.append(byte: freq)
        }
        enc.append(byte: type.fileByte)
        enc.appendString(r.key)
        values.write(r.value, plan: plan, to: &enc)
    }

    /// A function library (FUNCTION2, RDB 10+). Servers write them before the databases.
    public func write(_ library: FunctionLibrary) throws {
        guard options.version >= 10 else {
            guard options.lossy else {
                throw RDBError(.unsupportedFeature, at: offset, expected: "RDB 10 or later for function libraries",
                               found: "target version \(options.version)")
            }
            summary.dropped.append("function library \(library.shebang?.name ?? "?") dropped")
            return
        }
        enc.append(byte: RDBOpcode.function2)
        enc.appendString(library.code)
        summary.functions += 1
        try maybeFlush()
    }

    /// EOF, checksum; for a file, flush, fsync and rename into place.
    @discardableResult
    public func finish() throws -> Summary {
        guard !finished else { return summary }
        enc.append(byte: RDBOpcode.eof)
        try flush()
        var trailer: [UInt8] = []
        appendLittleEndian(options.checksum ? crc : 0, to: &trailer)
        enc.out = trailer
        try flush(checksummed: false)
        try file?.commit()
        finished = true
        summary.bytes = written
        return summary
    }

    /// Gives up: a file target's temporary file is removed.
    public func abandon() {
        file?.abandon()
        finished = true
    }

    // MARK: Layout

    private func writeHeader() {
        enc.out += Array("REDIS".utf8) + Array(String(options.version).leftPadded(to: 4).utf8)
        aux("redis-ver", options.producerVersion ?? options.defaultProducer)
        aux("redis-bits", "64")
        aux("ctime", String(options.creationTime ?? Int64(time(nil))))
        aux("used-mem", String(options.usedMemory))
        aux(options.version >= 10 ? "aof-base" : "aof-preamble", options.aofBase ? "1" : "0")
    }

    private func aux(_ name: String, _ value: String) {
        enc.append(byte: RDBOpcode.aux)
        enc.appendString(name)
        enc.appendString(value)
    }

    private func selectDB(_ db: Int) {
        enc.append(byte: RDBOpcode.selectDB)
        enc.appendLength(db)
        currentDB = db
    }

    private static func isEmptyCollection(_ v: Value) -> Bool {
        switch v {
        case .list(let l), .set(let l): l.isEmpty
        case .zset(let z): z.members.isEmpty
        case .hash(let h): h.fields.isEmpty
        case .string, .stream, .module, .array: false
        }
    }

    // MARK: Output

    private var offset: Int64 { written + Int64(enc.out.count) }

    private func maybeFlush() throws {
        if enc.out.count >= Self.flushSize { try flush() }
    }

    private func flush(checksummed: Bool = true) throws {
        guard !enc.out.isEmpty else { return }
        try write(enc.out, checksummed: checksummed)
        enc.out.removeAll(keepingCapacity: enc.out.count <= Self.flushSize * 2)
    }

    /// Writes `out` after what was flushed before (the buffer must be empty).
    private func write(_ out: [UInt8], checksummed: Bool = true) throws {
        try out.withUnsafeBytes { p in
            if checksummed && options.checksum { crc = CRC64.update(crc, p) }
            if let file { try file.write(p) } else { bytes.append(contentsOf: p) }
        }
        written += Int64(out.count)
    }
}

private extension String {
    func leftPadded(to n: Int) -> String {
        count >= n ? self : String(repeating: "0", count: n - count) + self
    }
}
