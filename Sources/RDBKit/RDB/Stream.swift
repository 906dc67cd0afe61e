/// Streams (format.md §5.12): listpack nodes keyed by master id, then metadata, consumer
/// groups with their PELs and consumers, and (Redis 8.6+) idempotent-producer state.
extension RDBDecoder {
    private static let deletedFlag: Int64 = 1
    private static let sameFieldsFlag: Int64 = 2

    func readStream(_ type: RDBType) throws -> StreamValue {
        var s = StreamValue()
        let v2 = type != .streamListpacks
        let v3 = v2 && type != .streamListpacks2
        let nodes = try readCount("stream node count")
        var previousMaster: StreamID? = nil
        var lastEntry: StreamID? = nil
        var liveEntries: UInt64 = 0
        for _ in 0..<nodes {
            let keyAt = input.offset
            let master: StreamID = try withString { p, _ in
                guard p.count == 16 else {
                    throw RDBError(.structural, at: keyAt, expected: "a 16-byte stream node key", found: "\(p.count) bytes")
                }
                return StreamID(ms: UInt64(bigEndian: p.loadUnaligned(as: UInt64.self)),
                                seq: UInt64(bigEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            }
            if let previousMaster, master <= previousMaster {
                throw RDBError(.structural, at: keyAt, expected: "stream node keys in increasing order", found: "\(master) after \(previousMaster)")
            }
            previousMaster = master
            try withString("listpack") { p, ctx in
                liveEntries += try decodeNode(p, ctx, master: master, after: &lastEntry, into: &s.entries)
            }
            layout?.streamNodeIDs.append(master)
        }
        let lengthAt = input.offset
        s.length = try readLength()
        if s.length != liveEntries {
            // Servers load such streams and report the stored length (XLEN); only note it.
            warnings.append(RDBWarning(offset: lengthAt, message: "stream length \(s.length) differs from its \(liveEntries) live entries"))
        }
        s.lastID = try readLengthStreamID()
        if v2 {
            s.firstID = try readLengthStreamID()
            s.maxDeletedID = try readLengthStreamID()
            s.entriesAdded = try readLength()
        }
        let groups = try readCount("consumer group count")
        var groupNames = Set<[UInt8]>()
        for _ in 0..<groups {
            let nameAt = input.offset
            let group = try readGroup(v2: v2, v3: v3, nacks: type == .streamListpacks5)
            guard groupNames.insert(group.name).inserted else {
                throw RDBError(.structural, at: nameAt, expected: "unique consumer group names", found: "a duplicate \(Quoting.redisCLI(group.name))")
            }
            s.groups.append(group)
        }
        if type == .streamListpacks4 || type == .streamListpacks5 {
            s.idempotency = try readIdempotency()
        }
        return s
    }

    /// Decodes one node's listpack (§5.12.2); returns its number of live entries.
    /// `previous` is the last entry id of the nodes before (live or deleted), updated here.
    private func decodeNode(_ p: UnsafeRawBufferPointer, _ ctx: BlobContext, master: StreamID,
                            after previous: inout StreamID?, into entries: inout StreamEntries) throws -> UInt64 {
        var it = try ListpackIterator(p, ctx)
        func int(_ what: String) throws -> Int64 {
            guard let e = try it.next() else { throw ctx.error(at: 0, expected: what, found: "end of the node") }
            guard case .integer(let v) = e else { throw ctx.error(at: 0, expected: "\(what) as an integer", found: "a string") }
            return v
        }
        func element(_ what: String) throws -> PackedElement {
            guard let e = try it.next() else { throw ctx.error(at: 0, expected: what, found: "end of the node") }
            return e
        }
        let count = try int("the node's entry count")
        let deleted = try int("the node's deleted count")
        let masterFieldCount = try int("the master field count")
        guard count >= 0, deleted >= 0, masterFieldCount >= 0, count + deleted > 0 else {
            throw ctx.error(at: 0, expected: "a non-empty stream node", found: "count \(count), deleted \(deleted), \(masterFieldCount) master fields")
        }
        var masterFields = ByteList()
        for _ in 0..<masterFieldCount { try element("a master field").append(to: &masterFields) }
        guard try int("the master entry terminator") == 0 else {
            throw ctx.error(at: 0, expected: "master entry terminator 0", found: "another value")
        }
        var live: Int64 = 0, dead: Int64 = 0
        for _ in 0..<(count + deleted) {
            let flags = try int("entry flags")
            let msDiff = try int("entry ms delta")
            let seqDiff = try int("entry seq delta")
            let id = StreamID(ms: master.ms &+ UInt64(bitPattern: msDiff), seq: master.seq &+ UInt64(bitPattern: seqDiff))
            // A node's master id is that of the first entry ever added to it: none is older.
            if id < master {
                throw ctx.error(at: 0, expected: "entry ids at or after the node's master id \(master)", found: "\(id)")
            }
            if let previous, id <= previous {
                throw ctx.error(at: 0, expected: "entry ids in increasing order", found: "\(id) after \(previous)")
            }
            previous = id
            // Items go straight into the stream's packed storage; a deleted entry's are dropped.
            let itemsBefore = entries.items.count
            let elements: Int64
            if flags & Self.sameFieldsFlag != 0 {
                for f in 0..<masterFields.count {
                    masterFields.withElement(f) { entries.items.append($0) }
                    try element("an entry value").append(to: &entries.items)
                }
                elements = 3 + Int64(masterFields.count)
            } else {
                let k = try int("the entry's field count")
                guard k >= 0, k <= Int64(p.count) else { throw ctx.error(at: 0, expected: "a field count", found: "\(k)") }
                for _ in 0..<(2 * k) { try element("an entry field or value").append(to: &entries.items) }
                elements = 4 + 2 * k
            }
            let lpCount = try int("the entry's element count")
            guard lpCount == elements else {
                throw ctx.error(at: 0, expected: "entry element count \(elements)", found: "\(lpCount)")
            }
            if flags & Self.deletedFlag != 0 {
                dead += 1
                entries.discardOpenEntry(keeping: itemsBefore)
            } else {
                live += 1
                entries.close(id: id)
            }
        }
        guard live == count, dead == deleted else {
            throw ctx.error(at: 0, expected: "\(count) live and \(deleted) deleted entries", found: "\(live) and \(dead)")
        }
        guard try it.next() == nil else {
            throw ctx.error(at: 0, expected: "the end of the node after its entries", found: "more elements")
        }
        noteBlob(bytes: p.count, elements: it.seen)
        return UInt64(live)
    }

    private func readGroup(v2: Bool, v3: Bool, nacks: Bool) throws -> StreamGroup {
        let groupAt = input.offset
        let name = try readString()
        let lastDelivered = try readLengthStreamID()
        let entriesRead: UInt64? = v2 ? try readLength() : nil
        let pelCount = try readCount("PEL size")
        var pending: [StreamPendingEntry] = []
        var pendingIDs = Set<StreamID>()
        for _ in 0..<pelCount {
            let at = input.offset
            let id = try readStreamID()
            let time = Int64(bitPattern: try input.readUInt64LE())
            let count = try readLength()
            guard pendingIDs.insert(id).inserted else {
                throw RDBError(.structural, at: at, expected: "unique PEL ids", found: "\(id) twice")
            }
            pending.append(StreamPendingEntry(id: id, deliveryTimeMs: time, deliveryCount: count))
        }
        // Delivery moves last-delivered past every pending id; only XGROUP SETID moves it back.
        if let last = pending.lazy.map(\.id).max(), last > lastDelivered {
            warnings.append(RDBWarning(offset: groupAt, message: "group \(Quoting.redisCLI(name, limit: 60)) has pending entry \(last) after its last-delivered id \(lastDelivered)"))
        }
        let consumerCount = try readCount("consumer count")
        var consumers: [StreamConsumer] = []
        var consumerNames = Set<[UInt8]>()
        // Every group PEL entry belongs to exactly one consumer (Redis checks "entry without
        // consumer" in deep sanitization; a second owner would be freed twice).
        var owned = Set<StreamID>()
        for _ in 0..<consumerCount {
            let nameAt = input.offset
            let cname = try readString()
            guard consumerNames.insert(cname).inserted else {
                throw RDBError(.structural, at: nameAt, expected: "unique consumer names", found: "a duplicate \(Quoting.redisCLI(cname))")
            }
            let seen = Int64(bitPattern: try input.readUInt64LE())
            let active: Int64? = v3 ? Int64(bitPattern: try input.readUInt64LE()) : nil
            let n = try readCount("consumer PEL size")
            var ids: [StreamID] = []
            for _ in 0..<n {
                let at = input.offset
                let id = try readStreamID()
                guard pendingIDs.contains(id) else {
                    throw RDBError(.structural, at: at, expected: "a consumer PEL id present in the group PEL", found: "\(id)")
                }
                guard owned.insert(id).inserted else {
                    throw RDBError(.structural, at: at, expected: "a PEL id owned by one consumer", found: "\(id) claimed again")
                }
                ids.append(id)
            }
            consumers.append(StreamConsumer(name: cname, seenTimeMs: seen, activeTimeMs: active, pending: ids))
        }
        var nacked: [StreamID]? = nil
        if nacks {
            let n = try readCount("NACK count")
            var ids: [StreamID] = []
            for _ in 0..<n {
                let at = input.offset
                let id = try readStreamID()
                guard pendingIDs.contains(id) else {
                    throw RDBError(.structural, at: at, expected: "a NACK id present in the group PEL", found: "\(id)")
                }
                guard owned.insert(id).inserted else {
                    throw RDBError(.structural, at: at, expected: "a NACK id owned by no consumer", found: "\(id) owned or listed twice")
                }
                ids.append(id)
            }
            nacked = ids
        }
        if owned.count != pendingIDs.count, let orphan = pending.first(where: { !owned.contains($0.id) }) {
            throw RDBError(.structural, at: groupAt, expected: "every PEL entry of group \(Quoting.redisCLI(name, limit: 60)) owned by a consumer",
                           found: "\(orphan.id) owned by none")
        }
        return StreamGroup(name: name, lastDeliveredID: lastDelivered, entriesRead: entriesRead,
                           pending: pending, consumers: consumers, nacked: nacked)
    }

    private func readIdempotency() throws -> StreamIdempotency {
        let duration = try readLength()
        let maxEntries = try readLength()
        let producerCount = try readCount("IDMP producer count")
        var producers: [StreamIdempotency.Producer] = []
        for _ in 0..<producerCount {
            let pid = try readString()
            let n = try readCount("IDMP entry count")
            var entries: [(iid: [UInt8], id: StreamID)] = []
            for _ in 0..<n {
                let iid = try readString()
                entries.append((iid, try readLengthStreamID()))
            }
            producers.append(.init(pid: pid, entries: entries))
        }
        return StreamIdempotency(durationSeconds: duration, maxEntries: maxEntries, producers: producers,
                                 iidsAdded: try readLength(), iidsDuplicates: try readLength())
    }
}
