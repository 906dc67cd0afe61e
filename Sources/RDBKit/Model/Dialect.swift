/// Which numbering a file uses: the same byte means different things in Redis and Valkey
/// files (format.md §2.2–§2.3). This is the only place that knows it.
public struct Dialect: Sendable, Equatable, CustomStringConvertible {
    public enum Family: String, Sendable { case redis, valkey }

    public var family: Family
    public var version: Int

    /// The newest version of each family this reader understands.
    public static let newestRedis = 15
    public static let newestValkey = 81

    public var magic: String {
        family == .redis ? "REDIS" + String(repeating: "0", count: max(0, 4 - String(version).count)) + String(version)
                         : "VALKEY" + String(repeating: "0", count: max(0, 3 - String(version).count)) + String(version)
    }

    public var description: String { magic }

    public var isNewerThanKnown: Bool {
        family == .redis ? version > Dialect.newestRedis : version > Dialect.newestValkey
    }

    /// The key value type a type byte denotes, or nil when the byte is an opcode or unknown.
    public func valueType(_ byte: UInt8) -> RDBType? {
        switch byte {
        case 0...5, 7, 9...21: return RDBType(rawValue: byte)
        case 6: return .modulePreGA
        case 22: return family == .redis ? .hashMetadataPreGA : .valkeyHash2
        case 23: return family == .redis ? .hashListpackExPreGA : nil  // Valkey PATH_HASH: layout unknown
        case 24, 25, 26, 27, 28: return family == .redis ? RDBType(rawValue: byte) : nil
        default: return nil
        }
    }
}

/// Value type bytes (format.md §5.0). Family-dependent bytes have their own cases.
public enum RDBType: UInt8, Sendable {
    case string = 0, list = 1, set = 2, zset = 3, hash = 4, zset2 = 5, modulePreGA = 6, module2 = 7
    case hashZipmap = 9, listZiplist = 10, setIntset = 11, zsetZiplist = 12, hashZiplist = 13
    case listQuicklist = 14, streamListpacks = 15, hashListpack = 16, zsetListpack = 17
    case listQuicklist2 = 18, streamListpacks2 = 19, setListpack = 20, streamListpacks3 = 21
    case hashMetadataPreGA = 22, hashListpackExPreGA = 23, hashMetadata = 24, hashListpackEx = 25
    case streamListpacks4 = 26, streamListpacks5 = 27, array = 28
    /// Valkey 9's hash with per-field expiry; stored under byte 22 in `VALKEY` files.
    case valkeyHash2 = 200

    public var fileByte: UInt8 { self == .valkeyHash2 ? 22 : rawValue }

    public var dataType: DataType {
        switch self {
        case .string: .string
        case .list, .listZiplist, .listQuicklist, .listQuicklist2: .list
        case .set, .setIntset, .setListpack: .set
        case .zset, .zset2, .zsetZiplist, .zsetListpack: .zset
        case .hash, .hashZipmap, .hashZiplist, .hashListpack, .hashMetadataPreGA, .hashListpackExPreGA,
             .hashMetadata, .hashListpackEx, .valkeyHash2: .hash
        case .streamListpacks, .streamListpacks2, .streamListpacks3, .streamListpacks4, .streamListpacks5: .stream
        case .modulePreGA, .module2: .module
        case .array: .array
        }
    }

    /// The encoding a type byte implies (strings refine it by their own string encoding).
    public var encoding: Encoding {
        switch self {
        case .string: .raw
        case .list: .linkedlist
        case .set, .hash, .valkeyHash2: .hashtable
        case .zset, .zset2: .skiplist
        case .modulePreGA, .module2: .module
        case .hashZipmap: .zipmap
        case .listZiplist, .zsetZiplist, .hashZiplist: .ziplist
        case .setIntset: .intset
        case .listQuicklist: .quicklist
        case .listQuicklist2: .quicklist2
        case .hashListpack, .zsetListpack, .setListpack: .listpack
        case .streamListpacks, .streamListpacks2, .streamListpacks3, .streamListpacks4, .streamListpacks5: .streams
        case .hashMetadataPreGA, .hashMetadata: .metadata
        case .hashListpackExPreGA, .hashListpackEx: .listpackEx
        case .array: .array
        }
    }

    /// The name redis-check-rdb uses for the type.
    public var checkRDBName: String {
        switch self {
        case .string: "string"
        case .list: "list-linked"
        case .set: "set-hashtable"
        case .zset: "zset-v1"
        case .hash: "hash-hashtable"
        case .zset2: "zset-v2"
        case .modulePreGA: "module-pre-release"
        case .module2: "module-value"
        case .hashZipmap: "hash-zipmap"
        case .listZiplist: "list-ziplist"
        case .setIntset: "set-intset"
        case .zsetZiplist: "zset-ziplist"
        case .hashZiplist: "hash-ziplist"
        case .listQuicklist: "quicklist"
        case .streamListpacks: "stream"
        case .hashListpack: "hash-listpack"
        case .zsetListpack: "zset-listpack"
        case .listQuicklist2: "quicklist-v2"
        case .streamListpacks2: "stream-v2"
        case .setListpack: "set-listpack"
        case .streamListpacks3: "stream-v3"
        case .hashMetadataPreGA: "hash-hashtable-md-pre-release"
        case .hashListpackExPreGA: "hash-listpack-md-pre-release"
        case .hashMetadata: "hash-hashtable-md"
        case .hashListpackEx: "hash-listpack-md"
        case .streamListpacks4: "stream-v4"
        case .streamListpacks5: "stream-v5"
        case .array: "array"
        case .valkeyHash2: "hash-2"
        }
    }
}

/// Opcode bytes (format.md §3.2).
public enum RDBOpcode {
    public static let eof: UInt8 = 0xFF
    public static let selectDB: UInt8 = 0xFE
    public static let expireTime: UInt8 = 0xFD
    public static let expireTimeMs: UInt8 = 0xFC
    public static let resizeDB: UInt8 = 0xFB
    public static let aux: UInt8 = 0xFA
    public static let freq: UInt8 = 0xF9
    public static let idle: UInt8 = 0xF8
    public static let moduleAux: UInt8 = 0xF7
    public static let functionPreGA: UInt8 = 0xF6
    public static let function2: UInt8 = 0xF5
    public static let slotInfo: UInt8 = 0xF4
    /// KEY_META in Redis files, SLOT_IMPORT in Valkey files.
    public static let keyMetaOrSlotImport: UInt8 = 0xF3
    public static let hashTemplatesOrUpdate: UInt8 = 0xF2
    /// Redis Enterprise opcodes that carry one skippable length (librdb).
    public static let enterpriseRAMLRU: UInt8 = 107
    public static let enterpriseSlotNum: UInt8 = 121
}
