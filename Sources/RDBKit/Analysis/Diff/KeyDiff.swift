/// How one key differs between side A and side B of a diff.
public struct KeyDiff: Sendable {
    public enum Kind: String, Sendable { case added, removed, changed }

    /// Which parts of a changed key differ.
    public struct Aspects: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let type = Aspects(rawValue: 1)
        public static let value = Aspects(rawValue: 2)
        public static let ttl = Aspects(rawValue: 4)
        public static let fieldTTL = Aspects(rawValue: 8)
    }

    public var db: Int
    public var key: [UInt8]
    public var kind: Kind
    public var aspects: Aspects = []
    public var typeA: DataType?
    public var typeB: DataType?
    public var expireA: Int64?
    public var expireB: Int64?
    /// Element-level differences of a changed value (or the value of an added/removed key).
    public var details: [DiffDetail] = []
}

/// One element-level difference: a member added, a field changed, a run of list items replaced.
public struct DiffDetail: Sendable {
    public enum Op: String, Sendable {
        case added = "+", removed = "-", changed = "~"
    }

    public var op: Op
    /// What the element is: `member`, `field`, `items`, `entry`, `group`, `consumer`, `pel`, `value`, `ttl`, ...
    public var what: String
    /// Its name (a member, a field, an id, a position range), when it has one.
    public var name: JSONValue?
    public var a: JSONValue?
    public var b: JSONValue?

    public init(_ op: Op, _ what: String, name: JSONValue? = nil, a: JSONValue? = nil, b: JSONValue? = nil) {
        self.op = op; self.what = what; self.name = name; self.a = a; self.b = b
    }
}

/// A difference that is not data (encoding, LRU/LFU, AUX fields), shown with `--with-metadata`.
public struct MetadataDiff: Sendable {
    public var db: Int?
    public var key: [UInt8]?
    public var field: String
    public var a: String?
    public var b: String?
}
