#if canImport(Glibc)
import Glibc
#endif

/// Runs an `AOFReader` on a thread of its own and hands its events over in batches, the
/// arguments of a batch's commands packed in one buffer: reading and tokenizing overlap with
/// whatever the caller does with the events (replaying them, in `AOFReplay`), and a batch
/// costs a few allocations, not one per argument (made on one thread and freed on the other,
/// they contended for the malloc arena). A command's own `arguments` are handed over empty:
/// kept, they would make the reader copy its buffer for every command.
///
/// At most `depth` batches wait, and a batch closes at `batchEvents` events or about
/// `batchBytes` bytes of arguments (or preamble keys), so memory stays bounded whatever the
/// caller's pace. What the reader
/// throws comes out of `next()` after every event before it.
final class AOFReadAhead: @unchecked Sendable {
    struct Event {
        var event: AOFEvent
        /// A command's name and arguments: these elements of the batch's `arguments`.
        var arguments: Range<Int> = 0..<0
        /// `AOFCommand.hasRelativeTTL`, for a command.
        var hasRelativeTTL = false
    }

    struct Batch {
        var events: [Event] = []
        var arguments = ByteList()
    }

    private static let batchEvents = 512
    private static let batchBytes = 1 << 17
    private static let depth = 2

    private let reader: AOFReader
    private let monitor = Monitor()
    private var ready: [Batch] = []
    /// Batches the caller is done with, emptied, for the reading thread to fill again: their
    /// buffers are allocated once, not once a batch (from the heap's top, which malloc gave
    /// back to the system and faulted in again, batch after batch).
    private var spare: [Batch] = []
    private var finished = false
    private var failure: Error?
    private var cancelled = false
    /// Set before the thread starts, so the thread reads it without a race.
    private var threaded = false
    private var thread: pthread_t?

    private struct Cancelled: Error {}

    init(_ reader: AOFReader) {
        self.reader = reader
    }

    deinit {
        monitor.destroy()
    }

    /// Starts the reading thread; reads on the caller's thread later, in `next()`, when no
    /// thread can be made.
    func start() {
        threaded = true
        if let t = NativeThread.start({ [self] in produce() }) {
            thread = t
        } else {
            threaded = false
        }
    }

    /// Puts the next batch in `batch`, taking back the one it held (to be filled again); false
    /// after the last. Throws what the reader threw.
    func next(_ batch: inout Batch) throws -> Bool {
        batch.events.removeAll(keepingCapacity: true)
        batch.arguments.removeAll()
        if !threaded && !finished { produce() }
        monitor.lock()
        defer { monitor.unlock() }
        while ready.isEmpty && !finished { monitor.wait() }
        if !ready.isEmpty {
            monitor.broadcast()
            if threaded { spare.append(batch) }
            batch = ready.removeFirst()
            return true
        }
        if let failure { throw failure }
        return false
    }

    /// Stops the reading thread (at its next event) and waits for it.
    func stop() {
        monitor.lock()
        cancelled = true
        ready.removeAll()
        spare.removeAll()
        monitor.broadcast()
        monitor.unlock()
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }

    private func produce() {
        var batch = Batch()
        var bytes = 0
        do {
            try reader.read { event in
                if case .command(var c) = event {
                    let first = batch.arguments.count
                    batch.arguments.append(contentsOf: c.arguments)
                    let relative = c.hasRelativeTTL
                    bytes += c.arguments.totalBytes
                    c.arguments = ByteList()
                    batch.events.append(Event(event: .command(c), arguments: first..<batch.arguments.count, hasRelativeTTL: relative))
                } else {
                    // A preamble's key weighs what it takes in the file, times a guess at what
                    // decoding (LZF, packed encodings) makes of it.
                    if case .rdb(.key(let r)) = event { bytes += 4 * Int(r.metadata.serializedBytes) + 64 }
                    batch.events.append(Event(event: event))
                }
                if batch.events.count >= Self.batchEvents || bytes >= Self.batchBytes {
                    try hand(&batch)
                    bytes = 0
                }
            }
            try hand(&batch)
            finish(nil)
        } catch is Cancelled {
            finish(nil)
        } catch {
            // Events read before the failure go first, as a plain loop would have handled them.
            _ = try? hand(&batch)
            finish(error)
        }
    }

    /// Queues `batch` and puts an empty one in its place.
    private func hand(_ batch: inout Batch) throws {
        guard !batch.events.isEmpty else { return }
        monitor.lock()
        defer { monitor.unlock() }
        // Without a thread of its own, the whole input is read in one go.
        while threaded && ready.count >= Self.depth && !cancelled { monitor.wait() }
        if cancelled { throw Cancelled() }
        ready.append(batch)
        if let reused = spare.popLast() {
            batch = reused
        } else {
            batch = Batch()
            // Sized once: grown by doubling, a batch's buffer would be copied ~17 times.
            batch.arguments.reserveCapacity(elements: 8 * Self.batchEvents, bytes: Self.batchBytes + Self.batchBytes / 4)
        }
        monitor.broadcast()
    }

    private func finish(_ error: Error?) {
        monitor.lock()
        failure = error
        finished = true
        monitor.broadcast()
        monitor.unlock()
    }
}
