#if canImport(Glibc)
import Glibc
#endif

/// Applies AOF commands to a `Dataset` with the semantics of the Redis server loading the file:
/// nothing expires while loading (keys with a past expiry stay until `records(now:)`), times in
/// relative forms count from the command's time, and every write an AOF can hold (format.md
/// §7.6) is handled by the family files beside this one.
public final class Replayer {
    public struct Options: Sendable {
        /// Count commands that cannot be replayed instead of throwing `ReplayError.unsupported`.
        public var skipUnsupported = false
        /// The time of commands before the first one with a time (Unix ms); nil uses the clock.
        public var startTimeMs: Int64?
        /// List the keys each command changed in its `Outcome` (a copy of each); without, only
        /// a skipped command's keys are listed.
        public var tracksKeys = true
        public init(skipUnsupported: Bool = false, startTimeMs: Int64? = nil, tracksKeys: Bool = true) {
            self.skipUnsupported = skipUnsupported; self.startTimeMs = startTimeMs; self.tracksKeys = tracksKeys
        }
    }

    public struct KeyRef: Hashable, Sendable {
        public var db: Int
        public var key: [UInt8]
    }

    /// What one `apply` did.
    public struct Outcome: Sendable {
        public enum Status: Sendable, Equatable {
            /// Executed (EXEC: the whole transaction).
            case applied
            /// Inside MULTI: held until EXEC.
            case queued
            /// Not replayable, skipped under `skipUnsupported`.
            case unsupported
        }
        public var status: Status
        /// What Redis's `server.dirty` grew by (format.md §8.3); for a skipped command, the number
        /// of keys it names (at least 1).
        public var dirty: Int
        /// The keys changed (or, for a skipped command, named), once each in first-change order.
        public var keys: [KeyRef]
    }

    typealias Handler = (Replayer, Args) throws -> Void

    public let dataset: Dataset
    public let options: Options
    /// The selected database.
    public private(set) var db = 0
    /// Commands queued since MULTI (each one's arguments); nil outside a transaction.
    private var queued: [ByteList]?
    /// The current command's time (Unix ms): its own, else the last one seen.
    private(set) var nowMs: Int64
    private var dirty = 0
    private var changed: [KeyRef] = []
    private var changedSet: Set<KeyRef> = []

    public init(dataset: Dataset = Dataset(), options: Options = Options()) {
        self.dataset = dataset
        self.options = options
        nowMs = options.startTimeMs ?? Self.clockMs()
    }

    /// True between MULTI and EXEC. A file that ends here ends in a crash artefact: the caller
    /// drops the open transaction (Redis truncates it away when loading).
    public var inTransaction: Bool { queued != nil }

    /// Drops an open transaction; returns how many commands it held.
    @discardableResult
    public func discardTransaction() -> Int {
        defer { queued = nil }
        return queued?.count ?? 0
    }

    /// Applies one command. `timeMs` is the command's time when the file says it (`#TS`).
    public func apply(_ argv: [[UInt8]], timeMs: Int64?) throws -> Outcome {
        try apply(ByteList(argv), argv.indices, timeMs: timeMs)
    }

    /// Applies the command whose name and arguments are `command`'s elements of `arguments`
    /// (a batch of commands in one buffer, as `AOFReadAhead` hands them over): arguments are
    /// read in place, and copied only where the dataset keeps them.
    public func apply(_ arguments: ByteList, _ command: Range<Int>, timeMs: Int64?) throws -> Outcome {
        if let timeMs { nowMs = timeMs }
        guard !command.isEmpty else {
            throw ReplayError(.syntax, command: "", reason: "empty command")
        }
        let name = arguments.withElement(command.lowerBound) { CommandName($0) }
        dirty = 0
        changed.removeAll(keepingCapacity: true)
        changedSet.removeAll(keepingCapacity: true)
        if name == .multi {
            guard queued == nil else { throw ReplayError(.syntax, command: "MULTI", reason: "MULTI calls can not be nested") }
            queued = []
            return Outcome(status: .queued, dirty: 0, keys: [])
        }
        if name == .exec {
            guard let commands = queued else { throw ReplayError(.syntax, command: "EXEC", reason: "EXEC without MULTI") }
            queued = nil
            var status = Outcome.Status.applied
            for c in commands where try execute(c, c.indices) == .unsupported { status = .unsupported }
            return Outcome(status: status, dirty: dirty, keys: changed)
        }
        if queued != nil {
            queued?.append(ByteList(slice: arguments, command))
            return Outcome(status: .queued, dirty: 0, keys: [])
        }
        let status = try execute(arguments, command)
        return Outcome(status: status, dirty: dirty, keys: changed)
    }

    func execute(_ arguments: ByteList, _ command: Range<Int>) throws -> Outcome.Status {
        try arguments.storage.withUnsafeBytes { bytes in
            try arguments.ends.withUnsafeBufferPointer { ends in
                try execute(Args(bytes: bytes, ends: ends, command))
            }
        }
    }

    private func execute(_ args: Args) throws -> Outcome.Status {
        if let handler = Self.commands.handler(args.bytes(0)) {
            try handler(self, args)
            return .applied
        }
        let name = Self.upper(args.bytes(0))
        let reason = Self.unsupportedReason[name] ?? "unknown command"
        guard options.skipUnsupported else { throw args.error(.unsupported, reason) }
        let named = Self.namedKeys(args, name: name)
        for k in named {
            dirty += 1
            noteChanged(KeyRef(db: db, key: k))
        }
        dirty = max(dirty, 1)
        return .unsupported
    }

    /// The keys an unreplayable command names: EVAL-like commands say how many; for anything
    /// else the first argument is the best guess.
    private static func namedKeys(_ args: Args, name: String) -> [[UInt8]] {
        if ["EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO"].contains(name), args.count >= 3,
           let n = Decimal64.parseCanonical(args.bytes(2)), n >= 0, 3 + Int(n) <= args.count {
            return (3..<(3 + Int(n))).map { args[$0] }
        }
        return args.count > 1 ? [args[1]] : []
    }

    private static let unsupportedReason: [String: String] = [
        "EVAL": "scripts are replicated verbatim before Redis 5.0; replaying them needs a Lua interpreter",
        "EVALSHA": "scripts are replicated verbatim before Redis 5.0; replaying them needs a Lua interpreter",
        "SCRIPT": "script cache commands carry no data",
        "SORT": "SORT ... STORE needs the BY/GET patterns' keys and is not replayed",
        "XREADGROUP": "servers propagate XREADGROUP as XCLAIM and XGROUP SETID",
        "XAUTOCLAIM": "servers propagate XAUTOCLAIM as XCLAIM",
    ]

    // MARK: Dispatch

    static let commands = CommandTable(handlers)

    static let handlers: [String: Handler] = {
        var all: [String: Handler] = ["SELECT": { r, a in try r.select(a) }]
        for table in [keyCommands, stringCommands, bitCommands, listCommands, setCommands, sortedSetCommands,
                      hashCommands, hyperLogLogCommands, geoCommands, streamCommands, functionCommands] {
            all.merge(table) { a, _ in a }
        }
        return all
    }()

    private func select(_ a: Args) throws {
        try a.arity(2)
        let n = try a.int(1)
        guard n >= 0, n < 1 << 20 else { throw a.error(.outOfRange, "DB index is out of range") }
        db = Int(n)
        dataset.ensure(db)
    }

    static func upper(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { upper($0) } }

    static func upper(_ bytes: UnsafeRawBufferPointer) -> String {
        // Written in place: a name of up to 15 bytes is then a small string, no allocation.
        // Invalid UTF-8 is repaired, as String(decoding:) does.
        String(unsafeUninitializedCapacity: bytes.count) { buf in
            for (i, b) in bytes.enumerated() { buf[i] = b >= 97 && b <= 122 ? b - 32 : b }
            return bytes.count
        }
    }

    static func clockMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    // MARK: Key space access for the families

    /// Records that `key` (in `db`, default the selected one) changed, adding `by` to dirty.
    func touched(_ key: UnsafeRawBufferPointer, by n: Int = 1, db: Int? = nil) {
        dirty += n
        if options.tracksKeys { noteChanged(KeyRef(db: db ?? self.db, key: Array(key))) }
    }

    /// Adds `ref` to the outcome's keys unless it is there.
    private func noteChanged(_ ref: KeyRef) {
        // Most commands change one key or a few: a scan beats hashing the key.
        if changed.count < 8 {
            if !changed.contains(ref) { changed.append(ref) }
            return
        }
        if changedSet.isEmpty { changedSet = Set(changed) }
        if changedSet.insert(ref).inserted { changed.append(ref) }
    }

    func touched(_ key: [UInt8], by n: Int = 1, db: Int? = nil) {
        key.withUnsafeBytes { touched($0, by: n, db: db) }
    }

    /// Adds to dirty without a key (FLUSHALL's extra increment, function commands).
    func addDirty(_ n: Int) { dirty += n }

    func entry(_ key: [UInt8], db: Int? = nil) -> Dataset.Entry? { dataset.dbs[db ?? self.db][key] }

    /// The key's node in the selected database: its expiry, and its value without copying
    /// an inline string out.
    func node(_ key: UnsafeRawBufferPointer) -> KeyNode? { dataset.dbs[db].node(key) }

    func exists(_ key: UnsafeRawBufferPointer) -> Bool { node(key) != nil }

    func exists(_ key: [UInt8]) -> Bool { dataset.dbs[db].contains(key) }

    func obj(_ key: UnsafeRawBufferPointer) -> Obj? { node(key)?.entry.obj }

    func obj(_ key: [UInt8]) -> Obj? { dataset.dbs[db][key]?.obj }

    /// Sets a key's value; keeps its expiry only when `keepTTL` (Redis's setKey).
    func store(_ key: UnsafeRawBufferPointer, _ obj: Obj, keepTTL: Bool = false, db: Int? = nil) {
        let d = db ?? self.db
        let ttl = keepTTL ? dataset.dbs[d].node(key)?.expireAtMs : nil
        dataset.dbs[d].insert(key, Dataset.Entry(obj: obj, expireAtMs: ttl))
    }

    func store(_ key: [UInt8], _ obj: Obj, keepTTL: Bool = false, db: Int? = nil) {
        key.withUnsafeBytes { store($0, obj, keepTTL: keepTTL, db: db) }
    }

    /// Sets a key to a string value, as `store` does, with expiry `expireAtMs` if given.
    func store(_ key: UnsafeRawBufferPointer, string bytes: UnsafeRawBufferPointer, keepTTL: Bool = false, expireAtMs: Int64? = nil) {
        let ttl = expireAtMs ?? (keepTTL ? dataset.dbs[db].node(key)?.expireAtMs : nil)
        dataset.dbs[db].setString(key, bytes, expireAtMs: ttl)
    }

    func store(_ key: [UInt8], string bytes: [UInt8], keepTTL: Bool = false, expireAtMs: Int64? = nil) {
        key.withUnsafeBytes { k in
            bytes.withUnsafeBytes { store(k, string: $0, keepTTL: keepTTL, expireAtMs: expireAtMs) }
        }
    }

    @discardableResult
    func remove(_ key: UnsafeRawBufferPointer, db: Int? = nil) -> Bool {
        dataset.dbs[db ?? self.db].removeValue(forKey: key) != nil
    }

    @discardableResult
    func remove(_ key: [UInt8], db: Int? = nil) -> Bool {
        dataset.dbs[db ?? self.db].removeValue(forKey: key) != nil
    }

    func setExpiry(_ key: UnsafeRawBufferPointer, _ t: Int64?) { dataset.dbs[db].setExpiry(key, t) }

    func setExpiry(_ key: [UInt8], _ t: Int64?) { key.withUnsafeBytes { setExpiry($0, t) } }

    func wrongType(_ a: Args) -> ReplayError {
        a.error(.wrongType, "Operation against a key holding the wrong kind of value")
    }

    /// Stores a changed string value, keeping the key's TTL.
    func storeString(_ key: [UInt8], _ bytes: [UInt8]) {
        store(key, string: bytes, keepTTL: true)
    }

    func string(_ key: [UInt8], _ a: Args) throws -> StringObj? {
        try key.withUnsafeBytes { try string($0, a) }
    }

    func string(_ key: UnsafeRawBufferPointer, _ a: Args) throws -> StringObj? {
        guard let o = obj(key) else { return nil }
        guard case .string(let s) = o else { throw wrongType(a) }
        return s
    }

    func list(_ key: [UInt8], _ a: Args) throws -> ListObj? {
        try key.withUnsafeBytes { try list($0, a) }
    }

    func list(_ key: UnsafeRawBufferPointer, _ a: Args) throws -> ListObj? {
        guard let o = obj(key) else { return nil }
        guard case .list(let l) = o else { throw wrongType(a) }
        return l
    }

    func set(_ key: [UInt8], _ a: Args) throws -> SetObj? {
        try key.withUnsafeBytes { try set($0, a) }
    }

    func set(_ key: UnsafeRawBufferPointer, _ a: Args) throws -> SetObj? {
        guard let o = obj(key) else { return nil }
        guard case .set(let s) = o else { throw wrongType(a) }
        return s
    }

    func zset(_ key: [UInt8], _ a: Args) throws -> ZSetObj? {
        try key.withUnsafeBytes { try zset($0, a) }
    }

    func zset(_ key: UnsafeRawBufferPointer, _ a: Args) throws -> ZSetObj? {
        guard let o = obj(key) else { return nil }
        guard case .zset(let z) = o else { throw wrongType(a) }
        return z
    }

    func hash(_ key: [UInt8], _ a: Args) throws -> HashObj? {
        try key.withUnsafeBytes { try hash($0, a) }
    }

    func hash(_ key: UnsafeRawBufferPointer, _ a: Args) throws -> HashObj? {
        guard let o = obj(key) else { return nil }
        guard case .hash(let h) = o else { throw wrongType(a) }
        return h
    }

    func stream(_ key: [UInt8], _ a: Args) throws -> StreamObj? {
        try key.withUnsafeBytes { try stream($0, a) }
    }

    func stream(_ key: UnsafeRawBufferPointer, _ a: Args) throws -> StreamObj? {
        guard let o = obj(key) else { return nil }
        guard case .stream(let s) = o else { throw wrongType(a) }
        return s
    }
}

/// One command's arguments with Redis's parsing rules: views of the buffer the command was
/// read into, valid only while the command runs. `bytes(i)` reads an argument in place;
/// `a[i]` copies it, for what the dataset keeps.
struct Args {
    private let base: UnsafeRawPointer?
    /// The end of each element of the buffer (an element starts where the one before ends).
    private let ends: UnsafeBufferPointer<Int>
    private let first: Int
    let count: Int

    init(bytes: UnsafeRawBufferPointer, ends: UnsafeBufferPointer<Int>, _ command: Range<Int>) {
        base = bytes.baseAddress
        self.ends = ends
        first = command.lowerBound
        count = command.count
    }

    /// Argument `i` (the name is 0) in place.
    func bytes(_ i: Int) -> UnsafeRawBufferPointer {
        let e = first + i
        let start = e == 0 ? 0 : ends[e - 1]
        return UnsafeRawBufferPointer(start: base.map { $0 + start }, count: ends[e] - start)
    }

    subscript(i: Int) -> [UInt8] { Array(bytes(i)) }

    /// Arguments `range` in place, for sizing what they are added to.
    func bytes(_ range: PartialRangeFrom<Int>) -> LazyMapCollection<Range<Int>, UnsafeRawBufferPointer> {
        (range.lowerBound..<count).lazy.map { bytes($0) }
    }

    /// The name as written, for errors.
    var command: String { String(decoding: bytes(0), as: UTF8.self) }

    func error(_ kind: ReplayError.Kind, _ reason: String) -> ReplayError {
        ReplayError(kind, command: command, reason: reason)
    }

    func arity(_ n: Int) throws {
        guard count == n else { throw error(.syntax, "wrong number of arguments (\(count - 1), expected \(n - 1))") }
    }

    func arity(atLeast n: Int) throws {
        guard count >= n else { throw error(.syntax, "wrong number of arguments (\(count - 1), expected at least \(n - 1))") }
    }

    /// Whether argument `i` is `word`, ignoring ASCII case (`word` is upper-case).
    func isWord(_ i: Int, _ word: StaticString) -> Bool {
        guard i < count else { return false }
        let arg = bytes(i)
        guard arg.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for (j, b) in arg.enumerated() where (b >= 97 && b <= 122 ? b - 32 : b) != w[j] { return false }
        return true
    }

    /// A 64-bit integer as Redis's `string2ll` accepts it.
    func int(_ i: Int) throws -> Int64 {
        guard i < count else { throw error(.syntax, "missing argument \(i)") }
        guard let v = Decimal64.parseCanonical(bytes(i)) else {
            throw error(.notANumber, "value is not an integer or out of range: \(Quoting.redisCLI(self[i], limit: 40))")
        }
        return v
    }

    static func integer(_ bytes: [UInt8]) -> Int64? { bytes.withUnsafeBytes { Decimal64.parseCanonical($0) } }

    /// A double as Redis's `getDoubleFromObject` accepts it (`strtod`, whole string, not NaN).
    func double(_ i: Int) throws -> Double {
        guard i < count else { throw error(.syntax, "missing argument \(i)") }
        guard let v = parseDouble(bytes(i)), !v.isNaN else {
            throw error(.notANumber, "value is not a valid float: \(Quoting.redisCLI(self[i], limit: 40))")
        }
        return v
    }
}
