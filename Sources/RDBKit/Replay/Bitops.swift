/// Bit commands on strings (`bitops.c`): SETBIT, BITFIELD (SET/INCRBY/GET with OVERFLOW), BITOP.
extension Replayer {
    static let bitCommands: [String: Handler] = [
        "SETBIT": { r, a in try r.setbit(a) },
        "BITFIELD": { r, a in try r.bitfield(a) },
        "BITOP": { r, a in try r.bitop(a) },
    ]

    /// Offsets are limited to 512 MB of string (proto-max-bulk-len), as Redis checks them.
    private static let maxBitOffset: Int64 = 512 * 1024 * 1024 * 8

    private func bitOffset(_ a: Args, _ i: Int, hashBits: Int? = nil) throws -> Int64 {
        var text = a[i]
        let hash = hashBits != nil && text.first == UInt8(ascii: "#")
        if hash { text.removeFirst() }
        guard var v = Args.integer(text) else { throw a.error(.outOfRange, "bit offset is not an integer or out of range") }
        if hash, let bits = hashBits {
            let (m, o) = v.multipliedReportingOverflow(by: Int64(bits))
            v = o ? -1 : m
        }
        guard v >= 0, v < Self.maxBitOffset else { throw a.error(.outOfRange, "bit offset is not an integer or out of range") }
        return v
    }

    /// The bytes of the string at `key` (empty when missing), zero-padded so bit `maxBit`
    /// exists (lookupStringForBitCommand); the caller stores them back.
    private func stringForBits(_ a: Args, maxBit: Int64) throws -> [UInt8] {
        let need = Int(maxBit >> 3) + 1
        var bytes = try string(a[1], a)?.bytes ?? []
        if bytes.count < need { bytes.append(contentsOf: repeatElement(0, count: need - bytes.count)) }
        return bytes
    }

    private func setbit(_ a: Args) throws {
        try a.arity(4)
        let offset = try bitOffset(a, 2)
        guard a[3] == [UInt8(ascii: "0")] || a[3] == [UInt8(ascii: "1")] else {
            throw a.error(.outOfRange, "bit is not an integer or out of range")
        }
        var bytes = try stringForBits(a, maxBit: offset)
        let byte = Int(offset >> 3), bit = UInt8(7 - (offset & 7))
        bytes[byte] = (bytes[byte] & ~(1 << bit)) | ((a[3][0] & 1) << bit)
        storeString(a[1], bytes)
        touched(a[1])
    }

    private enum Overflow { case wrap, sat, fail }
    private struct BitfieldOp { var set: Bool; var signed: Bool; var bits: Int; var offset: Int64; var value: Int64; var overflow: Overflow }

    private func bitfield(_ a: Args) throws {
        try a.arity(atLeast: 2)
        var ops: [BitfieldOp] = []
        var overflow = Overflow.wrap
        var highest: Int64 = -1
        var j = 2
        while j < a.count {
            let remaining = a.count - j - 1
            if a.isWord(j, "OVERFLOW") && remaining >= 1 {
                if a.isWord(j + 1, "WRAP") { overflow = .wrap } else if a.isWord(j + 1, "SAT") { overflow = .sat }
                else if a.isWord(j + 1, "FAIL") { overflow = .fail }
                else { throw a.error(.syntax, "Invalid OVERFLOW type specified") }
                j += 2
                continue
            }
            let isGet = a.isWord(j, "GET") && remaining >= 2
            let isWrite = (a.isWord(j, "SET") || a.isWord(j, "INCRBY")) && remaining >= 3
            guard isGet || isWrite else { throw a.error(.syntax, "syntax error") }
            let type = a[j + 1]
            guard let sign = type.first, sign == UInt8(ascii: "i") || sign == UInt8(ascii: "u"),
                  let bits = Args.integer(Array(type.dropFirst())), bits >= 1, bits <= (sign == UInt8(ascii: "i") ? 64 : 63) else {
                throw a.error(.syntax, "Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.")
            }
            let offset = try bitOffset(a, j + 2, hashBits: Int(bits))
            if isWrite {
                highest = max(highest, offset + bits - 1)
                ops.append(BitfieldOp(set: a.isWord(j, "SET"), signed: sign == UInt8(ascii: "i"), bits: Int(bits),
                                      offset: offset, value: try a.int(j + 3), overflow: overflow))
                j += 4
            } else {
                j += 3
            }
        }
        if ops.isEmpty {
            // Read-only (never propagated), but Redis still refuses a wrong type.
            _ = try string(a[1], a)
            return
        }
        let created = !exists(a[1])
        var bytes = try stringForBits(a, maxBit: highest)
        var changes = 0
        for op in ops {
            let old = Self.getBits(bytes, op.offset, op.bits)
            var new: UInt64
            var overflowed: Bool
            if op.signed {
                let oldValue = Self.signExtend(old, op.bits)
                let (o, limit) = Self.signedOverflow(op.set ? op.value : oldValue, op.set ? 0 : op.value, op.bits, op.overflow)
                overflowed = o
                new = UInt64(bitPattern: o ? limit : (op.set ? op.value : oldValue &+ op.value))
            } else {
                let (o, limit) = Self.unsignedOverflow(op.set ? UInt64(bitPattern: op.value) : old, op.set ? 0 : op.value, op.bits, op.overflow)
                overflowed = o
                new = o ? limit : (op.set ? UInt64(bitPattern: op.value) : old &+ UInt64(bitPattern: op.value))
            }
            if overflowed && op.overflow == .fail { continue }
            Self.setBits(&bytes, op.offset, op.bits, new)
            let mask: UInt64 = op.bits == 64 ? .max : (1 << UInt64(op.bits)) - 1
            if created || old != new & mask { changes += 1 }
        }
        // The key exists (padded) even when every SET failed on overflow, as in Redis.
        storeString(a[1], bytes)
        if changes > 0 { touched(a[1], by: changes) }
    }

    /// `getUnsignedBitfield`: `bits` bits from bit `offset`, most significant first.
    private static func getBits(_ p: [UInt8], _ offset: Int64, _ bits: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<Int64(bits) {
            let o = offset + k
            let bit = (p[Int(o >> 3)] >> UInt8(7 - (o & 7))) & 1
            v = v << 1 | UInt64(bit)
        }
        return v
    }

    private static func setBits(_ p: inout [UInt8], _ offset: Int64, _ bits: Int, _ value: UInt64) {
        for k in 0..<bits {
            let o = offset + Int64(k)
            let bit = UInt8((value >> UInt64(bits - 1 - k)) & 1)
            let shift = UInt8(7 - (o & 7))
            p[Int(o >> 3)] = (p[Int(o >> 3)] & ~(1 << shift)) | (bit << shift)
        }
    }

    private static func signExtend(_ v: UInt64, _ bits: Int) -> Int64 {
        bits == 64 ? Int64(bitPattern: v) : Int64(bitPattern: v << UInt64(64 - bits)) >> Int64(64 - bits)
    }

    /// `checkUnsignedBitfieldOverflow`: whether `value + incr` overflows, and the wrapped or
    /// saturated result.
    private static func unsignedOverflow(_ value: UInt64, _ incr: Int64, _ bits: Int, _ ow: Overflow) -> (Bool, UInt64) {
        let max: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        let maxIncr = Int64(bitPattern: max &- value), minIncr = Int64(bitPattern: 0 &- value)
        let wrapped = (value &+ UInt64(bitPattern: incr)) & max
        if value > max || (incr > 0 && incr > maxIncr) { return (true, ow == .wrap ? wrapped : max) }
        if incr < 0 && incr < minIncr { return (true, ow == .wrap ? wrapped : 0) }
        return (false, 0)
    }

    private static func signedOverflow(_ value: Int64, _ incr: Int64, _ bits: Int, _ ow: Overflow) -> (Bool, Int64) {
        let max: Int64 = bits == 64 ? .max : (1 << Int64(bits - 1)) - 1
        let min = -max - 1
        let maxIncr = Int64(bitPattern: UInt64(bitPattern: max) &- UInt64(bitPattern: value))
        let minIncr = min &- value
        var c = UInt64(bitPattern: value) &+ UInt64(bitPattern: incr)
        if bits < 64 {
            let mask = UInt64.max << UInt64(bits)
            c = c & (1 << UInt64(bits - 1)) != 0 ? c | mask : c & ~mask
        }
        let wrapped = Int64(bitPattern: c)
        if value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr) {
            return (true, ow == .wrap ? wrapped : max)
        }
        if value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr) {
            return (true, ow == .wrap ? wrapped : min)
        }
        return (false, 0)
    }

    private func bitop(_ a: Args) throws {
        try a.arity(atLeast: 4)
        enum Op { case and, or, xor, not }
        let op: Op
        if a.isWord(1, "AND") { op = .and } else if a.isWord(1, "OR") { op = .or }
        else if a.isWord(1, "XOR") { op = .xor } else if a.isWord(1, "NOT") { op = .not }
        else { throw a.error(.syntax, "syntax error") }
        if op == .not && a.count != 4 { throw a.error(.syntax, "BITOP NOT must be called with a single source key.") }
        var sources: [[UInt8]] = []
        for i in 3..<a.count { sources.append(try string(a[i], a)?.bytes ?? []) }
        let maxLen = sources.map(\.count).max() ?? 0
        let target = a[2]
        guard maxLen > 0 else {
            if remove(target) { touched(target) }
            return
        }
        var out = [UInt8](repeating: 0, count: maxLen)
        for j in 0..<maxLen {
            var v: UInt8 = j < sources[0].count ? sources[0][j] : 0
            if op == .not { v = ~v }
            for s in sources.dropFirst() {
                let b: UInt8 = j < s.count ? s[j] : 0
                switch op {
                case .and: v &= b
                case .or: v |= b
                case .xor: v ^= b
                case .not: break
                }
            }
            out[j] = v
        }
        store(target, string: out)
        touched(target)
    }
}
