import Testing
@testable import RDBKit

@Suite struct DuplicateFinderTests {
    /// Appends `elements` one at a time, as the decoders do, and returns the first repeat found
    /// as (its index, the earlier index).
    private func firstRepeat(_ elements: [[UInt8]]) -> (Int, Int)? {
        var finder = DuplicateFinder()
        finder.reset()
        var list = ByteList()
        for (i, e) in elements.enumerated() {
            list.append(e)
            if let j = finder.insert(i, of: list) { return (i, j) }
        }
        return nil
    }

    @Test func elementsOfEveryShortLengthDifferingInTheLastByteAreDistinct() {
        // The hash reads a short tail in one or two loads; every byte must still count.
        for length in 1...17 {
            let elements = (0..<20).map { k in [UInt8](repeating: 0x61, count: length - 1) + [UInt8(k)] }
            #expect(firstRepeat(elements) == nil, "length \(length)")
        }
    }

    @Test func aRepeatOfEveryShortLengthIsFoundWithItsFirstIndex() {
        for length in 1...17 {
            let elements = (0..<20).map { k in [UInt8](repeating: UInt8(k), count: length) }
            #expect(firstRepeat(elements + [elements[3]]) ?? (0, 0) == (20, 3), "length \(length)")
        }
    }

    @Test func theEmptyElementIsFoundAgain() {
        #expect(firstRepeat([ascii("a"), [], ascii("b"), []]) ?? (0, 0) == (3, 1))
    }

    @Test func repeatsAreFoundAfterTheTableGrows() {
        let elements = (0..<1000).map { ascii("field:\($0)") }
        #expect(firstRepeat(elements) == nil)
        #expect(firstRepeat(elements + [ascii("field:999")]) ?? (0, 0) == (1000, 999))
    }
}
