/// `scan`'s verdict on an AOF: one pass of `AOFReader` (RDB parts checked to their checksum,
/// RESP to the last byte). Damaged when a file is refused or does not end after a complete
/// command (a tail `aof-load-truncated` would cut); warnings for what the reader warns about.
/// Kept apart from the RDB path so that a fuller AOF verifier can take its place.
enum AOFScanCheck {
    static let warningsKept = 5

    static func check(_ layout: AOFLayout, into entry: inout ScanEntry) {
        var commands = 0, keys = 0
        var sawRDB = false
        var rdbFacts = RDBHeaderFacts()
        var formats: [String: AOFPart.Format] = [:]
        func warn(_ message: String) {
            if entry.warnings.count < warningsKept { entry.warnings.append(message) }
            entry.warningCount += 1
        }
        let reader = AOFReader(layout: layout, options: .init(rdb: .init(verifyChecksum: true, level: .structure)))
        do {
            try reader.read { event in
                switch event {
                case .file(let part):
                    formats[part.path] = part.format
                case .rdb(let e):
                    sawRDB = true
                    switch e {
                    case .header(let d): rdbFacts.dialect = rdbFacts.dialect ?? d
                    case .aux(let name, let value): rdbFacts.take(aux: name, value: value)
                    case .keyShape, .key: keys += 1
                    case .warning(let w): warn("\(w)")
                    default: break
                    }
                case .command: commands += 1
                case .timestamp(let s, _):
                    entry.firstTimestamp = entry.firstTimestamp ?? s
                    entry.lastTimestamp = s
                case .warning(let w): warn(unprefixed("\(w)", entry.path))
                case .tail(let t):
                    entry.verdict = .damaged
                    entry.failureClass = t.kind.rawValue
                    entry.failure = unprefixed("\(t)", entry.path)
                case .end: break
                }
            }
        } catch let e as AOFError {
            switch e.kind {
            case .io: entry.verdict = .unreadable
            case .rdb where e.rdbError?.kind == .unsupportedVersion || e.rdbError?.kind == .unsupportedFeature:
                entry.verdict = .unsupported
            default: entry.verdict = .damaged
            }
            entry.failureClass = e.rdbError?.kind.rawValue ?? e.kind.rawValue
            entry.failure = unprefixed("\(e)", entry.path)
        } catch {
            entry.verdict = .unreadable
            entry.failure = "\(error)"
        }
        if entry.warningCount > warningsKept { entry.warnings.append("... and \(entry.warningCount - warningsKept) more") }
        if entry.failure == nil && entry.warningCount > 0 { entry.verdict = .warnings }
        entry.commands = commands
        if sawRDB {
            entry.keys = keys
            entry.dialect = rdbFacts.dialect
            entry.producer = rdbFacts.producer
            entry.ctime = rdbFacts.ctime
        }
        for i in entry.parts.indices where entry.parts[i].format == nil {
            entry.parts[i].format = formats[entry.parts[i].path]
        }
    }

    /// A single file's messages name it: the entry's row already does.
    private static func unprefixed(_ message: String, _ path: String) -> String {
        message.hasPrefix(path + ": ") ? String(message.dropFirst(path.count + 2)) : message
    }
}
