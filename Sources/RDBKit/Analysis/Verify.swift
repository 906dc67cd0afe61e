#if canImport(Glibc)
import Glibc
#endif

/// What `rdbtool verify` checks and how it judges a file.
public struct VerifyOptions: Sendable {
    /// Expiry is judged at this time (Unix ms); nil skips the expired-key check.
    public var nowMs: Int64?
    public var allowNewer = false
    /// Memory for duplicate-key fingerprints before they spill to a temporary file.
    public var duplicateKeyMemory = 2 << 20
    /// Bytes shown either side of a fault's offset; 0 for none.
    public var hexdumpRadius = 0
    /// Warnings kept in full per kind (all are counted).
    public var warningsKeptPerKind = 5
    /// For an AOF: find the first `#TS:` annotation later than this (Unix ms), where
    /// `--fix-to --until` cuts.
    public var untilMs: Int64?
    /// The RDB is the preamble or base of an AOF: what follows its checksum is RESP, read by
    /// the AOF verification, not trailing bytes.
    var isAOFPart = false

    public init(nowMs: Int64? = nil, allowNewer: Bool = false, hexdumpRadius: Int = 0) {
        self.nowMs = nowMs; self.allowNewer = allowNewer; self.hexdumpRadius = hexdumpRadius
    }
}

/// A finding that does not stop a server from loading the file.
public struct VerifyWarning: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case resizeDBMismatch = "resizedb-mismatch"
        case emptyCollection = "empty-collection"
        case expiredKey = "expired-key"
        case trailingBytes = "trailing-bytes"
        case producerVersion = "producer-version"
        /// Oddities the reader itself notes (stream length, Enterprise opcodes).
        case reader
    }
    public var kind: Kind
    public var offset: Int64?
    public var db: Int?
    public var key: [UInt8]?
    public var message: String
}

/// Where a key record sits in the file.
public struct KeyLocation: Sendable {
    public var db: Int
    public var key: [UInt8]
    public var offset: Int64
    public var end: Int64
}

public struct VerifyResult: Sendable {
    public enum Verdict: String, Sendable {
        case clean, warnings, damaged, unsupported, unreadable
    }

    public var path: String
    public var fileSize: Int64?
    public var isGzip = false
    public var dialect: Dialect?
    /// "redis 7.0.15", from the AUX fields.
    public var producer: String?
    /// The `ctime` AUX field: when the file was written (Unix seconds).
    public var ctime: Int64?
    public var failure: RDBError?
    /// The last key record read whole before the failure.
    public var lastGoodKey: KeyLocation?
    /// Bytes around the failure's offset (`--hexdump`).
    public var hexdump: (offset: Int64, bytes: [UInt8])?
    /// The first `warningsKeptPerKind` warnings of each kind, in file order.
    public var warnings: [VerifyWarning] = []
    public var warningCounts: [VerifyWarning.Kind: Int] = [:]
    public var keys = 0
    public var databases = 0
    public var keysWithTTL = 0
    public var expiredKeys = 0
    public var emptyCollections = 0
    public var bytesRead: Int64 = 0
    public var trailer: RDBTrailer?
    public var trailingBytes: Int64 = 0
    /// The trailing bytes are a `redis-cli --rdb` EOF mark (40 hex digits, format.md §9.9).
    public var eofMark = false
    /// Names of the checks that ran to completion (the README lists them).
    public var checks: [String] = []
    public var nowMs: Int64?
    public var duplicateFingerprints = 0
    public var duplicateSpilledBytes: Int64 = 0
    public var duplicateSuspects = 0
    public var readSeconds = 0.0
    public var duplicateSeconds = 0.0
    public var totalSeconds = 0.0

    public var warningCount: Int { warningCounts.values.reduce(0, +) }

    public var verdict: Verdict {
        if let failure {
            switch failure.kind {
            case .io: return .unreadable
            case .unsupportedVersion, .unsupportedFeature: return .unsupported
            default: return .damaged
            }
        }
        return warningCount > 0 ? .warnings : .clean
    }
}

/// Verifies RDB files: checksum, full structure (the decoders' deep checks), duplicate keys,
/// producer consistency, and the semantic checks reported as warnings.
public struct Verifier: Sendable {
    public let options: VerifyOptions

    public init(options: VerifyOptions = VerifyOptions()) { self.options = options }

    public func verify(path: String) -> VerifyResult {
        verify(name: path, reopenable: path != "-", checksumPath: path == "-" ? nil : path) { try Input.open(path) }
    }

    public func verify(bytes: [UInt8], name: String = "-") -> VerifyResult {
        verify(name: name, reopenable: true) {
            Input.Opened(source: MemorySource(bytes), isGzip: false, fileSize: Int64(bytes.count))
        }
    }

    /// `open` is called again for the duplicate-key re-check and the hexdump when `reopenable`.
    public func verify(name: String, reopenable: Bool, open: () throws -> Input.Opened) -> VerifyResult {
        verify(name: name, reopenable: reopenable, checksumPath: nil, open: open)
    }

    /// With `checksumPath` (a regular, uncompressed file), the CRC-64 is computed on a second
    /// thread instead of inline.
    func verify(name: String, reopenable: Bool, checksumPath: String?, open: () throws -> Input.Opened) -> VerifyResult {
        let started = monotonicSeconds()
        var result = VerifyResult(path: name)
        result.nowMs = options.nowMs
        let pass = VerifyPass(options: options)
        do {
            let opened = try open()
            result.fileSize = opened.fileSize
            result.isGzip = opened.isGzip
            let parallel = checksumPath.flatMap { opened.fileSize != nil && !opened.isGzip ? ParallelChecksum(path: $0) : nil }
            // Whatever ends the read, the thread stops with it.
            defer { parallel?.cancel() }
            let input = BufferedReader(parallel ?? opened.source, checksum: parallel == nil)
            do {
                let reader = RDBReader(input: input, options: .init(allowNewer: options.allowNewer, verifyChecksum: parallel == nil,
                                                                    level: .structure, concurrentBlobChecks: true))
                try reader.read(shapes: { try pass.consume($0) }, events: { try pass.consume($0, endingAt: input.offset) })
                if let parallel, var t = pass.trailer {
                    if let stored = t.storedChecksum, stored != 0 {
                        let computed = try parallel.checksum(upTo: t.eofOffset + 1)
                        t.computedChecksum = computed
                        pass.trailer = t
                        if stored != computed {
                            throw RDBError(.checksumMismatch, at: t.eofOffset + 1, expected: "CRC-64 \(hex64(computed))", found: "\(hex64(stored))")
                        }
                    }
                }
                if !options.isAOFPart { try pass.readTrailingBytes(input) }
            } catch let e as RDBError {
                result.failure = e
            }
            result.bytesRead = input.offset
        } catch let e as RDBError {
            result.failure = e
        } catch {
            result.failure = RDBError(.io, at: 0, expected: "readable input", found: "\(error)")
        }
        result.readSeconds = monotonicSeconds() - started
        pass.finish(into: &result)

        if result.failure == nil {
            let dupStarted = monotonicSeconds()
            do {
                let suspects = try pass.fingerprints.repeated()
                result.duplicateSuspects = suspects.count
                if !suspects.isEmpty {
                    if reopenable {
                        if let (dup, before) = try confirmDuplicate(suspects, open: open) {
                            result.failure = dup
                            result.lastGoodKey = before
                        }
                    } else {
                        result.failure = RDBError(.structural, at: 0, expected: "each key once per database",
                                                  found: "\(suspects.count) repeated key fingerprint(s); standard input cannot be re-read to name them")
                    }
                }
                if result.failure == nil { result.checks.append("duplicate-keys") }
            } catch let e as RDBError {
                result.failure = e
            } catch {
                result.failure = RDBError(.io, at: 0, expected: "the duplicate-key check", found: "\(error)")
            }
            result.duplicateSeconds = monotonicSeconds() - dupStarted
        }
        result.duplicateFingerprints = pass.fingerprints.total
        result.duplicateSpilledBytes = pass.fingerprints.spilledBytes
        if let f = result.failure, options.hexdumpRadius > 0, reopenable, f.kind != .io {
            result.hexdump = try? Self.window(around: f.offset, radius: options.hexdumpRadius, open: open)
        }
        result.totalSeconds = monotonicSeconds() - started
        return result
    }

    /// The second pass: finds the first record whose (db, key) exactly repeats an earlier one
    /// among the suspect fingerprints; returns the error and the record before it.
    private func confirmDuplicate(_ suspects: Set<UInt64>, open: () throws -> Input.Opened) throws -> (RDBError, KeyLocation?)? {
        struct Found: Error { let error: RDBError; let before: KeyLocation? }
        let input = BufferedReader(try open().source, checksum: false)
        let reader = RDBReader(input: input, options: .init(allowNewer: options.allowNewer, verifyChecksum: false, level: .structure))
        var seen: [UInt64: [(key: [UInt8], offset: Int64)]] = [:]
        var previous: KeyLocation? = nil
        var dialect: Dialect? = nil
        do {
            try reader.read { event in
                if case .header(let d) = event { dialect = d }
                guard case .keyShape(let k) = event else { return }
                let fp = k.key.withUnsafeBytes { KeyFingerprints.fingerprint(db: k.db, key: $0) }
                if suspects.contains(fp) {
                    if let first = seen[fp]?.first(where: { $0.key == k.key }) {
                        let type = dialect?.valueType(k.metadata.typeByte)?.checkRDBName
                        throw Found(error: RDBError(.structural, at: k.metadata.offset, expected: "each key once per database",
                                                    found: "the key again (first at offset \(first.offset)); Redis refuses to load such a file",
                                                    db: k.db, key: k.key, typeName: type),
                                    before: previous)
                    }
                    seen[fp, default: []].append((k.key, k.metadata.offset))
                }
                previous = KeyLocation(db: k.db, key: k.key, offset: k.metadata.offset, end: k.metadata.offset + k.metadata.serializedBytes)
            }
        } catch let f as Found {
            return (f.error, f.before)
        }
        return nil
    }

    /// The bytes within `radius` of `offset`.
    static func window(around offset: Int64, radius: Int, open: () throws -> Input.Opened) throws -> (offset: Int64, bytes: [UInt8]) {
        let r = Int64(radius)
        let from = max(0, offset - r)
        let input = BufferedReader(try open().source, checksum: false)
        try input.skip(Int(from))
        var bytes: [UInt8] = []
        while Int64(bytes.count) < offset + r - from, try input.peekByte() != nil {
            bytes.append(try input.readByte())
        }
        return (from, bytes)
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The state of one reading pass: counts, warnings, fingerprints.
final class VerifyPass {
    let options: VerifyOptions
    let fingerprints: KeyFingerprints
    var dialect: Dialect?
    var producer: String?
    var ctime: Int64?
    var producerChecked = false
    var keys = 0, keysWithTTL = 0, expired = 0, empty = 0
    /// The last key read whole: its parts, the key copied into storage reused from key to key.
    let lastGoodKey = ByteScratch()
    var lastGoodDB = 0, lastGoodOffset: Int64 = -1, lastGoodEnd: Int64 = 0
    var trailer: RDBTrailer?
    var warnings: [VerifyWarning] = []
    var warningCounts: [VerifyWarning.Kind: Int] = [:]
    var trailingBytes: Int64 = 0
    var eofMark = false
    /// Keys and keys with a TTL per database, for the RESIZEDB comparison.
    var counts: [Int: (keys: Int, expires: Int)] = [:]
    var hints: [Int: (keys: UInt64, expires: UInt64)] = [:]
    // The current database's counts, kept out of the dictionary on the per-key path.
    var db = 0, dbKeys = 0, dbExpires = 0

    init(options: VerifyOptions) {
        self.options = options
        fingerprints = KeyFingerprints(memoryBudget: options.duplicateKeyMemory)
    }

    var lastGood: KeyLocation? {
        lastGoodOffset < 0 ? nil : KeyLocation(db: lastGoodDB, key: Array(lastGoodKey.bytes), offset: lastGoodOffset, end: lastGoodEnd)
    }

    func warn(_ kind: VerifyWarning.Kind, _ offset: Int64?, db: Int? = nil, key: @autoclosure () -> [UInt8]? = nil,
              _ message: @autoclosure () -> String) {
        let n = warningCounts[kind, default: 0]
        warningCounts[kind] = n + 1
        if n < options.warningsKeptPerKind {
            warnings.append(VerifyWarning(kind: kind, offset: offset, db: db, key: key(), message: message()))
        }
    }

    func switchDB(_ to: Int) {
        guard to != db else { return }
        if dbKeys > 0 || dbExpires > 0 {
            let c = counts[db, default: (0, 0)]
            counts[db] = (c.keys + dbKeys, c.expires + dbExpires)
        }
        db = to; dbKeys = 0; dbExpires = 0
    }

    /// A key's shape, its key valid only during the call.
    func consume(_ k: KeyShapeView) throws {
        if k.db != db { switchDB(k.db) }
        keys += 1
        dbKeys += 1
        if let e = k.expireAtMs {
            keysWithTTL += 1
            dbExpires += 1
            if let now = options.nowMs, e <= now {
                expired += 1
                warn(.expiredKey, k.metadata.offset, db: k.db, key: Array(k.key), "expired at \(UTCTime.iso(ms: e)), before --now")
            }
        }
        if k.elementCount == 0 && k.type != .string && k.type != .stream && k.type != .module && k.type != .array {
            empty += 1
            warn(.emptyCollection, k.metadata.offset, db: k.db, key: Array(k.key), "empty \(k.type.rawValue): Redis skips it on load")
        }
        try fingerprints.insert(KeyFingerprints.fingerprint(db: k.db, key: k.key))
        lastGoodKey.set(k.key)
        lastGoodDB = k.db
        lastGoodOffset = k.metadata.offset
        lastGoodEnd = k.metadata.offset + k.metadata.serializedBytes
        // The first record after the AUX fields: a producer must have named itself by now.
        if !producerChecked { try checkProducer(family: nil, version: nil) }
    }

    /// `end` is the offset right after the event's record.
    func consume(_ event: RDBEvent, endingAt end: Int64) throws {
        switch event {
        case .header(let d):
            dialect = d
            return
        case .aux(let name, let value):
            if name == Array("redis-ver".utf8) || name == Array("valkey-ver".utf8) {
                let family: Dialect.Family = name.first == UInt8(ascii: "r") ? .redis : .valkey
                let version = String(decoding: value, as: UTF8.self)
                producer = "\(family.rawValue) \(version)"
                try checkProducer(family: family, version: version)
            } else if name == Array("ctime".utf8), ctime == nil {
                ctime = Int64(String(decoding: value, as: UTF8.self))
            }
            return
        case .keyShape(let k):
            try k.key.withUnsafeBytes { key in
                try consume(KeyShapeView(db: k.db, key: key, type: k.type, expireAtMs: k.expireAtMs, elementCount: k.elementCount,
                                         longestElement: k.longestElement, metadata: k.metadata))
            }
        case .selectDB(let n):
            switchDB(n)
        case .resizeDB(let d, let keys, let expires):
            hints[d] = (keys, expires)
        case .warning(let w):
            warn(.reader, w.offset, w.message)
        case .end(let t):
            trailer = t
        case .function(let f):
            try checkLibrary(f, endingAt: end)
        case .key, .moduleAux, .slotInfo, .slotImport:
            break
        }
        // The first record after the AUX fields: a producer must have named itself by now.
        if !producerChecked { try checkProducer(family: nil, version: nil) }
    }

    /// Producer consistency. Up to RDB 12 every layout is verified against real servers, so a
    /// header that differs from what the named producer writes is only a warning (hand-made
    /// fixtures do this). RDB 13+ is known from third-party descriptions only: such a header
    /// is accepted only from a producer that writes it, or that this table does not know
    /// (development builds); otherwise it is an edited header, class unsupported-version at
    /// the version digits. Every producer of 13+ names itself, so a 13+ header without a
    /// producer AUX before the first record is refused too.
    static let newestVerifiedRedis = 12

    func checkProducer(family: Dialect.Family?, version: String?) throws {
        guard !producerChecked, let d = dialect else { return }
        producerChecked = true
        let digitsAt: Int64 = d.family == .redis ? 5 : 6
        guard let family, let version else {
            if d.family == .redis && d.version >= 13 {
                throw RDBError(.unsupportedVersion, at: digitsAt, expected: "a redis-ver AUX field naming a producer of RDB \(d.version)",
                               found: "no producer named before the first record: the header looks edited")
            }
            return
        }
        guard let writes = Self.rdbVersion(writtenBy: family, version: version) else { return }
        if d.version > writes && d.family == .redis && d.version > Self.newestVerifiedRedis {
            throw RDBError(.unsupportedVersion, at: digitsAt, expected: "RDB version \(writes) or older, as \(family.rawValue) \(version) writes",
                           found: "\(d.version) in the header")
        }
        if d.version != writes {
            warn(.producerVersion, digitsAt, "\(family.rawValue) \(version) writes RDB \(writes), the header says \(d.version) (edited by hand?)")
        }
    }

    /// A function library loads only with a `#!lua name=<name>` first line and a name of
    /// letters, digits and underscores (`functionExtractLibMetaData`, `functionsVerifyName`);
    /// the Lua code itself is compiled by the server, which verify cannot do. Code without
    /// `#!` is the 7.0 release candidates' format, which keeps name and engine apart.
    func checkLibrary(_ f: FunctionLibrary, endingAt end: Int64) throws {
        guard f.code.starts(with: [0x23, 0x21]) else { return }
        let ok = f.shebang.map { s in
            s.engine == "LUA" && !s.name.isEmpty && s.name.utf8.allSatisfy { b in
                (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x5F
            }
        } ?? false
        guard ok else {
            let line = f.code.prefix { $0 != 0x0A }
            throw RDBError(.structural, at: end, expected: "a function library starting #!lua name=<letters, digits, _>",
                           found: "\(Quoting.redisCLI(line, limit: 60)) (in the record ending here)")
        }
    }

    /// The RDB version each release line writes (format.md §2.1, §2.2); nil when unknown
    /// (development builds such as 255.255.255, releases newer than this table).
    static func rdbVersion(writtenBy family: Dialect.Family, version: String) -> Int? {
        let parts = version.split(separator: ".").prefix(2).map { Int($0) }
        guard parts.count == 2, let major = parts[0], let minor = parts[1] else { return nil }
        switch (family, major, minor) {
        case (.redis, 1, _), (.redis, 2, 0), (.redis, 2, 2): return 1
        case (.redis, 2, 4): return 2
        case (.redis, 2, 6), (.redis, 2, 8), (.redis, 3, 0): return 6
        case (.redis, 3, 2): return 7
        case (.redis, 4, 0): return 8
        case (.redis, 5, 0), (.redis, 6, 0), (.redis, 6, 2): return 9
        case (.redis, 7, 0): return 10
        case (.redis, 7, 2): return 11
        case (.redis, 7, 4), (.redis, 8, 0), (.redis, 8, 2), (.redis, 8, 4): return 12
        case (.redis, 8, 6): return 13
        case (.redis, 8, 8): return 14
        case (.valkey, 7, 2), (.valkey, 8, 0), (.valkey, 8, 1): return 11
        case (.valkey, 9, 0), (.valkey, 9, 1): return 80
        case (.valkey, 9, 2): return 81
        default: return nil
        }
    }

    /// After the checksum: nothing, a `redis-cli --rdb` EOF mark, or unexpected bytes.
    func readTrailingBytes(_ input: BufferedReader) throws {
        let at = input.offset
        var head: [UInt8] = []
        var n: Int64 = 0
        while try input.peekByte() != nil {
            let b = try input.readByte()
            if head.count < 41 { head.append(b) }
            n += 1
        }
        trailingBytes = n
        guard n > 0 else { return }
        let isHex = head.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        if n == 40 && isHex {
            eofMark = true
        } else {
            warn(.trailingBytes, at, "\(n) byte\(n == 1 ? "" : "s") after the checksum (Redis ignores them)")
        }
    }

    func finish(into r: inout VerifyResult) {
        switchDB(-1)
        r.dialect = dialect
        r.producer = producer
        r.ctime = ctime
        r.keys = keys
        r.keysWithTTL = keysWithTTL
        r.expiredKeys = expired
        r.emptyCollections = empty
        r.trailer = trailer
        r.trailingBytes = trailingBytes
        r.eofMark = eofMark
        r.databases = counts.count
        if r.failure != nil {
            r.lastGoodKey = lastGood
        } else {
            for (d, h) in hints.sorted(by: { $0.key < $1.key }) {
                let c = counts[d] ?? (0, 0)
                if h.keys != UInt64(c.keys) || h.expires != UInt64(c.expires) {
                    warn(.resizeDBMismatch, nil, db: d, "RESIZEDB says \(h.keys) keys (\(h.expires) with a TTL), the file holds \(c.keys) (\(c.expires))")
                }
            }
            r.checks = ["header", "structure", "producer-version",
                        trailer?.status == .ok ? "checksum" : nil,
                        "resizedb", "empty-collections", options.nowMs != nil ? "expired-keys" : nil,
                        options.isAOFPart ? nil : "trailing-bytes"].compactMap { $0 }
        }
        r.warnings = warnings
        r.warningCounts = warningCounts
    }
}
