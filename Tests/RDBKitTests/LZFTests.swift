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

    @Test func referencesAtEveryDistanceAndRunsAtTheEndDecodeByteForByte() throws {
        // Literal runs and references of every length, at distances under and over eight
        // (copied byte by byte and by words), ending at the output's last byte.
        var input: [UInt8] = [0x07] + ascii("abcdefgh")
        var expected = ascii("abcdefgh")
        for distance in 1...12 {
            for len in [3, 8, 9, 17, 264] {
                let l = len - 2
                let d = distance - 1
                input += l < 7 ? [UInt8(l << 5 | d >> 8), UInt8(d & 0xFF)] : [UInt8(7 << 5 | d >> 8), UInt8(l - 7), UInt8(d & 0xFF)]
                for _ in 0..<len { expected.append(expected[expected.count - distance]) }
            }
            let run = (0...distance).map { UInt8(0x30 + $0) }
            input += [UInt8(run.count - 1)] + run
            expected += run
        }
        #expect(try decompress(input, expected.count) == expected)
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
