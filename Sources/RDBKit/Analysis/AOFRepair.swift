#if canImport(Glibc)
import Glibc
#endif

/// Why `--fix-to` writes no copy.
public struct AOFRepairError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The damage is in a file other than the last, or in an RDB part, or in the layout:
        /// cutting the last file cannot make the AOF load (redis-check-aof refuses too).
        case notRepairable = "not-repairable"
        /// `--until` falls in a file that is not the last one, or before the first command.
        case untilNotInLastFile = "until-not-in-last-file"
        /// The output is there already (a directory is never merged into).
        case outputExists = "output-exists"
    }
    public var kind: Kind
    public var file: String
    public var offset: Int64?
    public var message: String
    public var description: String {
        "\(file)" + (offset.map { " offset \($0)" } ?? "") + ": \(message)"
    }
}

/// A repaired copy of an AOF (`verify --fix-to`): every file copied, the last one cut at the
/// end of its last complete command (`redis-check-aof --fix`), or at the first `#TS:` later
/// than `--until` (`redis-check-aof --truncate-to-timestamp`), whichever comes first. Never
/// in place: a single file is written with `AtomicFile`; a directory is built as a temporary
/// directory beside the output and renamed into place whole, with a manifest listing only the
/// base and incr files (history files are obsolete and not copied).
public struct AOFRepair: Sendable {
    /// The last file's name and where it is cut; nil when nothing is cut.
    public var cut: (file: String, offset: Int64, size: Int64, reason: String)?
    public var output: String

    /// Plans the repair of the AOF that `result` describes (verified with `untilMs` set when
    /// `--until` was given).
    public static func plan(_ result: AOFVerifyResult, output: String) throws(AOFRepairError) -> AOFRepair {
        guard let layout = result.layout, let last = layout.parts.last else {
            throw AOFRepairError(kind: .notRepairable, file: result.path, offset: nil,
                                 message: "the AOF's layout could not be read (\(result.failure.map { "\($0)" } ?? "no files"))")
        }
        var cut: (file: String, offset: Int64, size: Int64, reason: String)? = nil
        if let f = result.failure {
            guard f.kind != .rdb, f.kind != .io, f.file == last.name, let ok = result.okUpTo else {
                throw AOFRepairError(kind: .notRepairable, file: f.file, offset: f.kind == .manifest ? nil : f.offset,
                                     message: "the damage is not in the commands of the last file; cutting cannot repair it")
            }
            cut = (last.name, ok, last.size ?? ok, "\(f.kind.rawValue) at offset \(f.offset)")
        }
        if let t = result.firstAnnotationAfterUntil {
            guard t.file == last.name else {
                throw AOFRepairError(kind: .untilNotInLastFile, file: t.file, offset: t.offset,
                                     message: "the first #TS:\(t.seconds) after --until is not in the last file; only the last file can be cut")
            }
            if cut.map({ t.offset < $0.offset }) ?? true {
                cut = (last.name, t.offset, last.size ?? t.offset, "#TS:\(t.seconds) after --until")
            }
        }
        return AOFRepair(cut: cut, output: output)
    }

    /// Writes the copy. Throws `AOFRepairError`, `OutputError` or `RDBError` (reading).
    public func write(_ layout: AOFLayout) throws {
        switch layout.kind {
        case .single:
            let part = layout.parts[0]
            let file = try AtomicFile(path: output, protecting: [part.path])
            try copy(part, to: file)
            try file.commit()
        case .multiPart:
            try writeDirectory(layout)
        }
    }

    private func writeDirectory(_ layout: AOFLayout) throws {
        var st = stat()
        if lstat(output, &st) == 0 {
            throw AOFRepairError(kind: .outputExists, file: output, offset: nil,
                                 message: "exists; --fix-to writes a new directory (remove it or choose another name)")
        }
        let trimmed = output.hasSuffix("/") && output.count > 1 ? String(output.dropLast()) : output
        let parent = AOFLayout.directory(of: trimmed)
        var template = Array("\(parent)/.\(AOFLayout.baseName(trimmed)).tmp-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw OutputError(errno: errno, detail: "cannot create a temporary directory next to \(output)")
        }
        let temporary = String(cString: template)
        var committed = false
        defer { if !committed { removeTree(temporary) } }
        chmod(temporary, 0o755)
        for part in layout.parts {
            let file = try AtomicFile(path: AOFLayout.join(temporary, part.name))
            try copy(part, to: file)
            try file.commit()
        }
        try AtomicFile.write(manifestBytes(layout), to: AOFLayout.join(temporary, AOFLayout.baseName(layout.manifestPath ?? "appendonly.aof.manifest")))
        if rename(temporary, trimmed) != 0 {
            throw OutputError(errno: errno, detail: "rename \(temporary) to \(trimmed)")
        }
        committed = true
        let dirFD = open(parent, O_RDONLY | O_DIRECTORY)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
    }

    /// The manifest's base and incr lines as the server wrote them; comments and history
    /// lines left out.
    private func manifestBytes(_ layout: AOFLayout) throws -> [UInt8] {
        guard let path = layout.manifestPath, let manifest = layout.manifest else { return [] }
        let bytes = try AOFLayout.readHead(path, max: 16 << 20)
        let keep = Set(manifest.entries.filter { $0.type != .history }.map(\.line))
        var out: [UInt8] = []
        for (i, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() where keep.contains(i + 1) {
            out += line
            out.append(0x0A)
        }
        return out
    }

    /// Copies a part's bytes (gzip inflated), up to the cut when it is the cut file.
    private func copy(_ part: AOFPart, to file: AtomicFile) throws {
        let limit = cut.flatMap { $0.file == part.name ? $0.offset : nil }
        let source = try Input.open(part.path).source
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var written: Int64 = 0
        while limit.map({ written < $0 }) ?? true {
            let want = Int(min(Int64(buffer.count), limit.map { $0 - written } ?? Int64(buffer.count)))
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[..<want])) }
            if n == 0 { break }
            try buffer.withUnsafeBytes { try file.write(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            written += Int64(n)
        }
    }

    /// Removes a directory this repair created, with the files in it.
    private func removeTree(_ dir: String) {
        for name in (try? AOFLayout.listDirectory(dir)) ?? [] { unlink(AOFLayout.join(dir, name)) }
        rmdir(dir)
    }
}
