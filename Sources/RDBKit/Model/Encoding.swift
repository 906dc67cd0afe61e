/// How a value was stored on disk. Not part of the value: two files holding the same data in
/// different encodings hold the same dataset.
public enum Encoding: UInt8, Sendable, CaseIterable, Comparable {
    case raw, int, lzf, linkedlist, ziplist, quicklist, quicklist2, intset, listpack, hashtable, skiplist
    case zipmap, listpackEx, metadata, streams, module, array

    /// The name in the JSONL contract's `encoding` field.
    public var name: String {
        switch self {
        case .raw: "raw"
        case .int: "int"
        case .lzf: "lzf"
        case .linkedlist: "linkedlist"
        case .ziplist: "ziplist"
        case .quicklist: "quicklist"
        case .quicklist2: "quicklist2"
        case .intset: "intset"
        case .listpack: "listpack"
        case .hashtable: "hashtable"
        case .skiplist: "skiplist"
        case .zipmap: "zipmap"
        case .listpackEx: "listpack_ex"
        case .metadata: "metadata"
        case .streams: "streams"
        case .module: "module"
        case .array: "array"
        }
    }

    public static func < (a: Encoding, b: Encoding) -> Bool { a.rawValue < b.rawValue }
}
