import Testing
@testable import RDBKit

@Suite struct ZiplistTests {
    func elements(_ bytes: [UInt8]) throws -> [String] { try packedElements(bytes, kind: "ziplist", ZiplistIterator.init) }

    let reference = hex("19 00 00 00 11 00 00 00 03 00 00 01 61 03 C0 2C 01 04 05 68 65 6C 6C 6F FF")

    @Test func referenceExampleDecodes() throws {
        #expect(try elements(reference) == ["a", "300", "hello"])
    }

    @Test func immediateAndSmallIntegerEncodings() throws {
        // 0 (F1), 12 (FD), -5 (FE int8), 8388607 (F0 int24)
        let zl = hex("17 00 00 00 11 00 00 00 04 00  00 F1  02 FD  02 FE FB  03 F0 FF FF 7F FF")
        #expect(try elements(zl) == ["0", "12", "-5", "8388607"])
    }

    @Test func emptyZiplistHasTailTen() throws {
        #expect(try elements(hex("0B 00 00 00 0A 00 00 00 00 00 FF")) == [])
    }

    @Test func wrongPrevlenIsRejected() {
        var zl = reference
        zl[13] = 0x02
        #expect { try elements(zl) } throws: { ($0 as? RDBError)?.kind == .structural }
    }

    @Test func wrongTailIsRejected() {
        var zl = reference
        zl[4] = 0x0D
        #expect { try elements(zl) } throws: { ($0 as? RDBError)?.kind == .structural }
    }

    @Test func wrongCountIsRejected() {
        var zl = reference
        zl[8] = 0x04
        #expect { try elements(zl) } throws: { ($0 as? RDBError)?.kind == .structural }
    }
}
