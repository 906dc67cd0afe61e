#if canImport(Glibc)
import Glibc
#endif

/// Which files make up an AOF given as a path, decided by content, not by name: a single file
/// (RESP, or an RDB preamble followed by RESP), a Redis 7+ `appendonlydir/` directory, or the
/// path of its manifest (format.md §7.2, §7.3).
public struct AOFLayout: Sendable {
    public enum Kind: String, Sendable {
        /// One file: RESP commands, possibly after an RDB preamble (Redis ≤ 6.2).
        case single
        /// A manifest naming a base and incr files (Redis 7.0+, Valkey).
        case multiPart = "multi-part"
    }

    /// What the first bytes of a path say it is.
    public enum Content: String, Sendable {
        case directory, manifest, resp, rdb, unknown
    }

    public var kind: Kind
    /// The path as given.
    public var path: String
    public var manifestPath: String?
    public var manifest: AOFManifest?
    /// The files to read, in load order: the base (if any) then the incr files.
    public var parts: [AOFPart]
    /// Files the manifest lists as history: obsolete, not read.
    public var history: [AOFPart]
    /// Files in the directory the manifest does not name (in-flight temporaries, an incr file
    /// created just before a crash, stray copies): ignored, as the server ignores them.
    public var unlisted: [AOFPart]
    /// Oddities of the layout worth a warning.
    public var notes: [String]

    /// Resolves `path`: a directory holding a manifest (or whose `appendonlydir`-like
    /// subdirectory does), a manifest, or a single AOF file (`-` for standard input).
    public static func resolve(_ path: String) throws(AOFError) -> AOFLayout {
        if path == "-" {
            return AOFLayout(kind: .single, path: path, parts: [AOFPart(name: path, path: path, role: .single)],
                             history: [], unlisted: [], notes: [])
        }
        var content = try content(of: path)
        // Content that says nothing (an empty file) or nothing known: a `.manifest` name decides,
        // so that a broken manifest is reported as one.
        if path.hasSuffix(".manifest") && (content == .unknown || (content == .resp && fileSize(path) == 0)) {
            content = .manifest
        }
        switch content {
        case .directory:
            if let manifest = try findManifest(in: path) { return try multiPart(manifestPath: manifest, given: path) }
            // A server `dir` of Redis ≤ 6.2: its one `*.aof` file, as the server's upgrade
            // path loads it when no manifest exists.
            let singles = try listDirectory(path).filter { $0.hasSuffix(".aof") && fileSize(join(path, $0)) != nil }
            guard singles.count == 1 else {
                throw AOFError(.notAOF, file: path, at: 0,
                               expected: "an AOF manifest in the directory or a subdirectory, or one *.aof file",
                               found: singles.isEmpty ? "none" : singles.sorted().joined(separator: ", "))
            }
            return try resolve(join(path, singles[0]))
        case .manifest:
            return try multiPart(manifestPath: path, given: path)
        case .resp, .rdb:
            return AOFLayout(kind: .single, path: path,
                             parts: [AOFPart(name: path, path: path, role: .single, size: fileSize(path))],
                             history: [], unlisted: [], notes: [])
        case .unknown:
            throw AOFError(.notAOF, file: path, at: 0, expected: "an AOF file (RESP or RDB preamble), an AOF directory or its manifest",
                           found: describeStart(path))
        }
    }

    /// Sniffs a path: a directory; an RDB (`REDIS`/`VALKEY` magic: a plain RDB, a preamble AOF
    /// or an RDB base); RESP (`*`, or `#` annotation lines before one, or nothing at all); a
    /// manifest (`file`/`seq`/`type` key first, possibly after `#` comments).
    public static func content(of path: String) throws(AOFError) -> Content {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw AOFError(.io, file: path, at: 0, expected: "a readable file or directory", found: String(cString: strerror(errno)))
        }
        if (st.st_mode & S_IFMT) == S_IFDIR { return .directory }
        let head = try readHead(path, max: 4096)
        if head.isEmpty { return .resp }
        if head.starts(with: Array("REDIS".utf8)) || head.starts(with: Array("VALKEY".utf8)) { return .rdb }
        // Skip `#` lines: AOF annotations and manifest comments look alike.
        var i = 0
        while i < head.count && head[i] == UInt8(ascii: "#") {
            guard let nl = head[i...].firstIndex(of: 0x0A) else { return .resp }
            if head[i...].starts(with: Array("#TS:".utf8)) { return .resp }
            i = nl + 1
        }
        if i == head.count { return .resp }
        if head[i] == UInt8(ascii: "*") { return .resp }
        let word = head[i...].prefix { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }.map(asciiUpper)
        if ["FILE", "SEQ", "TYPE"].contains(where: { Array($0.utf8) == word }) { return .manifest }
        return .unknown
    }

    // MARK: Multi-part

    /// The manifest in `dir`, or in one of its subdirectories (a server's `dir` holding its
    /// `appenddirname`); nil when there is none.
    private static func findManifest(in dir: String) throws(AOFError) -> String? {
        let names = try listDirectory(dir)
        let manifests = names.filter { $0.hasSuffix(".manifest") && !$0.hasPrefix("temp-") }
        if manifests.count == 1 { return join(dir, manifests[0]) }
        if manifests.count > 1 {
            throw AOFError(.notAOF, file: dir, at: 0, expected: "one AOF manifest in the directory",
                           found: manifests.sorted().joined(separator: ", "))
        }
        var found: [String] = []
        for name in names.sorted() {
            let sub = join(dir, name)
            var st = stat()
            guard stat(sub, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR,
                  let inner = try? listDirectory(sub) else { continue }
            for m in inner where m.hasSuffix(".manifest") && !m.hasPrefix("temp-") { found.append(join(sub, m)) }
        }
        if found.count > 1 {
            throw AOFError(.notAOF, file: dir, at: 0, expected: "one AOF manifest below the directory",
                           found: found.joined(separator: ", "))
        }
        return found.first
    }

    private static func multiPart(manifestPath: String, given: String) throws(AOFError) -> AOFLayout {
        let dir = directory(of: manifestPath)
        let manifestName = baseName(manifestPath)
        let bytes = try readHead(manifestPath, max: 16 << 20)
        let manifest = try AOFManifest.parse(bytes, file: manifestName)
        var notes: [String] = []

        func part(_ e: AOFManifest.Entry, role: AOFPart.Role) -> AOFPart {
            let p = join(dir, e.name)
            return AOFPart(name: e.name, path: p, role: role, sequence: e.sequence, size: fileSize(p))
        }
        var parts: [AOFPart] = []
        if let b = manifest.base { parts.append(part(b, role: .base)) }
        for e in manifest.incrs { parts.append(part(e, role: .incr)) }
        // An interrupted upgrade from a single-file AOF (format.md §7.2): the manifest names
        // only a base that is still in the server's `dir`, the parent of this directory, where
        // the server then loads it from.
        if parts.count == 1, parts[0].size == nil {
            let parentCopy = join(directory(of: dir), parts[0].name)
            if let size = fileSize(parentCopy) {
                parts[0].path = parentCopy
                parts[0].size = size
                notes.append("\(parts[0].name) is read from the parent directory (an interrupted upgrade from a single-file AOF)")
            }
        }
        if let missing = parts.first(where: { $0.size == nil }) {
            throw AOFError(.missingFile, file: manifestName, at: 0, expected: "\(missing.name), which the manifest lists",
                           found: "no such file in \(dir)")
        }
        if parts.isEmpty { notes.append("the manifest lists no base and no incr file: the AOF is empty") }
        let history = manifest.history.map { part($0, role: .history) }
        let listed = Set(manifest.entries.map(\.name) + [manifestName])
        let unlisted = ((try? listDirectory(dir)) ?? []).filter { !listed.contains($0) }.sorted().compactMap { name -> AOFPart? in
            let p = join(dir, name)
            var st = stat()
            guard stat(p, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
            return AOFPart(name: name, path: p, role: .unlisted, size: Int64(st.st_size))
        }
        return AOFLayout(kind: .multiPart, path: given, manifestPath: manifestPath, manifest: manifest,
                         parts: parts, history: history, unlisted: unlisted, notes: notes)
    }

    // MARK: Files

    static func fileSize(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(st.st_size)
    }

    /// Last modification time in Unix seconds: the crash report's evidence of when a file's
    /// last command was written when the AOF has no `#TS:` annotations.
    static func modificationTime(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int64(st.st_mtim.tv_sec)
    }

    /// Up to `max` bytes from the start of a file (gzip inflated). Only for small reads: a
    /// sniff, a manifest.
    static func readHead(_ path: String, max: Int) throws(AOFError) -> [UInt8] {
        do {
            let input = BufferedReader(try Input.open(path).source, checksum: false, bufferSize: 1 << 12)
            var out: [UInt8] = []
            while out.count < max, let b = try input.peekByte() {
                out.append(b)
                _ = try input.readByte()
            }
            return out
        } catch let e as RDBError {
            throw AOFError(.io, file: path, at: 0, expected: e.expected, found: e.found)
        } catch {
            throw AOFError(.io, file: path, at: 0, expected: "a readable file", found: "\(error)")
        }
    }

    private static func describeStart(_ path: String) -> String {
        let head = (try? readHead(path, max: 16)) ?? []
        return head.isEmpty ? "nothing readable" : "a file starting with " + Quoting.redisCLI(head)
    }

    static func listDirectory(_ dir: String) throws(AOFError) -> [String] {
        guard let d = opendir(dir) else {
            throw AOFError(.io, file: dir, at: 0, expected: "a readable directory", found: String(cString: strerror(errno)))
        }
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func join(_ dir: String, _ name: String) -> String {
        dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func baseName(_ path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }
}
