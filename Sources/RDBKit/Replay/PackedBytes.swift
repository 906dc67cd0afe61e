#if canImport(Glibc)
import Glibc
#endif

/// Byte strings one after another in one buffer, each behind its length as a LEB128 varint:
/// what a Redis listpack is to a small collection. A small hash, set or list costs one
/// allocation instead of an array per element plus a table; lookups scan, which is what
/// Redis does too below its `*-max-listpack-*` limits.
///
/// An element is addressed by its position: the offset of its length prefix.
struct PackedBytes: Equatable {
    private(set) var buffer: [UInt8] = []
    private(set) var count = 0

    init() {}

    init<C: Collection>(_ elements: C) where C.Element == [UInt8] {
        buffer.reserveCapacity(elements.reduce(0) { $0 + $1.count + 2 })
        for e in elements { append(e) }
    }

    init<C: Collection>(_ elements: C) where C.Element == UnsafeRawBufferPointer {
        buffer.reserveCapacity(elements.reduce(0) { $0 + $1.count + 2 })
        for e in elements { append(e) }
    }

    var isEmpty: Bool { count == 0 }
    var startPosition: Int { 0 }
    var endPosition: Int { buffer.count }

    /// Where element `p`'s bytes are.
    @inline(__always)
    func span(at p: Int) -> Range<Int> {
        var length = 0, shift = 0, i = p
        while true {
            let b = buffer[i]
            length |= Int(b & 0x7F) << shift
            i += 1
            if b < 0x80 { break }
            shift += 7
        }
        return i..<(i + length)
    }

    /// The position after element `p`.
    func position(after p: Int) -> Int { span(at: p).upperBound }

    func bytes(at p: Int) -> [UInt8] { Array(buffer[span(at: p)]) }

    /// Whether element `p` holds exactly `bytes`.
    func element(at p: Int, equals bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { element(at: p, equals: $0) }
    }

    func element(at p: Int, equals bytes: UnsafeRawBufferPointer) -> Bool {
        let s = span(at: p)
        guard s.count == bytes.count else { return false }
        return buffer.withUnsafeBytes { b in Self.equal(UnsafeRawBufferPointer(rebasing: b[s]), bytes) }
    }

    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let x = a.baseAddress, let y = b.baseAddress else { return true }
        return memcmp(x, y, a.count) == 0
    }

    /// The position of the first element equal to `bytes` among every `stride`-th one from the
    /// start (2 for the fields of field/value pairs).
    func firstPosition(of bytes: [UInt8], stride: Int = 1) -> Int? {
        bytes.withUnsafeBytes { firstPosition(of: $0, stride: stride) }
    }

    func firstPosition(of bytes: UnsafeRawBufferPointer, stride: Int = 1) -> Int? {
        var p = 0
        while p < buffer.count {
            if element(at: p, equals: bytes) { return p }
            for _ in 0..<stride { p = position(after: p) }
        }
        return nil
    }

    /// Calls `body` with each element's bytes, in order.
    func forEach(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try buffer.withUnsafeBytes { b in
            var p = 0
            while p < b.count {
                let s = span(at: p)
                try body(UnsafeRawBufferPointer(rebasing: b[s]))
                p = s.upperBound
            }
        }
    }

    var elements: [[UInt8]] {
        var out: [[UInt8]] = []
        out.reserveCapacity(count)
        forEach { out.append(Array($0)) }
        return out
    }

    private static func appendPrefix(_ n: Int, to out: inout [UInt8]) {
        var v = n
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Room for `extra` more bytes, growing by a quarter rather than the doubling `Array`
    /// does: a packed collection lives as long as the dataset, so its slack is paid for all
    /// that time.
    private mutating func reserve(_ extra: Int) {
        let needed = buffer.count + extra
        if needed > buffer.capacity { buffer.reserveCapacity(needed + needed / 4) }
    }

    /// Room for `elements` appended, exactly: a command adding several elements at once sizes
    /// the buffer once, and leaves no slack.
    mutating func reserve<C: Collection>(adding elements: C, extraBytes: Int = 0) where C.Element: Collection<UInt8> {
        var needed = buffer.count + extraBytes
        for e in elements { needed += e.count + (Int.bitWidth - e.count.leadingZeroBitCount + 6) / 7 + (e.isEmpty ? 1 : 0) }
        if needed > buffer.capacity { buffer.reserveCapacity(needed) }
    }

    mutating func append(_ bytes: [UInt8]) {
        reserve(bytes.count + 3)
        Self.appendPrefix(bytes.count, to: &buffer)
        buffer.append(contentsOf: bytes)
        count += 1
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        reserve(bytes.count + 3)
        Self.appendPrefix(bytes.count, to: &buffer)
        buffer.append(contentsOf: bytes)
        count += 1
    }

    /// Inserts `bytes` as a new element at position `p` (before the element there).
    mutating func insert(_ bytes: [UInt8], at p: Int) {
        bytes.withUnsafeBytes { insert($0, at: p) }
    }

    /// Inserts `bytes` as a new element at position `p`: the bytes after it move once, and
    /// nothing is allocated but the buffer's growth.
    mutating func insert(_ bytes: UnsafeRawBufferPointer, at p: Int) {
        reserve(bytes.count + 3)
        let old = buffer.count
        Self.appendPrefix(bytes.count, to: &buffer)
        let prefix = buffer.count - old
        buffer.append(contentsOf: bytes)
        buffer.withUnsafeMutableBytes { b in
            guard let base = b.baseAddress, p < old else { return }
            // [p, old) holds the elements after p, then come prefix and bytes: rotate them in.
            withUnsafeTemporaryAllocation(byteCount: prefix + bytes.count, alignment: 1) { t in
                guard let tmp = t.baseAddress else { return }
                memcpy(tmp, base + old, prefix + bytes.count)
                memmove(base + p + prefix + bytes.count, base + p, old - p)
                memcpy(base + p, tmp, prefix + bytes.count)
            }
        }
        count += 1
    }

    /// Replaces element `p` with `bytes`.
    mutating func replace(at p: Int, with bytes: [UInt8]) {
        bytes.withUnsafeBytes { replace(at: p, with: $0) }
    }

    mutating func replace(at p: Int, with bytes: UnsafeRawBufferPointer) {
        var encoded: [UInt8] = []
        encoded.reserveCapacity(bytes.count + 3)
        Self.appendPrefix(bytes.count, to: &encoded)
        encoded.append(contentsOf: bytes)
        buffer.replaceSubrange(p..<position(after: p), with: encoded)
    }

    /// Removes `n` elements from position `p`.
    mutating func remove(at p: Int, elements n: Int = 1) {
        var end = p
        for _ in 0..<n { end = position(after: end) }
        buffer.removeSubrange(p..<end)
        count -= n
    }

    /// The longest element, in bytes.
    var longestElement: Int {
        var best = 0
        forEach { best = Swift.max(best, $0.count) }
        return best
    }
}
