/// Estimates what each key costs in the memory of a server that loads the file: the encoding
/// the server converts the value to on load (its `rdbLoadObject` rules and default
/// `*-max-listpack-*` limits), then every allocation that encoding makes, rounded to jemalloc's
/// size classes, counted the way Redis 7's `MEMORY USAGE key SAMPLES 0` counts them
/// (`objectComputeSize`). Two deliberate differences from that command: a shared integer
/// (0..9999) costs nothing (the command charges its 16-byte object to every key using it),
/// and a key with a TTL also pays its entry in the expires dictionary (the command leaves it
/// out). Per-type layouts are in `Analysis/Memory/`.
public struct MemoryModel: Sendable {
    /// Server versions whose layouts differ.
    public enum Version: String, Sendable, CaseIterable {
        /// ziplists instead of listpacks, smaller stream and dict structs.
        case redis62 = "6.2"
        /// listpacks everywhere, quicklist PLAIN nodes (Redis 7.0.x): modelled exactly.
        case redis70 = "7.0"
        /// listpack sets and single-node lists, consumer active time (Redis 7.2, Valkey 7.2/8.0).
        case redis72 = "7.2"
    }

    public var version: Version
    public var limits: EncodingLimits
    /// False when the server runs with `maxmemory` and an LRU/LFU policy: it then gives every
    /// key its own integer object.
    public var sharedIntegers: Bool

    public init(version: Version = .redis70, limits: EncodingLimits = EncodingLimits(), sharedIntegers: Bool = true) {
        self.version = version; self.limits = limits; self.sharedIntegers = sharedIntegers
        structs = Structs(version)
    }

    let structs: Structs

    /// Fixed struct sizes (`sizeof`) on a 64-bit build; `MEMORY USAGE` adds them unrounded.
    struct Structs {
        let robj = 16
        let dictEntry = 24
        /// `dict`: 6.2 embeds two `dictht`s.
        let dict: Int
        let quicklist = 40
        let quicklistNode: Int
        let zset = 16
        let zskiplist = 32
        /// The skiplist header node, allocated with all 32 levels: 24 + 32 * 16 bytes.
        let skiplistHeader = Jemalloc.usableSize(24 + 32 * 16)
        let stream: Int
        let streamGroup: Int
        let streamConsumer: Int
        let streamNACK = 24
        /// An intset's header: encoding and length, 4 bytes each.
        let intsetHeader = 8

        init(_ v: Version) {
            dict = v == .redis62 ? 96 : 56
            quicklistNode = v == .redis62 ? 32 : 40
            stream = v == .redis62 ? 40 : 80
            streamGroup = v == .redis62 ? 32 : 40
            streamConsumer = v == .redis72 ? 32 : 24
        }
    }

    // MARK: Keys

    /// The estimate for one record. Collections read without `captureLayout` are re-laid out
    /// from their elements (exact for listpacks and intsets, approximate for quicklist nodes
    /// and streams).
    public func estimate(_ r: KeyRecord) -> MemoryEstimate {
        let value: ValueCost
        switch r.value {
        case .string(let s): value = string(s)
        case .list(let l): value = list(l, stored: r.metadata.encoding, layout: r.layout)
        case .set(let l): value = set(l, stored: r.metadata.encoding, layout: r.layout)
        case .zset(let z): value = sortedSet(z, stored: r.metadata.encoding, layout: r.layout)
        case .hash(let h): value = hash(h, stored: r.metadata.encoding, layout: r.layout)
        case .stream(let s): value = stream(s, layout: r.layout, serializedBytes: Int(r.metadata.serializedBytes))
        case .module, .array:
            // Opaque to the server without the module: its size on disk stands in for it.
            value = ValueCost(bytes: structs.robj + Int(r.metadata.serializedBytes), encoding: r.value.type == .module ? .module : .array)
        }
        if r.value.type != .string && r.value.type != .stream && r.value.elementCount == 0 {
            // A server drops empty collections on load.
            return MemoryEstimate(keyBytes: 0, valueBytes: 0, expiryBytes: 0, encoding: value.encoding, sharedValue: false)
        }
        return MemoryEstimate(keyBytes: Int64(structs.dictEntry + sdsBytes(r.key.count)),
                              valueBytes: Int64(value.bytes),
                              expiryBytes: r.expireAtMs == nil ? 0 : Int64(structs.dictEntry),
                              encoding: value.encoding, sharedValue: value.shared)
    }

    struct ValueCost {
        var bytes: Int
        var encoding: ServerEncoding
        var shared = false
    }

    // MARK: Strings

    /// sds header bytes for a string of `n` bytes (`sdsReqType`; an empty sds gets a type-8 header).
    static func sdsHeader(_ n: Int) -> Int {
        n == 0 ? 3 : n < 1 << 5 ? 1 : n < 1 << 8 ? 3 : n < 1 << 16 ? 5 : n < 1 << 32 ? 9 : 17
    }

    /// An sds of `n` bytes as `sdsnewlen` allocates it: header, bytes, terminator.
    func sdsBytes(_ n: Int) -> Int { Jemalloc.usableSize(Self.sdsHeader(n) + n + 1) }

    /// Strings that read as a canonical 64-bit integer are int-encoded (`tryObjectEncoding`),
    /// shared below 10000; up to 44 bytes the object and its sds share one allocation (embstr).
    func string(_ s: [UInt8]) -> ValueCost {
        if s.count <= 20, let v = s.withUnsafeBytes({ Decimal64.parseCanonical($0) }) {
            if sharedIntegers && v >= 0 && v < 10000 { return ValueCost(bytes: 0, encoding: .int, shared: true) }
            return ValueCost(bytes: structs.robj, encoding: .int)
        }
        if s.count <= 44 { return ValueCost(bytes: Jemalloc.usableSize(structs.robj + 3 + s.count + 1), encoding: .embstr) }
        return ValueCost(bytes: structs.robj + sdsBytes(s.count), encoding: .raw)
    }

    // MARK: Shared helpers

    /// The packed container this version builds for small collections.
    var packedKind: PackedSize.Kind { version == .redis62 ? .ziplist : .listpack }
    var packedEncoding: ServerEncoding { version == .redis62 ? .ziplist : .listpack }

    /// Whether a container the file holds in `stored` encoding is loaded byte for byte.
    func keepsPacked(_ stored: Encoding) -> Bool {
        switch stored {
        case .listpack: version != .redis62
        case .ziplist: version == .redis62
        case .intset: true
        default: false
        }
    }

    /// A dict's struct and bucket arrays.
    func dictBytes(_ d: DictModel) -> Int { structs.dict + 8 * d.slots }

    /// The bucket arrays of a database's main and expires dictionaries, sized on load for
    /// `keys` keys, `expires` of them with a TTL: a cost of the keyspace, charged to no key.
    public static func keyspaceBucketBytes(keys: Int, expires: Int) -> Int64 {
        Int64((keys > 0 ? DictModel.tableSize(keys) : 0) + (expires > 0 ? DictModel.tableSize(expires) : 0)) * 8
    }
}

/// One key's estimated memory, in bytes.
public struct MemoryEstimate: Sendable, Equatable {
    /// The key's entry in the main dictionary and its name (an sds).
    public var keyBytes: Int64
    /// The value object and everything it owns.
    public var valueBytes: Int64
    /// The key's entry in the expires dictionary; 0 without a TTL.
    public var expiryBytes: Int64
    /// The encoding the server holds the value in after loading (`OBJECT ENCODING`).
    public var encoding: ServerEncoding
    /// The value is one of the server's shared integers, which the key does not own.
    public var sharedValue: Bool

    public init(keyBytes: Int64, valueBytes: Int64, expiryBytes: Int64, encoding: ServerEncoding, sharedValue: Bool) {
        self.keyBytes = keyBytes; self.valueBytes = valueBytes; self.expiryBytes = expiryBytes
        self.encoding = encoding; self.sharedValue = sharedValue
    }

    public var total: Int64 { keyBytes + valueBytes + expiryBytes }

    /// What `MEMORY USAGE key SAMPLES 0` reports: no expires entry, and a shared integer's
    /// object charged to the key.
    public var memoryUsageCommand: Int64 { keyBytes + valueBytes + (sharedValue ? 16 : 0) }
}

/// Value encodings as a server names them in memory (`OBJECT ENCODING`).
public enum ServerEncoding: String, Sendable, CaseIterable {
    case int, embstr, raw, quicklist, listpack, ziplist, intset, hashtable, skiplist, stream, module, array

    public var name: String { rawValue }
}
