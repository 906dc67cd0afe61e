import Testing
@testable import RDBKit

@Suite struct AOFLogWriterTests {
    func render(_ c: AOFCommand, _ format: AOFLogWriter.Format) throws -> String {
        let out = OutputBuffer()
        let w = AOFLogWriter(output: out, format: format)
        try w.write(c)
        try w.finish()
        return String(decoding: out.bytes, as: UTF8.self)
    }

    let set = AOFCommand(arguments: ByteList([Array("SET".utf8), Array("k\"ey".utf8), [0xFF, 0x0A]]),
                         file: "appendonly.aof.1.incr.aof", offset: 120, byteCount: 30, db: 3, timeSeconds: 1_795_477_222, index: 7)

    @Test func textLinesAreTimeDatabaseAndRedisCLIQuotedArguments() throws {
        #expect(try render(set, .text) == "2026-11-23T23:40:22Z 3 \"SET\" \"k\\\"ey\" \"\\xff\\n\"\n")
    }

    @Test func commandsBeforeAnyAnnotationHaveADash() throws {
        var c = set
        c.timeSeconds = nil
        #expect(try render(c, .text).hasPrefix("- 3 "))
    }

    @Test func jsonlLinesCarryPlaceAndBytesByTheContract() throws {
        #expect(try render(set, .jsonl) == #"{"file":"appendonly.aof.1.incr.aof","offset":120,"index":7,"db":3,"time_ms":1795477222000,"args":["SET","k\"ey",{"b64":"/wo="}]}"# + "\n")
    }
}
