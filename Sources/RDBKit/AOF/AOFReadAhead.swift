#if canImport(Glibc)
import Glibc
#endif

/// Runs an `AOFReader` on a thread of its own and hands its events over in batches, each
/// command with its arguments already split into arrays: reading and tokenizing overlap with
/// whatever the caller does with the events (replaying them, in `AOFReplay`). A command's
/// `arguments` are handed over empty (`argv` holds them): kept, they would make the reader
/// copy its buffer for every command.
///
/// At most `depth` batches wait, and a batch closes at `batchEvents` events or about
/// `batchBytes` bytes of arguments (or preamble keys), so memory stays bounded whatever the
/// caller's pace. What the reader
/// throws comes out of `next()` after every event before it.
final class AOFReadAhead: @unchecked Sendable {
    struct Event {
        var event: AOFEvent
        var argv: [[UInt8]] = []
        /// `AOFCommand.hasRelativeTTL`, for a command.
        var hasRelativeTTL = false
    }

    private static let batchEvents = 512
    private static let batchBytes = 1 << 17
    private static let depth = 2

    private let reader: AOFReader
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var ready: [[Event]] = []
    private var finished = false
    private var failure: Error?
    private var cancelled = false
    /// Set before the thread starts, so the thread reads it without a race.
    private var threaded = false
    private var thread: pthread_t?

    private struct Cancelled: Error {}

    init(_ reader: AOFReader) {
        self.reader = reader
        pthread_mutex_init(lock, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed); pthread_mutex_destroy(lock)
        changed.deallocate(); lock.deallocate()
    }

    /// Starts the reading thread; reads on the caller's thread later, in `next()`, when no
    /// thread can be made.
    func start() {
        var t = pthread_t()
        threaded = true
        let box = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&t, nil, { p in
            Unmanaged<AOFReadAhead>.fromOpaque(p!).takeRetainedValue().produce()
            return nil
        }, box)
        if rc == 0 {
            thread = t
        } else {
            threaded = false
            Unmanaged<AOFReadAhead>.fromOpaque(box).release()
        }
    }

    /// The next batch, nil after the last; throws what the reader threw.
    func next() throws -> [Event]? {
        if !threaded && !finished { produce() }
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        while ready.isEmpty && !finished { pthread_cond_wait(changed, lock) }
        if !ready.isEmpty {
            pthread_cond_broadcast(changed)
            return ready.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Stops the reading thread (at its next event) and waits for it.
    func stop() {
        pthread_mutex_lock(lock)
        cancelled = true
        ready.removeAll()
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(lock)
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }

    private func produce() {
        var batch: [Event] = []
        var bytes = 0
        do {
            try reader.read { event in
                if case .command(var c) = event {
                    let argv = c.arguments.map { Array($0) }
                    let relative = c.hasRelativeTTL
                    bytes += c.arguments.totalBytes
                    c.arguments = ByteList()
                    batch.append(Event(event: .command(c), argv: argv, hasRelativeTTL: relative))
                } else {
                    // A preamble's key weighs what it takes in the file, times a guess at what
                    // decoding (LZF, packed encodings) makes of it.
                    if case .rdb(.key(let r)) = event { bytes += 4 * Int(r.metadata.serializedBytes) + 64 }
                    batch.append(Event(event: event))
                }
                if batch.count >= Self.batchEvents || bytes >= Self.batchBytes {
                    try hand(batch)
                    batch.removeAll(keepingCapacity: true)
                    bytes = 0
                }
            }
            try hand(batch)
            finish(nil)
        } catch is Cancelled {
            finish(nil)
        } catch {
            // Events read before the failure go first, as a plain loop would have handled them.
            _ = try? hand(batch)
            finish(error)
        }
    }

    private func hand(_ batch: [Event]) throws {
        guard !batch.isEmpty else { return }
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        // Without a thread of its own, the whole input is read in one go.
        while threaded && ready.count >= Self.depth && !cancelled { pthread_cond_wait(changed, lock) }
        if cancelled { throw Cancelled() }
        ready.append(batch)
        pthread_cond_broadcast(changed)
    }

    private func finish(_ error: Error?) {
        pthread_mutex_lock(lock)
        failure = error
        finished = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(lock)
    }
}
