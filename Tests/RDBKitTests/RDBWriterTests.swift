import Foundation
import Testing
@testable import RDBKit

@Suite struct RDBWriterTests {
    func options(_ version: Int) -> RDBWriter.Options {
        var o = RDBWriter.Options(version: version)
        o.creationTime = 1_700_000_000
        return o
    }

    func record(_ key: String, _ value: Value, db: Int = 0, expire: Int64? = nil, idle: UInt64? = nil, freq: UInt8? = nil) -> KeyRecord {
        KeyRecord(db: db, key: Array(key.utf8), value: value, expireAtMs: expire,
                  metadata: RecordMetadata(encoding: .raw, typeByte: 0, lruIdleSeconds: idle, lfuFreq: freq))
    }

    func written(_ o: RDBWriter.Options, _ body: (RDBWriter) throws -> Void) throws -> [UInt8] {
        let w = try RDBWriter(options: o)
        try body(w)
        try w.finish()
        return w.bytes
    }

    @Test func headerAndAuxFieldsComeAsRedisWritesThem() throws {
        let bytes = try written(options(10)) { _ in }
        let expected = ascii("REDIS0010")
            + [0xFA, 9] + ascii("redis-ver") + [5] + ascii("7.0.0")
            + [0xFA, 10] + ascii("redis-bits") + hex("C0 40")
            + [0xFA, 5] + ascii("ctime") + hex("C2 00 F1 53 65")
            + [0xFA, 8] + ascii("used-mem") + hex("C0 00")
            + [0xFA, 8] + ascii("aof-base") + hex("C0 00")
            + [0xFF]
        #expect(Array(bytes.dropLast(8)) == expected)
        #expect(Array(bytes.suffix(8)) == withUnsafeBytes(of: CRC64.checksum(expected).littleEndian, Array.init))
    }

    @Test func rdb9MarksAnAOFBaseAsAPreamble() throws {
        var o = options(9)
        o.aofBase = true
        let bytes = try written(o) { _ in }
        #expect(bytes.starts(with: ascii("REDIS0009")))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("aof-preamble"))
    }

    @Test func keyAttributesPrecedeTheTypeByteInRedisOrder() throws {
        let bytes = try written(options(10)) { w in
            try w.write(self.record("n", .string(ascii("12345")), expire: 0x0000_01A2_0AD3_2BAC, idle: 5, freq: 4))
        }
        let keyRecord = hex("FE 00  FC AC 2B D3 0A A2 01 00 00  F8 05  F9 04  00 01 6E C1 39 30  FF")
        #expect(Array(bytes.dropLast(8).suffix(keyRecord.count)) == keyRecord)
    }

    @Test func databasesAreSelectedWithTheirDeclaredSizes() throws {
        let bytes = try written(options(10)) { w in
            try w.beginDatabase(15, keys: 1, expires: 0)
            try w.write(self.record("a", .string(ascii("x")), db: 15))
            try w.write(self.record("b", .string(ascii("y")), db: 1))
        }
        let tail = hex("FE 0F FB 01 00  00 01 61 01 78  FE 01  00 01 62 01 79  FF")
        #expect(Array(bytes.dropLast(8).suffix(tail.count)) == tail)
    }

    @Test func whatIsWrittenReadsBackWithAVerifiedChecksum() throws {
        var h = HashValue()
        h.fields = ByteList([ascii("f")])
        h.values = ByteList([ascii("v")])
        let bytes = try written(options(11)) { w in
            try w.write(FunctionLibrary(code: ascii("#!lua name=lib\nreturn 1")))
            try w.write(self.record("h", .hash(h), expire: 4_102_444_800_000))
        }
        let evs = try events(bytes)
        let ks = keys(evs)
        #expect(ks.count == 1)
        #expect(ks.first?.value == .hash(h))
        #expect(ks.first?.expireAtMs == 4_102_444_800_000)
        #expect(ks.first?.metadata.encoding == .listpack)
        guard case .end(let t) = evs.last else { Issue.record("no end"); return }
        #expect(t.status == .ok)
        #expect(evs.contains { if case .function = $0 { true } else { false } })
    }

    @Test func checksumOffWritesEightZeroBytes() throws {
        var o = options(10)
        o.checksum = false
        let bytes = try written(o) { _ in }
        #expect(Array(bytes.suffix(8)) == [0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func emptyCollectionsAreSkippedAndCounted() throws {
        let w = try RDBWriter(options: options(10))
        try w.write(record("l", .list(ByteList())))
        try w.write(record("s", .stream(StreamValue())))
        let summary = try w.finish()
        #expect(summary.skippedEmptyKeys == 1)
        #expect(summary.keys == 1)
    }

    @Test func whatAVersionCannotHoldIsRefusedWithTheKeyOrDroppedWhenLossy() throws {
        var h = HashValue()
        h.fields = ByteList([ascii("f")])
        h.values = ByteList([ascii("v")])
        h.fieldExpiries = [1_700_000_000_000]
        let w = try RDBWriter(options: options(10))
        do {
            try w.write(record("h", .hash(h), db: 3))
            Issue.record("not refused")
        } catch let e as RDBError {
            #expect(e.kind == .unsupportedFeature)
            #expect(e.db == 3)
            #expect(e.key == ascii("h"))
        }
        #expect(throws: RDBError.self) { try RDBWriter(options: self.options(9)).write(FunctionLibrary(code: ascii("#!lua name=x\n"))) }
        var lossy = options(9)
        lossy.lossy = true
        let l = try RDBWriter(options: lossy)
        try l.write(FunctionLibrary(code: ascii("#!lua name=x\n")))
        try l.write(record("h", .hash(h)))
        let summary = try l.finish()
        #expect(summary.dropped == ["function library x dropped", "db 0 key \"h\": hash field expiries dropped"])
        #expect(summary.keys == 1)
    }

    @Test func versionsOutsideNineToTwelveAreRefused() {
        #expect(throws: RDBError.self) { _ = try RDBWriter(options: RDBWriter.Options(version: 8)) }
        #expect(throws: RDBError.self) { _ = try RDBWriter(options: RDBWriter.Options(version: 13)) }
    }

    @Test func aFileTargetAppearsOnlyWhenFinished() throws {
        let dir = try ScratchDirectory()
        let path = dir.path + "/out.rdb"
        let w = try RDBWriter(path: path, options: options(10))
        try w.write(record("a", .string(ascii("1"))))
        #expect(!FileManager.default.fileExists(atPath: path))
        try w.finish()
        #expect(keys(try events(Array(try Data(contentsOf: URL(fileURLWithPath: path))))).count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.rdb"])
    }
}
