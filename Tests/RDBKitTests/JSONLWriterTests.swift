import Testing
@testable import RDBKit

/// A record in db 0 without expiry, with metadata a writer test does not look at.
private func record(_ key: [UInt8], _ value: Value, db: Int = 0, expireAtMs: Int64? = nil,
                    metadata: RecordMetadata = RecordMetadata(encoding: .raw, typeByte: 0)) -> KeyRecord {
    KeyRecord(db: db, key: key, value: value, expireAtMs: expireAtMs, metadata: metadata)
}

/// What a writer produces for `records`, then `libraries`.
private func dump(_ records: [KeyRecord], libraries: [FunctionLibrary] = [],
                  framing: JSONLWriter.Framing = .lines, withMetadata: Bool = false) throws -> String {
    let out = OutputBuffer()
    let writer = JSONLWriter(output: out, framing: framing, withMetadata: withMetadata)
    try writer.begin()
    for r in records { try writer.write(r) }
    for l in libraries { try writer.write(l) }
    try writer.finish()
    return String(decoding: out.bytes, as: UTF8.self)
}

private func line(_ r: KeyRecord, withMetadata: Bool = false) throws -> String {
    try dump([r], withMetadata: withMetadata)
}

private func hash(_ pairs: [(String, String)], expiries: [Int64?]? = nil) -> HashValue {
    var h = HashValue()
    h.fields = ByteList(pairs.map { ascii($0.0) })
    h.values = ByteList(pairs.map { ascii($0.1) })
    h.fieldExpiries = expiries
    return h
}

private func id(_ ms: UInt64, _ seq: UInt64) -> StreamID { StreamID(ms: ms, seq: seq) }

@Suite struct JSONLWriterTests {
    @Test func stringRecordHasTheContractFieldsInOrder() throws {
        #expect(try line(record(ascii("user:1"), .string(ascii("ada"))))
            == #"{"db":0,"key":"user:1","type":"string","expire_ms":null,"value":"ada"}"# + "\n")
    }

    @Test func expiryAndDatabaseAreIntegers() throws {
        #expect(try line(record(ascii("k"), .string(ascii("v")), db: 15, expireAtMs: 1_700_000_000_123))
            == #"{"db":15,"key":"k","type":"string","expire_ms":1700000000123,"value":"v"}"# + "\n")
    }

    @Test func binaryKeyAndValueAreBase64Objects() throws {
        #expect(try line(record([0xFF, 0x00, 0x01], .string([0xC3, 0x28])))
            == #"{"db":0,"key":{"b64":"/wAB"},"type":"string","expire_ms":null,"value":{"b64":"wyg="}}"# + "\n")
    }

    @Test func emptyKeyIsAnEmptyString() throws {
        #expect(try line(record([], .string(ascii("value of the empty key"))))
            == #"{"db":0,"key":"","type":"string","expire_ms":null,"value":"value of the empty key"}"# + "\n")
    }

    @Test func integerEncodedStringsAreDecimalText() throws {
        var list = ByteList()
        list.appendDecimal(-12345)
        list.append(ascii("x"))
        #expect(try line(record(ascii("n"), .list(list)))
            == #"{"db":0,"key":"n","type":"list","expire_ms":null,"value":["-12345","x"]}"# + "\n")
    }

    @Test func recordLargerThanTheSpillSizeIsWrittenWholeAndInOrder() throws {
        let items = (0..<300_000).map { "item-\($0)" }
        let first = try line(record(ascii("big"), .list(ByteList(items.map(ascii)))))
        let expected = #"{"db":0,"key":"big","type":"list","expire_ms":null,"value":["#
            + items.map { "\"\($0)\"" }.joined(separator: ",") + "]}\n"
        #expect(expected.utf8.count > 2 * RecordBuffer.spillSize)
        #expect(first == expected)
    }

    @Test func listKeepsHeadToTailOrder() throws {
        let list = ByteList(["c", "a", "b", "a"].map(ascii))
        #expect(try line(record(ascii("l"), .list(list)))
            == #"{"db":0,"key":"l","type":"list","expire_ms":null,"value":["c","a","b","a"]}"# + "\n")
    }

    @Test func setIsSortedByteWiseShorterFirst() throws {
        let set = ByteList([ascii("b"), ascii("ab"), [0xFF], ascii("a"), [], ascii("B")])
        #expect(try line(record(ascii("s"), .set(set)))
            == #"{"db":0,"key":"s","type":"set","expire_ms":null,"value":["","B","a","ab","b",{"b64":"/w=="}]}"# + "\n")
    }

    @Test func sortedSetIsInZrangeOrderWithInfinityStrings() throws {
        let z = SortedSetValue(members: ByteList(["top", "d", "bottom", "c", "e"].map(ascii)),
                               scores: [.infinity, 1.5, -.infinity, 1.5, 3])
        #expect(try line(record(ascii("z"), .zset(z)))
            == #"{"db":0,"key":"z","type":"zset","expire_ms":null,"value":[["bottom","-inf"],["c",1.5],["d",1.5],["e",3],["top","inf"]]}"# + "\n")
    }

    @Test func hashIsSortedByFieldWithFieldExpiries() throws {
        let h = hash([("b", "2"), ("a", "1"), ("c", "3")], expiries: [nil, 2_000_000_000_123, nil])
        #expect(try line(record(ascii("h"), .hash(h), expireAtMs: 4_102_444_800_000))
            == #"{"db":0,"key":"h","type":"hash","expire_ms":4102444800000,"value":[["a","1",2000000000123],["b","2"],["c","3"]]}"# + "\n")
    }

    @Test func hashWithoutFieldExpiriesHasPairs() throws {
        #expect(try line(record(ascii("h"), .hash(hash([("name", "ada"), ("age", "36")]))))
            == #"{"db":0,"key":"h","type":"hash","expire_ms":null,"value":[["age","36"],["name","ada"]]}"# + "\n")
    }

    @Test func streamHasAllFieldsWithGroupsPELsAndConsumersSorted() throws {
        var s = StreamValue()
        s.entries = [
            StreamEntry(id: id(1_700_000_000_000, 0), fieldsAndValues: ByteList(["f", "v"].map(ascii))),
            StreamEntry(id: id(1_700_000_000_000, 1), fieldsAndValues: ByteList(["f", "v", "g", "w"].map(ascii))),
        ]
        s.length = 2
        s.lastID = id(1_700_000_000_000, 1)
        s.firstID = id(1_700_000_000_000, 0)
        s.maxDeletedID = .zero
        s.entriesAdded = 2
        s.groups = [
            StreamGroup(name: ascii("g2"), lastDeliveredID: id(1_700_000_000_000, 1), entriesRead: UInt64.max,
                        pending: [], consumers: [], nacked: nil),
            StreamGroup(
                name: ascii("g1"), lastDeliveredID: id(1_700_000_000_000, 1), entriesRead: 2,
                pending: [
                    StreamPendingEntry(id: id(1_700_000_000_000, 1), deliveryTimeMs: 1_700_000_000_456, deliveryCount: 3),
                    StreamPendingEntry(id: id(1_700_000_000_000, 0), deliveryTimeMs: 1_700_000_000_123, deliveryCount: 1),
                ],
                consumers: [
                    StreamConsumer(name: ascii("c2"), seenTimeMs: 1_700_000_000_456, activeTimeMs: -1,
                                   pending: [id(1_700_000_000_000, 1)]),
                    StreamConsumer(name: ascii("c1"), seenTimeMs: 1_700_000_000_123, activeTimeMs: 1_700_000_000_123,
                                   pending: [id(1_700_000_000_000, 0)]),
                ],
                nacked: nil),
        ]
        let expected = #"{"db":0,"key":"st","type":"stream","expire_ms":null,"value":{"length":2,"#
            + #""last_id":"1700000000000-1","first_id":"1700000000000-0","max_deleted_id":"0-0","entries_added":2,"#
            + #""entries":[["1700000000000-0",[["f","v"]]],["1700000000000-1",[["f","v"],["g","w"]]]],"#
            + #""groups":[{"name":"g1","last_delivered_id":"1700000000000-1","entries_read":2,"#
            + #""pel":[{"id":"1700000000000-0","consumer":"c1","delivery_time_ms":1700000000123,"delivery_count":1},"#
            + #"{"id":"1700000000000-1","consumer":"c2","delivery_time_ms":1700000000456,"delivery_count":3}],"#
            + #""consumers":[{"name":"c1","seen_time_ms":1700000000123,"active_time_ms":1700000000123,"pel":["1700000000000-0"]},"#
            + #"{"name":"c2","seen_time_ms":1700000000456,"active_time_ms":-1,"pel":["1700000000000-1"]}]},"#
            + #"{"name":"g2","last_delivered_id":"1700000000000-1","entries_read":null,"pel":[],"consumers":[]}]}}"#
            + "\n"
        #expect(try line(record(ascii("st"), .stream(s))) == expected)
    }

    @Test func streamFieldsTheFileLacksAreNull() throws {
        var s = StreamValue()
        s.lastID = id(1_700_000_000_501, 0)
        s.groups = [StreamGroup(
            name: ascii("g"), lastDeliveredID: .zero, entriesRead: nil, pending: [],
            consumers: [StreamConsumer(name: [0xFF], seenTimeMs: 5, activeTimeMs: nil, pending: [])], nacked: nil)]
        #expect(try line(record(ascii("st"), .stream(s)))
            == #"{"db":0,"key":"st","type":"stream","expire_ms":null,"value":{"length":0,"last_id":"1700000000501-0","#
            + #""first_id":null,"max_deleted_id":null,"entries_added":null,"entries":[],"#
            + #""groups":[{"name":"g","last_delivered_id":"0-0","entries_read":null,"pel":[],"#
            + #""consumers":[{"name":{"b64":"/w=="},"seen_time_ms":5,"active_time_ms":null,"pel":[]}]}]}}"# + "\n")
    }

    @Test func pendingEntryOwnedByNoConsumerHasNullConsumer() throws {
        var s = StreamValue()
        s.entries = [StreamEntry(id: id(1, 0), fieldsAndValues: ByteList(["f", "v"].map(ascii)))]
        s.length = 1
        s.lastID = id(1, 0)
        s.groups = [StreamGroup(
            name: ascii("g"), lastDeliveredID: id(1, 0), entriesRead: 1,
            pending: [StreamPendingEntry(id: id(1, 0), deliveryTimeMs: 9, deliveryCount: 2)],
            consumers: [], nacked: [id(1, 0)])]
        let text = try line(record(ascii("st"), .stream(s)))
        #expect(text.contains(#""pel":[{"id":"1-0","consumer":null,"delivery_time_ms":9,"delivery_count":2}],"consumers":[]"#))
    }

    @Test func moduleValueHasNameEncodingVersionAndPayload() throws {
        // "MyModType" packed with encoding version 5.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let id = "MyModType".reduce(UInt64(0)) { $0 << 6 | UInt64(alphabet.firstIndex(of: $1) ?? 0) } << 10 | 5
        let m = ModuleValue(moduleID: id, payload: [0x02, 0x05, 0x00])
        #expect(try line(record(ascii("m"), .module(m)))
            == #"{"db":0,"key":"m","type":"module","expire_ms":null,"value":{"module":"MyModType","encver":5,"payload_b64":"AgUA"}}"# + "\n")
    }

    @Test func arrayValueListsIndexValuePairs() throws {
        var a = ArrayValue()
        a.elements = [(0, .bytes(ascii("zero"))), (7, .integer(-3)), (UInt64.max, .double(2.5))]
        #expect(try line(record(ascii("a"), .array(a)))
            == #"{"db":0,"key":"a","type":"array","expire_ms":null,"value":[[0,"zero"],[7,-3],[18446744073709551615,2.5]]}"# + "\n")
    }

    @Test func functionRecordHasLibraryEngineAndCode() throws {
        let code = "#!lua name=mylib\nredis.register_function('f', function() return 1 end)\n"
        #expect(try dump([], libraries: [FunctionLibrary(code: Array(code.utf8))])
            == ##"{"type":"function","library":"mylib","engine":"LUA","code":"#!lua name=mylib\nredis.register_function('f', function() return 1 end)\n"}"## + "\n")
    }

    @Test func functionWithoutShebangHasNullNames() throws {
        #expect(try dump([], libraries: [FunctionLibrary(code: ascii("return 1"))])
            == #"{"type":"function","library":null,"engine":null,"code":"return 1"}"# + "\n")
    }

    @Test func metadataFollowsTheValue() throws {
        let m = RecordMetadata(encoding: .listpack, typeByte: 16, lruIdleSeconds: 42, lfuFreq: nil, offset: 9, serializedBytes: 30)
        #expect(try line(record(ascii("k"), .string(ascii("v")), metadata: m), withMetadata: true)
            == #"{"db":0,"key":"k","type":"string","expire_ms":null,"value":"v","encoding":"listpack","lru_idle_s":42,"offset":9,"serialized_bytes":30}"# + "\n")
        let f = RecordMetadata(encoding: .int, typeByte: 0, lfuFreq: 7, offset: 100, serializedBytes: 5)
        #expect(try line(record(ascii("k"), .string(ascii("1")), metadata: f), withMetadata: true)
            == #"{"db":0,"key":"k","type":"string","expire_ms":null,"value":"1","encoding":"int","lfu_freq":7,"offset":100,"serialized_bytes":5}"# + "\n")
    }

    @Test func metadataIsAbsentByDefault() throws {
        let m = RecordMetadata(encoding: .listpack, typeByte: 16, lruIdleSeconds: 42, offset: 9, serializedBytes: 30)
        #expect(try !line(record(ascii("k"), .string(ascii("v")), metadata: m)).contains("encoding"))
    }

    @Test func jsonFramingIsOneArrayOfTheSameObjects() throws {
        let records = [record(ascii("a"), .string(ascii("1"))), record(ascii("b"), .string(ascii("2")))]
        let a: String = #"{"db":0,"key":"a","type":"string","expire_ms":null,"value":"1"}"#
        let b: String = #"{"db":0,"key":"b","type":"string","expire_ms":null,"value":"2"}"#
        let f: String = ##"{"type":"function","library":"l","engine":"LUA","code":"#!lua name=l\n"}"##
        #expect(try dump(records, libraries: [FunctionLibrary(code: ascii("#!lua name=l\n"))], framing: .array)
            == "[\n" + a + ",\n" + b + ",\n" + f + "\n]\n")
    }

    @Test func jsonFramingOfNothingIsAnEmptyArray() throws {
        #expect(try dump([], framing: .array) == "[\n]\n")
    }

    @Test func linesFramingOfNothingIsEmpty() throws {
        #expect(try dump([]) == "")
    }
}
