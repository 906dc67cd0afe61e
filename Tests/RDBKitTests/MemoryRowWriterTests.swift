import Testing
@testable import RDBKit

private func rows(_ format: MemoryRowWriter.Format, _ keys: [KeyStats]) throws -> String {
    let out = OutputBuffer()
    let w = MemoryRowWriter(output: out, format: format)
    w.begin()
    for k in keys { try w.write(k) }
    try w.finish()
    return String(decoding: out.bytes, as: UTF8.self)
}

@Suite struct MemoryRowWriterTests {
    @Test func csvHasRedisRdbToolsColumnsAndTypeNames() throws {
        let z = keyStats("z", type: .zset, elements: 3, longest: 5, memory: 96, encoding: .listpack, expireAtMs: 1_700_000_000_123)
        #expect(try rows(.csv, [z]) == MemoryRowWriter.csvHeader + "0,sortedset,z,96,listpack,3,5,2023-11-14T22:13:20.123Z\n")
    }

    @Test func csvKeysAreEscapedAsInDumpCSV() throws {
        #expect(try rows(.csv, [keyStats("a,b", memory: 64)]) == MemoryRowWriter.csvHeader + "0,string,\"a,b\",64,embstr,1,1,\n")
    }

    @Test func jsonlHasTheEstimatesParts() throws {
        let line = try rows(.jsonl, [keyStats("k", elements: 5, longest: 5, serialized: 9, memory: 88, expireAtMs: 0)])
        #expect(line == #"{"db":0,"key":"k","type":"string","size_in_bytes":88,"key_bytes":32,"value_bytes":32,"expiry_bytes":24,"#
                + #""encoding":"embstr","num_elements":5,"len_largest_element":5,"serialized_bytes":9,"expiry":"1970-01-01T00:00:00.000Z"}"#
                + "\n")
    }

    @Test func keysWithoutAnEstimateHaveNoRow() throws {
        #expect(try rows(.jsonl, [keyStats("k")]) == "")
    }
}
