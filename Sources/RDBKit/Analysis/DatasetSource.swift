/// Where a dataset comes from: an RDB file, read as a stream, or an AOF (file, preamble file or
/// `appendonlydir/`), replayed in memory into what a server holds after loading it. Either way
/// consumers receive the same events, so `dump` and `diff` take both.
public enum DatasetSource {
    /// True for an AOF, by content: a directory, a manifest, RESP commands, or an RDB whose AUX
    /// fields mark it as an AOF preamble (which RESP commands follow).
    public static func isAOF(_ path: String) -> Bool {
        guard path != "-", let content = try? AOFLayout.content(of: path) else { return false }
        switch content {
        case .directory, .manifest, .resp: return true
        case .rdb: return hasPreambleMark(path)
        default: return false
        }
    }

    /// Reads the AUX fields at the start of an RDB, which servers write before any key.
    private static func hasPreambleMark(_ path: String) -> Bool {
        guard let reader = try? RDBReader(path: path) else { return false }
        while let event = try? reader.next() {
            switch event {
            case .header, .warning: continue
            case .aux(let name, let value):
                if name == Array("aof-preamble".utf8) { return value == Array("1".utf8) }
            default: return false
            }
        }
        return false
    }

    /// The dataset's events: an RDB's as the reader produces them; an AOF's as one `.key` per key
    /// and one `.function` per library the replayed dataset holds, in (db, key) order, keys
    /// expired at `nowMs` left out (nil keeps them all, as a file holds them).
    public static func read(_ path: String, rdb: RDBReader.Options = .init(), aof: AOFReader.Options = .init(),
                            nowMs: Int64? = nil, _ handle: (RDBEvent) throws -> Void) throws {
        guard isAOF(path) else {
            try RDBReader(path: path, options: rdb).read(handle)
            return
        }
        var options = AOFReplay.Options()
        options.reader = aof
        let replay = try AOFReplay(path: path, options: options)
        for library in replay.replayer.dataset.functionLibraries { try handle(.function(library)) }
        try replay.replayer.dataset.records(now: nowMs) { try handle(.key($0)) }
    }
}
