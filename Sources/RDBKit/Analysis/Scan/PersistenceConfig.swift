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
            guard AOFLayout.fileSize(path) != nil, let file = try? RedisConfigFile(path: path) else { continue }
            var config = PersistenceConfig(file)
            config.source = path
            return config
        }
        return PersistenceConfig()
    }

    /// The last occurrence of each setting wins, as in the server. A file read means
    /// `appendonly` is known: the default `no` unless it says otherwise.
    public init(_ file: RedisConfigFile) {
        func one(_ name: String) -> String? { file.last(name).flatMap { $0.count == 1 ? $0[0] : nil } }
        dbfilename = one("dbfilename") ?? dbfilename
        appendfilename = one("appendfilename") ?? appendfilename
        appenddirname = one("appenddirname") ?? appenddirname
        appendonly = one("appendonly")?.lowercased() == "yes"
    }
}
