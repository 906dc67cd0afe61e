/// Bytes copied into storage that is reused from copy to copy: per-key scratch on hot paths,
/// where an array's allocation, reference counting and uniqueness checks cost more than the copy.
final class ByteScratch {
    private var storage = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
    private(set) var count = 0

    deinit { storage.deallocate() }

    /// The bytes last set, valid until the next `set`.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: storage[0..<count]) }

    @inline(__always)
    func set(_ p: UnsafeRawBufferPointer) {
        let to = resize(p.count)
        if let from = p.baseAddress { to.baseAddress!.copyMemory(from: from, byteCount: p.count) }
    }

    /// Room for `n` bytes, to be written by the caller (what was there before is not kept).
    @inline(__always)
    func resize(_ n: Int) -> UnsafeMutableRawBufferPointer {
        if n > storage.count { grow(n) }
        count = n
        return UnsafeMutableRawBufferPointer(start: storage.baseAddress, count: n)
    }

    private func grow(_ n: Int) {
        storage.deallocate()
        storage = .allocate(byteCount: max(n, storage.count * 2), alignment: 8)
    }
}
