#if canImport(Glibc)
import Glibc
#endif

/// A file written the way Redis replaces `dump.rdb` (format.md §8.5): into a temporary file in
/// the target's directory, flushed to disk, then renamed over the target, so a reader of the
/// target sees the old file or the whole new one, never a part. An abandoned write leaves
/// nothing behind.
public final class AtomicFile {
    public let path: String
    public private(set) var temporaryPath: String
    private var fd: Int32
    private var done = false

    /// Creates the temporary file. Refuses a target that is one of `inputs` (the same file by
    /// device and inode, whatever the path), so an output never replaces what is being read.
    public init(path: String, protecting inputs: [String] = []) throws {
        self.path = path
        var target = stat()
        if stat(path, &target) == 0 {
            for input in inputs {
                var st = stat()
                if stat(input, &st) == 0 && st.st_dev == target.st_dev && st.st_ino == target.st_ino {
                    throw OutputError(errno: EEXIST, detail: "\(path) is an input; write the output elsewhere")
                }
            }
        }
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array("\(dir.isEmpty ? "/" : dir)/.\(base).tmp-XXXXXX".utf8CString)
        let d = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard d >= 0 else { throw OutputError(errno: errno, detail: "cannot create a temporary file next to \(path)") }
        fd = d
        temporaryPath = String(cString: template)
        fchmod(fd, 0o644)
    }

    deinit {
        if !done { abandon() }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var off = 0
        while off < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + off, bytes.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                throw OutputError(errno: errno, detail: "writing \(temporaryPath)")
            }
            off += n
        }
    }

    /// fsync, close, rename over the target, fsync the directory.
    public func commit() throws {
        guard !done else { return }
        if fsync(fd) != 0 { throw OutputError(errno: errno, detail: "fsync \(temporaryPath)") }
        if close(fd) != 0 { throw OutputError(errno: errno, detail: "close \(temporaryPath)") }
        fd = -1
        if rename(temporaryPath, path) != 0 { throw OutputError(errno: errno, detail: "rename to \(path)") }
        done = true
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        let dirFD = open(dir.isEmpty ? "/" : dir, O_RDONLY | O_DIRECTORY)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
    }

    /// Removes the temporary file; the target is untouched.
    public func abandon() {
        guard !done else { return }
        if fd >= 0 { close(fd) }
        fd = -1
        unlink(temporaryPath)
        done = true
    }

    /// Writes `bytes` as the whole new content of `path` in one go.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let file = try AtomicFile(path: path)
        try bytes.withUnsafeBytes { try file.write($0) }
        try file.commit()
    }
}
