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
    }

    public func withUnsafeElements<R>(_ body: (UnsafeElements) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { bytes in
            try ends.withUnsafeBufferPointer { ends in try body(UnsafeElements(base: bytes.baseAddress, ends: ends)) }
        }
    }

    /// Element indices in byte-wise order (memcmp, the shorter first on a common prefix), the
    /// order Redis gives sorted members and the JSONL contract gives sets and hashes.
    public func byteOrderPermutation() -> [Int] {
        var order = Array(indices)
        withUnsafeElements { elements in order.sort { elements.compare($0, $1) < 0 } }
        return order
    }

    /// Member indices in `ZRANGE` order: score ascending, then member byte-wise.
    public static func scoreOrderPermutation(members: ByteList, scores: [Double]) -> [Int] {
        var order = Array(members.indices)
        scores.withUnsafeBufferPointer { scores in
            members.withUnsafeElements { members in
                order.sort { a, b in
                    scores[a] != scores[b] ? scores[a] < scores[b] : members.compare(a, b) < 0
                }
            }
        }
        return order
    }
}
