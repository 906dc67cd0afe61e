import Testing
@testable import RDBKit

@Suite struct LZFCompressorTests {
    func roundTrip(_ input: [UInt8]) throws -> [UInt8]? {
        var c = LZFCompressor()
        guard let packed = input.withUnsafeBytes({ c.compress($0, budget: input.count - 4) }) else { return nil }
        var out: [UInt8] = []
        try packed.withUnsafeBytes { try LZF.decompress($0, expected: input.count, into: &out) }
        #expect(out == input)
        return packed
    }

    @Test func repeatedTextCompressesAndDecompressesExactly() throws {
        let packed = try #require(try roundTrip(Array("hello world, hello world, hello!".utf8)))
        #expect(packed.count < 28)
    }

    @Test func aRunUsesOverlappingBackReferences() throws {
        // Redis writes 40 × "a" in 9 bytes (format.md §4.3).
        let packed = try #require(try roundTrip([UInt8](repeating: 0x61, count: 40)))
        #expect(packed.count <= 9)
    }

    @Test func longInputsUseLongReferencesAndFarDistances() throws {
        var input: [UInt8] = []
        var x: UInt32 = 12345
        for _ in 0..<3000 { x = x &* 1_103_515_245 &+ 12345; input.append(UInt8(truncatingIfNeeded: x >> 16)) }
        input += input + [UInt8](repeating: 7, count: 1000) + input.prefix(500)
        _ = try #require(try roundTrip(input))
    }

    @Test func incompressibleInputIsRefused() throws {
        var input: [UInt8] = []
        var x: UInt64 = 88172645463325252
        for _ in 0..<1024 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; input.append(UInt8(truncatingIfNeeded: x)) }
        #expect(try roundTrip(input) == nil)
    }

    @Test func theCompressorIsReusableAcrossInputs() throws {
        var c = LZFCompressor()
        let a = Array(String(repeating: "abcabcabc", count: 10).utf8)
        let b = Array(String(repeating: "xyzxyzxyz", count: 10).utf8)
        for input in [a, b, a] {
            let packed = try #require(input.withUnsafeBytes { c.compress($0, budget: input.count - 4) })
            var out: [UInt8] = []
            try packed.withUnsafeBytes { try LZF.decompress($0, expected: input.count, into: &out) }
            #expect(out == input)
        }
    }
}
