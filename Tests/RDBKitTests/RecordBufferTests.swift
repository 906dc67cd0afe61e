import Testing
@testable import RDBKit

private func contents(_ b: borrowing RecordBuffer) -> [UInt8] {
    b.withUnsafeBytes { Array($0) }
}

@Suite struct RecordBufferTests {
    @Test func appendsBytesRunsAndDecimals() {
        var b = RecordBuffer()
        b.append(UInt8(ascii: "["))
        ascii("abc").withUnsafeBytes { b.append($0) }
        b.appendDecimal(-9_223_372_036_854_775_808)
        b.appendDecimal(0)
        #expect(contents(b) == ascii("[abc-92233720368547758080"))
    }

    @Test func growsPastItsCapacityKeepingWhatWasWritten() {
        var b = RecordBuffer(capacity: 16)
        let chunk = Array(0..<100).map { UInt8($0) }
        for _ in 0..<50 { chunk.withUnsafeBytes { b.append($0) } }
        for i in 0..<10 { b.append(UInt8(i)) }
        #expect(b.count == 5010)
        #expect(contents(b) == Array([[UInt8]](repeating: chunk, count: 50).joined()) + (0..<10).map { UInt8($0) })
    }

    @Test func emptyInputAppendsNothing() {
        var b = RecordBuffer()
        b.append(UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(b.count == 0)
    }

    @Test func removeAllShrinksOnlyAboveTheLimit() {
        var b = RecordBuffer(capacity: 16)
        [UInt8](repeating: 7, count: 1000).withUnsafeBytes { b.append($0) }
        let grown = b.capacity
        b.removeAll(shrinkingAbove: 1 << 20)
        #expect(b.count == 0 && b.capacity == grown)
        [UInt8](repeating: 7, count: 1000).withUnsafeBytes { b.append($0) }
        b.removeAll(shrinkingAbove: 100)
        #expect(b.count == 0 && b.capacity < grown)
    }
}
