import CCRC64

/// CRC-64 with the Jones polynomial, reflected, init 0, no final XOR (format.md §6.1):
/// the RDB trailer and DUMP payload checksum. Carry-less multiplication (PCLMULQDQ, in
/// CCRC64) where the CPU has it, for all but the last few bytes; slicing-by-16 tables (32 KiB)
/// otherwise and for the rest.
public enum CRC64 {
    static let reflectedPolynomial: UInt64 = 0x95AC_9329_AC4B_C9B5

    /// 16 tables of 256 entries, `tables[k * 256 + n]`.
    static let tables: [UInt64] = {
        var t = [UInt64](repeating: 0, count: 16 * 256)
        for n in 0..<256 {
            var c = UInt64(n)
            for _ in 0..<8 { c = (c & 1) == 1 ? (c >> 1) ^ reflectedPolynomial : c >> 1 }
            t[n] = c
        }
        for k in 1..<16 {
            for n in 0..<256 {
                let prev = t[(k - 1) * 256 + n]
                t[k * 256 + n] = (prev >> 8) ^ t[Int(prev & 0xFF)]
            }
        }
        return t
    }()

    static let hasCarrylessMultiply = rdb_crc64_clmul_available() != 0

    public static func update(_ crc: UInt64, _ bytes: UnsafeRawBufferPointer) -> UInt64 {
        // Below a few blocks the tables are as fast.
        guard bytes.count >= 64, hasCarrylessMultiply, let base = bytes.baseAddress else { return updateWithTables(crc, bytes) }
        var folded: (UInt64, UInt64) = (0, 0)
        let done = withUnsafeMutableBytes(of: &folded) { out in
            rdb_crc64_clmul_fold(crc, base.assumingMemoryBound(to: UInt8.self), bytes.count,
                                 out.baseAddress!.assumingMemoryBound(to: UInt64.self))
        }
        let c = withUnsafeBytes(of: folded.0.littleEndian) { updateWithTables(0, $0) } ^ folded.1
        return updateWithTables(c, UnsafeRawBufferPointer(rebasing: bytes[done...]))
    }

    /// The same by the tables alone (CPUs without carry-less multiplication).
    static func updateWithTables(_ crc: UInt64, _ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var c = crc
        tables.withUnsafeBufferPointer { t in
            var i = 0
            let n = bytes.count
            while i + 16 <= n {
                let a = c ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let b = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
                c = t[15 * 256 + Int(a & 0xFF)] ^ t[14 * 256 + Int((a >> 8) & 0xFF)]
                  ^ t[13 * 256 + Int((a >> 16) & 0xFF)] ^ t[12 * 256 + Int((a >> 24) & 0xFF)]
                  ^ t[11 * 256 + Int((a >> 32) & 0xFF)] ^ t[10 * 256 + Int((a >> 40) & 0xFF)]
                  ^ t[9 * 256 + Int((a >> 48) & 0xFF)] ^ t[8 * 256 + Int(a >> 56)]
                  ^ t[7 * 256 + Int(b & 0xFF)] ^ t[6 * 256 + Int((b >> 8) & 0xFF)]
                  ^ t[5 * 256 + Int((b >> 16) & 0xFF)] ^ t[4 * 256 + Int((b >> 24) & 0xFF)]
                  ^ t[3 * 256 + Int((b >> 32) & 0xFF)] ^ t[2 * 256 + Int((b >> 40) & 0xFF)]
                  ^ t[1 * 256 + Int((b >> 48) & 0xFF)] ^ t[Int(b >> 56)]
                i += 16
            }
            while i + 8 <= n {
                c ^= UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                c = t[7 * 256 + Int(c & 0xFF)] ^ t[6 * 256 + Int((c >> 8) & 0xFF)]
                  ^ t[5 * 256 + Int((c >> 16) & 0xFF)] ^ t[4 * 256 + Int((c >> 24) & 0xFF)]
                  ^ t[3 * 256 + Int((c >> 32) & 0xFF)] ^ t[2 * 256 + Int((c >> 40) & 0xFF)]
                  ^ t[1 * 256 + Int((c >> 48) & 0xFF)] ^ t[Int(c >> 56)]
                i += 8
            }
            while i < n {
                c = t[Int((c ^ UInt64(bytes[i])) & 0xFF)] ^ (c >> 8)
                i += 1
            }
        }
        return c
    }

    public static func checksum<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        let a = Array(bytes)
        return a.withUnsafeBytes { update(0, $0) }
    }
}
