#if canImport(Glibc)
import Glibc
#endif

/// The CRC-64 of a regular file, computed on a second thread while the reader parses it (the
/// checksum was a fifth of a single-threaded read). The thread reads the file on its own
/// descriptor and keeps the CRC at every block boundary; once the reader has found the EOF
/// opcode, the CRC up to it is the boundary's extended over the few bytes after it.
final class ParallelChecksum: @unchecked Sendable {
    private static let block = 1 << 20
    private let fd: Int32
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var cancelled = false
    private var thread = pthread_t()
    private var started = false
    /// `prefix[k]`: CRC of bytes `0..<k * block`.
    private var prefix: [UInt64] = []
    private var failure: Int32 = 0

    /// Nil when the path cannot be opened again or no thread can start: check inline then.
    init?(path: String) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { lock.deallocate(); return nil }
        pthread_mutex_init(lock, nil)
        let box = Unmanaged.passRetained(self).toOpaque()
        guard pthread_create(&thread, nil, { p in
            Unmanaged<ParallelChecksum>.fromOpaque(p!).takeRetainedValue().run()
            return nil
        }, box) == 0 else {
            Unmanaged<ParallelChecksum>.fromOpaque(box).release()
            return nil
        }
        started = true
    }

    deinit {
        close(fd)
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    private var isCancelled: Bool {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return cancelled
    }

    private func run() {
        // Read in chunks smaller than a block: the buffer counts in the reader's peak memory.
        let chunk = 1 << 18
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var crc: UInt64 = 0
        var offset: off_t = 0
        var inBlock = 0
        var table: [UInt64] = [0]
        while !isCancelled {
            let n = pread(fd, buffer.baseAddress!, min(chunk, Self.block - inBlock), offset)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { failure = errno; break }
            if n == 0 { break }
            crc = CRC64.update(crc, UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            offset += off_t(n)
            inBlock += n
            if inBlock == Self.block {
                table.append(crc)
                inBlock = 0
            }
        }
        prefix = table
    }

    /// Stops the thread early (the reader failed: no checksum is needed).
    func cancel() {
        pthread_mutex_lock(lock)
        cancelled = true
        pthread_mutex_unlock(lock)
        join()
    }

    private func join() {
        if started { pthread_join(thread, nil); started = false }
    }

    /// The CRC-64 of bytes `0..<end`.
    func checksum(upTo end: Int64) throws -> UInt64 {
        join()
        guard failure == 0, !prefix.isEmpty else {
            throw RDBError(.io, at: 0, expected: "readable input for the checksum", found: String(cString: strerror(failure)))
        }
        let k = min(Int(end / Int64(Self.block)), prefix.count - 1)
        var crc = prefix[k]
        var at = Int64(k) * Int64(Self.block)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while at < end {
            let want = Int(min(Int64(buffer.count), end - at))
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, want, off_t(at)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw RDBError(.io, at: at, expected: "readable input for the checksum", found: "end of file") }
            crc = buffer.withUnsafeBytes { CRC64.update(crc, UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            at += Int64(n)
        }
        return crc
    }
}
