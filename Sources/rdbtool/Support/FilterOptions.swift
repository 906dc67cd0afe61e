import ArgumentParser
import RDBKit

/// Key selection shared by `dump` and the analyses.
struct FilterOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "Only this database (repeatable).")
    var dbs: [Int] = []

    @Option(name: .customLong("key"), help: "Only keys matching this Redis glob, as SCAN MATCH (repeatable).")
    var globs: [String] = []

    @Option(name: .customLong("key-regex"), help: "Only keys matching this regular expression (searched anywhere in the key).")
    var keyRegex: String?

    @Option(name: .customLong("type"), help: "Only keys of this type: string, list, set, zset, hash, stream, module (repeatable).")
    var types: [DataTypeArgument] = []

    @Flag(help: "Leave out keys already expired at --now, as a server loading the file would.")
    var skipExpired = false

    @Option(help: "The time expiry is judged at (Unix seconds, <ms>ms, or ISO-8601 UTC). Default: now.")
    var now: TimeArgument?

    @Option(help: "Only keys taking at least this many bytes: in the file for dump, of estimated memory for memory, top and prefixes.")
    var minBytes: Int64?

    /// True when any criterion selects keys (function libraries are then left out).
    var selectsKeys: Bool { !dbs.isEmpty || !globs.isEmpty || keyRegex != nil || !types.isEmpty }

    func makeFilter() throws -> KeyFilter {
        do {
            return try KeyFilter(dbs: dbs.isEmpty ? nil : Set(dbs), globs: globs.map { Array($0.utf8) }, regex: keyRegex,
                                 types: types.isEmpty ? nil : Set(types.map(\.type)), skipExpired: skipExpired,
                                 now: now?.ms, minBytes: minBytes)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

struct DataTypeArgument: ExpressibleByArgument {
    var type: DataType
    init?(argument: String) {
        guard let t = DataType(rawValue: argument.lowercased()) else { return nil }
        type = t
    }
    static var allValueStrings: [String] { DataType.allCases.map(\.rawValue) }
}
