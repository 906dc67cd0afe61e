/// Element access and sorted views for writers. A writer visits every element of a large
/// collection: it takes one view of the packed storage per collection instead of one closure
/// per element, and sorts a permutation of indices instead of copying elements out.
extension ByteList {
    /// The elements of a `ByteList` as raw buffers, valid only inside `withUnsafeElements`.
    public struct UnsafeElements {
        let base: UnsafeRawPointer?
        let ends: UnsafeBufferPointer<Int>

        public var count: Int { ends.count }

        public subscript(i: Int) -> UnsafeRawBufferPointer {
            // Checked in release builds too: a bad index would otherwise read out of bounds.
            precondition(i >= 0 && i < ends.count, "element index out of range")
            let start = i == 0 ? 0 : ends[i - 1]
            return UnsafeRawBufferPointer(start: base.map { $0 + start }, count: ends[i] - start)
        }

        /// memcmp order of elements `a` and `b`, the shorter first on a common prefix.
        @inline(__always)
        public func compare(_ a: Int, _ b: Int) -> Int {
            let x = self[a], y = self[b]
            let common = Swift.min(x.count, y.count)
            // Eight bytes at a time, read big-endian so integer order is byte order: elements
            // are short and often share a prefix, where a memcmp call costs more than the work.
            var i = 0
            while i + 8 <= common {
                let u = UInt64(bigEndian: x.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let v = UInt64(bigEndian: y.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                if u != v { return u < v ? -1 : 1 }
                i += 8
            }
            while i < common {
                if x[i] != y[i] { return x[i] < y[i] ? -1 : 1 }
                i += 1
            }
            return x.count - y.count
        }

        /// Element `i`'s first eight bytes as a big-endian integer, zero-padded.
        @inline(__always)
        func prefix(of i: Int) -> UInt64 {
            let x = self[i]
            if x.count >= 8 { return UInt64(bigEndian: x.loadUnaligned(as: UInt64.self)) }
            var v: UInt64 = 0
            for b in x { v = v << 8 | UInt64(b) }
            return v << (8 * (8 - UInt64(x.count)))
        }
    }

    /// An element's first eight bytes, big-endian and zero-padded: integer order of prefixes
    /// is byte order of elements, up to ties between prefixes.
    fileprivate struct SortKey { var prefix: UInt64; var index: Int }
    fileprivate struct ScoreKey { var score: Double; var prefix: UInt64; var index: Int }

    public func withUnsafeElements<R>(_ body: (UnsafeElements) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { bytes in
            try ends.withUnsafeBufferPointer { ends in try body(UnsafeElements(base: bytes.baseAddress, ends: ends)) }
        }
    }

    /// Element indices in byte-wise order (memcmp, the shorter first on a common prefix), the
    /// order Redis gives sorted members and the JSONL contract gives sets and hashes.
    public func byteOrderPermutation() -> [Int] {
        withUnsafeElements { elements in
            // Sorted by each element's first eight bytes held inline, so most comparisons are
            // one integer compare instead of two lookups in `ends` and two loads of element bytes.
            var keys = (0..<elements.count).map { SortKey(prefix: elements.prefix(of: $0), index: $0) }
            let less = { (a: SortKey, b: SortKey) -> Bool in
                a.prefix != b.prefix ? a.prefix < b.prefix : elements.compare(a.index, b.index) < 0
            }
            if keys.count <= 16 {
                insertionSort(&keys, by: less)
            } else {
                keys.sort(by: less)
            }
            return keys.map(\.index)
        }
    }

    /// Member indices in `ZRANGE` order: score ascending, then member byte-wise.
    public static func scoreOrderPermutation(members: ByteList, scores: [Double]) -> [Int] {
        scores.withUnsafeBufferPointer { scores in
            members.withUnsafeElements { members in
                var keys = (0..<members.count).map {
                    ScoreKey(score: scores[$0], prefix: members.prefix(of: $0), index: $0)
                }
                let less = { (a: ScoreKey, b: ScoreKey) -> Bool in
                    if a.score != b.score { return a.score < b.score }
                    return a.prefix != b.prefix ? a.prefix < b.prefix : members.compare(a.index, b.index) < 0
                }
                if keys.count <= 16 {
                    insertionSort(&keys, by: less)
                } else {
                    keys.sort(by: less)
                }
                return keys.map(\.index)
            }
        }
    }
}

/// Sorts a few elements in place: below ~16 it beats the general sort, whose setup dominates.
private func insertionSort<T>(_ a: inout [T], by less: (T, T) -> Bool) {
    guard a.count > 1 else { return }
    for i in 1..<a.count {
        let x = a[i]
        var j = i
        while j > 0 && less(x, a[j - 1]) {
            a[j] = a[j - 1]
            j -= 1
        }
        a[j] = x
    }
}
