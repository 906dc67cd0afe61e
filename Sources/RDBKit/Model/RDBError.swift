/// Every failure to read a persistence file, with where it happened and what was expected.
/// Messages a user sees are rendered from these fields, never built ad hoc.
public struct RDBError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case truncated
        case checksumMismatch = "checksum-mismatch"
        case structural
        case unknownType = "unknown-type"
        case unknownOpcode = "unknown-opcode"
        case unsupportedVersion = "unsupported-version"
        /// A valid construct this reader cannot decode (e.g. pre-release module values).
        case unsupportedFeature = "unsupported-feature"
        case notRDB = "not-rdb"
        case io
    }

    public var kind: Kind
    /// Byte offset in the (decompressed) input where the problem was found.
    public var offset: Int64
    /// What the reader expected, and what it found instead.
    public var expected: String
    public var found: String
    /// The record being read, when known.
    public var db: Int?
    public var key: [UInt8]?
    public var typeName: String?

    public init(_ kind: Kind, at offset: Int64, expected: String, found: String,
                db: Int? = nil, key: [UInt8]? = nil, typeName: String? = nil) {
        self.kind = kind; self.offset = offset; self.expected = expected; self.found = found
        self.db = db; self.key = key; self.typeName = typeName
    }

    public var description: String {
        var s = "\(kind.rawValue) at offset \(offset)"
        if let db { s += ", db \(db)" }
        if let key { s += ", key \(Quoting.redisCLI(key, limit: 80))" }
        if let typeName { s += " (\(typeName))" }
        s += ": expected \(expected), found \(found)"
        return s
    }

    /// Adds the record context a low-level decoder could not know.
    func inRecord(db: Int?, key: [UInt8]?, typeName: String?) -> RDBError {
        var e = self
        if e.db == nil { e.db = db }
        if e.key == nil { e.key = key }
        if e.typeName == nil { e.typeName = typeName }
        return e
    }
}
