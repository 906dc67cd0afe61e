/// The walks of single packed containers (ziplist, listpack, intset, zipmap, quicklist PLAIN
/// node): every check of one blob, apart from reading it from the file. The decoder runs them
/// as it reads; `BlobCheckQueue` runs the same code on a thread of its own.
enum PackedWalk {
    /// The elements of a list's ziplist, quicklist ziplist node or listpack node.
    static func list<S: ElementSink>(listpack: Bool, _ p: UnsafeRawBufferPointer, _ ctx: BlobContext, into l: inout S) throws -> Int {
        if listpack {
            var it = try ListpackIterator(p, ctx)
            while let e = try it.next() { l.add(e) }
            return it.seen
        }
        var it = try ZiplistIterator(p, ctx)
        while let e = try it.next() { l.add(e) }
        return it.seen
    }

    /// A quicklist PLAIN node: one element, stored as it is.
    static func plainNode<S: ElementSink>(_ p: UnsafeRawBufferPointer, _ ctx: BlobContext, into l: inout S) throws {
        guard !p.isEmpty else { throw ctx.error(at: 0, expected: "a non-empty PLAIN node", found: "0 bytes") }
        l.add(p)
    }

    static func listpackSet<S: ElementSink>(_ p: UnsafeRawBufferPointer, _ ctx: BlobContext, into l: inout S,
                                             _ d: inout DuplicateFinder) throws {
        d.reset()
        l.reserveCapacity(forPacked: p, listpack: true, share: 1)
        var it = try ListpackIterator(p, ctx)
        while let e = try it.next() {
            try addUnique(e, to: &l, "set members", ctx, at: it.lastStart, &d)
        }
    }

    static func sortedSet<S: ElementSink, Z: ScoreSink>(listpack: Bool, _ p: UnsafeRawBufferPointer, _ ctx: BlobContext,
                                                        members: inout S, scores: inout Z, _ d: inout DuplicateFinder) throws {
        var isMember = true
        d.reset()
        members.reserveCapacity(forPacked: p, listpack: listpack, share: 2)
        try forEach(listpack: listpack, p, ctx) { e, at in
            if isMember {
                try addUnique(e, to: &members, "zset members", ctx, at: at, &d)
            } else {
                switch e {
                case .integer(let v): scores.add(Double(v))
                case .bytes(let t):
                    guard scores.add(text: t) else {
                        throw ctx.error(at: 0, expected: "a score", found: Quoting.redisCLI(t, limit: 40))
                    }
                }
            }
            isMember.toggle()
        }
        if !isMember { throw ctx.error(at: 0, expected: "member/score pairs", found: "an odd number of elements") }
    }

    static func hash<F: ElementSink, V: ElementSink>(listpack: Bool, _ p: UnsafeRawBufferPointer, _ ctx: BlobContext,
                                                     fields: inout F, values: inout V, _ d: inout DuplicateFinder) throws {
        var isField = true
        d.reset()
        fields.reserveCapacity(forPacked: p, listpack: listpack, share: 2)
        values.reserveCapacity(forPacked: p, listpack: listpack, share: 2)
        try forEach(listpack: listpack, p, ctx) { e, at in
            if isField {
                try addUnique(e, to: &fields, "hash fields", ctx, at: at, &d)
            } else {
                values.add(e)
            }
            isField.toggle()
        }
        if !isField { throw ctx.error(at: 0, expected: "field/value pairs", found: "an odd number of elements") }
    }

    /// Iterates the elements of a ziplist or listpack blob, with each one's offset in the blob.
    static func forEach(listpack: Bool, _ p: UnsafeRawBufferPointer, _ ctx: BlobContext,
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

    /// Adds a member that must be unique, found at byte `i` of its blob (format.md §9.4).
    static func addUnique<S: ElementSink>(_ e: PackedElement, to s: inout S, _ what: String, _ ctx: BlobContext, at i: Int,
                                          _ d: inout DuplicateFinder) throws {
        if let j = s.addUnique(e, &d) {
            throw ctx.error(at: i, expected: "unique \(what)",
                            found: "\(e.withText { Quoting.redisCLI($0, limit: 60) }) again (first as element \(j))")
        }
    }
}

/// Which walk a packed container of a shape read takes, for checking it away from the reader;
/// or, for a plain collection, the list of its members that must be unique (`BlobCheckQueue`'s
/// member lists: a count, then per member its length, its file offset and its bytes).
enum PackedLayout: UInt8 {
    case ziplistList, listpackList, plainNode, intset, listpackSet, ziplistZset, listpackZset, ziplistHash, listpackHash, zipmap
    case setMembers, zsetMembers, hashFields

    /// The layout of a value of `type` stored as one packed container; nil for any other type.
    init?(single type: RDBType) {
        switch type {
        case .listZiplist: self = .ziplistList
        case .setIntset: self = .intset
        case .setListpack: self = .listpackSet
        case .zsetZiplist: self = .ziplistZset
        case .zsetListpack: self = .listpackZset
        case .hashZiplist: self = .ziplistHash
        case .hashListpack: self = .listpackHash
        case .hashZipmap: self = .zipmap
        default: return nil
        }
    }

    /// The container's name in errors.
    var kind: String {
        switch self {
        case .ziplistList, .ziplistZset, .ziplistHash: "ziplist"
        case .listpackList, .listpackSet, .listpackZset, .listpackHash: "listpack"
        case .plainNode: "string"
        case .intset: "intset"
        case .zipmap: "zipmap"
        case .setMembers, .zsetMembers, .hashFields: "member list"
        }
    }

    /// Walks blob `p`: elements (members, fields) into `t`, hash values into `values`.
    func check(_ p: UnsafeRawBufferPointer, _ ctx: BlobContext, _ t: inout ElementTally, values: inout ElementTally,
               _ d: inout DuplicateFinder) throws {
        switch self {
        case .ziplistList: _ = try PackedWalk.list(listpack: false, p, ctx, into: &t)
        case .listpackList: _ = try PackedWalk.list(listpack: true, p, ctx, into: &t)
        case .plainNode: try PackedWalk.plainNode(p, ctx, into: &t)
        case .intset: try Intset.decode(p, ctx, into: &t)
        case .listpackSet: try PackedWalk.listpackSet(p, ctx, into: &t, &d)
        case .ziplistZset, .listpackZset:
            var scores = ScoreCheck()
            try PackedWalk.sortedSet(listpack: self == .listpackZset, p, ctx, members: &t, scores: &scores, &d)
        case .ziplistHash, .listpackHash:
            try PackedWalk.hash(listpack: self == .listpackHash, p, ctx, fields: &t, values: &values, &d)
        case .zipmap: try Zipmap.decode(p, ctx, fields: &t, values: &values, duplicates: &d)
        case .setMembers, .zsetMembers, .hashFields: try Self.checkUnique(p, memberName, &d)
        }
    }

    /// What a member list's members are called in errors.
    var memberName: String {
        switch self {
        case .setMembers: "set members"
        case .zsetMembers: "zset members"
        case .hashFields: "hash fields"
        default: "elements"
        }
    }

    /// Compares the members of a member list, in place; the error is the reader's own.
    private static func checkUnique(_ p: UnsafeRawBufferPointer, _ what: String, _ d: inout DuplicateFinder) throws {
        d.reset(expecting: Int(p.loadUnaligned(as: Int64.self)))
        var i = 8
        while i < p.count {
            let n = Int(p.loadUnaligned(fromByteOffset: i, as: Int64.self))
            let at = p.loadUnaligned(fromByteOffset: i + 8, as: Int64.self)
            let member = UnsafeRawBufferPointer(rebasing: p[i + 16 ..< i + 16 + n])
            if let j = d.insert(inPlace: .bytes(member)) { throw RDBDecoder.repeated(member, what, first: j, at: at) }
            i += 16 + n
        }
    }
}

extension RDBType {
    /// The value is packed containers only (a single one, or quicklist nodes): what
    /// `RDBDecoder.readPackedStrings` reads.
    var isPackedOnly: Bool { self == .listQuicklist || self == .listQuicklist2 || PackedLayout(single: self) != nil }
}
