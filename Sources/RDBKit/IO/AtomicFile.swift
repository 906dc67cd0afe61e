#if canImport(Glibc)
import Glibc
#endif

/// Writes a whole file so that readers see the old one or the new one, never a partial one:
/// the bytes go to a temporary file in the same directory, which is then renamed into place.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let temp = path + ".tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError(errno: errno) }
        var failure: Int32? = nil
        bytes.withUnsafeBytes { p in
            var off = 0
            while off < p.count, let base = p.baseAddress {
                let n = Glibc.write(fd, base + off, p.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                off += n
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = errno }
        if close(fd) != 0 && failure == nil { failure = errno }
        if failure == nil && rename(temp, path) != 0 { failure = errno }
        if let failure {
            unlink(temp)
            throw OutputError(errno: failure)
        }
    }
}
