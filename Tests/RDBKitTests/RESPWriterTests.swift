import Testing
@testable import RDBKit

private func record(_ key: String, _ value: Value, db: Int = 0, expireAtMs: Int64? = nil) -> KeyRecord {
    KeyRecord(db: db, key: ascii(key), value: value, expireAtMs: expireAtMs,
              metadata: RecordMetadata(encoding: .raw, typeByte: 0))
}

/// The bytes a writer produces for `records`, then `libraries`.
private func resp(_ records: [KeyRecord], libraries: [FunctionLibrary] = [], itemsPerCommand: Int = 64) throws -> [UInt8] {
    let out = OutputBuffer()
    let writer = RESPWriter(output: out, itemsPerCommand: itemsPerCommand)
    try writer.begin()
    for l in libraries { try writer.write(l) }
    for r in records { try writer.write(r) }
    try writer.finish()
    return out.bytes
}

/// One RESP multi-bulk command, written out independently of the writer.
private func command(_ args: [UInt8]...) -> [UInt8] {
    var out = Array("*\(args.count)\r\n".utf8)
    for a in args { out += Array("$\(a.count)\r\n".utf8) + a + Array("\r\n".utf8) }
    return out
}

private func command(_ args: String...) -> [UInt8] {
    var out = Array("*\(args.count)\r\n".utf8)
    for a in args { out += Array("$\(a.utf8.count)\r\n\(a)\r\n".utf8) }
    return out
}

private func id(_ ms: UInt64, _ seq: UInt64) -> StreamID { StreamID(ms: ms, seq: seq) }

@Suite struct RESPWriterTests {
    @Test func stringIsSelectThenSetThenKeyExpiry() throws {
        let bytes = try resp([record("k", .string(ascii("v")), expireAtMs: 1_700_000_000_000)])
        #expect(String(decoding: bytes, as: UTF8.self)
            == "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
            + "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"
            + "*3\r\n$9\r\nPEXPIREAT\r\n$1\r\nk\r\n$13\r\n1700000000000\r\n")
    }

    @Test func selectIsWrittenOnlyWhenTheDatabaseChanges() throws {
        let bytes = try resp([record("a", .string(ascii("1"))), record("b", .string(ascii("2"))),
                              record("c", .string(ascii("3")), db: 3)])
        #expect(bytes == command("SELECT", "0") + command("SET", "a", "1") + command("SET", "b", "2")
            + command("SELECT", "3") + command("SET", "c", "3"))
    }

    @Test func binaryAndEmptyKeysAreBulkStringsAsIs() throws {
        let r = KeyRecord(db: 0, key: [0xFF, 0x00, 0x0D, 0x0A], value: .string([]), expireAtMs: nil,
                          metadata: RecordMetadata(encoding: .raw, typeByte: 0))
        #expect(try resp([r]) == command("SELECT", "0") + command(ascii("SET"), [0xFF, 0x00, 0x0D, 0x0A], []))
    }

    @Test func listIsPushedInBatchesHeadToTail() throws {
        let list = ByteList(["a", "b", "c", "d", "e"].map(ascii))
        #expect(try resp([record("l", .list(list))], itemsPerCommand: 2)
            == command("SELECT", "0") + command("RPUSH", "l", "a", "b") + command("RPUSH", "l", "c", "d")
            + command("RPUSH", "l", "e"))
    }

    @Test func setIsAddedInBatches() throws {
        let set = ByteList(["x", "y", "z"].map(ascii))
        #expect(try resp([record("s", .set(set))], itemsPerCommand: 2)
            == command("SELECT", "0") + command("SADD", "s", "x", "y") + command("SADD", "s", "z"))
    }

    @Test func sortedSetScoresReadBackExactly() throws {
        let z = SortedSetValue(members: ByteList(["top", "bottom", "half", "int", "third"].map(ascii)),
                               scores: [.infinity, -.infinity, 1.5, 3, 1.0 / 3])
        #expect(try resp([record("z", .zset(z))], itemsPerCommand: 3)
            == command("SELECT", "0") + command("ZADD", "z", "inf", "top", "-inf", "bottom", "1.5", "half")
            + command("ZADD", "z", "3", "int", "0.3333333333333333", "third"))
    }

    @Test func hashIsSetThenFieldExpiriesThenKeyExpiry() throws {
        var h = HashValue()
        h.fields = ByteList(["a", "b", "c"].map(ascii))
        h.values = ByteList(["1", "2", "3"].map(ascii))
        h.fieldExpiries = [nil, 2_000_000_000_123, nil]
        #expect(try resp([record("h", .hash(h), expireAtMs: 4_102_444_800_000)], itemsPerCommand: 2)
            == command("SELECT", "0") + command("HSET", "h", "a", "1", "b", "2") + command("HSET", "h", "c", "3")
            + command("HPEXPIREAT", "h", "2000000000123", "FIELDS", "1", "b")
            + command("PEXPIREAT", "h", "4102444800000"))
    }

    @Test func emptyStreamIsCreatedByTrimmingThenGivenItsIDs() throws {
        var s = StreamValue()
        s.lastID = id(1_700_000_000_501, 0)
        s.maxDeletedID = id(1_700_000_000_501, 0)
        s.entriesAdded = 3
        #expect(try resp([record("st", .stream(s))])
            == command("SELECT", "0") + command("XADD", "st", "MAXLEN", "0", "0-1", "x", "y")
            + command("XSETID", "st", "1700000000501-0", "ENTRIESADDED", "3", "MAXDELETEDID", "1700000000501-0"))
    }

    @Test func streamBeforeV2HasAPlainXSETID() throws {
        var s = StreamValue()
        s.entries = [StreamEntry(id: id(5, 1), fieldsAndValues: ByteList(["f", "v", "g", "w"].map(ascii)))]
        s.length = 1
        s.lastID = id(9, 0)
        #expect(try resp([record("st", .stream(s))])
            == command("SELECT", "0") + command("XADD", "st", "5-1", "f", "v", "g", "w") + command("XSETID", "st", "9-0"))
    }

    @Test func streamGroupsConsumersAndPendingEntriesAreRebuiltAsTheAOFRewriteDoes() throws {
        var s = StreamValue()
        s.entries = [
            StreamEntry(id: id(1, 0), fieldsAndValues: ByteList(["f", "v"].map(ascii))),
            StreamEntry(id: id(2, 0), fieldsAndValues: ByteList(["f", "w"].map(ascii))),
        ]
        s.length = 2
        s.lastID = id(2, 0)
        s.firstID = id(1, 0)
        s.maxDeletedID = .zero
        s.entriesAdded = 2
        s.groups = [
            StreamGroup(name: ascii("unknown-read"), lastDeliveredID: id(2, 0), entriesRead: UInt64.max,
                        pending: [], consumers: [], nacked: nil),
            StreamGroup(
                name: ascii("g"), lastDeliveredID: id(2, 0), entriesRead: 2,
                pending: [StreamPendingEntry(id: id(2, 0), deliveryTimeMs: 1_700_000_000_456, deliveryCount: 3),
                          StreamPendingEntry(id: id(1, 0), deliveryTimeMs: 1_700_000_000_123, deliveryCount: 1)],
                consumers: [StreamConsumer(name: ascii("idle"), seenTimeMs: 7, activeTimeMs: -1, pending: []),
                            StreamConsumer(name: ascii("busy"), seenTimeMs: 8, activeTimeMs: 8, pending: [id(2, 0), id(1, 0)])],
                nacked: nil),
        ]
        #expect(try resp([record("st", .stream(s))])
            == command("SELECT", "0")
            + command("XADD", "st", "1-0", "f", "v") + command("XADD", "st", "2-0", "f", "w")
            + command("XSETID", "st", "2-0", "ENTRIESADDED", "2", "MAXDELETEDID", "0-0")
            + command("XGROUP", "CREATE", "st", "g", "2-0", "ENTRIESREAD", "2")
            + command("XCLAIM", "st", "g", "busy", "0", "1-0", "TIME", "1700000000123", "RETRYCOUNT", "1", "JUSTID", "FORCE")
            + command("XCLAIM", "st", "g", "busy", "0", "2-0", "TIME", "1700000000456", "RETRYCOUNT", "3", "JUSTID", "FORCE")
            + command("XGROUP", "CREATECONSUMER", "st", "g", "idle")
            + command("XGROUP", "CREATE", "st", "unknown-read", "2-0"))
    }

    @Test func moduleValueIsRestoredFromADumpPayload() throws {
        let payload: [UInt8] = [0x02, 0x2A, 0x05, 0x09] + ascii("forty-two") + [0x00]
        let m = ModuleValue(moduleID: 0xB5EB_2DFF_FFDD_B401, payload: payload)
        let body: [UInt8] = [0x07, 0x81, 0xB5, 0xEB, 0x2D, 0xFF, 0xFF, 0xDD, 0xB4, 0x01] + payload + [0x09, 0x00]
        var dump = body
        withUnsafeBytes(of: CRC64.checksum(body).littleEndian) { dump.append(contentsOf: $0) }
        #expect(try resp([record("m", .module(m))]) == command("SELECT", "0") + command(ascii("RESTORE"), ascii("m"), ascii("0"), dump))
    }

    @Test func dumpFramingMatchesWhatRedisDumps() {
        // `DUMP module:dt:1` from Redis 7.0.15 (RDB 10) with its tests/modules/datatype.so.
        let redisDump: [UInt8] = [0x07, 0x81, 0xB5, 0xEB, 0x2D, 0xFF, 0xFF, 0xDD, 0xB4, 0x01, 0x02, 0x2A, 0x05, 0x09]
            + ascii("forty-two") + [0x00, 0x0A, 0x00, 0x09, 0x90, 0x12, 0x10, 0x96, 0xA9, 0xE8, 0x3E]
        #expect(RESPWriter.sealDump(Array(redisDump.dropLast(10)), rdbVersion: 10) == redisDump)
    }

    @Test func arrayValueIsRestoredFromATypedDumpPayload() {
        var a = ArrayValue()
        a.insertIndex = 3
        a.elements = [(0, .bytes(ascii("hi"))), (2, .integer(-2)), (5, .double(1.5))]
        let len = { (v: UInt8) -> [UInt8] in [0x81, 0, 0, 0, 0, 0, 0, 0, v] }
        let body: [UInt8] = [28] + len(3) + len(1) + len(3)
            + len(0) + len(0) + len(2) + ascii("hi")
            + len(2) + len(1) + [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
            + len(5) + len(2) + [0, 0, 0, 0, 0, 0, 0xF8, 0x3F]
            + [14, 0]
        var expected = body
        withUnsafeBytes(of: CRC64.checksum(body).littleEndian) { expected.append(contentsOf: $0) }
        #expect(RESPWriter.arrayDump(a) == expected)
    }

    @Test func functionIsLoadedWithReplace() throws {
        let code = "#!lua name=lib\nredis.register_function('f', function() return 1 end)\n"
        #expect(try resp([], libraries: [FunctionLibrary(code: Array(code.utf8))])
            == command("FUNCTION", "LOAD", "REPLACE", code))
    }
}
