/// The settings that say which files a server in a directory writes and loads at start-up
/// (format.md §7.2, §8.5), from a `redis.conf` or `valkey.conf` in that directory when there
/// is one, the server defaults otherwise.
public struct PersistenceConfig: Sendable, Equatable {
    public var dbfilename = "dump.rdb"
    public var appendfilename = "appendonly.aof"
    public var appenddirname = "appendonlydir"
    /// nil when no configuration file was found: the start-up source is then unknown.
    public var appendonly: Bool?
    /// The configuration file read.
    public var source: String?

    public init() {}

    public static let fileNames = ["redis.conf", "valkey.conf"]

    /// Reads the first of `fileNames` present in `directory`.
    public static func load(directory: String) -> PersistenceConfig {
        for name in fileNames {
            let path = AOFLayout.join(directory, name)
            guard AOFLayout.fileSize(path) != nil, let bytes = try? AOFLayout.readHead(path, max: 4 << 20) else { continue }
            var config = parse(bytes)
            config.source = path
            return config
        }
        return PersistenceConfig()
    }

    /// Lines as the server reads them: `#` comments, arguments split like `sdssplitargs`,
    /// names in any case, the last occurrence winning. A file read means `appendonly` is
    /// known: the default `no` unless it says otherwise.
    public static func parse(_ bytes: [UInt8]) -> PersistenceConfig {
        var config = PersistenceConfig()
        config.appendonly = false
        for line in bytes.split(separator: 0x0A) {
            guard let words = AOFManifest.splitArguments(Array(line)), words.count == 2,
                  words[0].first != UInt8(ascii: "#") else { continue }
            let value = String(decoding: words[1], as: UTF8.self)
            switch String(decoding: words[0].map(asciiUpper), as: UTF8.self) {
            case "DBFILENAME": config.dbfilename = value
            case "APPENDFILENAME": config.appendfilename = value
            case "APPENDDIRNAME": config.appenddirname = value
            case "APPENDONLY": config.appendonly = value.lowercased() == "yes"
            default: break
            }
        }
        return config
    }
}
