/// `dump --format jsonl` and `--format json`: the records of jsonl.md, one object per key and
/// per function library, rendered byte by byte.
public final class JSONLWriter: RecordWriter {
    public enum Framing: Sendable {
        /// One object per line (`jsonl`).
        case lines
        /// One JSON array of the same objects (`json`): `[`, objects separated by `,\n`, `]`.
        case array
    }

    private let out: OutputBuffer
    private let framing: Framing
    private let withMetadata: Bool
    private var recordsWritten = 0
    /// The record being rendered (see `ByteSink` for why records are rendered apart).
    private var record = RecordBuffer()

    /// - Parameter withMetadata: adds `encoding`, `lru_idle_s`, `lfu_freq` (when present),
    ///   `offset` and `serialized_bytes` after `value` (`--with-metadata`).
    public init(output: OutputBuffer, framing: Framing = .lines, withMetadata: Bool = false) {
        self.out = output
        self.framing = framing
        self.withMetadata = withMetadata
        record.spillTarget = output
    }

    public func begin() throws {
        if framing == .array { out.append("[\n") }
    }

    public func write(_ r: KeyRecord) throws {
        startRecord()
        Self.appendKeyRecord(r, withMetadata: withMetadata, to: &record)
        try endRecord()
    }

    public func write(_ library: FunctionLibrary) throws {
        startRecord()
        Self.appendFunction(library, to: &record)
        try endRecord()
    }

    public func finish() throws {
        if framing == .array { out.append(recordsWritten > 0 ? "\n]\n" : "]\n") }
        try out.flush()
    }

    // MARK: Framing

    private func startRecord() {
        if framing == .array && recordsWritten > 0 { record.append(",\n") }
    }

    private func endRecord() throws {
        if framing == .lines { record.append(UInt8(ascii: "\n")) }
        recordsWritten += 1
        try record.throwSpillError()
        try out.appendRecord(&record)
    }

    // MARK: Records

    private static func appendKeyRecord(_ r: KeyRecord, withMetadata: Bool, to b: inout RecordBuffer) {
        b.append("{\"db\":")
        b.appendDecimal(Int64(r.db))
        b.append(",\"key\":")
        JSONEncoding.appendBytes(r.key, to: &b)
        b.append(",\"type\":\"")
        b.append(text: r.value.type.rawValue)
        b.append("\",\"expire_ms\":")
        appendOptional(r.expireAtMs, to: &b)
        b.append(",\"value\":")
        appendValue(r.value, to: &b)
        if withMetadata { appendMetadata(r.metadata, to: &b) }
        b.append(UInt8(ascii: "}"))
    }

    private static func appendFunction(_ library: FunctionLibrary, to b: inout RecordBuffer) {
        let shebang = library.shebang
        b.append("{\"type\":\"function\",\"library\":")
        appendOptionalString(shebang?.name, to: &b)
        b.append(",\"engine\":")
        appendOptionalString(shebang?.engine, to: &b)
        b.append(",\"code\":")
        JSONEncoding.appendBytes(library.code, to: &b)
        b.append(UInt8(ascii: "}"))
    }

    // MARK: Values

    private static func appendValue(_ value: Value, to b: inout RecordBuffer) {
        switch value {
        case .string(let s): JSONEncoding.appendBytes(s, to: &b)
        case .list(let l): appendList(l, order: l.indices, to: &b)
        case .set(let s): appendList(s, order: s.byteOrderPermutation(), to: &b)
        case .zset(let z): appendSortedSet(z, to: &b)
        case .hash(let h): appendHash(h, to: &b)
        case .stream(let s): appendStream(s, to: &b)
        case .module(let m): appendModule(m, to: &b)
        case .array(let a): appendArray(a, to: &b)
        }
    }

    private static func appendList<S: Sequence<Int>>(_ list: ByteList, order: S, to b: inout RecordBuffer) {
        b.append(UInt8(ascii: "["))
        list.withUnsafeElements { elements in
            var first = true
            for i in order {
                if !first { b.append(UInt8(ascii: ",")) }
                first = false
                JSONEncoding.appendBytes(elements[i], to: &b)
                b.spillIfLarge()
            }
        }
        b.append(UInt8(ascii: "]"))
    }

    private static func appendSortedSet(_ z: SortedSetValue, to b: inout RecordBuffer) {
        let order = ByteList.scoreOrderPermutation(members: z.members, scores: z.scores)
        b.append(UInt8(ascii: "["))
        z.members.withUnsafeElements { members in
            var first = true
            for i in order {
                if !first { b.append(UInt8(ascii: ",")) }
                first = false
                b.append(UInt8(ascii: "["))
                JSONEncoding.appendBytes(members[i], to: &b)
                b.append(UInt8(ascii: ","))
                JSONEncoding.appendDouble(z.scores[i], to: &b)
                b.append(UInt8(ascii: "]"))
                b.spillIfLarge()
            }
        }
        b.append(UInt8(ascii: "]"))
    }

    private static func appendHash(_ h: HashValue, to b: inout RecordBuffer) {
        let order = h.fields.byteOrderPermutation()
        b.append(UInt8(ascii: "["))
        h.fields.withUnsafeElements { fields in
            h.values.withUnsafeElements { values in
                var first = true
                for i in order {
                    if !first { b.append(UInt8(ascii: ",")) }
                    first = false
                    b.append(UInt8(ascii: "["))
                    JSONEncoding.appendBytes(fields[i], to: &b)
                    b.append(UInt8(ascii: ","))
                    JSONEncoding.appendBytes(values[i], to: &b)
                    if let expiry = h.fieldExpiries?[i] {
                        b.append(UInt8(ascii: ","))
                        b.appendDecimal(expiry)
                    }
                    b.append(UInt8(ascii: "]"))
                    b.spillIfLarge()
                }
            }
        }
        b.append(UInt8(ascii: "]"))
    }

    private static func appendModule(_ m: ModuleValue, to b: inout RecordBuffer) {
        b.append("{\"module\":")
        JSONEncoding.appendString(m.name.utf8, to: &b)
        b.append(",\"encver\":")
        b.appendDecimal(Int64(m.encodingVersion))
        b.append(",\"payload_b64\":\"")
        m.payload.withUnsafeBytes { JSONEncoding.appendBase64($0, to: &b) }
        b.append("\"}")
    }

    private static func appendArray(_ a: ArrayValue, to b: inout RecordBuffer) {
        b.append(UInt8(ascii: "["))
        for (n, element) in a.elements.enumerated() {
            b.append(n == 0 ? "[" : ",[")
            JSONEncoding.appendDecimal(element.index, to: &b)
            b.append(UInt8(ascii: ","))
            switch element.value {
            case .bytes(let bytes): JSONEncoding.appendBytes(bytes, to: &b)
            case .integer(let v): b.appendDecimal(v)
            case .double(let v): JSONEncoding.appendDouble(v, to: &b)
            }
            b.append(UInt8(ascii: "]"))
        }
        b.append(UInt8(ascii: "]"))
    }

    // MARK: Streams

    private static func appendStream(_ s: StreamValue, to b: inout RecordBuffer) {
        b.append("{\"length\":")
        JSONEncoding.appendDecimal(s.length, to: &b)
        b.append(",\"last_id\":")
        JSONEncoding.appendStreamID(s.lastID, to: &b)
        b.append(",\"first_id\":")
        appendOptionalID(s.firstID, to: &b)
        b.append(",\"max_deleted_id\":")
        appendOptionalID(s.maxDeletedID, to: &b)
        b.append(",\"entries_added\":")
        appendOptional(s.entriesAdded, to: &b)
        b.append(",\"entries\":[")
        s.entries.items.withUnsafeElements { items in
            for n in s.entries.indices {
                b.append(n == 0 ? "[" : ",[")
                JSONEncoding.appendStreamID(s.entries.ids[n], to: &b)
                b.append(",[")
                let range = s.entries.itemRange(n)
                for f in stride(from: range.lowerBound, to: range.upperBound - 1, by: 2) {
                    b.append(f == range.lowerBound ? "[" : ",[")
                    JSONEncoding.appendBytes(items[f], to: &b)
                    b.append(UInt8(ascii: ","))
                    JSONEncoding.appendBytes(items[f + 1], to: &b)
                    b.append(UInt8(ascii: "]"))
                }
                b.append("]]")
                b.spillIfLarge()
            }
        }
        b.append("],\"groups\":[")
        for (n, group) in s.groups.sorted(by: { $0.name.lexicographicallyPrecedes($1.name) }).enumerated() {
            if n > 0 { b.append(UInt8(ascii: ",")) }
            appendGroup(group, to: &b)
        }
        b.append("]}")
    }

    private static func appendGroup(_ g: StreamGroup, to b: inout RecordBuffer) {
        b.append("{\"name\":")
        JSONEncoding.appendBytes(g.name, to: &b)
        b.append(",\"last_delivered_id\":")
        JSONEncoding.appendStreamID(g.lastDeliveredID, to: &b)
        b.append(",\"entries_read\":")
        // The server answers nil for the file's "unknown" sentinel.
        appendOptional(g.entriesRead == UInt64.max ? nil : g.entriesRead, to: &b)

        let consumers = g.consumers.sorted { $0.name.lexicographicallyPrecedes($1.name) }
        // The file records each PEL entry's owner as membership of a consumer's PEL.
        var owner: [StreamID: Int] = [:]
        owner.reserveCapacity(g.pending.count)
        for (c, consumer) in consumers.enumerated() {
            for id in consumer.pending { owner[id] = c }
        }
        b.append(",\"pel\":[")
        for (n, entry) in g.pending.sorted(by: { $0.id < $1.id }).enumerated() {
            b.append(n == 0 ? "{\"id\":" : ",{\"id\":")
            JSONEncoding.appendStreamID(entry.id, to: &b)
            b.append(",\"consumer\":")
            if let c = owner[entry.id] {
                JSONEncoding.appendBytes(consumers[c].name, to: &b)
            } else {
                b.append("null")  // a NACK owned by no consumer (stream v5)
            }
            b.append(",\"delivery_time_ms\":")
            b.appendDecimal(entry.deliveryTimeMs)
            b.append(",\"delivery_count\":")
            JSONEncoding.appendDecimal(entry.deliveryCount, to: &b)
            b.append(UInt8(ascii: "}"))
            b.spillIfLarge()
        }
        b.append("],\"consumers\":[")
        for (n, consumer) in consumers.enumerated() {
            b.append(n == 0 ? "{\"name\":" : ",{\"name\":")
            JSONEncoding.appendBytes(consumer.name, to: &b)
            b.append(",\"seen_time_ms\":")
            b.appendDecimal(consumer.seenTimeMs)
            b.append(",\"active_time_ms\":")
            appendOptional(consumer.activeTimeMs, to: &b)
            b.append(",\"pel\":[")
            for (k, id) in consumer.pending.sorted().enumerated() {
                if k > 0 { b.append(UInt8(ascii: ",")) }
                JSONEncoding.appendStreamID(id, to: &b)
            }
            b.append("]}")
        }
        b.append("]}")
    }

    // MARK: Metadata and optionals

    private static func appendMetadata(_ m: RecordMetadata, to b: inout RecordBuffer) {
        b.append(",\"encoding\":")
        JSONEncoding.appendString(m.encoding.name.utf8, to: &b)
        if let idle = m.lruIdleSeconds {
            b.append(",\"lru_idle_s\":")
            JSONEncoding.appendDecimal(idle, to: &b)
        }
        if let freq = m.lfuFreq {
            b.append(",\"lfu_freq\":")
            b.appendDecimal(Int64(freq))
        }
        b.append(",\"offset\":")
        b.appendDecimal(m.offset)
        b.append(",\"serialized_bytes\":")
        b.appendDecimal(m.serializedBytes)
    }

    private static func appendOptional(_ v: Int64?, to b: inout RecordBuffer) {
        if let v { b.appendDecimal(v) } else { b.append("null") }
    }

    private static func appendOptional(_ v: UInt64?, to b: inout RecordBuffer) {
        if let v { JSONEncoding.appendDecimal(v, to: &b) } else { b.append("null") }
    }

    private static func appendOptionalID(_ id: StreamID?, to b: inout RecordBuffer) {
        if let id { JSONEncoding.appendStreamID(id, to: &b) } else { b.append("null") }
    }

    private static func appendOptionalString(_ s: String?, to b: inout RecordBuffer) {
        if let s { JSONEncoding.appendString(s.utf8, to: &b) } else { b.append("null") }
    }
}
