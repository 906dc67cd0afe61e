import Testing
@testable import RDBKit

@Suite struct ListpackTests {
    func elements(_ bytes: [UInt8]) throws -> [String] { try packedElements(bytes, kind: "listpack", ListpackIterator.init) }

    /// Wraps entries (each with its back-length) into a listpack with a correct header.
    func listpack(_ entries: String, count: Int) -> [UInt8] {
        let body = hex(entries)
        let total = UInt32(6 + body.count + 1)
        return withUnsafeBytes(of: total.littleEndian, Array.init) + withUnsafeBytes(of: UInt16(count).littleEndian, Array.init) + body + [0xFF]
    }

    @Test func smallestListpackIsEmpty() throws {
        #expect(try elements(hex("07 00 00 00 00 00 FF")) == [])
    }

    @Test func integerEncodingsOfEveryWidth() throws {
        let lp = listpack("05 01  DF FF 02  F1 FF 7F 03  F2 00 00 80 04  F3 FF FF FF 7F 05  F4 00 00 00 00 00 00 00 80 09", count: 6)
        #expect(try elements(lp) == ["5", "-1", "32767", "-8388608", "2147483647", "-9223372036854775808"])
    }

    @Test func twelveBitStringLength() throws {
        let s = String(repeating: "61 ", count: 100)
        #expect(try elements(listpack("E0 64 " + s + "66", count: 1)) == [String(repeating: "a", count: 100)])
    }

    @Test func wrongTotalBytesIsRejectedAtTheHeader() {
        #expect { try elements(hex("08 00 00 00 00 00 FF")) } throws: {
            guard let e = $0 as? RDBError else { return false }
            return e.kind == .structural && e.offset == 100
        }
    }

    @Test func wrongCountIsRejected() {
        #expect { try elements(listpack("05 01", count: 2)) } throws: { ($0 as? RDBError)?.kind == .structural }
    }

    @Test func countOf65535MeansUnknown() throws {
        #expect(try elements(listpack("05 01 06 01", count: 65535)) == ["5", "6"])
    }

    @Test func wrongBackLengthIsRejected() {
        #expect { try elements(listpack("05 02", count: 1)) } throws: { ($0 as? RDBError)?.kind == .structural }
    }

    @Test func entryRunningIntoTheTerminatorIsRejected() {
        #expect { try elements(listpack("85 61", count: 1)) } throws: { ($0 as? RDBError)?.kind == .structural }
    }

    @Test func invalidEncodingByteIsRejected() {
        #expect { try elements(listpack("F5 01", count: 1)) } throws: { ($0 as? RDBError)?.kind == .structural }
    }
}
