/// Dispatch from a type byte to the value layout it denotes (format.md §5.0).
extension RDBDecoder {
    /// Reads the value of a key record of `type`; returns it with its encoding name.
    public func readValue(_ type: RDBType) throws -> (Value, encoding: Encoding) {
        switch type {
        case .string:
            let s = try readString()
            return (.string(s), lastStringEncoding)
        case .list, .listZiplist, .listQuicklist, .listQuicklist2:
            var l = ByteList()
            try walkList(type, into: &l)
            return (.list(l), type.encoding)
        case .set, .setIntset, .setListpack:
            var l = ByteList()
            try walkSet(type, into: &l)
            return (.set(l), type.encoding)
        case .zset, .zset2, .zsetZiplist, .zsetListpack:
            var z = SortedSetValue()
            try walkSortedSet(type, members: &z.members, scores: &z.scores)
            return (.zset(z), type.encoding)
        case .hash, .hashZipmap, .hashZiplist, .hashListpack:
            var h = HashValue()
            try walkHash(type, fields: &h.fields, values: &h.values)
            return (.hash(h), type.encoding)
        case .hashMetadataPreGA, .hashMetadata, .valkeyHash2:
            var h = HashValue()
            h.fieldExpiries = try walkHashWithFieldTTLs(type, fields: &h.fields, values: &h.values)
            return (.hash(h), type.encoding)
        case .hashListpackExPreGA, .hashListpackEx:
            var h = HashValue()
            h.fieldExpiries = try walkListpackHashWithFieldTTLs(type, fields: &h.fields, values: &h.values)
            return (.hash(h), type.encoding)
        case .modulePreGA:
            throw RDBError(.unsupportedFeature, at: input.offset, expected: "a module value Redis 4.0 GA or later can read",
                           found: "the pre-release module format (type 6), which cannot be skipped without the module")
        case .module2:
            return (.module(try readModuleValue()), type.encoding)
        case .streamListpacks, .streamListpacks2, .streamListpacks3, .streamListpacks4, .streamListpacks5:
            return (.stream(try readStream(type)), type.encoding)
        case .array:
            return (.array(try readArray()), type.encoding)
        }
    }

    /// Reads and checks a value without keeping it: element count, longest element, encoding.
    /// Every check `readValue` makes is made, by the same walk; elements are counted and
    /// measured in place instead of copied.
    public func readValueShape(_ type: RDBType) throws -> (elements: Int, longest: Int, encoding: Encoding) {
        var t = ElementTally()
        switch type {
        case .string:
            let n = try skipStringReturningLength()
            return (n, n, lastStringEncoding)
        case .list, .listZiplist, .listQuicklist, .listQuicklist2:
            try walkList(type, into: &t)
        case .set, .setIntset, .setListpack:
            try walkSet(type, into: &t)
        case .zset, .zset2, .zsetZiplist, .zsetListpack:
            var scores = ScoreCheck()
            try walkSortedSet(type, members: &t, scores: &scores)
        case .hash, .hashZipmap, .hashZiplist, .hashListpack:
            var values = ElementTally()
            try walkHash(type, fields: &t, values: &values)
            return (t.count, max(t.longest, values.longest), type.encoding)
        case .hashMetadataPreGA, .hashMetadata, .valkeyHash2:
            var values = ElementTally()
            _ = try walkHashWithFieldTTLs(type, fields: &t, values: &values)
            return (t.count, max(t.longest, values.longest), type.encoding)
        case .hashListpackExPreGA, .hashListpackEx:
            var values = ElementTally()
            _ = try walkListpackHashWithFieldTTLs(type, fields: &t, values: &values)
            return (t.count, max(t.longest, values.longest), type.encoding)
        case .module2:
            _ = try readLength()  // the module id
            try skipModuleOpcodes()
            return (1, 0, type.encoding)
        case .modulePreGA, .streamListpacks, .streamListpacks2, .streamListpacks3, .streamListpacks4, .streamListpacks5, .array:
            // Streams (few keys, each mostly its entries' listpacks) and arrays are read whole.
            let (value, encoding) = try readValue(type)
            return (value.elementCount, value.longestElement, encoding)
        }
        return (t.count, t.longest, type.encoding)
    }

    // MARK: The walks, one per data type, every encoding

    private func walkList<S: ElementSink>(_ type: RDBType, into l: inout S) throws {
        switch type {
        case .listZiplist:
            try withString("ziplist") { p, ctx in
                l.reserveCapacity(forPacked: p, listpack: false, share: 1)
                _ = try PackedWalk.list(listpack: false, p, ctx, into: &l)
                noteBlob(bytes: p.count, elements: l.count)
            }
        case .listQuicklist, .listQuicklist2: try walkQuicklist(type, into: &l)
        default: try walkPlain(unique: false, into: &l)
        }
    }

    private func walkSet<S: ElementSink>(_ type: RDBType, into l: inout S) throws {
        switch type {
        case .setIntset:
            try withString("intset") { p, ctx in
                try Intset.decode(p, ctx, into: &l)
                noteBlob(bytes: p.count, elements: l.count)
            }
        case .setListpack:
            try withString("listpack") { p, ctx in
                try PackedWalk.listpackSet(p, ctx, into: &l, &duplicates)
                noteBlob(bytes: p.count, elements: l.count)
            }
        default: try walkPlain(unique: true, into: &l)
        }
    }

    private func walkSortedSet<S: ElementSink, Z: ScoreSink>(_ type: RDBType, members: inout S, scores: inout Z) throws {
        switch type {
        case .zsetZiplist: try walkPackedSortedSet(listpack: false, members: &members, scores: &scores)
        case .zsetListpack: try walkPackedSortedSet(listpack: true, members: &members, scores: &scores)
        default: try walkPlainSortedSet(binaryScores: type == .zset2, members: &members, scores: &scores)
        }
    }

    private func walkHash<F: ElementSink, V: ElementSink>(_ type: RDBType, fields: inout F, values: inout V) throws {
        switch type {
        case .hashZipmap:
            try withString("zipmap") { p, ctx in
                try Zipmap.decode(p, ctx, fields: &fields, values: &values, duplicates: &duplicates)
                noteBlob(bytes: p.count, elements: 2 * fields.count)
            }
        case .hashZiplist: try walkPackedHash(listpack: false, fields: &fields, values: &values)
        case .hashListpack: try walkPackedHash(listpack: true, fields: &fields, values: &values)
        default: try walkPlainHash(fields: &fields, values: &values)
        }
    }

    /// Adds a member that must be unique, from the stream at `offset` (format.md §9.4).
    func addUnique<S: ElementSink>(_ p: UnsafeRawBufferPointer, to s: inout S, _ what: String, at offset: Int64) throws {
        if let j = s.addUnique(p, &duplicates) { throw Self.repeated(p, what, first: j, at: offset) }
    }

    /// A member found again: `p` at `offset` equals element `j` of the same value.
    static func repeated(_ p: UnsafeRawBufferPointer, _ what: String, first j: Int, at offset: Int64) -> RDBError {
        RDBError(.structural, at: offset, expected: "unique \(what)",
                 found: "\(Quoting.redisCLI(p, limit: 60)) again (first as element \(j))")
    }

    /// Reads `n` members that must be unique into `l`, `after` reading what follows each. With
    /// a `memberQueue` they go to its list, to be compared on its thread; otherwise they are
    /// compared here.
    @inline(__always)
    private func walkUnique<S: ElementSink>(_ n: Int, _ layout: PackedLayout, into l: inout S,
                                            after: () throws -> Void = {}) throws {
        if let q = memberQueue {
            q.beginMembers(count: n, layout)
            for _ in 0..<n {
                let at = input.offset
                try withStringBytes { p in
                    l.add(p)
                    q.addMember(p, at: at)
                }
                try after()
            }
            q.endMembers()
            return
        }
        duplicates.reset(expecting: n)
        for _ in 0..<n {
            let at = input.offset
            try withString { p, _ in try addUnique(p, to: &l, layout.memberName, at: at) }
            try after()
        }
    }

    // MARK: Plain (hash-table / linked-list / skiplist) encodings

    private func walkPlain<S: ElementSink>(unique: Bool, into l: inout S) throws {
        let n = try readCount("element count")
        if unique { return try walkUnique(n, .setMembers, into: &l) }
        for _ in 0..<n { try withString { p, _ in l.add(p) } }
    }

    private func walkPlainSortedSet<S: ElementSink, Z: ScoreSink>(binaryScores: Bool, members: inout S, scores: inout Z) throws {
        let n = try readCount("member count")
        func readScore() throws {
            let at = input.offset
            let score = binaryScores ? try readBinaryDouble() : try readTextDouble()
            if score.isNaN { throw RDBError(.structural, at: at, expected: "a score", found: "NaN") }
            scores.add(score)
        }
        try walkUnique(n, .zsetMembers, into: &members, after: readScore)
    }

    private func walkPlainHash<F: ElementSink, V: ElementSink>(fields: inout F, values: inout V) throws {
        let n = try readCount("field count")
        func readValue() throws { try withString { p, _ in values.add(p) } }
        try walkUnique(n, .hashFields, into: &fields, after: readValue)
    }

    // MARK: Packed (ziplist / listpack) encodings

    private func walkPackedSortedSet<S: ElementSink, Z: ScoreSink>(listpack: Bool, members: inout S, scores: inout Z) throws {
        try withString(listpack ? "listpack" : "ziplist") { p, ctx in
            try PackedWalk.sortedSet(listpack: listpack, p, ctx, members: &members, scores: &scores, &duplicates)
            noteBlob(bytes: p.count, elements: 2 * members.count)
        }
    }

    private func walkPackedHash<F: ElementSink, V: ElementSink>(listpack: Bool, fields: inout F, values: inout V) throws {
        try withString(listpack ? "listpack" : "ziplist") { p, ctx in
            try PackedWalk.hash(listpack: listpack, p, ctx, fields: &fields, values: &values, &duplicates)
            noteBlob(bytes: p.count, elements: 2 * fields.count)
        }
    }

    // MARK: RDB 14 array

    private func readArray() throws -> ArrayValue {
        var a = ArrayValue()
        let n = try readCount("array element count")
        let at = input.offset
        switch try readLength() {
        case 0: break
        case 1: a.insertIndex = try readLength()
        case let flag: throw RDBError(.structural, at: at, expected: "array insert-index flag 0 or 1", found: "\(flag)")
        }
        for _ in 0..<n {
            let index = try readLength()
            let tagAt = input.offset
            switch try readLength() {
            case 0, 3: a.elements.append((index, .bytes(try readString())))
            case 1: a.elements.append((index, .integer(Int64(bitPattern: try input.readUInt64LE()))))
            case 2: a.elements.append((index, .double(try readBinaryDouble())))
            case let tag: throw RDBError(.structural, at: tagAt, expected: "array element tag 0-3", found: "\(tag)")
            }
        }
        return a
    }
}
