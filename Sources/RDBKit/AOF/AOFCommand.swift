/// One command of an AOF as the file holds it (format.md §7.1), with where and when it was
/// written. Arguments stay bytes: names keep the case the client used.
public struct AOFCommand: Sendable {
    /// The command name, then its arguments.
    public var arguments: ByteList
    /// The file of the AOF holding it (its name in the manifest, or the path of a single file).
    public var file: String
    /// Offset of its `*` in that file.
    public var offset: Int64
    /// Bytes it takes in the file.
    public var byteCount: Int64
    /// The database it applies to: the one the last SELECT chose (0 at the start of every file,
    /// as the server loads each file with a fresh client). A SELECT's own `db` is the database
    /// it selects.
    public var db: Int
    /// Unix seconds of the last `#TS:` annotation before it (carried across files, since the
    /// files are in time order), nil before the first one. Annotations mark "written at or
    /// after this second" (format.md §7.4).
    public var timeSeconds: Int64?
    /// Position among all commands of the AOF, from 0.
    public var index: Int

    public init(arguments: ByteList, file: String, offset: Int64, byteCount: Int64, db: Int,
                timeSeconds: Int64?, index: Int) {
        self.arguments = arguments; self.file = file; self.offset = offset; self.byteCount = byteCount
        self.db = db; self.timeSeconds = timeSeconds; self.index = index
    }

    /// The command name's bytes (possibly empty for a malformed file).
    public var name: ArraySlice<UInt8> { arguments.isEmpty ? [] : arguments[0] }

    /// Whether the name is `upper` ignoring ASCII case (servers match names that way, §9.14).
    /// `upper` must be upper case.
    public func isNamed(_ upper: StaticString) -> Bool {
        guard !arguments.isEmpty else { return false }
        return isWord(0, upper)
    }

    /// Whether argument `i` (which must exist) is `upper` ignoring ASCII case.
    func isWord(_ i: Int, _ upper: StaticString) -> Bool {
        upper.withUTF8Buffer { u in
            arguments.withElement(i) { a in
                guard a.count == u.count else { return false }
                for j in 0..<a.count where asciiUpper(a[j]) != u[j] { return false }
                return true
            }
        }
    }

    /// The name in upper case, for counting and display.
    public var upperName: [UInt8] { name.map(asciiUpper) }

    /// Index in `arguments` of the first key, nil for commands without keys. A small table
    /// covers what servers write to AOFs (format.md §7.6): keyless commands (SELECT, MULTI,
    /// FLUSHALL, FUNCTION, ...); forms whose key comes second (XGROUP and XINFO after their
    /// subcommand, BITOP's destination after the operation); scripts, whose keys follow
    /// `numkeys`; everything else takes its key first, as nearly every write command does.
    public var firstKeyIndex: Int? {
        let n = arguments.count
        if isNamed("SELECT") || isNamed("MULTI") || isNamed("EXEC") || isNamed("DISCARD")
            || isNamed("FLUSHALL") || isNamed("FLUSHDB") || isNamed("SWAPDB") || isNamed("FUNCTION")
            || isNamed("SCRIPT") || isNamed("PING") || isNamed("PUBLISH") || isNamed("SPUBLISH")
            || isNamed("MIGRATE") || isNamed("CLUSTER") || isNamed("REPLCONF") {
            return nil
        }
        if isNamed("XGROUP") || isNamed("XINFO") || isNamed("OBJECT") || isNamed("BITOP") || isNamed("MEMORY") {
            return n > 2 ? 2 : nil
        }
        if isNamed("EVAL") || isNamed("EVALSHA") || isNamed("EVAL_RO") || isNamed("EVALSHA_RO")
            || isNamed("FCALL") || isNamed("FCALL_RO") {
            guard n > 3, let keys = numberArgument(2), keys > 0 else { return nil }
            return 3
        }
        return n > 1 ? 1 : nil
    }

    /// The first key's bytes, nil for keyless commands.
    public var firstKey: ArraySlice<UInt8>? { firstKeyIndex.map { arguments[$0] } }

    /// Argument `i` as a canonical decimal integer, nil when it is not one.
    public func numberArgument(_ i: Int) -> Int64? {
        guard i < arguments.count else { return nil }
        return arguments.withElement(i) { Decimal64.parseCanonical($0) }
    }
}

@inline(__always) func asciiUpper(_ b: UInt8) -> UInt8 {
    b >= 0x61 && b <= 0x7A ? b - 0x20 : b
}
