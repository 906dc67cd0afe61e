#if canImport(Glibc)
import Glibc
#endif

/// The CRC-64 of a regular file, computed on a second thread that also reads the file for the
/// parser: it reads each chunk once, checksums it, and hands it over through a small ring of
/// buffers, so the parser's thread makes no read calls and the file is read once. The thread
/// keeps the CRC at every block boundary; once the parser has found the EOF opcode, the CRC up
/// to it is the boundary's extended over the few bytes after it.
final class ParallelChecksum: ByteSource, @unchecked Sendable {
    private static let block = 1 << 20
    /// Chunks a block divides into, in a ring of `slots`: small, as they count in peak memory.
    private static let chunk = 1 << 17
    private static let slots = 8
    /// The thread, finding the ring full, sleeps until this many slots are free: one wake-up
    /// for several chunks (a wake-up per chunk cost more than the checksum itself).
    private static let refillAt = slots / 2
    private let fd: Int32
    private let monitor = Monitor()
    private let buffers = UnsafeMutableRawPointer.allocate(byteCount: slots * chunk, alignment: 16)
    // Shared, under `monitor`: per slot the bytes in it, -1 while it is free; 0 marks the end.
    private var filled = [Int](repeating: -1, count: slots)
    private var free = slots
    private var threadWaits = false, parserWaits = false
    private var cancelled = false
    /// `prefix[k]`: CRC of bytes `0..<k * block`.
    private var prefix: [UInt64] = [0]
    private var failure: Int32 = 0
    // The parser's side.
    private var slot = 0
    private var position = 0
    private var thread = pthread_t()
    private var started = false

    /// Nil when the path cannot be opened again or no thread can start: read and check inline
    /// then. (A failed initializer still runs `deinit`, which frees what is held.)
    init?(path: String) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        guard let t = NativeThread.start({ [self] in run() }) else { return nil }
        thread = t
        started = true
    }

    deinit {
        if fd >= 0 { close(fd) }
        monitor.destroy()
        buffers.deallocate()
    }

    private func run() {
        var crc: UInt64 = 0
        var offset: off_t = 0
        var s = 0
        while true {
            monitor.lock()
            if free == 0 {
                threadWaits = true
                while free < Self.refillAt && !cancelled { monitor.wait() }
                threadWaits = false
            }
            let stop = cancelled
            monitor.unlock()
            if stop { return }
            let p = buffers + s * Self.chunk
            var n = pread(fd, p, Self.chunk, offset)
            while n < 0 && errno == EINTR { n = pread(fd, p, Self.chunk, offset) }
            let error = n < 0 ? errno : 0
            if n > 0 {
                crc = CRC64.update(crc, UnsafeRawBufferPointer(start: p, count: n))
                offset += off_t(n)
            }
            monitor.lock()
            if n > 0 && offset % off_t(Self.block) == 0 { prefix.append(crc) }
            failure = error
            filled[s] = max(n, 0)
            free -= 1
            if parserWaits { monitor.broadcast() }
            monitor.unlock()
            if n <= 0 { return }
            s = (s + 1) % Self.slots
        }
    }

    /// The file's next bytes, as the thread has read them.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        monitor.lock()
        if filled[slot] == -1 {
            parserWaits = true
            while filled[slot] == -1 && !cancelled { monitor.wait() }
            parserWaits = false
        }
        let n = filled[slot], error = failure, stopped = cancelled
        monitor.unlock()
        if stopped { return 0 }
        if n == 0 {
            if error != 0 {
                throw RDBError(.io, at: 0, expected: "readable input", found: String(cString: strerror(error)))
            }
            return 0
        }
        let take = min(buffer.count, n - position)
        buffer.baseAddress!.copyMemory(from: buffers + slot * Self.chunk + position, byteCount: take)
        position += take
        if position == n {
            monitor.lock()
            filled[slot] = -1
            free += 1
            if threadWaits && free >= Self.refillAt { monitor.broadcast() }
            monitor.unlock()
            slot = (slot + 1) % Self.slots
            position = 0
        }
        return take
    }

    /// Stops the thread (the parser is done, or failed: no more bytes or checksum are needed).
    func cancel() {
        monitor.lock()
        cancelled = true
        monitor.broadcast()
        monitor.unlock()
        if started { pthread_join(thread, nil); started = false }
    }

    /// The CRC-64 of bytes `0..<end`, all of which the parser has read.
    func checksum(upTo end: Int64) throws -> UInt64 {
        monitor.lock()
        let table = prefix, error = failure
        monitor.unlock()
        guard error == 0 else {
            throw RDBError(.io, at: 0, expected: "readable input for the checksum", found: String(cString: strerror(error)))
        }
        let k = min(Int(end / Int64(Self.block)), table.count - 1)
        var crc = table[k]
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
