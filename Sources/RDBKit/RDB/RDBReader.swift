/// Walks an RDB file once, front to back, emitting events (format.md §1.5). Memory stays
/// bounded by the largest single value, whatever the file size.
public final class RDBReader {
    /// How much of each key consumers need; either way every byte is checked.
    public enum Level: Sendable {
        /// Full records (`.key` events).
        case values
        /// Shapes only (`.keyShape` events): type, element count, sizes, metadata.
        case structure
    }

    public struct Options: Sendable {
        /// Try a version newer than this reader knows instead of refusing it.
        public var allowNewer = false
        /// Compute the CRC-64 while reading and fail on a mismatch.
        public var verifyChecksum = true
        public var level = Level.values
        /// At the values level, fill `KeyRecord.layout` with each value's packed containers (for
        /// the memory model); off by default, as it costs an allocation per packed value.
        public var captureLayout = false
        /// At the structure level, in `read(shapes:events:)`: packed containers are checked on a
        /// thread of their own while the records after them are read. Shapes still arrive in
        /// file order, and the fault thrown is still the first in file order.
        public var concurrentBlobChecks = false
        public init(allowNewer: Bool = false, verifyChecksum: Bool = true, level: Level = .values,
                    captureLayout: Bool = false, concurrentBlobChecks: Bool = false) {
            self.allowNewer = allowNewer; self.verifyChecksum = verifyChecksum; self.level = level
            self.captureLayout = captureLayout; self.concurrentBlobChecks = concurrentBlobChecks
        }
    }

    public let input: BufferedReader
    public let options: Options
    public private(set) var dialect: Dialect?

    public init(input: BufferedReader, options: Options = Options()) {
        self.input = input
        self.options = options
        blobQueue = Self.makeBlobQueue(options)
    }

    /// Reads and checksums a regular uncompressed file on a second thread.
    private var parallelChecksum: ParallelChecksum?

    /// Opens a path (or `-`), gzip detected by magic. For a regular uncompressed file a second
    /// thread reads the file and computes the CRC-64 (`ParallelChecksum`).
    public convenience init(path: String, options: Options = Options()) throws {
        try self.init(opened: Input.open(path), path: path, options: options)
    }

    /// Reads an input already opened from `path` (callers that also want its size).
    public init(opened: Input.Opened, path: String, options: Options = Options()) {
        let parallel = options.verifyChecksum && path != "-" && !opened.isGzip && opened.fileSize != nil
            ? ParallelChecksum(path: path) : nil
        self.input = BufferedReader(parallel ?? opened.source, checksum: options.verifyChecksum && parallel == nil)
        self.options = options
        self.parallelChecksum = parallel
        blobQueue = Self.makeBlobQueue(options)
    }

    /// Checks packed containers on another thread (`Options.concurrentBlobChecks`).
    private let blobQueue: BlobCheckQueue?

    private static func makeBlobQueue(_ options: Options) -> BlobCheckQueue? {
        options.concurrentBlobChecks && options.level == .structure ? BlobCheckQueue() : nil
    }

    deinit {
        parallelChecksum?.cancel()
        blobQueue?.stop()
    }

    // MARK: Header

    public func readHeader() throws -> Dialect {
        try skipReplicationFraming()
        let at = input.offset
        var magic: [UInt8] = []
        for _ in 0..<9 {
            guard let b = try input.peekByte() else { break }
            _ = try input.readByte()
            magic.append(b)
        }
        let text = String(decoding: magic, as: UTF8.self)
        func digits(_ s: Substring) -> Int? { s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber) ? Int(s) : nil }
        let dialect: Dialect
        if text.hasPrefix("REDIS"), magic.count == 9, let v = digits(text.dropFirst(5)) {
            dialect = Dialect(family: .redis, version: v)
            guard v >= 1, v < 80 else {
                throw RDBError(.unsupportedVersion, at: at + 5, expected: "a REDIS version between 1 and 79", found: "\(v)")
            }
        } else if text.hasPrefix("VALKEY"), magic.count == 9, let v = digits(text.dropFirst(6)) {
            dialect = Dialect(family: .valkey, version: v)
            guard v >= 80 else {
                throw RDBError(.unsupportedVersion, at: at + 6, expected: "a VALKEY version of 80 or more", found: "\(v)")
            }
        } else if text.hasPrefix("VKCS") {
            throw RDBError(.unsupportedVersion, at: at, expected: "an RDB stream", found: "a Valkey compressed envelope (VKCS), not supported")
        } else if magic.count < 9, ["REDIS", "VALKEY"].contains(where: { m in
            magic.starts(with: m.utf8) || m.utf8.starts(with: magic)
        }) {
            throw RDBError(.truncated, at: at + Int64(magic.count), expected: "a 9-byte header", found: "end of input after \(magic.count) bytes")
        } else {
            throw RDBError(.notRDB, at: at, expected: "the magic REDIS0nnn or VALKEYnnn",
                          found: Quoting.redisCLI(magic))
        }
        if dialect.isNewerThanKnown && !options.allowNewer {
            let newest = dialect.family == .redis ? Dialect.newestRedis : Dialect.newestValkey
            throw RDBError(.unsupportedVersion, at: at + (dialect.family == .redis ? 5 : 6),
                           expected: "RDB version \(newest) or older (--allow-newer tries anyway)", found: "\(dialect.version)")
        }
        self.dialect = dialect
        return dialect
    }

    /// Warnings found before the first record (replication framing), reported with `.header`.
    private var headerWarnings: [RDBWarning] = []

    /// Strips what a captured full sync puts before the RDB (format.md §2.5.1, §9.9):
    /// `+FULLRESYNC <replid> <offset>`, keep-alive newlines, and the `$<length>` or
    /// `$EOF:<40-byte mark>` bulk header. The checksum then starts at the magic.
    private func skipReplicationFraming() throws {
        guard let first = try input.peekByte(), first == UInt8(ascii: "+") || first == UInt8(ascii: "$")
                || first == UInt8(ascii: "\n") else { return }
        let at = input.offset
        var stripped: [String] = []
        while let b = try input.peekByte() {
            if b == UInt8(ascii: "\n") {
                _ = try input.readByte()
                continue
            }
            guard b == UInt8(ascii: "+") || b == UInt8(ascii: "$") else { break }
            let lineAt = input.offset
            var line: [UInt8] = []
            while let c = try input.peekByte(), c != UInt8(ascii: "\n") {
                guard line.count < 128 else {
                    throw RDBError(.notRDB, at: lineAt, expected: "a replication header line", found: "more than 128 bytes")
                }
                line.append(try input.readByte())
            }
            _ = try input.readByte()
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            stripped.append(String(decoding: line, as: UTF8.self))
            if b == UInt8(ascii: "$") { break }  // the bulk header: the RDB follows at once
        }
        input.resetChecksum()
        headerWarnings.append(RDBWarning(offset: at, message: "stripped replication framing before the RDB: "
                                         + stripped.map { Quoting.redisCLI($0.utf8, limit: 60) }.joined(separator: ", ")))
    }

    // MARK: Records

    /// Reads the whole file, header to trailer, calling `handle` for each event.
    public func read(_ handle: (RDBEvent) throws -> Void) throws {
        while let event = try next() { try handle(event) }
    }

    /// Reads the whole file at the structure level, passing each key's shape to `shapes` and
    /// every other event to `events`. Cheaper per key than `read`: no event, no key array.
    public func read(shapes: (KeyShapeView) throws -> Void, events: (RDBEvent) throws -> Void) throws {
        while let event = try next(shapes: options.level == .structure, shapes) { try events(event) }
    }

    /// Reads records after an already-read header through the EOF opcode and checksum.
    public func readRecords(_ dialect: Dialect, _ handle: (RDBEvent) throws -> Void) throws {
        startRecords(dialect, db: 0)
        while let event = try next() { try handle(event) }
    }

    // MARK: Pull-based reading

    private var decoder: RDBDecoder?
    private var db = 0
    /// Events produced but not yet returned (warnings after the record that caused them).
    private var queued: [RDBEvent] = []
    /// Thrown on the call after `.end`, so that consumers see the trailer before the error.
    private var deferredError: RDBError?
    private var finished = false

    /// Continues in the middle of a file whose header was read elsewhere: at a record boundary
    /// (an offset a previous pass recorded), in database `db`.
    public convenience init(input: BufferedReader, dialect: Dialect, db: Int, options: Options = Options()) {
        self.init(input: input, options: options)
        self.dialect = dialect
        startRecords(dialect, db: db)
    }

    private func startRecords(_ dialect: Dialect, db: Int) {
        self.dialect = dialect
        let decoder = RDBDecoder(input: input, dialect: dialect)
        decoder.capturesLayout = options.captureLayout
        self.decoder = decoder
        self.db = db
    }

    /// The next event in file order; nil after the trailer.
    public func next() throws -> RDBEvent? {
        try next(shapes: false) { _ in }
    }

    /// The key read last by `read(shapes:events:)`.
    private let keyScratch = ByteScratch()

    /// With `shapes`, keys go to `onShape` and reading goes on, instead of each being returned
    /// as an event. (Not an optional closure: that would be copied, and retained, per key.)
    private func next(shapes: Bool, _ onShape: (KeyShapeView) throws -> Void) throws -> RDBEvent? {
        guard shapes, let blobQueue else { return try nextRecord(shapes: shapes, queue: nil, onShape) }
        // Every key before an event or a fault reaches the consumer first (or its fault is thrown).
        while true {
            let event: RDBEvent?
            do {
                event = try nextRecord(shapes: shapes, queue: blobQueue, onShape)
            } catch {
                try blobQueue.drain(onShape)
                throw error
            }
            if batchFull {
                batchFull = false
                try blobQueue.submit(onShape)
                continue
            }
            try blobQueue.drain(onShape)
            return event
        }
    }

    /// The blob queue's batch is full: `nextRecord` returned for it to be handed over (the
    /// consumer is not called inside a record's reading).
    private var batchFull = false

    /// `queue` is `blobQueue` when shapes go through it (a parameter: not reference counted
    /// per key).
    private func nextRecord(shapes: Bool, queue: BlobCheckQueue?, _ onShape: (KeyShapeView) throws -> Void) throws -> RDBEvent? {
        if !queued.isEmpty { return queued.removeFirst() }
        if let e = deferredError { deferredError = nil; throw e }
        if finished { return nil }
        guard let decoder, let dialect else {
            let d = try readHeader()
            startRecords(d, db: 0)
            queued = headerWarnings.map { .warning($0) }
            return .header(d)
        }
        var recordStart: Int64? = nil
        var expireAt: Int64? = nil
        var idle: UInt64? = nil
        var freq: UInt8? = nil

        while true {
            let at = input.offset
            let op = try input.readByte()
            switch op {
            case RDBOpcode.eof:
                let computed = try parallelChecksum?.checksum(upTo: at + 1) ?? input.checksum()
                var trailer = RDBTrailer(eofOffset: at, storedChecksum: nil, computedChecksum: options.verifyChecksum ? computed : nil)
                if dialect.version >= 5 {
                    trailer.storedChecksum = try input.readUInt64LE()
                }
                finished = true
                if trailer.status == .mismatch, let stored = trailer.storedChecksum {
                    deferredError = RDBError(.checksumMismatch, at: at + 1, expected: "CRC-64 \(hex64(computed))", found: "\(hex64(stored))")
                }
                return .end(trailer)
            case RDBOpcode.selectDB:
                let v = try decoder.readLength()
                guard v <= UInt64(Int32.max) else {
                    throw RDBError(.structural, at: at + 1, expected: "a database number", found: "\(v)")
                }
                db = Int(v)
                return .selectDB(db)
            case RDBOpcode.resizeDB:
                let keys = try decoder.readLength()
                let expires = try decoder.readLength()
                return .resizeDB(db: db, keys: keys, expires: expires)
            case RDBOpcode.aux:
                let name = try decoder.readString()
                let value = try decoder.readString()
                return .aux(name: name, value: value)
            case RDBOpcode.expireTimeMs:
                recordStart = recordStart ?? at
                expireAt = try attribute(db) { try decoder.readMillisecondTime() }
            case RDBOpcode.expireTime:
                recordStart = recordStart ?? at
                expireAt = try attribute(db) { Int64(Int32(bitPattern: try input.readUInt32LE())) * 1000 }
            case RDBOpcode.idle:
                recordStart = recordStart ?? at
                idle = try attribute(db) { try decoder.readLength() }
            case RDBOpcode.freq:
                recordStart = recordStart ?? at
                freq = try attribute(db) { try input.readByte() }
            case RDBOpcode.moduleAux:
                let id = try decoder.readLength()
                input.beginCapture()
                do { try decoder.skipModuleOpcodes() } catch { _ = input.endCapture(); throw error }
                return .moduleAux(moduleID: id, payload: input.endCapture())
            case RDBOpcode.function2:
                return .function(FunctionLibrary(code: try decoder.readString()))
            case RDBOpcode.functionPreGA:
                _ = try decoder.readString()  // name; the code's shebang names it too
                _ = try decoder.readString()  // engine
                if try decoder.readLength() != 0 { _ = try decoder.readString() }  // description
                return .function(FunctionLibrary(code: try decoder.readString()))
            case RDBOpcode.slotInfo:
                return .slotInfo(slot: try decoder.readLength(), keys: try decoder.readLength(), expires: try decoder.readLength())
            case RDBOpcode.keyMetaOrSlotImport where dialect.family == .valkey:
                let job = try decoder.readString()
                let n = try decoder.readCount("slot range count")
                var ranges: [ClosedRange<UInt64>] = []
                for _ in 0..<n {
                    let rangeAt = input.offset
                    let lo = try decoder.readLength(), hi = try decoder.readLength()
                    guard lo <= hi else { throw RDBError(.structural, at: rangeAt, expected: "a slot range start <= end", found: "\(lo)-\(hi)") }
                    ranges.append(lo...hi)
                }
                return .slotImport(job: job, ranges: ranges)
            case RDBOpcode.keyMetaOrSlotImport:
                // Redis KEY_META: module metadata classes of the next key, skipped by walking them.
                recordStart = recordStart ?? at
                let n = try decoder.readCount("key metadata class count")
                for _ in 0..<n {
                    try input.skip(4)
                    try decoder.skipModuleOpcodes()
                }
            case RDBOpcode.enterpriseRAMLRU where dialect.family == .redis,
                 RDBOpcode.enterpriseSlotNum where dialect.family == .redis:
                _ = try decoder.readLength()
                return .warning(RDBWarning(offset: at, message: "skipped Redis Enterprise opcode \(op)"))
            default:
                guard let type = dialect.valueType(op) else {
                    let isOpcode = op >= 0xF0 || op == 101 || op == 102
                    throw RDBError(isOpcode ? .unknownOpcode : .unknownType, at: at,
                                   expected: "a value type or opcode known to \(dialect)",
                                   found: isOpcode ? "opcode \(op) (\(hex(op)))" : "type \(op)",
                                   db: db)
                }
                if shapes {
                    batchFull = try readShape(type: type, byte: op, start: recordStart ?? at, expireAt: expireAt, idle: idle,
                                              freq: freq, decoder: decoder, queue: queue, onShape)
                    if !queued.isEmpty { return queued.removeFirst() }
                    if batchFull { return nil }
                    recordStart = nil; expireAt = nil; idle = nil; freq = nil
                    continue
                }
                return try readKey(type: type, byte: op, start: recordStart ?? at, expireAt: expireAt, idle: idle, freq: freq,
                                   decoder: decoder)
            }
        }
    }

    /// Returns whether the blob queue's batch is full. Inlined into `nextRecord`'s loop: the
    /// reader's objects are then not reference counted per key.
    @inline(__always)
    private func readShape(type: RDBType, byte: UInt8, start: Int64, expireAt: Int64?, idle: UInt64?, freq: UInt8?,
                           decoder: RDBDecoder, queue: BlobCheckQueue?, _ onShape: (KeyShapeView) throws -> Void) throws -> Bool {
        if let q = queue, type.isPackedOnly || !q.isIdle {
            // The key goes straight into the queue's batch.
            let metadata = RecordMetadata(encoding: type.encoding, typeByte: byte, lruIdleSeconds: idle, lfuFreq: freq, offset: start)
            let db = self.db
            do {
                try decoder.withStringBytes { q.begin(db: db, key: $0, type: type, expireAtMs: expireAt, metadata: metadata) }
            } catch let e as RDBError {
                throw e.inRecord(db: db, key: nil, typeName: type.checkRDBName)
            }
            return try queueShape(q, type: type, metadata: metadata, decoder: decoder)
        }
        do {
            let scratch = keyScratch
            try decoder.withStringBytes { scratch.set($0) }
        } catch let e as RDBError {
            throw e.inRecord(db: db, key: nil, typeName: type.checkRDBName)
        }
        let shape: (elements: Int, longest: Int, encoding: Encoding)
        do {
            shape = try decoder.readValueShape(type)
        } catch let e as RDBError {
            throw e.inRecord(db: db, key: Array(keyScratch.bytes), typeName: type.checkRDBName)
        }
        // The consumer's own errors are its own: not in the record.
        try onShape(KeyShapeView(
            db: db, key: keyScratch.bytes, type: type.dataType, expireAtMs: expireAt,
            elementCount: shape.elements, longestElement: shape.longest,
            metadata: RecordMetadata(encoding: shape.encoding, typeByte: byte, lruIdleSeconds: idle, lfuFreq: freq,
                                     offset: start, serializedBytes: input.offset - start)))
        if !decoder.warnings.isEmpty { queueWarnings(decoder, key: Array(keyScratch.bytes)) }
        return false
    }

    /// Reads the value of the record begun last in the blob queue, behind the keys still in
    /// it: a packed value's strings as stored, for the queue's thread to check, or any other
    /// value's shape. Returns whether the queue's batch is full.
    private func queueShape(_ q: BlobCheckQueue, type: RDBType, metadata: RecordMetadata, decoder: RDBDecoder) throws -> Bool {
        var shape: (elements: Int, longest: Int, encoding: Encoding)? = nil
        do {
            if !(try decoder.readPackedStrings(type, into: q)) {
                decoder.memberQueue = q
                defer { decoder.memberQueue = nil }
                shape = try decoder.readValueShape(type)
            }
        } catch let e as RDBError {
            let e = e.inRecord(db: db, key: q.lastKey, typeName: type.checkRDBName)
            q.end(failure: e)
            throw e
        }
        q.end(serializedBytes: input.offset - metadata.offset, shape: shape)
        if !decoder.warnings.isEmpty { queueWarnings(decoder, key: q.lastKey) }
        return q.isFull
    }

    private func queueWarnings(_ decoder: RDBDecoder, key: [UInt8]) {
        for w in decoder.warnings {
            queued.append(.warning(RDBWarning(offset: w.offset, message: "key \(Quoting.redisCLI(key, limit: 60)): \(w.message)")))
        }
        decoder.warnings.removeAll()
    }

    private func readKey(type: RDBType, byte: UInt8, start: Int64, expireAt: Int64?, idle: UInt64?, freq: UInt8?,
                         decoder: RDBDecoder) throws -> RDBEvent {
        var key: [UInt8]? = nil
        do {
            key = try decoder.readString()
            decoder.layout = nil  // the previous key's containers
            let event: RDBEvent
            if options.level == .structure {
                let (elements, longest, encoding) = try decoder.readValueShape(type)
                event = .keyShape(KeyShape(
                    db: db, key: key ?? [], type: type.dataType, expireAtMs: expireAt,
                    elementCount: elements, longestElement: longest,
                    metadata: RecordMetadata(encoding: encoding, typeByte: byte, lruIdleSeconds: idle, lfuFreq: freq,
                                             offset: start, serializedBytes: input.offset - start)))
            } else {
                let (value, encoding) = try decoder.readValue(type)
                event = .key(KeyRecord(
                    db: db, key: key ?? [], value: value, expireAtMs: expireAt,
                    metadata: RecordMetadata(encoding: encoding, typeByte: byte, lruIdleSeconds: idle, lfuFreq: freq,
                                             offset: start, serializedBytes: input.offset - start),
                    layout: decoder.layout))
            }
            if !decoder.warnings.isEmpty { queueWarnings(decoder, key: key ?? []) }
            return event
        } catch let e as RDBError {
            throw e.inRecord(db: db, key: key, typeName: type.checkRDBName)
        }
    }
}

/// Reads a key attribute (expiry, idle, freq): a fault there is inside the key's record.
@inline(__always)
private func attribute<T>(_ db: Int, _ read: () throws -> T) throws -> T {
    do { return try read() } catch let e as RDBError { throw e.inRecord(db: db, key: nil, typeName: nil) }
}

func hex64(_ v: UInt64) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: 16 - s.count) + s
}
