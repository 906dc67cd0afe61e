/// MurmurHash3 x64 128-bit (Austin Appleby's public-domain algorithm): a fast hash with a
/// 128-bit result, wide enough that two different values of a key practically never collide.
public enum MurmurHash3 {
    public struct Digest: Hashable, Sendable {
        public var h1: UInt64
        public var h2: UInt64
        public static let zero = Digest(h1: 0, h2: 0)

        /// Order-independent combination (for sets, hashes, zsets): wrapping addition.
        public static func &+ (a: Digest, b: Digest) -> Digest {
            let (lo, carry) = a.h1.addingReportingOverflow(b.h1)
            return Digest(h1: lo, h2: a.h2 &+ b.h2 &+ (carry ? 1 : 0))
        }

        /// Order-dependent combination (for lists, stream entries).
        public func then(_ next: Digest) -> Digest {
            var bytes = (h1, h2, next.h1, next.h2)
            return withUnsafeBytes(of: &bytes) { MurmurHash3.hash($0, seed: 0x5EED) }
        }
    }

    @inline(__always) static func fmix(_ k: UInt64) -> UInt64 {
        var k = k
        k ^= k >> 33
        k &*= 0xFF51_AFD7_ED55_8CCD
        k ^= k >> 33
        k &*= 0xC4CE_B9FE_1A85_EC53
        k ^= k >> 33
        return k
    }

    public static func hash(_ data: UnsafeRawBufferPointer, seed: UInt64 = 0) -> Digest {
        let c1: UInt64 = 0x87C3_7B91_1142_53D5, c2: UInt64 = 0x4CF5_AD43_2745_937F
        var h1 = seed, h2 = seed
        let n = data.count
        var i = 0
        while i + 16 <= n {
            var k1 = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            var k2 = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
            k1 &*= c1; k1 = (k1 << 31) | (k1 >> 33); k1 &*= c2; h1 ^= k1
            h1 = (h1 << 27) | (h1 >> 37); h1 &+= h2; h1 = h1 &* 5 &+ 0x52DC_E729
            k2 &*= c2; k2 = (k2 << 33) | (k2 >> 31); k2 &*= c1; h2 ^= k2
            h2 = (h2 << 31) | (h2 >> 33); h2 &+= h1; h2 = h2 &* 5 &+ 0x3849_5AB5
            i += 16
        }
        var k1: UInt64 = 0, k2: UInt64 = 0
        let tail = n - i
        if tail > 8 {
            for j in stride(from: tail - 1, through: 8, by: -1) { k2 ^= UInt64(data[i + j]) << (8 * UInt64(j - 8)) }
            k2 &*= c2; k2 = (k2 << 33) | (k2 >> 31); k2 &*= c1; h2 ^= k2
        }
        if tail > 0 {
            for j in stride(from: min(tail, 8) - 1, through: 0, by: -1) { k1 ^= UInt64(data[i + j]) << (8 * UInt64(j)) }
            k1 &*= c1; k1 = (k1 << 31) | (k1 >> 33); k1 &*= c2; h1 ^= k1
        }
        h1 ^= UInt64(n); h2 ^= UInt64(n)
        h1 &+= h2; h2 &+= h1
        h1 = fmix(h1); h2 = fmix(h2)
        h1 &+= h2; h2 &+= h1
        return Digest(h1: h1, h2: h2)
    }

    public static func hash<C: Collection>(_ bytes: C, seed: UInt64 = 0) -> Digest where C.Element == UInt8 {
        if let d = bytes.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0), seed: seed) }) { return d }
        return Array(bytes).withUnsafeBytes { hash($0, seed: seed) }
    }
}
