/// Dispatch from a type byte to the value layout it denotes (format.md §5.0).
extension RDBDecoder {
    /// Reads the value of a key record of `type`; returns it with its encoding name.
    public func readValue(_ type: RDBType) throws -> (Value, encoding: Encoding) {
        switch type {
        case .string:
            let s = try readString()
            return (.string(s), lastStringEncoding)
        case .list:
            return (.list(try readPlainList(unique: false)), type.encoding)
        case .set:
            return (.set(try readPlainList(unique: true)), type.encoding)
        case .zset, .zset2:
            return (.zset(try readPlainSortedSet(binaryScores: type == .zset2)), type.encoding)
        case .hash:
            return (.hash(try readPlainHash()), type.encoding)
        case .modulePreGA:
            throw RDBError(.unsupportedFeature, at: input.offset, expected: "a module value Redis 4.0 GA or later can read",
                           found: "the pre-release module format (type 6), which cannot be skipped without the module")
        case .module2:
            return (.module(try readModuleValue()), type.encoding)
        case .hashZipmap:
            var h = HashValue()
            try withString("zipmap") { p, ctx in
                try Zipmap.decode(p, ctx, into: &h, duplicates: &duplicates)
                noteBlob(bytes: p.count, elements: 2 * h.fields.count)
            }
            return (.hash(h), type.encoding)
        case .listZiplist:
            var l = ByteList()
            try withString("ziplist") { p, ctx in
                l.reserveCapacity(forPacked: p, listpack: false, share: 1)
                var it = try ZiplistIterator(p, ctx)
                try it.forEach { $0.append(to: &l) }
                noteBlob(bytes: p.count, elements: l.count)
            }
            return (.list(l), type.encoding)
        case .setIntset:
            var l = ByteList()
            try withString("intset") { p, ctx in
                try Intset.decode(p, ctx, into: &l)
                noteBlob(bytes: p.count, elements: l.count)
            }
            return (.set(l), type.encoding)
        case .zsetZiplist:
            return (.zset(try readPackedSortedSet(listpack: false)), type.encoding)
        case .hashZiplist:
            return (.hash(try readPackedHash(listpack: false)), type.encoding)
        case .listQuicklist:
            return (.list(try readQuicklist()), type.encoding)
        case .listQuicklist2:
            return (.list(try readQuicklist2()), type.encoding)
        case .hashListpack:
            return (.hash(try readPackedHash(listpack: true)), type.encoding)
        case .zsetListpack:
            return (.zset(try readPackedSortedSet(listpack: true)), type.encoding)
        case .setListpack:
            var l = ByteList()
            try withString("listpack") { p, ctx in
                duplicates.reset()
                l.reserveCapacity(forPacked: p, listpack: true, share: 1)
                var it = try ListpackIterator(p, ctx)
                while let e = try it.next() {
                    e.append(to: &l)
                    try checkUnique(l, "set members", ctx, at: it.lastStart)
                }
                noteBlob(bytes: p.count, elements: l.count)
            }
            return (.set(l), type.encoding)
        case .streamListpacks, .streamListpacks2, .streamListpacks3, .streamListpacks4, .streamListpacks5:
            return (.stream(try readStream(type)), type.encoding)
        case .hashMetadataPreGA, .hashMetadata, .valkeyHash2:
            return (.hash(try readHashWithFieldTTLs(type)), type.encoding)
        case .hashListpackExPreGA, .hashListpackEx:
            return (.hash(try readListpackHashWithFieldTTLs(type)), type.encoding)
        case .array:
            return (.array(try readArray()), type.encoding)
        }
    }

    /// Reads and checks a value without keeping it: element count, longest element, encoding.
    /// Strings, most keys of most files, are skipped without being copied.
    public func readValueShape(_ type: RDBType) throws -> (elements: Int, longest: Int, encoding: Encoding) {
        if type == .string {
            let n = try skipStringReturningLength()
            return (n, n, lastStringEncoding)
        }
        let (value, encoding) = try readValue(type)
        return (value.elementCount, value.longestElement, encoding)
    }

    // MARK: Plain (hash-table / linked-list / skiplist) encodings

    private func readPlainList(unique: Bool) throws -> ByteList {
        let n = try readCount("element count")
        var l = ByteList(reservingElements: min(n, 1 << 16), bytes: 0)
        duplicates.reset(expecting: n)
        for _ in 0..<n {
            let at = input.offset
            try readString(into: &l)
            if unique { try checkUnique(l, "set members", at: at) }
        }
        return l
    }

    /// Throws when the last element of `list` repeats an earlier one (format.md §9.4).
    func checkUnique(_ list: ByteList, _ what: String, at offset: Int64) throws {
        if let j = duplicates.insert(list.count - 1, of: list) {
            throw RDBError(.structural, at: offset, expected: "unique \(what)",
                           found: "\(Quoting.redisCLI(Array(list[list.count - 1]), limit: 60)) again (first as element \(j))")
        }
    }

    /// The same inside a ziplist or listpack blob, at byte `i` of it.
    func checkUnique(_ list: ByteList, _ what: String, _ ctx: BlobContext, at i: Int) throws {
        if let j = duplicates.insert(list.count - 1, of: list) {
            throw ctx.error(at: i, expected: "unique \(what)",
                            found: "\(Quoting.redisCLI(Array(list[list.count - 1]), limit: 60)) again (first as element \(j))")
        }
    }

    private func readPlainSortedSet(binaryScores: Bool) throws -> SortedSetValue {
        let n = try readCount("member count")
        var z = SortedSetValue()
        z.scores.reserveCapacity(min(n, 1 << 16))
        duplicates.reset(expecting: n)
        for _ in 0..<n {
            let memberAt = input.offset
            try readString(into: &z.members)
            try checkUnique(z.members, "zset members", at: memberAt)
            let at = input.offset
            let score = binaryScores ? try readBinaryDouble() : try readTextDouble()
            if score.isNaN { throw RDBError(.structural, at: at, expected: "a score", found: "NaN") }
            z.scores.append(score)
        }
        return z
    }

    private func readPlainHash() throws -> HashValue {
        let n = try readCount("field count")
        var h = HashValue()
        duplicates.reset(expecting: n)
        for _ in 0..<n {
            let at = input.offset
            try readString(into: &h.fields)
            try checkUnique(h.fields, "hash fields", at: at)
            try readString(into: &h.values)
        }
        return h
    }

    // MARK: Packed (ziplist / listpack) encodings

    /// Iterates the elements of a ziplist or listpack blob.
    /// Iterates the elements of a ziplist or listpack blob, with each one's offset in the blob.
    func forEachPacked(listpack: Bool, _ p: UnsafeRawBufferPointer, _ ctx: BlobContext,
                       _ body: (PackedElement, Int) throws -> Void) throws {
        // Two static branches, not an existential: this runs per element.
        if listpack {
            var it = try ListpackIterator(p, ctx)
            while let e = try it.next() { try body(e, it.lastStart) }
        } else {
            var it = try ZiplistIterator(p, ctx)
            while let e = try it.next() { try body(e, it.lastStart) }
        }
    }

    private func readPackedSortedSet(listpack: Bool) throws -> SortedSetValue {
        var z = SortedSetValue()
        let kind = listpack ? "listpack" : "ziplist"
        try withString(kind) { p, ctx in
            var isMember = true
            duplicates.reset()
            z.members.reserveCapacity(forPacked: p, listpack: listpack, share: 2)
            try forEachPacked(listpack: listpack, p, ctx) { e, at in
                if isMember {
                    e.append(to: &z.members)
                    try checkUnique(z.members, "zset members", ctx, at: at)
                } else {
                    switch e {
                    case .integer(let v): z.scores.append(Double(v))
                    case .bytes(let t):
                        guard let d = parseDouble(t), !d.isNaN else {
                            throw ctx.error(at: 0, expected: "a score", found: Quoting.redisCLI(t, limit: 40))
                        }
                        z.scores.append(d)
                    }
                }
                isMember.toggle()
            }
            if !isMember { throw ctx.error(at: 0, expected: "member/score pairs", found: "an odd number of elements") }
            noteBlob(bytes: p.count, elements: 2 * z.members.count)
        }
        return z
    }

    private func readPackedHash(listpack: Bool) throws -> HashValue {
        var h = HashValue()
        let kind = listpack ? "listpack" : "ziplist"
        try withString(kind) { p, ctx in
            var isField = true
            duplicates.reset()
            h.fields.reserveCapacity(forPacked: p, listpack: listpack, share: 2)
            h.values.reserveCapacity(forPacked: p, listpack: listpack, share: 2)
            try forEachPacked(listpack: listpack, p, ctx) { e, at in
                if isField {
                    e.append(to: &h.fields)
                    try checkUnique(h.fields, "hash fields", ctx, at: at)
                } else {
                    e.append(to: &h.values)
                }
                isField.toggle()
            }
            if !isField { throw ctx.error(at: 0, expected: "field/value pairs", found: "an odd number of elements") }
            noteBlob(bytes: p.count, elements: 2 * h.fields.count)
        }
        return h
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
