@testable import RDBKit

/// Applies commands written as words (`"SET k v"`, or arrays for arguments with spaces).
@discardableResult
func run(_ r: Replayer, _ commands: String..., time: Int64? = nil) throws -> Replayer.Outcome {
    var last = Replayer.Outcome(status: .applied, dirty: 0, keys: [])
    for c in commands { last = try r.apply(c.split(separator: " ").map { Array($0.utf8) }, timeMs: time) }
    return last
}

@discardableResult
func run(_ r: Replayer, argv: [String], time: Int64? = nil) throws -> Replayer.Outcome {
    try r.apply(argv.map { Array($0.utf8) }, timeMs: time)
}

/// The replayed value of `key` in `db`, and its expiry.
func record(_ r: Replayer, _ key: String, db: Int = 0) -> KeyRecord? {
    var found: KeyRecord?
    r.dataset.records(now: nil) { if $0.db == db && $0.key == Array(key.utf8) { found = $0 } }
    return found
}

func stringValue(_ r: Replayer, _ key: String, db: Int = 0) -> String? {
    guard case .string(let s)? = record(r, key, db: db)?.value else { return nil }
    return String(decoding: s, as: UTF8.self)
}

func listValue(_ r: Replayer, _ key: String) -> [String]? {
    guard case .list(let l)? = record(r, key)?.value else { return nil }
    return l.map { String(decoding: $0, as: UTF8.self) }
}

func zsetValue(_ r: Replayer, _ key: String) -> [String: Double]? {
    guard case .zset(let z)? = record(r, key)?.value else { return nil }
    var d: [String: Double] = [:]
    for i in z.members.indices { d[String(decoding: z.members[i], as: UTF8.self)] = z.scores[i] }
    return d
}

func hashValue(_ r: Replayer, _ key: String) -> [String: String]? {
    guard case .hash(let h)? = record(r, key)?.value else { return nil }
    var d: [String: String] = [:]
    for i in h.fields.indices { d[String(decoding: h.fields[i], as: UTF8.self)] = String(decoding: h.values[i], as: UTF8.self) }
    return d
}
