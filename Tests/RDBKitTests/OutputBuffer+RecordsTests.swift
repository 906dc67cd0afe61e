import Testing
@testable import RDBKit

@Suite struct OutputBufferRecordsTests {
    @Test func recordIsAppendedAndTheBufferEmptiedForTheNext() throws {
        let out = OutputBuffer()
        var record = RecordBuffer()
        record.append("first\n")
        try out.appendRecord(&record)
        #expect(record.count == 0)
        record.append("second\n")
        try out.appendRecord(&record)
        #expect(out.bytes == ascii("first\nsecond\n"))
    }

    @Test func aHugeRecordDoesNotPinItsMemory() throws {
        let out = OutputBuffer()
        var record = RecordBuffer()
        [UInt8](repeating: 0x61, count: 5 << 20).withUnsafeBytes { record.append($0) }
        try out.appendRecord(&record)
        #expect(record.capacity < 5 << 20)
        #expect(out.bytes.count == 5 << 20)
    }

    @Test func aSpillingRecordLeavesEarlyAndKeepsItsBufferSmall() throws {
        let out = OutputBuffer()
        var record = RecordBuffer()
        record.spillTarget = out
        let chunk = [UInt8](repeating: 0x61, count: 1 << 10)
        for _ in 0..<(3 << 10) {
            chunk.withUnsafeBytes { record.append($0) }
            record.spillIfLarge()
        }
        #expect(record.capacity < 2 * RecordBuffer.spillSize)
        try record.throwSpillError()
        try out.appendRecord(&record)
        #expect(out.bytes.count == 3 << 20)
    }
}
