#if canImport(Glibc)
import Glibc
#endif

/// The bytes of one record while a writer renders it, before they go to the `OutputBuffer`
/// in one append.
///
/// Writers append a few bytes at a time, several times per element. On `[UInt8]` each append
/// pays for a uniqueness check and generic bookkeeping, and on the `OutputBuffer` also for a
/// runtime exclusivity check; here it is a capacity check and a copy, about twice as fast as
/// an array. Noncopyable, so the storage has exactly one owner.
struct RecordBuffer: ~Copyable {
    private var base: UnsafeMutableRawPointer
    private(set) var count = 0
    private(set) var capacity: Int
    private let initialCapacity: Int
    /// Scratch for `Decimal64`, which renders into an array.
    private var digits: [UInt8] = []
    /// Where the text so far of a record that outgrows `spillSize` goes before the record
    /// ends (`spillIfLarge`), so rendering a huge value does not also hold all of its text.
    var spillTarget: OutputBuffer?
    /// The output error a spill met; the writer throws it when the record ends.
    private(set) var spillError: Error?
    static let spillSize = 1 << 20

    init(capacity: Int = 1 << 12) {
        initialCapacity = Swift.max(capacity, 16)
        self.capacity = initialCapacity
        base = Self.reallocate(nil, initialCapacity)
    }

    deinit { free(base) }

    /// realloc, not `allocate`: a multi-megabyte record (a large stream) then grows in place
    /// or by remapping pages, without holding the old and the new copy at once (3 MB of the
    /// mixed benchmark file's 17 MB heap peak). Exhaustion traps, as Swift's allocations do.
    private static func reallocate(_ p: UnsafeMutableRawPointer?, _ n: Int) -> UnsafeMutableRawPointer {
        guard let q = realloc(p, n) else { preconditionFailure("out of memory (\(n) bytes)") }
        return q
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toFit: 1) }
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        if capacity - count < bytes.count { grow(toFit: bytes.count) }
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func appendInPlace(maxCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        if capacity - count < maxCount { grow(toFit: maxCount) }
        count += body((base + count).assumingMemoryBound(to: UInt8.self))
    }

    mutating func appendDecimal(_ v: Int64) {
        // Decimal64 renders into an array: the scratch is emptied only now and then, as
        // emptying an array costs more than rendering a number into it.
        if digits.count > 4000 { digits.removeAll(keepingCapacity: true) }
        let start = digits.count
        Decimal64.append(v, to: &digits)
        digits.withUnsafeBytes { append(UnsafeRawBufferPointer(rebasing: $0[start...])) }
    }

    /// Writers call this between the elements of a collection: records stay whole and in
    /// order in the output, only their start leaves early.
    @inline(__always)
    mutating func spillIfLarge() {
        if count >= Self.spillSize, spillTarget != nil { spill() }
    }

    @inline(never)
    private mutating func spill() {
        guard let out = spillTarget, spillError == nil else { count = 0; return }
        do {
            try withUnsafeBytes { try out.appendLarge($0) }
        } catch {
            spillError = error
        }
        count = 0
    }

    /// Throws (once) the error a spill met.
    mutating func throwSpillError() throws {
        guard let error = spillError else { return }
        spillError = nil
        throw error
    }

    /// The bytes appended so far, valid only inside `body`.
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Empties the buffer, returning to the initial capacity when it grew above `limit`, so
    /// one huge record does not pin its memory for the rest of the run.
    mutating func removeAll(shrinkingAbove limit: Int) {
        count = 0
        if capacity > limit {
            free(base)
            capacity = initialCapacity
            base = Self.reallocate(nil, capacity)
        }
    }

    @inline(never)
    private mutating func grow(toFit extra: Int) {
        let newCapacity = Swift.max(capacity * 2, count + extra)
        base = Self.reallocate(base, newCapacity)
        capacity = newCapacity
    }
}
