/// The shared value model: what a key holds, whether it came from an RDB file or from replaying
/// an AOF. Encodings are not part of a value (they are metadata); element order is the file's.
public enum Value: Sendable, Equatable {
    case string([UInt8])
    case list(ByteList)
    case set(ByteList)
    case zset(SortedSetValue)
    case hash(HashValue)
    // Boxed: stored inline, a stream would make every value (and every reader event) as large as itself.
    indirect case stream(StreamValue)
    case module(ModuleValue)
    case array(ArrayValue)

    public var type: DataType {
        switch self {
        case .string: .string
        case .list: .list
        case .set: .set
        case .zset: .zset
        case .hash: .hash
        case .stream: .stream
        case .module: .module
        case .array: .array
        }
    }

    /// Elements as a user counts them: string bytes, list/set members, zset members, hash
    /// fields, stream entries.
    public var elementCount: Int {
        switch self {
        case .string(let s): s.count
        case .list(let l), .set(let l): l.count
        case .zset(let z): z.members.count
        case .hash(let h): h.fields.count
        case .stream(let s): s.entries.count
        case .module: 1
        case .array(let a): a.elements.count
        }
    }

    /// The longest element in bytes (for strings, the string itself).
    public var longestElement: Int {
        switch self {
        case .string(let s): s.count
        case .list(let l), .set(let l): l.longestElement
        case .zset(let z): z.members.longestElement
        case .hash(let h): Swift.max(h.fields.longestElement, h.values.longestElement)
        case .stream, .module, .array: 0
        }
    }
}

public enum DataType: String, Sendable, CaseIterable, Comparable {
    case string, list, set, zset, hash, stream, module, array

    /// Position in `allCases`, for counting in arrays instead of dictionaries.
    public var index: Int {
        switch self {
        case .string: 0
        case .list: 1
        case .set: 2
        case .zset: 3
        case .hash: 4
        case .stream: 5
        case .module: 6
        case .array: 7
        }
    }

    public static func < (a: DataType, b: DataType) -> Bool { a.index < b.index }
}

public struct SortedSetValue: Sendable, Equatable {
    public var members = ByteList()
    public var scores: [Double] = []
    public init() {}
    public init(members: ByteList, scores: [Double]) { self.members = members; self.scores = scores }
}

public struct HashValue: Sendable, Equatable {
    public var fields = ByteList()
    public var values = ByteList()
    /// Per-field absolute expiry in Unix ms (hash field TTL); nil when no field of the hash has
    /// one, otherwise one entry per field with nil for a field without a TTL.
    public var fieldExpiries: [Int64?]? = nil
    public init() {}
}

public struct StreamID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var ms: UInt64
    public var seq: UInt64
    public init(ms: UInt64, seq: UInt64) { self.ms = ms; self.seq = seq }
    public static let zero = StreamID(ms: 0, seq: 0)
    public static func < (a: StreamID, b: StreamID) -> Bool { (a.ms, a.seq) < (b.ms, b.seq) }
    public var description: String { "\(ms)-\(seq)" }
}

public struct StreamEntry: Sendable, Equatable {
    public var id: StreamID
    /// Field/value pairs interleaved: field 0, value 0, field 1, value 1, ...
    public var fieldsAndValues: ByteList
    public init(id: StreamID, fieldsAndValues: ByteList) { self.id = id; self.fieldsAndValues = fieldsAndValues }
}

/// A stream's entries, packed: one `ByteList` holds every entry's fields and values in turn.
/// Streams of millions of small entries would otherwise cost two allocations per entry.
public struct StreamEntries: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable, Equatable {
    public private(set) var ids: [StreamID] = []
    /// `ends[i]` is the index in `items` after entry `i`'s last field or value.
    private var ends: [Int] = []
    /// Every entry's field/value pairs, interleaved, entry after entry. The decoder appends
    /// an entry's items here, then closes the entry.
    public internal(set) var items = ByteList()

    public init() {}
    public init(arrayLiteral entries: StreamEntry...) { for e in entries { append(e) } }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ids.count }

    /// Entry `i`, its fields and values copied out; writers use `itemRange` on `items` instead.
    public subscript(i: Int) -> StreamEntry {
        var fv = ByteList()
        for j in itemRange(i) { fv.append(items[j]) }
        return StreamEntry(id: ids[i], fieldsAndValues: fv)
    }

    /// The positions in `items` of entry `i`'s fields and values.
    public func itemRange(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }

    public mutating func append(_ e: StreamEntry) {
        for j in e.fieldsAndValues.indices { items.append(e.fieldsAndValues[j]) }
        close(id: e.id)
    }

    /// Ends the entry whose items were appended since the previous one, giving it `id`.
    mutating func close(id: StreamID) {
        ids.append(id)
        ends.append(items.count)
    }

    /// Drops the items appended since the last closed entry (a deleted entry's).
    mutating func discardOpenEntry(keeping count: Int) { items.truncate(to: count) }
}

public struct StreamPendingEntry: Sendable, Equatable {
    public var id: StreamID
    public var deliveryTimeMs: Int64
    public var deliveryCount: UInt64
}

public struct StreamConsumer: Sendable, Equatable {
    public var name: [UInt8]
    public var seenTimeMs: Int64
    /// nil before stream v3 (RDB 11), where the file has no active time.
    public var activeTimeMs: Int64?
    public var pending: [StreamID]
}

public struct StreamGroup: Sendable, Equatable {
    public var name: [UInt8]
    public var lastDeliveredID: StreamID
    /// The raw counter; nil before stream v2. `UInt64.max` is the file's "unknown" sentinel.
    public var entriesRead: UInt64?
    public var pending: [StreamPendingEntry]
    public var consumers: [StreamConsumer]
    /// Group PEL entries owned by no consumer (stream v5, Redis 8.8); nil before.
    public var nacked: [StreamID]?
}

/// Idempotent-producer state (stream v4+, Redis 8.6).
public struct StreamIdempotency: Sendable, Equatable {
    public struct Producer: Sendable, Equatable {
        public var pid: [UInt8]
        public var entries: [(iid: [UInt8], id: StreamID)]
        public static func == (a: Producer, b: Producer) -> Bool {
            a.pid == b.pid && a.entries.elementsEqual(b.entries) { $0.iid == $1.iid && $0.id == $1.id }
        }
    }
    public var durationSeconds: UInt64
    public var maxEntries: UInt64
    public var producers: [Producer]
    public var iidsAdded: UInt64
    public var iidsDuplicates: UInt64
}

public struct StreamValue: Sendable, Equatable {
    public var entries = StreamEntries()
    public var length: UInt64 = 0
    public var lastID = StreamID.zero
    /// nil before stream v2 (RDB 10), which does not carry them.
    public var firstID: StreamID?
    public var maxDeletedID: StreamID?
    public var entriesAdded: UInt64?
    public var groups: [StreamGroup] = []
    public var idempotency: StreamIdempotency?
    public init() {}
}

/// A module value captured without the module: its type name, encoding version and the raw
/// serialized bytes (after the 64-bit module id, through the module EOF opcode).
public struct ModuleValue: Sendable, Equatable {
    public var moduleID: UInt64
    public var payload: [UInt8]
    public init(moduleID: UInt64, payload: [UInt8]) { self.moduleID = moduleID; self.payload = payload }
    public var name: String { ModuleID.name(moduleID) }
    public var encodingVersion: Int { Int(moduleID & 1023) }
}

public enum ModuleID {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    /// The 9-character type name packed in the 54 high bits of a module id.
    public static func name(_ id: UInt64) -> String {
        var chars = [Character](repeating: "A", count: 9)
        var v = id >> 10
        for i in stride(from: 8, through: 0, by: -1) {
            chars[i] = alphabet[Int(v & 63)]
            v >>= 6
        }
        return String(chars)
    }
}

/// RDB 14's ARRAY type (Redis 8.8): a sparse array of typed elements.
public struct ArrayValue: Sendable, Equatable {
    public enum Element: Sendable, Equatable {
        case bytes([UInt8])
        case integer(Int64)
        case double(Double)
    }
    public var insertIndex: UInt64?
    public var elements: [(index: UInt64, value: Element)] = []
    public init() {}
    public static func == (a: ArrayValue, b: ArrayValue) -> Bool {
        a.insertIndex == b.insertIndex && a.elements.elementsEqual(b.elements) { $0.index == $1.index && $0.value == $1.value }
    }
}

/// A function library (FUNCTION2 or the 7.0 release candidates' FUNCTION opcode).
public struct FunctionLibrary: Sendable, Equatable {
    public var code: [UInt8]
    public init(code: [UInt8]) { self.code = code }

    /// `name` and engine from the code's shebang line, `#!<engine> name=<library> ...`.
    public var shebang: (engine: String, name: String)? {
        guard code.starts(with: [0x23, 0x21]) else { return nil }
        let line = code.dropFirst(2).prefix { $0 != 0x0A }
        let words = line.split(separator: 0x20)
        guard let engine = words.first else { return nil }
        for w in words.dropFirst() where w.starts(with: Array("name=".utf8)) {
            return (String(decoding: engine, as: UTF8.self).uppercased(),
                    String(decoding: w.dropFirst(5), as: UTF8.self))
        }
        return nil
    }
}
