/// Hashes with per-field expiry (format.md §5.13): Redis 7.4 release candidates (22, 23),
/// Redis 7.4 GA (24, 25) and Valkey 9 (22 under the `VALKEY` magic).
extension RDBDecoder {
    /// Redis keeps field expiries below 2^48 ms (`EB_EXPIRE_TIME_MAX`).
    static let maxFieldExpiry: Int64 = (1 << 48) - 1

    /// Walks the fields and values into the sinks; returns the field expiries.
    func walkHashWithFieldTTLs<F: ElementSink, V: ElementSink>(_ type: RDBType, fields: inout F, values: inout V) throws -> [Int64?] {
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
                try withString { p, _ in try addUnique(p, to: &fields, "hash fields", at: fieldAt) }
                try withString { p, _ in values.add(p) }
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
                try withString { p, _ in try addUnique(p, to: &fields, "hash fields", at: fieldAt) }
                try withString { p, _ in values.add(p) }
            }
        default:  // Valkey HASH_2
            let n = try readCount("field count")
            for _ in 0..<n {
                let fieldAt = input.offset
                try withString { p, _ in try addUnique(p, to: &fields, "hash fields", at: fieldAt) }
                try withString { p, _ in values.add(p) }
                let at = input.offset
                let expireAt = Int64(bitPattern: try input.readUInt64LE())
                guard expireAt >= -1 else {
                    throw RDBError(.structural, at: at, expected: "a field expiry or -1", found: "\(expireAt)")
                }
                expiries.append(expireAt == -1 ? nil : expireAt)
            }
        }
        return expiries
    }

    /// Types 23 and 25: a listpack of field, value, absolute expiry (0 = none) triples.
    func walkListpackHashWithFieldTTLs<F: ElementSink, V: ElementSink>(_ type: RDBType, fields: inout F,
                                                                      values: inout V) throws -> [Int64?] {
        if type == .hashListpackEx {
            _ = try input.readUInt64LE()  // min expiry: the loader recomputes it, and so do we
        }
        var expiries: [Int64?] = []
        try withString("listpack") { p, ctx in
            var slot = 0
            duplicates.reset()
            var it = try ListpackIterator(p, ctx)
            while let e = try it.next() {
                switch slot {
                case 0: try PackedWalk.addUnique(e, to: &fields, "hash fields", ctx, at: it.lastStart, &duplicates)
                case 1: values.add(e)
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
        return expiries
    }
}
