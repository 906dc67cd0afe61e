import Testing
@testable import RDBKit

@Suite struct AOFSummaryTests {
    func summary(_ path: String) throws -> AOFSummary {
        let reader = try AOFReader(path: path, options: .init(rdb: .init(level: .structure)))
        var builder = AOFSummaryBuilder(layout: reader.layout)
        try reader.read { builder.consume($0) }
        return builder.finish(bytesRead: 0)
    }

    @Test func commandsAreCountedByNameDatabaseAndFile() throws {
        let dir = try ScratchDirectory()
        try dir.write("d/a.manifest", "file base.aof seq 1 type b\nfile incr.aof seq 1 type i\n")
        try dir.write("d/base.aof", ascii("#TS:100\r\n") + resp("set", "a", "1") + resp("SELECT", "2") + resp("SET", "b", "2"))
        try dir.write("d/incr.aof", ascii("#TS:105\r\n") + resp("MULTI") + resp("DEL", "a") + resp("EXEC"))
        let s = try summary(dir.path + "/d")
        #expect(s.commands == 6)
        #expect(s.byName.map { String(decoding: $0.name, as: UTF8.self) } == ["SET", "DEL", "EXEC", "MULTI", "SELECT"])
        #expect(s.byName.first?.count == 2)
        #expect(s.byDB == [0: 4, 2: 2])
        #expect(s.transactions == 1)
        #expect(s.files.map(\.commands) == [3, 3])
        #expect(s.firstTimestamp == 100)
        #expect(s.lastTimestamp == 105)
        #expect(s.formatName == "multi-part AOF")
    }

    @Test func anRDBPreambleGetsAnRDBSummary() throws {
        let dir = try ScratchDirectory()
        let path = try dir.write("x.aof", rdbImage(hex("00 01 61 01 31 FE 01 00 01 62 01 32"), magic: "REDIS0009") + resp("SET", "c", "3"))
        let s = try summary(path)
        #expect(s.formatName == "single-file AOF with RDB preamble")
        #expect(s.files.first?.rdb?.totalKeys == 2)
        #expect(s.files.first?.rdb?.databases.keys.sorted() == [0, 1])
        #expect(s.commands == 1)
    }

    @Test(.enabled(if: Paths.sharedPresent)) func theRedis70AOF() throws {
        let s = try summary(Paths.shared + "/corpus/generated/redis-7.0.15/aof")
        #expect(s.commands == 2367)
        #expect(s.byDB == [0: 2355, 1: 7, 15: 5])
        #expect(s.transactions == 5)
        #expect(s.annotations == 3)
        #expect(s.byName.first.map { String(decoding: $0.name, as: UTF8.self) } == "SETBIT")
    }
}
