import Testing
@testable import RDBKit

/// A record as the reader gives it with `captureLayout`, for memory model specifications.
func memoryRecord(_ value: Value, key: String = "k", stored: Encoding, blobs: [StoredLayout.Blob] = [],
                  streamNodeIDs: [StreamID] = [], expireAtMs: Int64? = nil) -> KeyRecord {
    KeyRecord(db: 0, key: Array(key.utf8), value: value, expireAtMs: expireAtMs,
              metadata: RecordMetadata(encoding: stored, typeByte: 0),
              layout: blobs.isEmpty ? nil : StoredLayout(blobs: blobs, streamNodeIDs: streamNodeIDs))
}

func byteList(_ s: [String]) -> ByteList { ByteList(s.map { Array($0.utf8) }) }

private func string(_ s: String, key: String = "k", model: MemoryModel = MemoryModel()) -> MemoryEstimate {
    model.estimate(memoryRecord(.string(Array(s.utf8)), key: key, stored: .raw))
}

/// Expected values are what `MEMORY USAGE key SAMPLES 0` answered on redis-server 7.0.15.
@Suite struct MemoryModelTests {
    @Test func aKeyCostsItsDictEntryAndItsSds() {
        let e = string("hello")
        #expect(e.keyBytes == 24 + 8)  // "k": 1-byte header, 1 byte, terminator: 3 -> 8
        #expect(e.total == 64)
    }

    @Test func keySdsHeaderGrowsWithTheKeyLength() {
        #expect(string("v", key: String(repeating: "a", count: 31)).keyBytes == 24 + 48)  // 1 + 31 + 1 = 33
        #expect(string("v", key: String(repeating: "a", count: 32)).keyBytes == 24 + 48)  // 3 + 32 + 1 = 36
    }

    @Test func theEmptyKeyGetsATypeEightHeader() {
        #expect(string("v", key: "").keyBytes == 24 + 8)
    }

    @Test func stringsUpTo44BytesShareOneAllocationWithTheirObject() {
        let e = string(String(repeating: "x", count: 44))
        #expect(e.encoding == .embstr)
        #expect(e.valueBytes == 64)  // 16 + 3 + 44 + 1
    }

    @Test func longerStringsAreAnObjectAndAnSds() {
        let e = string(String(repeating: "x", count: 45))
        #expect(e.encoding == .raw)
        #expect(e.valueBytes == 16 + 64)
        #expect(string(String(repeating: "x", count: 300)).valueBytes == 16 + 320)  // 5 + 300 + 1
    }

    @Test func canonicalIntegersAreIntEncoded() {
        let e = string("12345")
        #expect(e.encoding == .int)
        #expect(e.valueBytes == 16)
        #expect(string("-9223372036854775808").encoding == .int)
        #expect(string("007").encoding == .embstr)
        #expect(string("+5").encoding == .embstr)
        #expect(string("9223372036854775808").encoding == .embstr)
    }

    @Test func sharedIntegersCostOnlyTheKeyButMemoryUsageChargesTheirObject() {
        let e = string("42")
        #expect(e.sharedValue)
        #expect(e.valueBytes == 0)
        #expect(e.total == 32)
        #expect(e.memoryUsageCommand == 48)
    }

    @Test func integersAreNotSharedUnderAnLRUOrLFUMaxmemoryPolicy() {
        let e = string("42", model: MemoryModel(sharedIntegers: false))
        #expect(!e.sharedValue)
        #expect(e.valueBytes == 16)
    }

    @Test func aTTLAddsAnExpiresEntryThatMemoryUsageLeavesOut() {
        let e = MemoryModel().estimate(memoryRecord(.string(Array("v".utf8)), stored: .raw, expireAtMs: 1))
        #expect(e.expiryBytes == 24)
        #expect(e.total == 24 + 8 + 32 + 24)
        #expect(e.memoryUsageCommand == 64)
    }

    @Test func emptyCollectionsCostNothingAsTheServerDropsThem() {
        let e = MemoryModel().estimate(memoryRecord(.list(ByteList()), stored: .quicklist2))
        #expect(e.total == 0)
    }

    @Test func modulesAreSizedByTheirSerializedPayload() {
        var r = memoryRecord(.module(ModuleValue(moduleID: 1, payload: [])), stored: .module)
        r.metadata.serializedBytes = 100
        #expect(MemoryModel().estimate(r).valueBytes == 116)
    }

    @Test func databaseBucketArraysArePowersOfTwoForKeysAndExpires() {
        #expect(MemoryModel.keyspaceBucketBytes(keys: 3_453_484, expires: 1_000_000) == (4_194_304 + 1_048_576) * 8)
        #expect(MemoryModel.keyspaceBucketBytes(keys: 0, expires: 0) == 0)
    }
}
