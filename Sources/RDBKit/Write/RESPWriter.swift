/// `dump --format resp`: RESP commands that rebuild the dataset when piped into
/// `redis-cli --pipe` against an empty server. Collections are rebuilt with batched variadic
/// commands and streams as the server's own AOF rewrite does (`rewriteStreamObject`,
/// redis/redis src/aof.c); what no command can express (module values, arrays) is restored
/// from a DUMP payload.
public final class RESPWriter: RecordWriter {
    private let out: OutputBuffer
    private var selectedDB: Int?
    /// The commands being rendered for one record (see `ByteSink` for why records are
    /// rendered apart).
    private var commands: Commands

    /// - Parameter itemsPerCommand: elements per RPUSH/SADD/ZADD/HSET, as Redis's AOF rewrite
    ///   batches them (`AOF_REWRITE_ITEMS_PER_CMD` is 64), so no command is huge.
    public init(output: OutputBuffer, itemsPerCommand: Int = 64) {
        precondition(itemsPerCommand > 0, "itemsPerCommand must be positive")
        self.out = output
        self.commands = Commands(itemsPerCommand: itemsPerCommand)
    }

    public func begin() throws {}

    public func write(_ r: KeyRecord) throws {
        if selectedDB != r.db {
            commands.command("SELECT", arguments: 1)
            commands.bulk(Int64(r.db))
            selectedDB = r.db
        }
        Self.writeRebuild(of: r, to: &commands)
        try out.appendRecord(&commands.bytes)
    }

    public func write(_ library: FunctionLibrary) throws {
        commands.command("FUNCTION", arguments: 3)
        commands.bulk("LOAD")
        commands.bulk("REPLACE")
        commands.bulk(library.code)
        try out.appendRecord(&commands.bytes)
    }

    public func finish() throws {
        try out.flush()
    }

    // MARK: Types

    /// The value's commands, then the key's expiry.
    private static func writeRebuild(of r: KeyRecord, to c: inout Commands) {
        switch r.value {
        case .string(let s):
            c.command("SET", arguments: 2)
            c.bulk(r.key)
            c.bulk(s)
        case .list(let l):
            l.withUnsafeElements { items in
                c.batched("RPUSH", key: r.key, count: items.count, argumentsPerItem: 1) { c, i in c.bulk(items[i]) }
            }
        case .set(let s):
            s.withUnsafeElements { members in
                c.batched("SADD", key: r.key, count: members.count, argumentsPerItem: 1) { c, i in c.bulk(members[i]) }
            }
        case .zset(let z):
            z.members.withUnsafeElements { members in
                c.batched("ZADD", key: r.key, count: members.count, argumentsPerItem: 2) { c, i in
                    c.bulkScore(z.scores[i])
                    c.bulk(members[i])
                }
            }
        case .hash(let h):
            writeHash(h, key: r.key, to: &c)
        case .stream(let s):
            writeStream(s, key: r.key, to: &c)
        case .module(let m):
            restore(key: r.key, dumpPayload: moduleDump(m), to: &c)
        case .array(let a):
            restore(key: r.key, dumpPayload: arrayDump(a), to: &c)
        }
        if let ms = r.expireAtMs {
            c.command("PEXPIREAT", arguments: 2)
            c.bulk(r.key)
            c.bulk(ms)
        }
    }

    private static func writeHash(_ h: HashValue, key: [UInt8], to c: inout Commands) {
        h.fields.withUnsafeElements { fields in
            h.values.withUnsafeElements { values in
                c.batched("HSET", key: key, count: fields.count, argumentsPerItem: 2) { c, i in
                    c.bulk(fields[i])
                    c.bulk(values[i])
                }
                guard let expiries = h.fieldExpiries else { return }
                for (i, expiry) in expiries.enumerated() {
                    guard let ms = expiry else { continue }
                    c.command("HPEXPIREAT", arguments: 5)
                    c.bulk(key)
                    c.bulk(ms)
                    c.bulk("FIELDS")
                    c.bulk("1")
                    c.bulk(fields[i])
                }
            }
        }
    }

    private static func writeStream(_ s: StreamValue, key: [UInt8], to c: inout Commands) {
        if s.entries.isEmpty {
            // An empty stream is made by adding an entry and trimming it away at once; the id
            // 0-1 is always accepted, and XSETID below sets the real last id.
            c.command("XADD", arguments: 6)
            c.bulk(key)
            c.bulk("MAXLEN")
            c.bulk("0")
            c.bulk("0-1")
            c.bulk("x")
            c.bulk("y")
        }
        s.entries.items.withUnsafeElements { items in
            for n in s.entries.indices {
                let range = s.entries.itemRange(n)
                let pairs = range.count / 2
                c.command("XADD", arguments: 2 + 2 * pairs)
                c.bulk(key)
                c.bulk(s.entries.ids[n])
                for i in range.lowerBound..<(range.lowerBound + 2 * pairs) { c.bulk(items[i]) }
            }
        }
        // Restores the last id (entries after the last one kept may have been deleted) and,
        // from stream v2, the counters the server cannot derive.
        c.command("XSETID", arguments: 2 + (s.entriesAdded == nil ? 0 : 2) + (s.maxDeletedID == nil ? 0 : 2))
        c.bulk(key)
        c.bulk(s.lastID)
        if let added = s.entriesAdded {
            c.bulk("ENTRIESADDED")
            c.bulk(added)
        }
        if let maxDeleted = s.maxDeletedID {
            c.bulk("MAXDELETEDID")
            c.bulk(maxDeleted)
        }
        for group in s.groups.sorted(by: { $0.name.lexicographicallyPrecedes($1.name) }) {
            writeGroup(group, key: key, to: &c)
        }
    }

    private static func writeGroup(_ g: StreamGroup, key: [UInt8], to c: inout Commands) {
        // Omitted when unknown: the server then keeps its own "unknown" marker.
        let entriesRead = g.entriesRead.flatMap { $0 == UInt64.max ? nil : $0 }
        c.command("XGROUP", arguments: entriesRead == nil ? 4 : 6)
        c.bulk("CREATE")
        c.bulk(key)
        c.bulk(g.name)
        c.bulk(g.lastDeliveredID)
        if let entriesRead {
            c.bulk("ENTRIESREAD")
            c.bulk(entriesRead)
        }
        var deliveries: [StreamID: StreamPendingEntry] = [:]
        deliveries.reserveCapacity(g.pending.count)
        for entry in g.pending { deliveries[entry.id] = entry }

        for consumer in g.consumers.sorted(by: { $0.name.lexicographicallyPrecedes($1.name) }) {
            if consumer.pending.isEmpty {
                c.command("XGROUP", arguments: 4)
                c.bulk("CREATECONSUMER")
                c.bulk(key)
                c.bulk(g.name)
                c.bulk(consumer.name)
                continue
            }
            // XCLAIM ... FORCE puts the entry in the consumer's PEL with its delivery time
            // and count; JUSTID keeps the claim itself from counting as a delivery.
            for id in consumer.pending.sorted() {
                let delivery = deliveries[id]
                c.command("XCLAIM", arguments: delivery == nil ? 7 : 11)
                c.bulk(key)
                c.bulk(g.name)
                c.bulk(consumer.name)
                c.bulk("0")
                c.bulk(id)
                if let delivery {
                    c.bulk("TIME")
                    c.bulk(delivery.deliveryTimeMs)
                    c.bulk("RETRYCOUNT")
                    c.bulk(delivery.deliveryCount)
                }
                c.bulk("JUSTID")
                c.bulk("FORCE")
            }
        }
    }

    // MARK: DUMP payloads

    private static func restore(key: [UInt8], dumpPayload: [UInt8], to c: inout Commands) {
        c.command("RESTORE", arguments: 3)
        c.bulk(key)
        c.bulk("0")
        c.bulk(dumpPayload)
    }

    /// A module value as type 7 (MODULE_2): the module id, then the captured opcodes through
    /// the module EOF. Version 9 (Redis 5.0) is one every server with module type 7 accepts.
    static func moduleDump(_ m: ModuleValue) -> [UInt8] {
        var body: [UInt8] = [RDBType.module2.fileByte]
        body.reserveCapacity(m.payload.count + 19)
        appendRDBLength(m.moduleID, to: &body)
        body.append(contentsOf: m.payload)
        return sealDump(body, rdbVersion: 9)
    }

    /// An array value as type 28 (RDB 14, format.md §5.15.1, layout from third-party readers):
    /// count, insert cursor flag and cursor, then index, tag and value per element.
    static func arrayDump(_ a: ArrayValue) -> [UInt8] {
        var body: [UInt8] = [RDBType.array.fileByte]
        appendRDBLength(UInt64(a.elements.count), to: &body)
        if let cursor = a.insertIndex {
            appendRDBLength(1, to: &body)
            appendRDBLength(cursor, to: &body)
        } else {
            appendRDBLength(0, to: &body)
        }
        for (index, value) in a.elements {
            appendRDBLength(index, to: &body)
            switch value {
            case .bytes(let b):
                appendRDBLength(0, to: &body)
                appendRDBLength(UInt64(b.count), to: &body)
                body.append(contentsOf: b)
            case .integer(let v):
                appendRDBLength(1, to: &body)
                appendLittleEndian(UInt64(bitPattern: v), to: &body)
            case .double(let v):
                appendRDBLength(2, to: &body)
                appendLittleEndian(v.bitPattern, to: &body)
            }
        }
        return sealDump(body, rdbVersion: 14)
    }

    /// Redis's DUMP framing (`createDumpPayload`): the value as an RDB object, the RDB
    /// version as 2 bytes little-endian, then the CRC-64 of all that, little-endian.
    static func sealDump(_ body: [UInt8], rdbVersion: UInt16) -> [UInt8] {
        var payload = body
        payload.append(UInt8(truncatingIfNeeded: rdbVersion))
        payload.append(UInt8(truncatingIfNeeded: rdbVersion >> 8))
        appendLittleEndian(CRC64.checksum(payload), to: &payload)
        return payload
    }

    /// An RDB length in its 64-bit form (`0x81` + 8 bytes big-endian), which every loader
    /// accepts for any value.
    private static func appendRDBLength(_ v: UInt64, to body: inout [UInt8]) {
        body.append(0x81)
        for shift in stride(from: 56, through: 0, by: -8) { body.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }

    // MARK: RESP framing

    /// RESP multi-bulk commands rendered into a byte array.
    private struct Commands: ~Copyable {
        var bytes = RecordBuffer()
        /// Elements per variadic command.
        let itemsPerCommand: Int
        /// Number text is rendered here first: a bulk string's header states its length.
        private var number = RecordBuffer(capacity: 64)

        init(itemsPerCommand: Int) {
            self.itemsPerCommand = itemsPerCommand
        }

        /// `*<n>\r\n` and the command name; `arguments` excludes the name.
        mutating func command(_ name: StaticString, arguments: Int) {
            bytes.append(UInt8(ascii: "*"))
            bytes.appendDecimal(Int64(arguments + 1))
            Self.appendLineEnd(to: &bytes)
            bulk(name)
        }

        /// `count` items as commands `name key item...` of at most `itemsPerCommand` items,
        /// each item `argumentsPerItem` arguments written by `item`.
        mutating func batched(_ name: StaticString, key: [UInt8], count: Int, argumentsPerItem: Int,
                              _ item: (inout Commands, Int) -> Void) {
            var i = 0
            while i < count {
                let end = Swift.min(count, i + itemsPerCommand)
                command(name, arguments: 1 + (end - i) * argumentsPerItem)
                bulk(key)
                while i < end { item(&self, i); i += 1 }
            }
        }

        mutating func bulk(_ p: UnsafeRawBufferPointer) {
            Self.appendBulk(p, to: &bytes)
        }

        mutating func bulk(_ b: [UInt8]) {
            b.withUnsafeBytes { bulk($0) }
        }

        mutating func bulk(_ s: StaticString) {
            s.withUTF8Buffer { bulk(UnsafeRawBufferPointer($0)) }
        }

        mutating func bulk(_ v: Int64) {
            bulkNumber { $0.appendDecimal(v) }
        }

        mutating func bulk(_ v: UInt64) {
            bulkNumber { JSONEncoding.appendDecimal(v, to: &$0) }
        }

        mutating func bulk(_ id: StreamID) {
            bulkNumber { JSONEncoding.appendStreamIDText(id, to: &$0) }
        }

        /// A score as text `strtod` reads back to the identical double (`inf`, `-inf` included).
        mutating func bulkScore(_ v: Double) {
            bulkNumber { JSONEncoding.appendDoubleText(v, to: &$0) }
        }

        private mutating func bulkNumber(_ render: (inout RecordBuffer) -> Void) {
            render(&number)
            number.withUnsafeBytes { Self.appendBulk($0, to: &bytes) }
            number.removeAll(shrinkingAbove: 1 << 12)
        }

        /// `$<length>\r\n<bytes>\r\n`.
        private static func appendBulk(_ p: UnsafeRawBufferPointer, to bytes: inout RecordBuffer) {
            bytes.append(UInt8(ascii: "$"))
            bytes.appendDecimal(Int64(p.count))
            appendLineEnd(to: &bytes)
            bytes.append(p)
            appendLineEnd(to: &bytes)
        }

        private static func appendLineEnd(to bytes: inout RecordBuffer) {
            bytes.append(UInt8(ascii: "\r"))
            bytes.append(UInt8(ascii: "\n"))
        }
    }
}
