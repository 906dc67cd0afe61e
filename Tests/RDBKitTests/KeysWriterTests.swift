import Testing
@testable import RDBKit

private func keys(of records: [KeyRecord], libraries: [FunctionLibrary] = []) throws -> String {
    let out = OutputBuffer()
    let writer = KeysWriter(output: out)
    try writer.begin()
    for l in libraries { try writer.write(l) }
    for r in records { try writer.write(r) }
    try writer.finish()
    return String(decoding: out.bytes, as: UTF8.self)
}

private func record(_ key: [UInt8], db: Int = 0) -> KeyRecord {
    KeyRecord(db: db, key: key, value: .string(ascii("v")), expireAtMs: nil,
              metadata: RecordMetadata(encoding: .raw, typeByte: 0))
}

@Suite struct KeysWriterTests {
    @Test func oneQuotedKeyPerLineInFileOrder() throws {
        #expect(try keys(of: [record(ascii("user:2")), record(ascii("user:1"), db: 3)]) == "\"user:2\"\n\"user:1\"\n")
    }

    @Test func binaryAndMultilineKeysAreEscapedOntoOneLine() throws {
        #expect(try keys(of: [record([0xFF, 0x00]), record(ascii("a\nb \"q\""))])
            == #""\xff\x00""# + "\n" + #""a\nb \"q\"""# + "\n")
    }

    @Test func emptyKeyIsAnEmptyQuotedString() throws {
        #expect(try keys(of: [record([])]) == "\"\"\n")
    }

    @Test func functionLibrariesAreNotKeys() throws {
        #expect(try keys(of: [], libraries: [FunctionLibrary(code: ascii("#!lua name=l\n"))]) == "")
    }
}
