/// What the start of a file says it is: `scan`'s first look at every file, reading at most
/// `FileClassifier.auxLimit` bytes, so a huge file that is not Redis's costs one small read.
/// Only files found here are then read in full.
public struct FileSniff: Sendable {
    public enum Content: String, Sendable {
        /// The RDB magic `REDIS` or `VALKEY` (possibly after a captured replication header):
        /// an RDB, damaged if what follows is not one.
        case rdb
        /// An RDB whose AUX fields say `aof-preamble 1`: RESP commands follow it.
        case aofPreamble = "aof-preamble"
        /// RESP commands (`*<n>` then `$<len>`), possibly after `#TS:` annotations.
        case resp
        /// A multi-part AOF manifest (`file <name> seq <n> type <t>` lines).
        case manifest
        /// None of these: not reported.
        case notRedis = "not-redis"
        /// The file could not be opened or read.
        case unreadable
    }

    public var content: Content
    /// The bytes were gzip, inflated to look inside.
    public var gzip = false
    /// For RDB content: the header and the AUX fields before the first record.
    public var rdb: RDBHeaderFacts?
    /// For a manifest: its entries, or why they could not be parsed.
    public var manifest: Result<AOFManifest, AOFError>?
    /// For `.unreadable`: the reason.
    public var problem: String?

    public init(_ content: Content, gzip: Bool = false) { self.content = content; self.gzip = gzip }
}

/// The header facts servers write before any key (format.md §3.4).
public struct RDBHeaderFacts: Sendable, Equatable {
    public var dialect: Dialect?
    /// "redis 7.0.15" from `redis-ver` / `valkey-ver`.
    public var producer: String?
    /// The `ctime` AUX field: Unix seconds when the file was written.
    public var ctime: Int64?
    /// `aof-preamble 1`: the RDB part of a single-file AOF (Redis 4.0-6.2).
    public var aofPreamble = false
    /// `aof-base 1`: the base file of a multi-part AOF (Redis 7.0+).
    public var aofBase = false

    /// Notes an AUX field; the first value of each counts.
    mutating func take(aux name: [UInt8], value: [UInt8]) {
        let text = String(decoding: value, as: UTF8.self)
        switch String(decoding: name, as: UTF8.self) {
        case "redis-ver": producer = producer ?? "redis \(text)"
        case "valkey-ver": producer = producer ?? "valkey \(text)"
        case "ctime": ctime = ctime ?? Int64(text)
        case "aof-preamble": aofPreamble = aofPreamble || text == "1"
        case "aof-base": aofBase = aofBase || text == "1"
        default: break
        }
    }
}

/// Decides by content, never by name, what a file is. The rule for the RDB magic is the
/// server's own (its AOF loader takes a file starting with `REDIS` for an RDB): a file
/// starting with `REDIS` or `VALKEY` is an RDB, reported as damaged when the rest is not one;
/// a file without any of the signatures is not Redis's and is not reported. The one place a
/// name counts is a manifest that does not parse: called `*.manifest`, it is reported as a
/// damaged manifest, otherwise it is only text that happens to start with `file`.
public enum FileClassifier {
    /// Bytes looked at for the RESP and manifest signatures.
    static let headSize = 512
    /// At most this much is read to get past the AUX fields of an RDB.
    static let auxLimit = 64 << 10
    /// A manifest is a few lines per file; anything larger is not one.
    static let manifestLimit = 1 << 20

    public static func sniff(_ path: String) -> FileSniff {
        let opened: Input.Opened
        var head: [UInt8] = []
        do {
            opened = try Input.open(path)
            head = try readHead(opened.source, tolerant: opened.isGzip)
        } catch {
            var s = FileSniff(.unreadable)
            s.problem = (error as? RDBError)?.found ?? "\(error)"
            return s
        }
        var sniff = FileSniff(.notRedis, gzip: opened.isGzip)
        if startsWithRDBMagic(head) {
            sniff.content = .rdb
            sniff.rdb = headerFacts(PrefixedSource(prefix: head, rest: opened.source))
            if sniff.rdb?.aofPreamble == true { sniff.content = .aofPreamble }
        } else if looksLikeRESP(head) {
            sniff.content = .resp
        } else if startsLikeManifest(head) {
            let parsed: Result<AOFManifest, AOFError>
            do {
                let bytes = try AOFLayout.readHead(path, max: manifestLimit)
                parsed = .success(try AOFManifest.parse(bytes, file: AOFLayout.baseName(path)))
            } catch {
                parsed = .failure(error)
            }
            if case .success = parsed {
                sniff.content = .manifest
            } else if path.hasSuffix(".manifest") {
                sniff.content = .manifest
            }
            if sniff.content == .manifest { sniff.manifest = parsed }
        }
        return sniff
    }

    /// `tolerant` (gzip): a stream that breaks early is judged by what did inflate.
    private static func readHead(_ source: ByteSource, tolerant: Bool) throws -> [UInt8] {
        var head = [UInt8](repeating: 0, count: headSize)
        var got = 0
        do {
            while got < headSize {
                let n = try head.withUnsafeMutableBytes { try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[got...])) }
                if n == 0 { break }
                got += n
            }
        } catch where tolerant {}
        head.removeLast(headSize - got)
        return head
    }

    /// The magic at 0, or after the `+FULLRESYNC` / `$<len>` / `$EOF:` lines of a captured
    /// replication stream (format.md §9.9), which the RDB reader strips itself.
    static func startsWithRDBMagic(_ head: [UInt8]) -> Bool {
        var i = 0
        for _ in 0..<4 {
            if hasMagic(head[i...]) { return true }
            guard i < head.count, head[i] == UInt8(ascii: "+") || head[i] == UInt8(ascii: "$") || head[i] == 0x0A,
                  let nl = head[i...].firstIndex(of: 0x0A) else { return false }
            i = nl + 1
        }
        return false
    }

    private static func hasMagic(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.starts(with: Array("REDIS".utf8)) || bytes.starts(with: Array("VALKEY".utf8))
    }

    /// `#TS:<digits>` annotation lines, then `*<digits>` `$<digits>` with CRLF (or LF, format.md
    /// §9.1) line ends, as far as the head goes; at least one annotation or `*<digit>`.
    static func looksLikeRESP(_ head: [UInt8]) -> Bool {
        var i = 0
        var evidence = false
        func digits() -> Bool {
            let start = i
            while i < head.count, i - start < 20, (0x30...0x39).contains(head[i]) { i += 1 }
            return i > start
        }
        // true: the line ended properly; nil: the head ended first (fine); false: something else.
        func lineEnd() -> Bool? {
            if i == head.count { return nil }
            if head[i] == 0x0D { i += 1; if i == head.count { return nil } }
            guard head[i] == 0x0A else { return false }
            i += 1
            return true
        }
        while i < head.count && head[i] == UInt8(ascii: "#") {
            guard head[i...].starts(with: Array("#TS:".utf8)) else { return false }
            i += 4
            guard digits() else { return false }
            switch lineEnd() {
            case nil: return true
            case false?: return false
            case true?: evidence = true
            }
        }
        if i == head.count { return evidence }
        guard head[i] == UInt8(ascii: "*") else { return false }
        i += 1
        guard digits() else { return false }
        switch lineEnd() {
        case nil: return true
        case false?: return false
        case true?: break
        }
        if i == head.count { return true }
        guard head[i] == UInt8(ascii: "$") else { return false }
        i += 1
        guard digits() else { return i == head.count }
        return lineEnd() != false
    }

    /// `#` comment lines, then a first word `file`, `seq` or `type` (any case).
    static func startsLikeManifest(_ head: [UInt8]) -> Bool {
        var i = 0
        while i < head.count && head[i] == UInt8(ascii: "#") {
            guard let nl = head[i...].firstIndex(of: 0x0A) else { return false }
            i = nl + 1
        }
        let word = head[i...].prefix { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }.map(asciiUpper)
        guard i + word.count < head.count, head[i + word.count] == 0x20 || head[i + word.count] == 0x09 else { return false }
        return ["FILE", "SEQ", "TYPE"].contains { Array($0.utf8) == word }
    }

    /// Reads the header and the AUX fields, stopping at the first other record, at a fault
    /// (the full read reports it) or after `auxLimit` bytes.
    static func headerFacts(_ source: ByteSource) -> RDBHeaderFacts {
        var facts = RDBHeaderFacts()
        let input = BufferedReader(LimitedSource(source, limit: auxLimit), checksum: false, bufferSize: 1 << 12)
        let reader = RDBReader(input: input, options: .init(allowNewer: true, verifyChecksum: false, level: .structure))
        do {
            loop: while let event = try reader.next() {
                switch event {
                case .header(let d): facts.dialect = d
                case .warning: continue
                case .aux(let name, let value): facts.take(aux: name, value: value)
                default: break loop
                }
            }
        } catch {
            // The full read reports the fault; the facts so far stand.
        }
        return facts
    }
}

/// A source that ends after `limit` bytes: bounds what a first look can read.
private final class LimitedSource: ByteSource {
    private let inner: ByteSource
    private var left: Int

    init(_ inner: ByteSource, limit: Int) { self.inner = inner; left = limit }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard left > 0 else { return 0 }
        let n = try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, left)]))
        left -= n
        return n
    }
}
