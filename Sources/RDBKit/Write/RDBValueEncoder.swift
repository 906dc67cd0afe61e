/// Chooses the type byte a server of the target RDB version would save a value under, from
/// the value's size and the encoding limits, and writes the value body (format.md §5).
///
/// | data  | RDB 9                    | RDB 10                | RDB 11                        | RDB 12                      |
/// |-------|--------------------------|-----------------------|-------------------------------|-----------------------------|
/// | list  | 14 (ziplist nodes)       | 18                    | 18                            | 18 (PLAIN above node size)  |
/// | set   | 11 intset, 2             | 11, 2                 | 11, 20 listpack, 2            | 11, 20, 2                   |
/// | zset  | 12 ziplist, 5            | 17 listpack, 5        | 17, 5                         | 17, 5                       |
/// | hash  | 13 ziplist, 4            | 16 listpack, 4        | 16, 4                         | 16, 4; 25, 24 with field TTLs |
/// | stream| 15                       | 19                    | 21                            | 21                          |
struct RDBValueEncoder {
    let rdbVersion: Int
    let limits: EncodingLimits
    /// Drop what the target version cannot hold (hash field expiries) instead of refusing.
    let lossy: Bool

    /// What was dropped under `lossy`, for the caller to report.
    var dropped: [String] = []

    enum Plan {
        case string
        case list
        case intset([Int64])
        case setListpack, setTable
        case zsetPacked, zsetSkiplist
        case hashPacked, hashTable
        case hashListpackEx, hashMetadata
        case stream(RDBType)
        case module
    }

    struct Unsupported: Error {
        var expected: String
        var found: String
    }

    /// The plan for `value` and the type byte it is saved under.
    mutating func plan(_ value: Value) throws(Unsupported) -> (Plan, RDBType) {
        switch value {
        case .string:
            return (.string, .string)
        case .list:
            return (.list, rdbVersion <= 9 ? .listQuicklist : .listQuicklist2)
        case .set(let members):
            if members.count <= limits.setMaxIntsetEntries, let ints = Self.integers(members) {
                return (.intset(ints), .setIntset)
            }
            if rdbVersion >= 11 && members.count <= limits.setMaxListpackEntries && members.longestElement <= limits.setMaxListpackValue {
                return (.setListpack, .setListpack)
            }
            return (.setTable, .set)
        case .zset(let z):
            if let nan = z.scores.firstIndex(where: \.isNaN) {
                throw Unsupported(expected: "sorted set scores", found: "NaN for member \(Quoting.redisCLI(z.members[nan], limit: 40))")
            }
            if z.members.count <= limits.zsetMaxEntries && z.members.longestElement <= limits.zsetMaxValue {
                return (.zsetPacked, rdbVersion <= 9 ? .zsetZiplist : .zsetListpack)
            }
            return (.zsetSkiplist, .zset2)
        case .hash(let h):
            let compact = h.fields.count <= limits.hashMaxEntries
                && max(h.fields.longestElement, h.values.longestElement) <= limits.hashMaxValue
            if let expiries = h.fieldExpiries, expiries.contains(where: { $0 != nil }) {
                guard rdbVersion >= 12 else {
                    guard lossy else {
                        throw Unsupported(expected: "RDB 12 or later for hash field expiries", found: "target version \(rdbVersion)")
                    }
                    dropped.append("hash field expiries")
                    return compact ? (.hashPacked, rdbVersion <= 9 ? .hashZiplist : .hashListpack) : (.hashTable, .hash)
                }
                if let bad = expiries.first(where: { ($0 ?? 0) > RDBDecoder.maxFieldExpiry || ($0 ?? 0) < 0 }) {
                    throw Unsupported(expected: "hash field expiries between 0 and 2^48-1 ms", found: "\(bad ?? 0)")
                }
                return compact ? (.hashListpackEx, .hashListpackEx) : (.hashMetadata, .hashMetadata)
            }
            return compact ? (.hashPacked, rdbVersion <= 9 ? .hashZiplist : .hashListpack) : (.hashTable, .hash)
        case .stream(let s):
            if s.idempotency != nil || s.groups.contains(where: { $0.nacked?.isEmpty == false }) {
                throw Unsupported(expected: "a stream RDB \(rdbVersion) can hold", found: "Redis 8.6+ stream state (IDMP or NACK)")
            }
            let type: RDBType = rdbVersion <= 9 ? .streamListpacks : rdbVersion == 10 ? .streamListpacks2 : .streamListpacks3
            return (.stream(type), type)
        case .module:
            return (.module, .module2)
        case .array:
            throw Unsupported(expected: "a type RDB \(rdbVersion) can hold", found: "an array (RDB 14)")
        }
    }

    /// Writes the body of `value` as `plan` says.
    mutating func write(_ value: Value, plan: Plan, to enc: inout RDBEncoder) {
        switch (value, plan) {
        case (.string(let s), _):
            enc.appendString(s)
        case (.list(let l), _):
            QuicklistEncoder.write(l, rdbVersion: rdbVersion, fill: limits.listMaxListpackSize, to: &enc)
        case (.set, .intset(let ints)):
            enc.appendString(IntsetEncoder.encode(ints))
        case (.set(let members), .setListpack):
            var lp = ListpackEncoder()
            members.withUnsafeElements { m in for i in 0..<m.count { lp.append(m[i]) } }
            enc.appendString(lp.finish())
        case (.set(let members), _):
            enc.appendLength(members.count)
            members.withUnsafeElements { m in for i in 0..<m.count { enc.appendString(m[i]) } }
        case (.zset(let z), .zsetPacked):
            writePackedSortedSet(z, to: &enc)
        case (.zset(let z), _):
            // Highest score first, as the saver walks the skiplist from its tail.
            let order = ByteList.scoreOrderPermutation(members: z.members, scores: z.scores).reversed()
            enc.appendLength(z.members.count)
            z.members.withUnsafeElements { m in
                for i in order {
                    enc.appendString(m[i])
                    enc.appendBinaryDouble(z.scores[i])
                }
            }
        case (.hash(let h), .hashPacked):
            var lp = ListpackEncoder(), zl = ZiplistEncoder()
            h.fields.withUnsafeElements { f in
                h.values.withUnsafeElements { v in
                    for i in 0..<f.count {
                        if rdbVersion <= 9 { zl.append(f[i]); zl.append(v[i]) } else { lp.append(f[i]); lp.append(v[i]) }
                    }
                }
            }
            enc.appendString(rdbVersion <= 9 ? zl.finish() : lp.finish())
        case (.hash(let h), .hashListpackEx):
            writeListpackEx(h, to: &enc)
        case (.hash(let h), .hashMetadata):
            writeHashMetadata(h, to: &enc)
        case (.hash(let h), _):
            enc.appendLength(h.fields.count)
            h.fields.withUnsafeElements { f in
                h.values.withUnsafeElements { v in
                    for i in 0..<f.count {
                        enc.appendString(f[i])
                        enc.appendString(v[i])
                    }
                }
            }
        case (.stream(let s), .stream(let type)):
            StreamEncoder.write(s, type: type, limits: limits, to: &enc)
        case (.module(let m), _):
            // The id, then the module's own opcodes through its EOF, exactly as captured.
            enc.appendLength(m.moduleID)
            enc.out += m.payload
        default:
            break  // plan() never pairs a value with another type's plan
        }
    }

    // MARK: Sorted sets and hashes

    /// Members and scores in score order (ties by member), scores as the version's text.
    private func writePackedSortedSet(_ z: SortedSetValue, to enc: inout RDBEncoder) {
        var lp = ListpackEncoder(), zl = ZiplistEncoder()
        z.members.withUnsafeElements { m in
            for i in ByteList.scoreOrderPermutation(members: z.members, scores: z.scores) {
                let score = ScoreText.render(z.scores[i], rdbVersion: rdbVersion)
                if rdbVersion <= 9 { zl.append(m[i]); zl.append(score) } else { lp.append(m[i]); lp.append(score) }
            }
        }
        enc.appendString(rdbVersion <= 9 ? zl.finish() : lp.finish())
    }

    /// Type 25: the smallest field expiry, then field, value, expiry triples, soonest expiry
    /// first and fields without one last, as 7.4 keeps them.
    private func writeListpackEx(_ h: HashValue, to enc: inout RDBEncoder) {
        let expiries = h.fieldExpiries ?? []
        let order = h.fields.indices.sorted { a, b in
            switch (expiries[a], expiries[b]) {
            case let (x?, y?): return x != y ? x < y : a < b
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
        enc.appendMillisecondTime(expiries.compactMap { $0 }.min() ?? 0)
        var lp = ListpackEncoder()
        h.fields.withUnsafeElements { f in
            h.values.withUnsafeElements { v in
                for i in order {
                    lp.append(f[i])
                    lp.append(v[i])
                    lp.append(integer: expiries[i] ?? 0)
                }
            }
        }
        enc.appendString(lp.finish())
    }

    /// Type 24: the smallest field expiry, the count, then per field its TTL code (0 for none,
    /// else expiry − minimum + 1), field and value.
    private func writeHashMetadata(_ h: HashValue, to enc: inout RDBEncoder) {
        let expiries = h.fieldExpiries ?? []
        let minimum = expiries.compactMap { $0 }.min() ?? 0
        enc.appendMillisecondTime(minimum)
        enc.appendLength(h.fields.count)
        h.fields.withUnsafeElements { f in
            h.values.withUnsafeElements { v in
                for i in 0..<f.count {
                    enc.appendLength(expiries[i].map { UInt64($0 - minimum + 1) } ?? 0)
                    enc.appendString(f[i])
                    enc.appendString(v[i])
                }
            }
        }
    }

    /// The members as integers when every one is the canonical decimal text of an `int64`
    /// (`isSdsRepresentableAsLongLong`), else nil.
    static func integers(_ members: ByteList) -> [Int64]? {
        var out: [Int64] = []
        out.reserveCapacity(members.count)
        let ok = members.withUnsafeElements { m in
            for i in 0..<m.count {
                guard let v = Decimal64.parseCanonical(m[i]) else { return false }
                out.append(v)
            }
            return true
        }
        return ok && !members.isEmpty ? out : nil
    }
}
