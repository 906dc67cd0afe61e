#if canImport(Glibc)
import Glibc
#endif

/// Sorted sets: a listpack of member/score pairs while small, else a skiplist plus a dict.
extension MemoryModel {
    func sortedSet(_ z: SortedSetValue, stored: Encoding, layout: StoredLayout?) -> ValueCost {
        let n = z.members.count
        if stored == .listpack || stored == .ziplist {
            // Packed in the file: only the count is checked on load.
            guard n <= limits.zsetMaxEntries else {
                // `zsetConvert` builds the dict without presizing it: it grows as members arrive.
                var d = DictModel()
                d.add(n)
                return skiplist(z, d)
            }
            if keepsPacked(stored), let blob = layout?.blobs.first {
                return ValueCost(bytes: structs.robj + Jemalloc.usableSize(blob.bytes), encoding: packedEncoding)
            }
            return ValueCost(bytes: structs.robj + Jemalloc.usableSize(packedSize(z, scoresBy: stored == .ziplist ? .redis62 : version)),
                             encoding: packedEncoding)
        }
        // A skiplist in the file is loaded as one (dict presized), then packed if small enough.
        if n <= limits.zsetMaxEntries && z.members.longestElement <= limits.zsetMaxValue
            && z.members.totalBytes < 1 << 30 {
            return ValueCost(bytes: structs.robj + Jemalloc.usableSize(packedSize(z, scoresBy: version)), encoding: packedEncoding)
        }
        var d = DictModel()
        if n > 4 { d.expand(n) }
        d.add(n)
        return skiplist(z, d)
    }

    private func skiplist(_ z: SortedSetValue, _ d: DictModel) -> ValueCost {
        var bytes = structs.robj + structs.zset + structs.zskiplist + dictBytes(d) + structs.skiplistHeader
        for i in z.members.indices { bytes += sdsBytes(z.members.length(of: i)) + structs.dictEntry }
        bytes += Int((Double(z.members.count) * Self.meanSkiplistNode).rounded())
        return ValueCost(bytes: bytes, encoding: .skiplist)
    }

    /// A skiplist node is 24 bytes plus 16 per level, and levels are random (`zslRandomLevel`:
    /// level k with probability 3/4 * (1/4)^(k-1), at most 32): the expected allocation.
    static let meanSkiplistNode: Double = {
        var mean = 0.0, p = 0.75
        for level in 1...32 {
            let chance = level == 32 ? p / 0.75 : p
            mean += chance * Double(Jemalloc.usableSize(24 + 16 * level))
            p *= 0.25
        }
        return mean
    }()

    /// The packed form `zzlInsertAt` builds: each member, then its score as an integer when
    /// `d2string` would print one, else as its text. Scores in a ziplist were printed by the
    /// server that wrote the file (before 7.0); the others by the loading server.
    private func packedSize(_ z: SortedSetValue, scoresBy writer: Version) -> Int {
        var size = PackedSize(packedKind)
        for i in z.members.indices {
            z.members.withElement(i) { size.append($0) }
            let score = z.scores[i]
            if let v = Self.integerScore(score, writer) {
                size.append(integer: v)
            } else {
                size.append(stringOfLength: Self.scoreTextLength(score, writer))
            }
        }
        return size.bytes
    }

    /// Integral scores printed as integers: within +-LLONG_MAX/2 from 7.0 (`double2ll`),
    /// within +-2^52 and not -0 before.
    static func integerScore(_ d: Double, _ writer: Version) -> Int64? {
        guard d.isFinite, d == d.rounded(.towardZero) else { return nil }
        if writer == .redis62 {
            guard d > -4_503_599_627_370_495, d < 4_503_599_627_370_496, !(d == 0 && d.sign == .minus) else { return nil }
        } else {
            let limit = Double(Int64.max / 2)
            guard d >= -limit, d <= limit else { return nil }
        }
        return Int64(d)
    }

    /// The length of `d2string`'s text for a score that is not printed as an integer: "%.17g"
    /// before 7.2, the shortest round-trip text (fpconv) from 7.2.
    static func scoreTextLength(_ d: Double, _ writer: Version) -> Int {
        if d.isInfinite { return d < 0 ? 4 : 3 }
        if d == 0 { return 2 }  // "-0"
        if writer == .redis72 { return d.description.utf8.count }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 32) { buf in
            Int(withVaList([d]) { vsnprintf(buf.baseAddress, 32, "%.17g", $0) })
        }
    }
}
