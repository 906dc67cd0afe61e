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
        public init(allowNewer: Bool = false, verifyChecksum: Bool = true, level: Level = .values,
                    captureLayout: Bool = false) {
            self.allowNewer = allowNewer; self.verifyChecksum = verifyChecksum; self.level = level
            self.captureLayout = captureLayout
        }
    }

    public let input: BufferedReader
    public let options: Options
    public private(set) var dialect: Dialect?

    public init(input: BufferedReader, options: Options = Options()) {
        self.input = input
        self.options = options
    }

    /// Opens a path (or `-`), gzip detected by magic.
    public convenience init(path: String, options: Options = Options()) throws {
        let opened = try Input.open(path)
        self.init(input: BufferedReader(opened.source, checksum: options.verifyChecksum), options: options)
    }

    // MARK: Header

    public func readHeader() throws -> Dialect {
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

    // MARK: Records

    /// Reads the whole file, header to trailer, calling `handle` for each event.
    public func read(_ handle: (RDBEvent) throws -> Void) throws {
        let dialect = try readHeader()
        try handle(.header(dialect))
        try readRecords(dialect, handle)
    }

    /// Reads records after the header through the EOF opcode and checksum.
    public func readRecords(_ dialect: Dialect, _ handle: (RDBEvent) throws -> Void) throws {
        let decoder = RDBDecoder(input: input, dialect: dialect)
        decoder.capturesLayout = options.captureLayout
        var db = 0
        var recordStart: Int64? = nil
        var expireAt: Int64? = nil
        var idle: UInt64? = nil
        var freq: UInt8? = nil

        while true {
            let at = input.offset
            let op = try input.readByte()
            switch op {
            case RDBOpcode.eof:
                let computed = input.checksum()
                var trailer = RDBTrailer(eofOffset: at, storedChecksum: nil, computedChecksum: options.verifyChecksum ? computed : nil)
                if dialect.version >= 5 {
                    trailer.storedChecksum = try input.readUInt64LE()
                }
                try handle(.end(trailer))
                if trailer.status == .mismatch, let stored = trailer.storedChecksum {
                    throw RDBError(.checksumMismatch, at: at + 1, expected: "CRC-64 \(hex64(computed))", found: "\(hex64(stored))")
                }
                return
            case RDBOpcode.selectDB:
                let v = try decoder.readLength()
                guard v <= UInt64(Int32.max) else {
                    throw RDBError(.structural, at: at + 1, expected: "a database number", found: "\(v)")
                }
                db = Int(v)
                try handle(.selectDB(db))
            case RDBOpcode.resizeDB:
                let keys = try decoder.readLength()
                let expires = try decoder.readLength()
                try handle(.resizeDB(db: db, keys: keys, expires: expires))
            case RDBOpcode.aux:
                let name = try decoder.readString()
                let value = try decoder.readString()
                try handle(.aux(name: name, value: value))
            case RDBOpcode.expireTimeMs:
                recordStart = recordStart ?? at
                expireAt = try decoder.readMillisecondTime()
            case RDBOpcode.expireTime:
                recordStart = recordStart ?? at
                expireAt = Int64(Int32(bitPattern: try input.readUInt32LE())) * 1000
            case RDBOpcode.idle:
                recordStart = recordStart ?? at
                idle = try decoder.readLength()
            case RDBOpcode.freq:
                recordStart = recordStart ?? at
                freq = try input.readByte()
            case RDBOpcode.moduleAux:
                let id = try decoder.readLength()
                input.beginCapture()
                do { try decoder.skipModuleOpcodes() } catch { _ = input.endCapture(); throw error }
                try handle(.moduleAux(moduleID: id, payload: input.endCapture()))
            case RDBOpcode.function2:
                try handle(.function(FunctionLibrary(code: try decoder.readString())))
            case RDBOpcode.functionPreGA:
                _ = try decoder.readString()  // name; the code's shebang names it too
                _ = try decoder.readString()  // engine
                if try decoder.readLength() != 0 { _ = try decoder.readString() }  // description
                try handle(.function(FunctionLibrary(code: try decoder.readString())))
            case RDBOpcode.slotInfo:
                try handle(.slotInfo(slot: try decoder.readLength(), keys: try decoder.readLength(), expires: try decoder.readLength()))
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
                try handle(.slotImport(job: job, ranges: ranges))
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
                try handle(.warning(RDBWarning(offset: at, message: "skipped Redis Enterprise opcode \(op)")))
            default:
                guard let type = dialect.valueType(op) else {
                    let isOpcode = op >= 0xF0 || op == 101 || op == 102
                    throw RDBError(isOpcode ? .unknownOpcode : .unknownType, at: at,
                                   expected: "a value type or opcode known to \(dialect)",
                                   found: isOpcode ? "opcode \(op) (\(hex(op)))" : "type \(op)",
                                   db: db)
                }
                let start = recordStart ?? at
                var key: [UInt8]? = nil
                do {
                    key = try decoder.readString()
                    decoder.layout = nil  // the previous key's containers
                    if options.level == .structure {
                        let (elements, longest, encoding) = try decoder.readValueShape(type)
                        try handle(.keyShape(KeyShape(
                            db: db, key: key ?? [], type: type.dataType, expireAtMs: expireAt,
                            elementCount: elements, longestElement: longest,
                            metadata: RecordMetadata(encoding: encoding, typeByte: op, lruIdleSeconds: idle, lfuFreq: freq,
                                                     offset: start, serializedBytes: input.offset - start))))
                    } else {
                        let (value, encoding) = try decoder.readValue(type)
                        try handle(.key(KeyRecord(
                            db: db, key: key ?? [], value: value, expireAtMs: expireAt,
                            metadata: RecordMetadata(encoding: encoding, typeByte: op, lruIdleSeconds: idle, lfuFreq: freq,
                                                     offset: start, serializedBytes: input.offset - start),
                            layout: decoder.layout)))
                    }
                    if !decoder.warnings.isEmpty {
                        for w in decoder.warnings {
                            try handle(.warning(RDBWarning(offset: w.offset, message: "key \(Quoting.redisCLI(key ?? [], limit: 60)): \(w.message)")))
                        }
                        decoder.warnings.removeAll()
                    }
                } catch let e as RDBError {
                    throw e.inRecord(db: db, key: key, typeName: type.checkRDBName)
                }
                recordStart = nil
                expireAt = nil
                idle = nil
                freq = nil
            }
        }
    }
}

func hex64(_ v: UInt64) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: 16 - s.count) + s
}
