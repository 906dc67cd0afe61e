#if canImport(Glibc)
import Glibc
#endif

/// PFADD, PFMERGE and PFCOUNT (`hyperloglog.c`), producing byte-identical HyperLogLog strings:
/// the same sparse opcodes and merges, promotion to dense past `hll-sparse-max-bytes` (3000,
/// the default), and the cached cardinality that PFCOUNT writes (which is why PFCOUNT is in AOFs).
extension Replayer {
    static let hyperLogLogCommands: [String: Handler] = [
        "PFADD": { r, a in try r.pfadd(a) },
        "PFMERGE": { r, a in try r.pfmerge(a) },
        "PFCOUNT": { r, a in try r.pfcount(a) },
    ]

    /// The HLL string at `key`, checked as `isHLLObjectOrReply` does.
    private func hll(_ key: [UInt8], _ a: Args) throws -> StringObj? {
        guard let s = try string(key, a) else { return nil }
        guard HLL.isValid(s.bytes) else { throw a.error(.wrongType, "Key is not a valid HyperLogLog string value.") }
        return s
    }

    private func pfadd(_ a: Args) throws {
        try a.arity(atLeast: 2)
        var updated = 0
        var bytes: [UInt8]
        if let existing = try hll(a[1], a) { bytes = existing.bytes }
        else {
            bytes = HLL.empty()
            updated += 1
        }
        for i in 2..<a.count {
            let (index, count) = HLL.patternLength(a[i])
            switch HLL.set(&bytes, index, count) {
            case .updated: updated += 1
            case .unchanged: break
            case .invalid: throw a.error(.badPayload, "INVALIDOBJ Corrupted HLL object detected")
            }
        }
        if updated > 0 {
            HLL.invalidateCache(&bytes)
            storeString(a[1], bytes)
            touched(a[1], by: updated)
        }
    }

    private func pfmerge(_ a: Args) throws {
        try a.arity(atLeast: 2)
        var max = [UInt8](repeating: 0, count: HLL.registers)
        var dense = false
        for i in 1..<a.count {
            guard let s = try hll(a[i], a) else { continue }
            if s.bytes[4] == HLL.denseEncoding { dense = true }
            guard HLL.merge(s.bytes, into: &max) else { throw a.error(.badPayload, "INVALIDOBJ Corrupted HLL object detected") }
        }
        var bytes = try hll(a[1], a)?.bytes ?? HLL.empty()
        if dense { guard HLL.toDense(&bytes) else { throw a.error(.badPayload, "INVALIDOBJ Corrupted HLL object detected") } }
        for j in 0..<HLL.registers where max[j] != 0 { _ = HLL.set(&bytes, j, max[j]) }
        HLL.invalidateCache(&bytes)
        storeString(a[1], bytes)
        touched(a[1])
    }

    private func pfcount(_ a: Args) throws {
        try a.arity(atLeast: 2)
        if a.count > 2 {
            // The union's count changes nothing; only the type checks matter.
            for i in 1..<a.count { _ = try hll(a[i], a) }
            return
        }
        guard var bytes = try hll(a[1], a)?.bytes, bytes[15] & 0x80 != 0 else { return }
        guard let card = HLL.count(bytes) else { throw a.error(.badPayload, "INVALIDOBJ Corrupted HLL object detected") }
        for k in 0..<8 { bytes[8 + k] = UInt8(truncatingIfNeeded: card >> (8 * UInt64(k))) }
        storeString(a[1], bytes)
        touched(a[1])
    }
}

/// The HyperLogLog string layout: "HYLL", encoding, 3 unused bytes, 8-byte little-endian cached
/// cardinality (top bit set = stale), then dense 6-bit registers or sparse opcodes.
enum HLL {
    static let p = 14
    static let q = 64 - p
    static let registers = 1 << p
    static let headerSize = 16
    static let denseEncoding: UInt8 = 0
    static let sparseEncoding: UInt8 = 1
    static let denseSize = headerSize + (registers * 6 + 7) / 8
    static let sparseMaxBytes = 3000
    static let zeroMaxLen = 64, xzeroMaxLen = 16384, valMaxValue = 32, valMaxLen = 4

    enum SetResult { case updated, unchanged, invalid }

    static func isValid(_ b: [UInt8]) -> Bool {
        b.count >= headerSize && b[0] == 0x48 && b[1] == 0x59 && b[2] == 0x4C && b[3] == 0x4C && b[4] <= 1
            && (b[4] != denseEncoding || b.count == denseSize)
    }

    /// `createHLLObject`: sparse, all registers zero as XZERO opcodes.
    static func empty() -> [UInt8] {
        var b: [UInt8] = [0x48, 0x59, 0x4C, 0x4C, sparseEncoding, 0, 0, 0] + [UInt8](repeating: 0, count: 8)
        var left = registers
        while left > 0 {
            let n = min(xzeroMaxLen, left)
            b.append(contentsOf: xzero(n))
            left -= n
        }
        return b
    }

    static func invalidateCache(_ b: inout [UInt8]) { b[15] |= 0x80 }

    private static func xzero(_ len: Int) -> [UInt8] { [UInt8((len - 1) >> 8) | 0x40, UInt8((len - 1) & 0xFF)] }
    private static func zero(_ len: Int) -> UInt8 { UInt8(len - 1) }
    private static func val(_ v: Int, _ len: Int) -> UInt8 { UInt8(((v - 1) << 2) | (len - 1)) | 0x80 }
    private static func isZero(_ op: UInt8) -> Bool { op & 0xC0 == 0 }
    private static func isXZero(_ op: UInt8) -> Bool { op & 0xC0 == 0x40 }
    private static func zeroLen(_ op: UInt8) -> Int { Int(op & 0x3F) + 1 }
    private static func xzeroLen(_ a: UInt8, _ b: UInt8) -> Int { (Int(a & 0x3F) << 8 | Int(b)) + 1 }
    private static func valValue(_ op: UInt8) -> Int { Int((op >> 2) & 0x1F) + 1 }
    private static func valLen(_ op: UInt8) -> Int { Int(op & 0x3) + 1 }

    static func murmurHash64A(_ key: [UInt8], seed: UInt64) -> UInt64 {
        let m: UInt64 = 0xc6a4_a793_5bd1_e995
        let r: UInt64 = 47
        let len = key.count
        var h = seed ^ (UInt64(len) &* m)
        var i = 0
        while i + 8 <= len {
            var k: UInt64 = 0
            for j in 0..<8 { k |= UInt64(key[i + j]) << (8 * UInt64(j)) }
            k = k &* m
            k ^= k >> r
            k = k &* m
            h ^= k
            h = h &* m
            i += 8
        }
        let rest = len & 7
        if rest > 0 {
            for j in stride(from: rest - 1, through: 0, by: -1) { h ^= UInt64(key[i + j]) << (8 * UInt64(j)) }
            h = h &* m
        }
        h ^= h >> r
        h = h &* m
        h ^= h >> r
        return h
    }

    /// `hllPatLen`: the register an element selects and its run of zeros plus one.
    static func patternLength(_ e: [UInt8]) -> (Int, UInt8) {
        var hash = murmurHash64A(e, seed: 0xadc8_3b19)
        let index = Int(hash & UInt64(registers - 1))
        hash >>= UInt64(p)
        hash |= 1 << UInt64(q)
        var bit: UInt64 = 1, count: UInt8 = 1
        while hash & bit == 0 { count += 1; bit <<= 1 }
        return (index, count)
    }

    private static func denseGet(_ b: [UInt8], _ reg: Int) -> UInt8 {
        let byte = headerSize + reg * 6 / 8, fb = UInt(reg * 6 & 7)
        let b0 = UInt(b[byte]), b1 = byte + 1 < b.count ? UInt(b[byte + 1]) : 0
        return UInt8(((b0 >> fb) | (b1 << (8 - fb))) & 63)
    }

    private static func denseSet(_ b: inout [UInt8], _ reg: Int, _ v: UInt8) {
        let byte = headerSize + reg * 6 / 8, fb = UInt(reg * 6 & 7)
        let value = UInt(v)
        b[byte] = UInt8(truncatingIfNeeded: (UInt(b[byte]) & ~(63 << fb)) | (value << fb))
        if byte + 1 < b.count {
            b[byte + 1] = UInt8(truncatingIfNeeded: (UInt(b[byte + 1]) & ~(63 >> (8 - fb))) | (value >> (8 - fb)))
        }
    }

    /// `hllSparseToDense`: false when the sparse opcodes do not cover exactly every register.
    static func toDense(_ b: inout [UInt8]) -> Bool {
        if b[4] == denseEncoding { return true }
        var d = Array(b[0..<headerSize]) + [UInt8](repeating: 0, count: denseSize - headerSize)
        d[4] = denseEncoding
        var idx = 0, i = headerSize
        while i < b.count {
            let op = b[i]
            if isZero(op) { idx += zeroLen(op); i += 1 }
            else if isXZero(op) { guard i + 1 < b.count else { return false }; idx += xzeroLen(op, b[i + 1]); i += 2 }
            else {
                let n = valLen(op), v = UInt8(valValue(op))
                if idx + n > registers { break }
                for _ in 0..<n { denseSet(&d, idx, v); idx += 1 }
                i += 1
            }
        }
        guard idx == registers else { return false }
        b = d
        return true
    }

    /// `hllDenseSet` / `hllSparseSet`: raises register `index` to `count` when higher.
    static func set(_ b: inout [UInt8], _ index: Int, _ count: UInt8) -> SetResult {
        if b[4] == denseEncoding {
            guard count > denseGet(b, index) else { return .unchanged }
            denseSet(&b, index, count)
            return .updated
        }
        if Int(count) > valMaxValue { return promote(&b, index, count) }
        // Find the opcode covering `index`.
        var pos = headerSize, first = 0, span = 0
        var prev: Int?
        while pos < b.count {
            let op = b[pos]
            var oplen = 1
            if isZero(op) { span = zeroLen(op) }
            else if isXZero(op) { guard pos + 1 < b.count else { return .invalid }; span = xzeroLen(op, b[pos + 1]); oplen = 2 }
            else { span = valLen(op) }
            if index <= first + span - 1 { break }
            prev = pos
            pos += oplen
            first += span
        }
        if span == 0 || pos >= b.count { return .invalid }
        let op = b[pos]
        let zeroRun = isZero(op), xzeroRun = isXZero(op), valRun = !zeroRun && !xzeroRun
        let runlen = zeroRun ? zeroLen(op) : xzeroRun ? xzeroLen(op, b[pos + 1]) : valLen(op)
        var done = false
        if valRun {
            if valValue(op) >= Int(count) { return .unchanged }
            if runlen == 1 { b[pos] = val(Int(count), 1); done = true }
        }
        if !done && zeroRun && runlen == 1 { b[pos] = val(Int(count), 1); done = true }
        if !done {
            var seq: [UInt8] = []
            let last = first + span - 1
            if zeroRun || xzeroRun {
                if index != first {
                    let len = index - first
                    if len > zeroMaxLen { seq += xzero(len) } else { seq.append(zero(len)) }
                }
                seq.append(val(Int(count), 1))
                if index != last {
                    let len = last - index
                    if len > zeroMaxLen { seq += xzero(len) } else { seq.append(zero(len)) }
                }
            } else {
                let current = valValue(op)
                if index != first { seq.append(val(current, index - first)) }
                seq.append(val(Int(count), 1))
                if index != last { seq.append(val(current, last - index)) }
            }
            let oldlen = xzeroRun ? 2 : 1
            if seq.count - oldlen > 0 && b.count + seq.count - oldlen > sparseMaxBytes { return promote(&b, index, count) }
            b.replaceSubrange(pos..<(pos + oldlen), with: seq)
        }
        // Merge adjacent VAL opcodes of equal value, scanning up to 5 opcodes from `prev`.
        var p = prev ?? headerSize
        var scan = 5
        while p < b.count && scan > 0 {
            scan -= 1
            if isXZero(b[p]) { p += 2; continue }
            if isZero(b[p]) { p += 1; continue }
            if p + 1 < b.count && !isZero(b[p + 1]) && !isXZero(b[p + 1]) {
                let v1 = valValue(b[p]), v2 = valValue(b[p + 1])
                let len = valLen(b[p]) + valLen(b[p + 1])
                if v1 == v2 && len <= valMaxLen {
                    b[p + 1] = val(v1, len)
                    b.remove(at: p)
                    continue
                }
            }
            p += 1
        }
        invalidateCache(&b)
        return .updated
    }

    private static func promote(_ b: inout [UInt8], _ index: Int, _ count: UInt8) -> SetResult {
        guard toDense(&b) else { return .invalid }
        denseSet(&b, index, count)
        return .updated
    }

    /// `hllMerge`: raises `max` to this HLL's registers; false on a corrupt sparse HLL.
    static func merge(_ b: [UInt8], into max: inout [UInt8]) -> Bool {
        if b[4] == denseEncoding {
            for i in 0..<registers { let v = denseGet(b, i); if v > max[i] { max[i] = v } }
            return true
        }
        var i = 0, pos = headerSize
        while pos < b.count {
            let op = b[pos]
            if isZero(op) { i += zeroLen(op); pos += 1 }
            else if isXZero(op) { guard pos + 1 < b.count else { return false }; i += xzeroLen(op, b[pos + 1]); pos += 2 }
            else {
                let n = valLen(op), v = UInt8(valValue(op))
                if n + i > registers { break }
                for _ in 0..<n { if v > max[i] { max[i] = v }; i += 1 }
                pos += 1
            }
        }
        return i == registers
    }

    /// `hllCount`: Ertl's estimator over the register histogram; nil for a corrupt sparse HLL.
    static func count(_ b: [UInt8]) -> UInt64? {
        var histo = [Int](repeating: 0, count: 64)
        if b[4] == denseEncoding {
            for i in 0..<registers { histo[Int(denseGet(b, i))] += 1 }
        } else {
            var idx = 0, pos = headerSize
            while pos < b.count {
                let op = b[pos]
                if isZero(op) { let n = zeroLen(op); idx += n; histo[0] += n; pos += 1 }
                else if isXZero(op) {
                    guard pos + 1 < b.count else { return nil }
                    let n = xzeroLen(op, b[pos + 1]); idx += n; histo[0] += n; pos += 2
                } else { let n = valLen(op); idx += n; histo[valValue(op)] += n; pos += 1 }
            }
            guard idx == registers else { return nil }
        }
        let m = Double(registers)
        var z = m * tau((m - Double(histo[q + 1])) / m)
        for j in stride(from: q, through: 1, by: -1) {
            z += Double(histo[j])
            z *= 0.5
        }
        z += m * sigma(Double(histo[0]) / m)
        let alphaInf = 0.721347520444481703680
        return UInt64((alphaInf * m * m / z).rounded(.toNearestOrAwayFromZero))
    }

    private static func sigma(_ x0: Double) -> Double {
        if x0 == 1 { return .infinity }
        var x = x0, y = 1.0, z = x0, zPrime = 0.0
        repeat {
            x *= x
            zPrime = z
            z += x * y
            y += y
        } while zPrime != z
        return z
    }

    private static func tau(_ x0: Double) -> Double {
        if x0 == 0 || x0 == 1 { return 0 }
        var x = x0, y = 1.0, z = 1 - x0, zPrime = 0.0
        repeat {
            x = sqrt(x)
            zPrime = z
            y *= 0.5
            z -= pow(1 - x, 2) * y
        } while zPrime != z
        return z / 3
    }
}
