#if canImport(Glibc)
import Glibc
#endif

/// Duplicate-key detection in bounded memory (`verify`).
///
/// Every key becomes a 64-bit fingerprint of (db, key), kept in one of 256 buckets chosen by
/// its top byte. Up to `memoryBudget` bytes of fingerprints stay in memory; past that, every
/// bucket is appended as a chunk to an unlinked temporary file (8 bytes a key on disk, none
/// of it resident). At the end each bucket alone, its chunks read back, goes through an
/// open-addressing table: a fingerprint seen twice is a *suspect*. Suspects are only
/// candidates (two keys can share a fingerprint, ~n²/2⁶⁵); `Verifier` confirms them by
/// comparing the keys themselves in a second pass over the file.
final class KeyFingerprints {
    private static let bucketCount = 256
    /// Every bucket's in-memory part: `perBucket` slots each, `filled[b]` of them in use.
    private let slots: UnsafeMutablePointer<UInt64>
    private let perBucket: Int
    /// Not an array: a class's array is checked for uniqueness at every store, once a key.
    private let filled: UnsafeMutablePointer<Int>
    private var spill: Int32 = -1
    private var spillEnd: Int64 = 0
    private var chunks: [[(offset: Int64, count: Int)]]
    private(set) var total = 0

    init(memoryBudget: Int) {
        perBucket = max(64, memoryBudget / 8 / Self.bucketCount)
        slots = .allocate(capacity: perBucket * Self.bucketCount)
        filled = .allocate(capacity: Self.bucketCount)
        filled.initialize(repeating: 0, count: Self.bucketCount)
        chunks = Array(repeating: [], count: Self.bucketCount)
    }

    deinit {
        slots.deallocate()
        filled.deallocate()
        if spill >= 0 { close(spill) }
    }

    /// Bytes written to the temporary file.
    var spilledBytes: Int64 { spillEnd }

    static func fingerprint(db: Int, key: UnsafeRawBufferPointer) -> UInt64 {
        let h = Hash64.hash(key, seed: UInt64(truncatingIfNeeded: db) &* 0x9E37_79B9_7F4A_7C15)
        return h == 0 ? 1 : h  // 0 marks an empty slot below
    }

    @inline(__always)
    func insert(_ fp: UInt64) throws {
        let b = Int(fp >> 56)
        let n = filled[b]
        slots[b * perBucket + n] = fp
        filled[b] = n + 1
        total += 1
        // One full bucket spills them all: chunks stay large, memory stays `memoryBudget`.
        if n + 1 == perBucket { try flush() }
    }

    private func flush() throws {
        if spill < 0 { spill = try Self.temporaryFile() }
        for b in 0..<Self.bucketCount where filled[b] > 0 {
            let bytes = filled[b] * 8
            let p = UnsafeRawPointer(slots + b * perBucket)
            var done = 0
            while done < bytes {
                let n = pwrite(spill, p + done, bytes - done, off_t(spillEnd) + off_t(done))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw Self.ioError("writing duplicate-key fingerprints to a temporary file") }
                done += n
            }
            chunks[b].append((spillEnd, filled[b]))
            spillEnd += Int64(bytes)
            filled[b] = 0
        }
    }

    /// Fingerprints inserted more than once.
    func repeated() throws -> Set<UInt64> {
        // The buckets are independent: two threads take half each (the file is read by now).
        var found = Set<UInt64>()
        var failure: Error?
        let half = Self.bucketCount / 2
        ParallelMap.run(count: 2, jobs: total < 1 << 16 ? 1 : 2, work: { k in
            Result { try self.repeated(in: k == 0 ? 0..<half : half..<Self.bucketCount) }
        }, emit: { _, r in
            switch r {
            case .success(let s): found.formUnion(s)
            case .failure(let e): failure = e
            }
        })
        if let failure { throw failure }
        return found
    }

    private func repeated(in buckets: Range<Int>) throws -> Set<UInt64> {
        var found = Set<UInt64>()
        var table: [UInt64] = []
        var all: [UInt64] = []
        for b in buckets {
            all.removeAll(keepingCapacity: true)
            for c in chunks[b] {
                let start = all.count
                all.append(contentsOf: repeatElement(0, count: c.count))
                try all.withUnsafeMutableBytes { p in
                    let dst = p.baseAddress! + start * 8
                    var done = 0
                    while done < c.count * 8 {
                        let n = pread(spill, dst + done, c.count * 8 - done, off_t(c.offset) + off_t(done))
                        if n < 0 && errno == EINTR { continue }
                        guard n > 0 else { throw Self.ioError("reading duplicate-key fingerprints back") }
                        done += n
                    }
                }
            }
            all.append(contentsOf: UnsafeBufferPointer(start: slots + b * perBucket, count: filled[b]))
            guard all.count > 1 else { continue }
            var size = 16
            while size < all.count * 2 { size *= 2 }
            if table.count != size { table = [UInt64](repeating: 0, count: size) } else { for i in table.indices { table[i] = 0 } }
            let mask = size - 1
            for fp in all {
                // The top byte chose the bucket; the low bits spread within it.
                var s = Int(truncatingIfNeeded: fp) & mask
                while table[s] != 0 && table[s] != fp { s = (s + 1) & mask }
                if table[s] == fp { found.insert(fp) } else { table[s] = fp }
            }
        }
        return found
    }

    private static func temporaryFile() throws -> Int32 {
        var dir = "/tmp"
        if let t = getenv("TMPDIR") { dir = String(cString: t) }
        var template = Array((dir + "/rdbtool-verify-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ioError("creating a temporary file in \(dir)") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return fd
    }

    private static func ioError(_ what: String) -> RDBError {
        RDBError(.io, at: 0, expected: what, found: String(cString: strerror(errno)))
    }
}
