import Testing
@testable import RDBKit

@Suite struct MurmurHash3Tests {
    @Test(arguments: [
        ("", UInt64(0), UInt64(0)),
        ("hello", 0xCBD8_A7B3_41BD_9B02, 0x5B1E_906A_48AE_1D19),
        ("The quick brown fox jumps over the lazy dog", 0xE34B_BC7B_BC07_1B6C, 0x7A43_3CA9_C49A_9347),
    ])
    func matchesTheReferenceImplementation(text: String, h1: UInt64, h2: UInt64) {
        #expect(MurmurHash3.hash(ascii(text)) == MurmurHash3.Digest(h1: h1, h2: h2))
    }

    @Test func tailOfFifteenBytesUsesBothHalves() {
        // 31 bytes: one block and a 15-byte tail.
        #expect(MurmurHash3.hash((0..<31).map { UInt8($0) }) == MurmurHash3.Digest(h1: 0x053D_D3E1_A32C_D094, h2: 0x9EE5_9AEF_B400_5490))
    }
}
