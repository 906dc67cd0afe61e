#if canImport(Glibc)
import Glibc
#endif

/// String commands (`t_string.c`): SET and its variants, MSET(NX), APPEND, SETRANGE, the
/// INCR/DECR family, INCRBYFLOAT, GETSET/GETDEL/GETEX.
extension Replayer {
    static let stringCommands: [String: Handler] = [
        "SET": { r, a in try r.set(a) },
        "SETNX": { r, a in try r.setnx(a) },
        "SETEX": { r, a in try r.setex(a, unit: 1000) },
        "PSETEX": { r, a in try r.setex(a, unit: 1) },
        "MSET": { r, a in try r.mset(a, nx: false) },
        "MSETNX": { r, a in try r.mset(a, nx: true) },
        "APPEND": { r, a in try r.append(a) },
        "SETRANGE": { r, a in try r.setrange(a) },
        "INCR": { r, a in try a.arity(2); try r.incr(a, by: 1) },
        "DECR": { r, a in try a.arity(2); try r.incr(a, by: -1) },
        "INCRBY": { r, a in try a.arity(3); try r.incr(a, by: try a.int(2)) },
        "DECRBY": { r, a in
            try a.arity(3)
            let v = try a.int(2)
            guard v != Int64.min else { throw a.error(.outOfRange, "decrement would overflow") }
            try r.incr(a, by: -v)
        },
        "INCRBYFLOAT": { r, a in try r.incrbyfloat(a) },
        "GETSET": { r, a in try r.getset(a) },
        "GETDEL": { r, a in try r.getdel(a) },
        "GETEX": { r, a in try r.getex(a) },
    ]

    /// An absolute expiry from an EX/PX/EXAT/PXAT argument (ms), checked as Redis does.
    private func expiry(_ a: Args, _ i: Int, unit: Int64, relative: Bool) throws -> Int64 {
        let v = try a.int(i)
        func invalid() -> ReplayError { a.error(.outOfRange, "invalid expire time in '\(a.command)' command") }
        guard v > 0 else { throw invalid() }
        var (ms, o) = v.multipliedReportingOverflow(by: unit)
        if o { throw invalid() }
        if relative {
            (ms, o) = ms.addingReportingOverflow(nowMs)
            if o { throw invalid() }
        }
        return ms
    }

    private func set(_ a: Args) throws {
        try a.arity(atLeast: 3)
        var nx = false, xx = false, get = false, keepTTL = false
        var expireAt: Int64?
        var i = 3
        while i < a.count {
            let hasNext = i + 1 < a.count
            if a.isWord(i, "NX") && !xx { nx = true }
            else if a.isWord(i, "XX") && !nx { xx = true }
            else if a.isWord(i, "GET") { get = true }
            else if a.isWord(i, "KEEPTTL") && expireAt == nil { keepTTL = true }
            else if hasNext && expireAt == nil && !keepTTL && (a.isWord(i, "EX") || a.isWord(i, "PX") || a.isWord(i, "EXAT") || a.isWord(i, "PXAT")) {
                let seconds = a.isWord(i, "EX") || a.isWord(i, "EXAT")
                let relative = a.isWord(i, "EX") || a.isWord(i, "PX")
                expireAt = try expiry(a, i + 1, unit: seconds ? 1000 : 1, relative: relative)
                i += 1
            } else { throw a.error(.syntax, "syntax error") }
            i += 1
        }
        let key = a.bytes(1)
        if nx || xx || get {
            let current = node(key)
            if get, let current, current.type != .string { throw wrongType(a) }
            if (nx && current != nil) || (xx && current == nil) { return }
        }
        store(key, string: a.bytes(2), keepTTL: keepTTL, expireAtMs: expireAt)
        touched(key)
    }

    private func setnx(_ a: Args) throws {
        try a.arity(3)
        guard !exists(a.bytes(1)) else { return }
        store(a.bytes(1), string: a.bytes(2))
        touched(a.bytes(1))
    }

    private func setex(_ a: Args, unit: Int64) throws {
        try a.arity(4)
        let t = try expiry(a, 2, unit: unit, relative: true)
        store(a.bytes(1), string: a.bytes(3), expireAtMs: t)
        touched(a.bytes(1))
    }

    private func mset(_ a: Args, nx: Bool) throws {
        guard a.count >= 3, a.count % 2 == 1 else { throw a.error(.syntax, "wrong number of arguments") }
        if nx {
            for i in stride(from: 1, to: a.count, by: 2) where exists(a.bytes(i)) { return }
        }
        for i in stride(from: 1, to: a.count, by: 2) {
            store(a.bytes(i), string: a.bytes(i + 1))
            touched(a.bytes(i))
        }
    }

    private func append(_ a: Args) throws {
        try a.arity(3)
        if let s = try string(a[1], a) { storeString(a[1], s.bytes + a[2]) }
        else { store(a[1], string: a[2]) }
        touched(a[1])
    }

    private func setrange(_ a: Args) throws {
        try a.arity(4)
        let offset = try a.int(2)
        guard offset >= 0 else { throw a.error(.outOfRange, "offset is out of range") }
        let value = a[3]
        guard offset + Int64(value.count) <= 512 * 1024 * 1024 else {
            throw a.error(.outOfRange, "string exceeds maximum allowed size (proto-max-bulk-len)")
        }
        let existing = try string(a[1], a)
        if value.isEmpty { return }
        var bytes = existing?.bytes ?? []
        let o = Int(offset)
        if bytes.count < o + value.count { bytes.append(contentsOf: repeatElement(0, count: o + value.count - bytes.count)) }
        bytes.replaceSubrange(o..<(o + value.count), with: value)
        storeString(a[1], bytes)
        touched(a[1])
    }

    /// INCR, DECR, INCRBY, DECRBY: the value keeps its TTL.
    func incr(_ a: Args, by delta: Int64) throws {
        let key = a[1]
        var current: Int64 = 0
        if let s = try string(key, a) {
            guard let v = s.withBytes({ Decimal64.parseCanonical($0) }) else { throw a.error(.notANumber, "value is not an integer or out of range") }
            current = v
        }
        let (sum, o) = current.addingReportingOverflow(delta)
        guard !o else { throw a.error(.outOfRange, "increment or decrement would overflow") }
        store(key, string: Decimal64.text(sum), keepTTL: true)
        touched(key)
    }

    private func incrbyfloat(_ a: Args) throws {
        try a.arity(3)
        let key = a[1]
        var current: Float80 = 0
        if let s = try string(key, a) {
            guard let v = LongDouble.parse(s.bytes) else { throw a.error(.notANumber, "value is not a valid float") }
            current = v
        }
        guard let incr = LongDouble.parse(a[2]) else { throw a.error(.notANumber, "value is not a valid float") }
        let sum = current + incr
        guard sum.isFinite, let text = LongDouble.humanText(sum) else {
            throw a.error(.outOfRange, "increment would produce NaN or Infinity")
        }
        store(key, string: text, keepTTL: true)
        touched(key)
    }

    private func getset(_ a: Args) throws {
        try a.arity(3)
        _ = try string(a[1], a)
        store(a[1], string: a[2])
        touched(a[1])
    }

    private func getdel(_ a: Args) throws {
        try a.arity(2)
        guard try string(a[1], a) != nil else { return }
        remove(a[1])
        touched(a[1])
    }

    private func getex(_ a: Args) throws {
        try a.arity(atLeast: 2)
        var expireAt: Int64?, persist = false
        var i = 2
        while i < a.count {
            if a.isWord(i, "PERSIST") && expireAt == nil && !persist { persist = true; i += 1; continue }
            guard i + 1 < a.count, expireAt == nil, !persist,
                  a.isWord(i, "EX") || a.isWord(i, "PX") || a.isWord(i, "EXAT") || a.isWord(i, "PXAT") else {
                throw a.error(.syntax, "syntax error")
            }
            let seconds = a.isWord(i, "EX") || a.isWord(i, "EXAT")
            expireAt = try expiry(a, i + 1, unit: seconds ? 1000 : 1, relative: a.isWord(i, "EX") || a.isWord(i, "PX"))
            i += 2
        }
        guard try string(a[1], a) != nil else { return }
        if let expireAt {
            setExpiry(a[1], expireAt)
            touched(a[1])
        } else if persist, entry(a[1])?.expireAtMs != nil {
            setExpiry(a[1], nil)
            touched(a[1])
        }
    }
}

/// Redis's `long double` arithmetic for INCRBYFLOAT and HINCRBYFLOAT (x87 80-bit on x86-64).
enum LongDouble {
    /// `string2ld`: the whole text through `strtold`, no leading space, not NaN.
    static func parse(_ bytes: [UInt8]) -> Float80? {
        let n = bytes.count
        guard n > 0, n < 5 * 1024 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf -> Float80? in
            guard let base = buf.baseAddress else { return nil }
            for i in 0..<n { buf[i] = CChar(bitPattern: bytes[i]) }
            buf[n] = 0
            guard isspace(Int32(buf[0])) == 0 else { return nil }
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtold(base, &end)
            guard end == base + n, !v.isNaN else { return nil }
            return v
        }
    }

    /// `ld2string(..., LD_STR_HUMAN)`: "%.17Lf" without trailing zeros or dot, "-0" as "0".
    static func humanText(_ v: Float80) -> [UInt8]? {
        let capacity = 5 * 1024
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buf -> [UInt8]? in
            guard let base = buf.baseAddress else { return nil }
            let n = withVaList([v]) { vsnprintf(base, capacity, "%.17Lf", $0) }
            guard n > 0, Int(n) < capacity else { return nil }
            var out = (0..<Int(n)).map { UInt8(bitPattern: buf[$0]) }
            if out.contains(UInt8(ascii: ".")) {
                while out.last == UInt8(ascii: "0") { out.removeLast() }
                if out.last == UInt8(ascii: ".") { out.removeLast() }
            }
            if out == [UInt8(ascii: "-"), UInt8(ascii: "0")] { out = [UInt8(ascii: "0")] }
            return out
        }
    }
}
