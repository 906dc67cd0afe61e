/// The `*-max-*` settings that decide when a server keeps a value in a compact encoding
/// (listpack, ziplist, intset) and how it packs list and stream nodes. Redis 5.0 through 7.4
/// share the defaults below (`src/config.c` at 6.2.16 and 7.4.1); the names changed from
/// `*-ziplist-*` to `*-listpack-*` in 7.0, the meanings did not (redis-server 7.0.15's
/// `CONFIG GET *-max-*` answers these values). The RDB writer chooses encodings by them and the
/// memory model predicts what a loading server converts to.
public struct EncodingLimits: Sendable, Equatable {
    /// `hash-max-listpack-entries` (`hash-max-ziplist-entries`).
    public var hashMaxEntries = 512
    /// `hash-max-listpack-value`: the longest field or value of a compact hash.
    public var hashMaxValue = 64
    /// `zset-max-listpack-entries` (`zset-max-ziplist-entries`).
    public var zsetMaxEntries = 128
    /// `zset-max-listpack-value`: the longest member of a compact sorted set.
    public var zsetMaxValue = 64
    /// `set-max-intset-entries`.
    public var setMaxIntsetEntries = 512
    /// `set-max-listpack-entries` (7.2+, RDB 11+).
    public var setMaxListpackEntries = 128
    /// `set-max-listpack-value` (7.2+).
    public var setMaxListpackValue = 64
    /// `list-max-listpack-size` (`list-max-ziplist-size`): negative for a node size limit
    /// (-2: 8 KiB), positive for an element count.
    public var listMaxListpackSize = -2
    /// `stream-node-max-bytes`, `stream-node-max-entries` (0: no limit).
    public var streamNodeMaxBytes = 4096
    public var streamNodeMaxEntries = 100

    public init() {}
}
