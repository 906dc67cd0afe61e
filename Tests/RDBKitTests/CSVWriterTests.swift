import Testing
@testable import RDBKit

private func csv(_ records: [KeyRecord], libraries: [FunctionLibrary] = []) throws -> String {
    let out = OutputBuffer()
    let writer = CSVWriter(output: out)
    try writer.begin()
    for l in libraries { try writer.write(l) }
    for r in records { try writer.write(r) }
    try writer.finish()
    return String(decoding: out.bytes, as: UTF8.self)
}

private func record(_ key: [UInt8], _ value: Value = .string(ascii("hello")), db: Int = 0, expireAtMs: Int64? = nil,
                    encoding: Encoding = .raw, serializedBytes: Int64 = 12) -> KeyRecord {
    KeyRecord(db: db, key: key, value: value, expireAtMs: expireAtMs,
              metadata: RecordMetadata(encoding: encoding, typeByte: 0, serializedBytes: serializedBytes))
}

private let header = "db,key,type,encoding,elements,serialized_bytes,expires_at_ms\n"

@Suite struct CSVWriterTests {
    @Test func headerComesFirstEvenWithoutRows() throws {
        #expect(try csv([]) == header)
    }

    @Test func rowHasSizeAndEmptyExpiryWhenPersistent() throws {
        #expect(try csv([record(ascii("user:1"))]) == header + "0,user:1,string,raw,5,12,\n")
    }

    @Test func rowHasAbsoluteExpiryInMs() throws {
        let list = ByteList(["a", "b", "c"].map(ascii))
        #expect(try csv([record(ascii("l"), .list(list), db: 2, expireAtMs: 1_700_000_000_000, encoding: .quicklist2, serializedBytes: 40)])
            == header + "2,l,list,quicklist2,3,40,1700000000000\n")
    }

    @Test func binaryKeyIsWrittenAsRedisCLIEscapesWithoutQuotes() throws {
        #expect(try csv([record([0xFF, 0x61, 0x0A])]) == header + #"0,\xffa\n,string,raw,5,12,"# + "\n")
    }

    @Test func keyWithCommaOrQuoteIsQuotedPerRFC4180() throws {
        #expect(try csv([record(ascii("a,b"))]) == header + #"0,"a,b",string,raw,5,12,"# + "\n")
        // redis-cli renders the quote as \" and CSV then doubles it.
        #expect(try csv([record(ascii("say \"hi\""))]) == header + #"0,"say \""hi\""",string,raw,5,12,"# + "\n")
    }

    @Test func backslashInAKeyIsEscapedAsRedisCLIDoes() throws {
        #expect(try csv([record(ascii("a\\b"))]) == header + #"0,a\\b,string,raw,5,12,"# + "\n")
    }

    @Test func functionLibrariesHaveNoRow() throws {
        #expect(try csv([], libraries: [FunctionLibrary(code: ascii("#!lua name=l\n"))]) == header)
    }
}
