/// jemalloc's size classes (5.x, x86-64: 16-byte quantum, 4 KiB pages), the sizes Redis's
/// `zmalloc_size` reports: every allocation of n bytes really takes the smallest class >= n.
enum Jemalloc {
    /// The usable size of an allocation of `n` bytes (`nallocx(n, 0)`).
    ///
    /// Classes are 8, then multiples of 16 up to 128, then four per doubling: between 2^k and
    /// 2^(k+1) they are 2^k + i * 2^(k-2) for i = 1...4 (160, 192, 224, 256, 320, ...). Small
    /// and large classes follow the same rule, so one formula covers all sizes.
    static func usableSize(_ n: Int) -> Int {
        if n <= 8 { return 8 }
        if n <= 128 { return (n + 15) & ~15 }
        let k = Int.bitWidth - 1 - (n - 1).leadingZeroBitCount  // 2^k < n <= 2^(k+1)
        let delta = 1 << (k - 2)
        return (n + delta - 1) & ~(delta - 1)
    }
}
