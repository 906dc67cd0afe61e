import Testing
@testable import RDBKit

@Suite struct LZFTests {
    func decompress(_ input: [UInt8], _ expected: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: input.count, alignment: 1)
        defer { copy.deallocate() }
        copy.copyBytes(from: input)
        try LZF.decompress(UnsafeRawBufferPointer(copy), expected: expected, into: &out)
        return out
    }

    @Test func longBackReferenceCopiesFromEarlierOutput() throws {
        let input = hex("0D 68 65 6C 6C 6F 20 77 6F 72 6C 64 2C 20 68 E0 07 0C 01 6F 21")
        #expect(try decompress(input, 32) == ascii("hello world, hello world, hello!"))
    }

    @Test func overlappingReferenceRepeatsTheLastByte() throws {
        #expect(try decompress(hex("01 61 61 E0 1B 00 01 61 61"), 40) == Array(repeating: UInt8(ascii: "a"), count: 40))
    }

    @Test func shortBackReference() throws {
        #expect(try decompress(hex("01 61 62 40 01"), 6) == ascii("ababab"))
    }

    @Test func referenceBeforeTheStartIsRejected() {
        #expect(throws: LZF.Failure.backReferenceBeforeStart(at: 2, distance: 3, produced: 1)) {
            _ = try decompress(hex("00 61 20 02"), 4)
        }
    }

    @Test func outputLongerThanStatedIsRejected() {
        #expect(throws: LZF.Failure.outputOverrun(at: 0)) { _ = try decompress(hex("02 61 62 63"), 2) }
    }

    @Test func outputShorterThanStatedIsRejected() {
        #expect(throws: LZF.Failure.lengthMismatch(produced: 3)) { _ = try decompress(hex("02 61 62 63"), 4) }
    }

    @Test func literalRunPastTheInputIsRejected() {
        #expect(throws: LZF.Failure.inputOverrun(at: 0)) { _ = try decompress(hex("05 61 62"), 6) }
    }
}
