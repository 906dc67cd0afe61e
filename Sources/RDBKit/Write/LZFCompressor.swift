/// LZF compression producing the stream format LibLZF's decompressor reads (format.md §4.3):
/// literal runs of 1–32 bytes and back-references of 3–264 bytes up to 8 KiB back. Greedy
/// matching through a hash table of 3-byte prefixes, as LibLZF does; the output need not be
/// byte-identical to Redis's, only decompress to the input.
struct LZFCompressor {
    private static let hashBits = 14
    private static let maxDistance = 8192
    private static let maxMatch = 264
    private static let maxLiteral = 32

    /// Where each 3-byte hash last occurred, as `origin + position`: entries of earlier calls
    /// lie below the current origin, so the table never needs clearing (most strings are short).
    private var table = [Int](repeating: -1, count: 1 << hashBits)
    private var origin = 0

    /// The compressed form when it takes at most `budget` bytes, else nil (Redis stores a
    /// string compressed only when that saves at least 4 bytes: budget = length − 4).
    mutating func compress(_ input: UnsafeRawBufferPointer, budget: Int) -> [UInt8]? {
        let n = input.count
        guard n > 0, budget > 0 else { return nil }
        let origin = self.origin
        self.origin += n + Self.maxDistance + 1
        // Room past the budget for one more step, whose result the final check judges.
        var out = [UInt8](repeating: 0, count: budget + 8)
        let produced: Int? = out.withUnsafeMutableBytes { o in
            table.withUnsafeMutableBufferPointer { htab in
                var op = 1            // out[0] is the first literal run's control byte
                var litControl = 0    // where the open literal run's control byte is
                var lit = 0
                var ip = 0
                func hash(_ i: Int) -> Int {
                    let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                    return Int((v &* 2_654_435_761) >> UInt32(32 - Self.hashBits))
                }
                while ip < n {
                    if op + 4 > budget + 8 { return nil }
                    if ip + 2 < n {
                        let h = hash(ip)
                        let ref = htab[h] - origin
                        htab[h] = origin + ip
                        if ref >= 0 && ip - ref <= Self.maxDistance
                            && input[ref] == input[ip] && input[ref + 1] == input[ip + 1] && input[ref + 2] == input[ip + 2] {
                            var len = 3
                            let maxLen = min(Self.maxMatch, n - ip)
                            while len < maxLen && input[ref + len] == input[ip + len] { len += 1 }
                            // Close the literal run (or take back its unused control byte).
                            if lit > 0 { o[litControl] = UInt8(lit - 1) } else { op -= 1 }
                            let distance = ip - ref - 1
                            let stored = len - 2
                            if stored < 7 {
                                o[op] = UInt8(distance >> 8) | UInt8(stored << 5)
                                op += 1
                            } else {
                                o[op] = UInt8(distance >> 8) | (7 << 5)
                                o[op + 1] = UInt8(stored - 7)
                                op += 2
                            }
                            o[op] = UInt8(distance & 0xFF)
                            op += 1
                            // Index the positions inside the match so later data can refer to them.
                            var k = ip + 1
                            while k < ip + len && k + 2 < n {
                                htab[hash(k)] = origin + k
                                k += 1
                            }
                            ip += len
                            litControl = op
                            op += 1
                            lit = 0
                            continue
                        }
                    }
                    o[op] = input[ip]
                    op += 1
                    ip += 1
                    lit += 1
                    if lit == Self.maxLiteral {
                        o[litControl] = UInt8(lit - 1)
                        litControl = op
                        op += 1
                        lit = 0
                    }
                }
                if lit > 0 { o[litControl] = UInt8(lit - 1) } else { op -= 1 }
                return op <= budget ? op : nil
            }
        }
        guard let produced else { return nil }
        out.removeLast(out.count - produced)
        return out
    }
}
