#if canImport(Glibc)
import Glibc
#endif

/// Checks the packed containers (ziplists, listpacks, intsets, zipmaps, LZF-compressed or
/// not) of a structure-level read on a thread of its own, while the reader frames the records
/// after them: the reader copies each value's strings as stored into a batch, and the thread
/// decompresses and walks them with the same code the reader would (`PackedLayout`). The
/// members of plain sets, hashes and sorted sets that must be unique come as member lists,
/// compared on the thread too.
///
/// Shapes reach the consumer in file order: a key read while earlier ones are being checked
/// waits in the batch behind them (its shape already known). The first fault in file order
/// is the one thrown: a fault in a record's framing is held in that record's entry, behind
/// every blob read before it. Memory is bounded by a few batches (or one value, if larger).
final class BlobCheckQueue: @unchecked Sendable {
    /// One key record, in the order read. Plain values only (no references), so that the
    /// batches cost no reference counting. Only the reader touches entries (the thread's
    /// results go to `Contents.tallies`), so no cache line of them is written from both sides.
    struct Entry {
        var db: Int
        /// The key's bytes in the batch's storage.
        var keyAt: Int, keyCount: Int
        var type: RDBType
        var expireAtMs: Int64?
        var metadata: RecordMetadata
        /// The entry's blobs in `Batch.blobs`.
        var blobs: Range<Int>
        /// The shape, when the reader knew it (then the blobs, if any, are member lists).
        var shapeKnown = false
        var elements = 0, longest = 0
    }

    /// What the thread found in an entry's blobs: its element count and longest element.
    struct Tally {
        var elements = 0, longest = 0
    }

    /// A stored string copied into a batch, and the walk that checks it.
    struct Blob {
        /// The entry it belongs to.
        var entry: Int
        var at: Int, count: Int
        var uncompressedLength: Int?
        var dataAt: Int64
        var fileOffset: Int64
        var compressed: Bool
        var layout: PackedLayout

        var context: BlobContext { BlobContext(fileOffset: fileOffset, compressed: compressed, kind: layout.kind) }
    }

    /// Records and the bytes they refer to: filled by the reader (as a value of the queue's,
    /// no reference on the per-key path), then moved into a `Batch` for the thread.
    struct Contents {
        var entries = PlainBuffer<Entry>(capacity: BlobCheckQueue.batchEntries)
        var blobs = PlainBuffer<Blob>(capacity: 64)
        /// Per blob, written by the thread: at an entry's first blob, the entry's tally.
        var tallies = PlainBuffer<Tally>(capacity: 64)
        /// The first fault: the reader's, in the last entry (after its blobs), or the thread's.
        var failure: (entry: Int, error: RDBError)?
        /// The thread's fault: its entry and error, made the record's error by the reader
        /// (which alone reads the entries) in `settleFault`.
        var fault: (entry: Int, error: Error)?
        private(set) var storage = UnsafeMutableRawPointer.allocate(byteCount: BlobCheckQueue.batchBytes, alignment: 16)
        private(set) var capacity = BlobCheckQueue.batchBytes
        private(set) var used = 0

        /// Frees the storage (its owner's deinit).
        func deallocate() {
            storage.deallocate()
            entries.deallocate()
            blobs.deallocate()
            tallies.deallocate()
        }

        /// Copies a plain value's bytes; returns where they went.
        mutating func append<T>(value v: T) -> Int {
            withUnsafeBytes(of: v) { append($0) }
        }

        /// Copies `p`; returns where it went.
        mutating func append(_ p: UnsafeRawBufferPointer) -> Int {
            if used + p.count > capacity {
                // One value larger than a batch: the storage grows to hold it, as the reader's buffer did.
                capacity = max(capacity * 2, used + p.count)
                let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
                bigger.copyMemory(from: storage, byteCount: used)
                storage.deallocate()
                storage = bigger
            }
            let at = used
            if let from = p.baseAddress { (storage + at).copyMemory(from: from, byteCount: p.count) }
            used += p.count
            return at
        }

        func bytes(at: Int, count: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage + at, count: count) }

        var isFull: Bool { used >= BlobCheckQueue.batchBytes || entries.count >= BlobCheckQueue.batchEntries }

        mutating func reset() {
            entries.removeAll()
            blobs.removeAll()
            tallies.removeAll()
            failure = nil
            fault = nil
            used = 0
            if capacity > BlobCheckQueue.batchBytes {
                storage.deallocate()
                storage = .allocate(byteCount: BlobCheckQueue.batchBytes, alignment: 16)
                capacity = BlobCheckQueue.batchBytes
            }
        }

        /// The thread's work: every blob walked, each entry's tally at its first blob, up to
        /// the first fault (in `fault`, by entry; the reader puts it in `failure`).
        mutating func check(_ scratch: ByteScratch, _ duplicates: inout DuplicateFinder) {
            let last = failure?.entry ?? entries.count - 1
            var k = 0
            while k < blobs.count && blobs[k].entry <= last {
                let first = k, entry = blobs[k].entry
                var t = ElementTally(), values = ElementTally()
                do {
                    while k < blobs.count && blobs[k].entry == entry {
                        let b = blobs[k]
                        let s = StoredString(bytes: bytes(at: b.at, count: b.count), uncompressedLength: b.uncompressedLength,
                                             dataAt: b.dataAt, context: b.context)
                        try b.layout.check(try s.expanded(into: scratch), s.context, &t, values: &values, &duplicates)
                        k += 1
                    }
                } catch {
                    fault = (entry, error)
                    return
                }
                tallies[first] = Tally(elements: t.count, longest: max(t.longest, values.longest))
            }
        }

        /// Moves the thread's fault, if it comes first, into `failure`.
        mutating func settleFault() {
            guard let f = fault else { return }
            fault = nil
            if let failure, failure.entry < f.entry { return }
            let entry = entries[f.entry]
            let e = f.error as? RDBError ?? RDBError(.structural, at: entry.metadata.offset, expected: "a value", found: "\(f.error)")
            failure = (f.entry, e.inRecord(db: entry.db, key: Array(bytes(at: entry.keyAt, count: entry.keyCount)),
                                           typeName: entry.type.checkRDBName))
        }
    }

    /// Contents handed to the thread.
    final class Batch {
        var contents = Contents()
        deinit { contents.deallocate() }
    }

    static let batchBytes = 1 << 15
    static let batchEntries = 512
    /// Batches handed to the thread before the reader waits for the oldest.
    static let inFlight = 4
    /// An idle thread is woken once this many batches wait (or the reader needs one checked):
    /// a wake-up per batch cost more than checking a batch of plain strings.
    static let wakeAt = 2

    // The reader's side.
    private var current = Contents()
    /// Handed over, oldest first; `handed - submitted.count` is the oldest's number.
    private var submitted: [Batch] = []
    private var spare: [Batch] = []
    private var handed = 0

    // Shared, under `monitor`.
    private let monitor = Monitor()
    private var work: [Batch] = []
    private var checked = 0
    private var stopping = false
    private var threadWaits = false, readerWaits = false

    private var thread = pthread_t()
    private var started = false

    /// Nil when no thread can start: the reader checks blobs itself then.
    init?() {
        guard let t = NativeThread.start({ [self] in run() }) else { return nil }
        thread = t
        started = true
    }

    deinit {
        current.deallocate()
        monitor.destroy()
    }

    private func run() {
        let scratch = ByteScratch()
        var duplicates = DuplicateFinder()
        monitor.lock()
        while true {
            while work.isEmpty && !stopping {
                threadWaits = true
                monitor.wait()
                threadWaits = false
            }
            if stopping { break }
            let batch = work.removeFirst()
            monitor.unlock()
            batch.contents.check(scratch, &duplicates)
            monitor.lock()
            checked += 1
            if readerWaits { monitor.broadcast() }
        }
        monitor.unlock()
    }

    /// Stops the thread (reading is over).
    func stop() {
        monitor.lock()
        stopping = true
        monitor.broadcast()
        monitor.unlock()
        if started { pthread_join(thread, nil); started = false }
    }

    /// Nothing waits to reach the consumer: a key can go to it at once.
    var isIdle: Bool { current.entries.count == 0 && submitted.isEmpty }

    // MARK: Adding records

    /// Starts a record's entry: its key.
    func begin(db: Int, key: UnsafeRawBufferPointer, type: RDBType, expireAtMs: Int64?, metadata: RecordMetadata) {
        let at = current.append(key)
        let b = current.blobs.count
        current.entries.append(Entry(db: db, keyAt: at, keyCount: key.count, type: type, expireAtMs: expireAtMs,
                                     metadata: metadata, blobs: b..<b))
    }

    /// The member list being made: where it starts in the batch's storage, and its layout.
    private var openList: (at: Int, layout: PackedLayout)?

    /// Starts a list of `count` members of the record begun last that must be unique (a plain
    /// set's, a sorted set's or a hash's fields: `layout`), to be compared on the thread.
    /// Each member goes in as its length, its offset in the file and its bytes.
    func beginMembers(count: Int, _ layout: PackedLayout) {
        openList = (current.append(value: Int64(count)), layout)
    }

    func addMember(_ p: UnsafeRawBufferPointer, at offset: Int64) {
        _ = current.append(value: Int64(p.count))
        _ = current.append(value: offset)
        _ = current.append(p)
    }

    /// Ends the member list: a blob for the thread.
    func endMembers() {
        guard let (at, layout) = openList else { return }
        openList = nil
        current.tallies.append(Tally())
        current.blobs.append(Blob(entry: current.entries.count - 1, at: at, count: current.used - at, uncompressedLength: nil,
                                  dataAt: 0, fileOffset: 0, compressed: false, layout: layout))
    }

    /// The key of the record begun last (for its errors and warnings).
    var lastKey: [UInt8] {
        let e = current.entries[current.entries.count - 1]
        return Array(current.bytes(at: e.keyAt, count: e.keyCount))
    }

    /// Adds a string of the record begun last, to be checked by `layout`'s walk.
    func add(_ s: StoredString, _ layout: PackedLayout) {
        let at = current.append(s.bytes)
        current.tallies.append(Tally())
        current.blobs.append(Blob(entry: current.entries.count - 1, at: at, count: s.bytes.count, uncompressedLength: s.uncompressedLength, dataAt: s.dataAt,
                                  fileOffset: s.context.fileOffset, compressed: s.context.compressed, layout: layout))
    }

    /// Ends the record begun last: its size, and its shape when it was known as it was read.
    func end(serializedBytes: Int64, shape: (elements: Int, longest: Int, encoding: Encoding)?) {
        let last = current.entries.count - 1
        current.entries[last].blobs = current.entries[last].blobs.lowerBound..<current.blobs.count
        current.entries[last].metadata.serializedBytes = serializedBytes
        if let shape {
            current.entries[last].shapeKnown = true
            current.entries[last].elements = shape.elements
            current.entries[last].longest = shape.longest
            current.entries[last].metadata.encoding = shape.encoding
        }
    }

    /// Ends the record begun last with the fault that stopped its reading: thrown once its
    /// blobs are checked, unless one of them has an earlier one.
    func end(failure: RDBError) {
        // The members read before the fault are still compared: a repeated one comes first.
        endMembers()
        let last = current.entries.count - 1
        current.entries[last].blobs = current.entries[last].blobs.lowerBound..<current.blobs.count
        current.failure = (last, failure)
    }

    /// The batch being filled should be handed over.
    var isFull: Bool { current.isFull }

    /// Hands the batch over; waits for the oldest while too many are out.
    func submit(_ onShape: (KeyShapeView) throws -> Void) throws {
        submit()
        while submitted.count > Self.inFlight { try deliverOldest(onShape) }
    }

    /// Passes every record read so far to the consumer, or throws the first fault.
    func drain(_ onShape: (KeyShapeView) throws -> Void) throws {
        if current.entries.count > 0 { submit() }
        while !submitted.isEmpty { try deliverOldest(onShape) }
    }

    private func submit() {
        let batch = spare.popLast() ?? Batch()
        swap(&batch.contents, &current)
        submitted.append(batch)
        handed += 1
        monitor.lock()
        work.append(batch)
        if threadWaits && work.count >= Self.wakeAt { monitor.broadcast() }
        monitor.unlock()
    }

    /// Waits, under `monitor`, until `checked` exceeds `number`.
    private func waitUntilChecked(_ number: Int) {
        while checked <= number {
            if threadWaits { monitor.broadcast() }
            readerWaits = true
            monitor.wait()
            readerWaits = false
        }
    }

    private func deliverOldest(_ onShape: (KeyShapeView) throws -> Void) throws {
        let number = handed - submitted.count
        monitor.lock()
        waitUntilChecked(number)
        monitor.unlock()
        let batch = submitted.removeFirst()
        batch.contents.settleFault()
        do {
            for i in 0..<batch.contents.entries.count {
                let e = batch.contents.entries[i]
                if let f = batch.contents.failure, f.entry == i { throw f.error }
                var elements = e.elements, longest = e.longest
                if !e.shapeKnown {
                    let t = batch.contents.tallies[e.blobs.lowerBound]
                    elements = t.elements; longest = t.longest
                }
                try onShape(KeyShapeView(db: e.db, key: batch.contents.bytes(at: e.keyAt, count: e.keyCount), type: e.type.dataType,
                                         expireAtMs: e.expireAtMs, elementCount: elements, longestElement: longest,
                                         metadata: e.metadata))
            }
        } catch {
            abandon()
            throw error
        }
        batch.contents.reset()
        spare.append(batch)
    }

    /// After a fault: what was read after it never reaches the consumer.
    private func abandon() {
        monitor.lock()
        waitUntilChecked(handed - 1)
        monitor.unlock()
        submitted.removeAll()
        current.reset()
    }
}

/// A growable array of plain values (no references) in manually managed memory: appending
/// and indexing cost no reference counting or uniqueness checks. Freed by its owner.
struct PlainBuffer<T> {
    private var base: UnsafeMutablePointer<T>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    func deallocate() { base.deallocate() }

    subscript(i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }

    mutating func append(_ v: T) {
        if count == capacity {
            capacity *= 2
            let bigger = UnsafeMutablePointer<T>.allocate(capacity: capacity)
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = bigger
        }
        (base + count).initialize(to: v)
        count += 1
    }

    mutating func removeAll() { count = 0 }
}
