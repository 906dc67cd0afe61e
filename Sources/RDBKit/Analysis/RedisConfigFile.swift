/// A `redis.conf` / `valkey.conf` read as the server reads it: one directive per line, `#`
/// comments, arguments split like `sdssplitargs` (quotes and escapes), names in any case.
/// `scan` asks it which files a directory's server writes, `crash-report` and `plan` for the
/// persistence settings.
public struct RedisConfigFile: Sendable {
    public struct Directive: Sendable, Equatable {
        /// Lower-cased.
        public var name: String
        public var arguments: [String]
        /// 1-based.
        public var line: Int
    }

    public private(set) var directives: [Directive] = []
    /// Lines the server would refuse (unbalanced quotes), 1-based.
    public private(set) var unparsableLines: [Int] = []

    public init(_ bytes: [UInt8]) {
        for (n, raw) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            guard let words = AOFManifest.splitArguments(Array(raw)) else {
                unparsableLines.append(n + 1)
                continue
            }
            guard let first = words.first, first.first != UInt8(ascii: "#") else { continue }
            directives.append(Directive(name: String(decoding: first, as: UTF8.self).lowercased(),
                                        arguments: words.dropFirst().map { String(decoding: $0, as: UTF8.self) },
                                        line: n + 1))
        }
    }

    /// Reads at most 4 MiB: configurations are small.
    public init(path: String) throws(AOFError) {
        self.init(try AOFLayout.readHead(path, max: 4 << 20))
    }

    /// The arguments of the last `name` directive (the server keeps the last), if any.
    public func last(_ name: String) -> [String]? {
        directives.last { $0.name == name }?.arguments
    }
}
