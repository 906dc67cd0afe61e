/// What `AOFReader` reports, in load order. Replay consumes `.rdb(.key(...))` and
/// `.rdb(.function(...))` as the starting dataset, then applies every `.command`, and at a
/// `.tail` of kind `openTransaction` drops the transaction it holds open.
public enum AOFEvent {
    /// A file of the AOF begins; the events up to the next `.file` come from it. Its `format`
    /// is known here (the first byte has been looked at).
    case file(AOFPart)
    /// An event of an RDB preamble or RDB base, as `RDBReader` reports it: the keys
    /// (`.key`, or `.keyShape` at the structure level) and function libraries are the dataset
    /// the commands after it start from; expired keys included, as the server keeps them
    /// (format.md §7.3).
    case rdb(RDBEvent)
    case command(AOFCommand)
    /// A `#TS:<unix seconds>` annotation at `offset` of the current file.
    case timestamp(seconds: Int64, offset: Int64)
    case warning(AOFWarning)
    /// The last file does not end after a complete command (only outside strict mode).
    case tail(AOFTail)
    /// Every file was read.
    case end
}

/// One file of an AOF.
public struct AOFPart: Sendable, Equatable {
    public enum Role: String, Sendable {
        /// The only file of a single-file AOF.
        case single
        case base, incr
        /// Listed as history in the manifest: obsolete, never read.
        case history
        /// In the directory but not in the manifest: ignored.
        case unlisted
    }

    public enum Format: String, Sendable {
        /// RESP commands only (possibly none).
        case resp
        /// An RDB, possibly followed by RESP commands (a preamble or an upgraded base).
        case rdb
    }

    /// The name in the manifest (the path as given for a single file).
    public var name: String
    public var path: String
    public var role: Role
    public var sequence: Int64?
    /// On-disk size; nil for standard input or a file that is not there.
    public var size: Int64?
    /// Decided by content when the file is read.
    public var format: Format?

    public init(name: String, path: String, role: Role, sequence: Int64? = nil, size: Int64? = nil, format: Format? = nil) {
        self.name = name; self.path = path; self.role = role; self.sequence = sequence; self.size = size; self.format = format
    }
}
