/// Every failure to read an AOF, with the file, the byte offset and the command it happened in.
/// Kinds shared with `RDBError` keep its names; a fault inside an RDB preamble or base keeps
/// the `RDBError` itself.
public struct AOFError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The input ends inside a command (refused in strict mode or when not the last file).
        case truncated
        /// Bytes that are not RESP where a command or annotation must be (format.md §7.1).
        case structural
        /// `\n` where `\r\n` must be (format.md §9.1); the tolerant mode reads such files.
        case lineEndings = "line-endings"
        /// A tail of `0x00` bytes, as power loss leaves (format.md §9.21).
        case zeroPadding = "zero-padding"
        /// A MULTI without its EXEC at the end of a file (format.md §7.5).
        case openTransaction = "open-transaction"
        /// The manifest of a multi-part AOF breaks the rules of format.md §7.2.
        case manifest
        /// A file the manifest lists is not on disk.
        case missingFile = "missing-file"
        /// The input is neither an AOF file, an AOF directory nor a manifest.
        case notAOF = "not-aof"
        /// The RDB preamble or RDB base failed to read: see `rdbError`.
        case rdb
        case io
    }

    public var kind: Kind
    /// The file of the AOF (its name in the manifest, or the path of a single file).
    public var file: String
    /// Byte offset in that file where the problem was found (for `.manifest`, the line number).
    public var offset: Int64
    public var expected: String
    public var found: String
    /// Index (from 0, over the whole AOF) of the command being read, when inside one.
    public var commandIndex: Int?
    /// Where that command began in the file.
    public var commandOffset: Int64?
    /// The underlying error of an RDB preamble or base.
    public var rdbError: RDBError?

    public init(_ kind: Kind, file: String, at offset: Int64, expected: String, found: String,
                commandIndex: Int? = nil, commandOffset: Int64? = nil, rdbError: RDBError? = nil) {
        self.kind = kind; self.file = file; self.offset = offset; self.expected = expected; self.found = found
        self.commandIndex = commandIndex; self.commandOffset = commandOffset; self.rdbError = rdbError
    }

    /// The fault inside an RDB part, placed in its file.
    init(rdb e: RDBError, file: String) {
        self.init(.rdb, file: file, at: e.offset, expected: e.expected, found: e.found, rdbError: e)
    }

    public var description: String {
        if let rdbError { return "\(file): RDB part: \(rdbError)" }
        var s = "\(file): \(kind.rawValue) at \(kind == .manifest ? "line" : "offset") \(offset)"
        if let commandIndex {
            s += " (command #\(commandIndex + 1)"
            if let commandOffset { s += " starting at offset \(commandOffset)" }
            s += ")"
        }
        return s + ": expected \(expected), found \(found)"
    }
}

/// Something odd that does not stop reading: LF-only line endings read tolerantly, files the
/// manifest does not list, a SELECT whose argument is not a database number.
public struct AOFWarning: Sendable, CustomStringConvertible {
    public var file: String
    public var offset: Int64?
    public var message: String
    public init(file: String, offset: Int64?, message: String) {
        self.file = file; self.offset = offset; self.message = message
    }
    public var description: String {
        offset.map { "\(file) offset \($0): \(message)" } ?? "\(file): \(message)"
    }
}

/// How the last file of an AOF ends when it does not end after a complete command: what
/// `aof-load-truncated yes` (the server default) recovers from by cutting the file at
/// `validUpTo`. Strict reading refuses these instead.
public struct AOFTail: Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The input ends inside a command; that command was not reported.
        case truncated
        /// A MULTI never closed by EXEC: the server discards the transaction, whose commands
        /// were already reported (`droppedCommands`, the MULTI included).
        case openTransaction = "open-transaction"
        /// The file ends in `0x00` bytes (format.md §9.21). The server refuses such a file
        /// until `redis-check-aof --fix` cuts it; the commands before the zeros are whole.
        case zeroPadding = "zero-padding"
    }

    public var kind: Kind
    public var file: String
    /// Offset of the end of the last complete command (before the MULTI for `.openTransaction`).
    public var validUpTo: Int64
    /// Size of the file.
    public var fileSize: Int64
    /// Commands already reported that a server would not apply (an open transaction's).
    public var droppedCommands: Int
    /// For `.zeroPadding`: from where on every byte is `0x00` (at the latest).
    public var zerosFrom: Int64?

    public var description: String {
        switch kind {
        case .truncated:
            return "\(file): truncated: the last command is incomplete; the file is whole up to offset \(validUpTo) of \(fileSize)"
        case .openTransaction:
            return "\(file): a MULTI at offset \(validUpTo) is never closed by EXEC: a server drops its \(droppedCommands) commands (MULTI included)"
        case .zeroPadding:
            return "\(file): zero-filled tail: \(fileSize - validUpTo) bytes from offset \(validUpTo)"
                + (zerosFrom.map { $0 > validUpTo ? ", all 0x00 from offset \($0)" : ", all 0x00" } ?? "")
                + " (power loss? a server refuses the file until redis-check-aof --fix cuts it)"
        }
    }
}
