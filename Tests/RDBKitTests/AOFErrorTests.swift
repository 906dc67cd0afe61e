import Testing
@testable import RDBKit

@Suite struct AOFErrorTests {
    @Test func aFaultInACommandNamesTheFileOffsetAndCommand() {
        let e = AOFError(.structural, file: "appendonly.aof.1.incr.aof", at: 1962, expected: "'$' starting an argument",
                         found: "\"t\" (0x74)", commandIndex: 40, commandOffset: 1943)
        #expect(e.description == "appendonly.aof.1.incr.aof: structural at offset 1962 (command #41 starting at offset 1943): "
                + "expected '$' starting an argument, found \"t\" (0x74)")
    }

    @Test func aManifestFaultIsPlacedOnALine() {
        let e = AOFError(.manifest, file: "appendonly.aof.manifest", at: 3, expected: "type b, h or i", found: "\"x\"")
        #expect(e.description == "appendonly.aof.manifest: manifest at line 3: expected type b, h or i, found \"x\"")
    }

    @Test func anRDBPartKeepsItsOwnError() {
        let inner = RDBError(.checksumMismatch, at: 100, expected: "CRC-64 0x1", found: "0x2")
        let e = AOFError(rdb: inner, file: "appendonly.aof.2.base.rdb")
        #expect(e.kind == .rdb)
        #expect(e.description == "appendonly.aof.2.base.rdb: RDB part: \(inner)")
    }

    @Test func tailsSayWhatAServerKeeps() {
        let t = AOFTail(kind: .truncated, file: "a.aof", validUpTo: 6008, fileSize: 6044, droppedCommands: 0, zerosFrom: nil)
        #expect(t.description == "a.aof: truncated: the last command is incomplete; the file is whole up to offset 6008 of 6044")
        let z = AOFTail(kind: .zeroPadding, file: "a.aof", validUpTo: 27, fileSize: 4123, droppedCommands: 0, zerosFrom: 27)
        #expect(z.description.hasPrefix("a.aof: zero-filled tail: 4096 bytes from offset 27, all 0x00"))
    }
}
