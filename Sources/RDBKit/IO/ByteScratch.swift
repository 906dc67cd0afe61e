/// Bytes copied into storage that is reused from copy to copy: per-key scratch on hot paths,
/// where an array's allocation, reference counting and uniqueness checks cost more than the copy.
final class ByteScratch {
    private var storage = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
    private(set) var count = 0

    deinit { storage.deallocate() }

    /// The bytes last set, valid until the next `set`.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: storage[0..<count]) }

    func set(_ p: UnsafeRawBufferPointer) {
        if p.count > storage.count {
            storage.deallocate()
            storage = .allocate(byteCount: max(p.count, storage.count * 2), alignment: 8)
        }
        if let from = p.baseAddress { storage.baseAddress!.copyMemory(from: from, byteCount: p.count) }
        count = p.count
    }
}
