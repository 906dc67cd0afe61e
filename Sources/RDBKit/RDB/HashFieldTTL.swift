/// Hashes with per-field expiry (format.md §5.13): Redis 7.4 release candidates (22, 23),
/// Redis 7.4 GA (24, 25) and Valkey 9 (22 under the `VALKEY` magic).
extension RDBDecoder {
    /// Redis keeps field expiries below 2^48 ms (`EB_EXPIRE_TIME_MAX`).
    static let maxFieldExpiry: Int64 = (1 << 48) - 1

    func readHashWithFieldTTLs(_ type: RDBType) throws -> HashValue {
        var h = HashValue()
        var expiries: [Int64?] = []
        duplicates.reset()
        switch type {
        case .hashMetadata:
            let minAt = input.offset
            let minExpire = Int64(bitPattern: try input.readUInt64LE())
            guard minExpire >= 0, minExpire <= Self.maxFieldExpiry + 1 else {
                throw RDBError(.structural, at: minAt, expected: "a minimum field expiry below 2^48", found: "\(minExpire)")
            }
            let n = try readCount("field count")
            for _ in 0..<n {
                let at = input.offset
                let code = try readLength()
                if code == 0 {
                    expiries.append(nil)
                } else {
                    let (sum, overflow) = UInt64(minExpire).addingReportingOverflow(code - 1)
                    guard !overflow, sum <= UInt64(Self.maxFieldExpiry) else {
                        throw RDBError(.structural, at: at, expected: "a field TTL below 2^48", found: "code \(code) over \(minExpire)")
                    }
                    expiries.append(Int64(sum))
                }
                let fieldAt = input.offset
                try readString(into: &h.fields)
                try checkUnique(h.fields, "hash fields", at: fieldAt)
                try readString(into: &h.values)
            }
        case .hashMetadataPreGA:
            let n = try readCount("field count")
            for _ in 0..<n {
                let at = input.offset
                let expireAt = try readLength()
                guard expireAt <= UInt64(Self.maxFieldExpiry) else {
                    throw RDBError(.structural, at: at, expected: "a field TTL below 2^48", found: "\(expireAt)")
                }
                expiries.append(expireAt == 0 ? nil : Int64(expireAt))
                let fieldAt = input.offset
                try readString(into: &h.fields)
                try checkUnique(h.fields, "hash fields", at: fieldAt)
                try readString(into: &h.values)
            }
        default:  // Valkey HASH_2
            let n = try readCount("field count")
            for _ in 0..<n {
                let fieldAt = input.offset
                try readString(into: &h.fields)
                try checkUnique(h.fields, "hash fields", at: fieldAt)
                try readString(into: &h.values)
                let at = input.offset
                let expireAt = Int64(bitPattern: try input.readUInt64LE())
                guard expireAt >= -1 else {
                    throw RDBError(.structural, at: at, expected: "a field expiry or -1", found: "\(expireAt)")
                }
                expiries.append(expireAt == -1 ? nil : expireAt)
            }
        }
        h.fieldExpiries = expiries
        return h
    }

    /// Types 23 and 25: a listpack of field, value, absolute expiry (0 = none) triples.
    func readListpackHashWithFieldTTLs(_ type: RDBType) throws -> HashValue {
        if type == .hashListpackEx {
            _ = try input.readUInt64LE()  // min expiry: the loader recomputes it, and so do we
        }
        var h = HashValue()
        var expiries: [Int64?] = []
        try withString("listpack") { p, ctx in
            var slot = 0
            duplicates.reset()
            var it = try ListpackIterator(p, ctx)
            while let e = try it.next() {
                switch slot {
                case 0:
                    e.append(to: &h.fields)
                    try checkUnique(h.fields, "hash fields", ctx, at: it.lastStart)
                case 1: e.append(to: &h.values)
                default:
                    guard let t = e.asInteger, t >= 0, t <= Self.maxFieldExpiry else {
                        throw ctx.error(at: 0, expected: "a field expiry in ms", found: "a non-integer or out-of-range element")
                    }
                    expiries.append(t == 0 ? nil : t)
                }
                slot = (slot + 1) % 3
            }
            if slot != 0 { throw ctx.error(at: 0, expected: "field/value/expiry triples", found: "\(it.seen) elements") }
            noteBlob(bytes: p.count, elements: it.seen)
        }
        h.fieldExpiries = expiries
        return h
    }
}
