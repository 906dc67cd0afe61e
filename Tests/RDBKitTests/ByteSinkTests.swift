import Testing
@testable import RDBKit

@Suite struct ByteSinkTests {
    @Test func literalsAndRunTimeTextAppendTheirUTF8() {
        var bytes: [UInt8] = []
        bytes.append("{\"k\":")
        bytes.append(text: "é" + "\u{1F389}")
        bytes.appendDecimal(-12)
        #expect(bytes == Array("{\"k\":é\u{1F389}-12".utf8))
    }

    @Test func everySinkRendersTheSameBytes() {
        var array: [UInt8] = []
        var record = RecordBuffer()
        let out = OutputBuffer()
        var sink = out
        JSONEncoding.appendDouble(2.5, to: &array)
        JSONEncoding.appendDouble(2.5, to: &record)
        JSONEncoding.appendDouble(2.5, to: &sink)
        #expect(array == ascii("2.5"))
        #expect(record.withUnsafeBytes { Array($0) } == array)
        #expect(out.bytes == array)
    }
}
