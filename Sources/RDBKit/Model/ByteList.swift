/// A list of byte strings packed into one contiguous buffer.
///
/// Collections decoded from a file hold thousands of small elements; packing them keeps the
/// cost at two allocations per collection instead of one per element.
public struct ByteList: RandomAccessCollection, Sendable, Equatable {
    public private(set) var storage: [UInt8] = []
    /// `ends[i]` is the end offset of element `i` in `storage`; its start is `ends[i - 1]` or 0.
    public private(set) var ends: [Int] = []

    public init() {}

    public init<S: Sequence>(_ elements: S) where S.Element == [UInt8] {
        for e in elements { append(e) }
    }

    /// Elements `range` of `list`.
    public init(slice list: ByteList, _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let start = list.start(of: range.lowerBound)
        storage = Array(list.storage[start..<list.ends[range.upperBound - 1]])
        ends = list.ends[range].map { $0 - start }
    }

    public init(reservingElements n: Int, bytes: Int) {
        storage.reserveCapacity(bytes)
        ends.reserveCapacity(n)
    }

    /// Makes room for `elements` more elements of `bytes` more bytes in all.
    public mutating func reserveCapacity(elements: Int, bytes: Int) {
        storage.reserveCapacity(storage.count + bytes)
        ends.reserveCapacity(ends.count + elements)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.count }

    @inlinable public func start(of i: Int) -> Int { i == 0 ? 0 : ends[i - 1] }

    public subscript(i: Int) -> ArraySlice<UInt8> {
        storage[start(of: i)..<ends[i]]
    }

    /// The bytes of element `i`, valid only inside `body`.
    @inlinable
    public func withElement<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let s = start(of: i), e = ends[i]
        return try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[s..<e])) }
    }

    public func length(of i: Int) -> Int { ends[i] - start(of: i) }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        storage.append(contentsOf: bytes)
        ends.append(storage.count)
    }

    /// Appends every element of `other`.
    public mutating func append(contentsOf other: ByteList) {
        let base = storage.count
        storage.append(contentsOf: other.storage)
        ends.reserveCapacity(ends.count + other.ends.count)
        for e in other.ends { ends.append(base + e) }
    }

    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        storage.append(contentsOf: bytes)
        ends.append(storage.count)
    }

    /// Appends an element of `count` bytes read from `input` in chunks, so storage grows only as
    /// bytes arrive (a length a file claims never allocates beyond the bytes that exist). On a
    /// throw nothing is appended.
    public mutating func appendElement(reading count: Int, from input: BufferedReader) throws {
        let before = storage.count
        do {
            try input.append(count, to: &storage)
        } catch {
            storage.removeLast(storage.count - before)
            throw error
        }
        ends.append(storage.count)
    }

    /// Appends the decimal text of `v`, as Redis shows an integer-encoded string.
    public mutating func appendDecimal(_ v: Int64) {
        Decimal64.append(v, to: &storage)
        ends.append(storage.count)
    }

    /// Keeps the first `count` elements.
    public mutating func truncate(to count: Int) {
        guard count < ends.count else { return }
        storage.removeLast(storage.count - (count == 0 ? 0 : ends[count - 1]))
        ends.removeLast(ends.count - count)
    }

    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    public var totalBytes: Int { storage.count }

    /// The largest element length, in bytes.
    public var longestElement: Int {
        var best = 0, prev = 0
        for e in ends { best = Swift.max(best, e - prev); prev = e }
        return best
    }

    public static func == (a: ByteList, b: ByteList) -> Bool {
        a.ends == b.ends && a.storage == b.storage
    }
}

/// Decimal rendering of integers without going through `String`.
public enum Decimal64 {
    public static func append(_ v: Int64, to out: inout [UInt8]) {
        if v >= 0 && v < 10 { out.append(UInt8(48 + v)); return }
        withText(v) { out.append(contentsOf: $0) }
    }

    /// Calls `body` with the decimal text of `v`, valid only inside it.
    public static func withText<R>(_ v: Int64, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var mag = v.magnitude
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch
        return try withUnsafeMutableBytes(of: &tmp) { buf in
            var i = 24
            repeat {
                i -= 1
                buf[i] = UInt8(48 + mag % 10)
                mag /= 10
            } while mag > 0
            if v < 0 { i -= 1; buf[i] = UInt8(ascii: "-") }
            return try body(UnsafeRawBufferPointer(rebasing: buf[i..<24]))
        }
    }

    public static func text(_ v: Int64) -> [UInt8] {
        var out: [UInt8] = []
        append(v, to: &out)
        return out
    }

    /// Parses the canonical decimal form of an `Int64` (no sign `+`, no leading zeros, no
    /// spaces), the form Redis integer-encodes. Returns nil for anything else.
    public static func parseCanonical(_ p: UnsafeRawBufferPointer) -> Int64? {
        let n = p.count
        if n == 0 || n > 20 { return nil }
        var i = 0
        let neg = p[0] == UInt8(ascii: "-")
        if neg { i = 1; if n == 1 { return nil } }
        if p[i] == UInt8(ascii: "0") { return (n == 1) ? 0 : nil }
        var mag: UInt64 = 0
        while i < n {
            let d = p[i] &- 48
            if d > 9 { return nil }
            let (m, o1) = mag.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            mag = a
            i += 1
        }
        if neg {
            if mag > UInt64(Int64.max) + 1 { return nil }
            return mag == UInt64(Int64.max) + 1 ? Int64.min : -Int64(mag)
        }
        return mag > UInt64(Int64.max) ? nil : Int64(mag)
    }
}
