import Testing
@testable import RDBKit

@Suite struct CRC64Tests {
    @Test func checkValueOfTheStandardInputMatchesRedis() {
        #expect(CRC64.checksum(ascii("123456789")) == 0xE9C6_D914_C4B8_D9CA)
    }

    @Test func emptyInputHasChecksumZero() {
        #expect(CRC64.checksum([UInt8]()) == 0)
    }

    @Test func tableEntriesMatchFormatReference() {
        #expect(CRC64.tables[1] == 0x7AD8_70C8_3035_8979)
        #expect(CRC64.tables[2] == 0xF5B0_E190_606B_12F2)
        #expect(CRC64.tables[3] == 0x8F68_9158_505E_9B8B)
        #expect(CRC64.tables[128] == 0x95AC_9329_AC4B_C9B5)
        #expect(CRC64.tables[255] == 0x29B7_D047_EFEC_8728)
    }

    @Test func incrementalUpdatesEqualOneShot() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let a = data[..<split].withUnsafeBytes { CRC64.update(0, $0) }
            let b = data[split...].withUnsafeBytes { CRC64.update(a, $0) }
            #expect(b == CRC64.checksum(data))
        }
    }

    /// `update` folds by carry-less multiplication where the CPU has it (this machine's does);
    /// whatever the length, alignment and starting CRC, it must equal the tables' result.
    @Test func carrylessMultiplyAndTablesAgreeOnEveryLengthAndAlignment() {
        let data = (0..<5000).map { UInt8(truncatingIfNeeded: ($0 &* 131 &+ 7) ^ ($0 >> 5)) }
        let lengths = Array(0...300) + [511, 512, 513, 1023, 1024, 1025, 4095, 4096, 4097, 4983]
        data.withUnsafeBytes { all in
            for offset in 0..<17 {
                for n in lengths {
                    let p = UnsafeRawBufferPointer(rebasing: all[offset..<offset + n])
                    let seed = UInt64(n) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(offset)
                    #expect(CRC64.update(seed, p) == CRC64.updateWithTables(seed, p), "offset \(offset), length \(n)")
                }
            }
        }
    }

    @Test func dumpPayloadChecksumMatchesRedisExample() {
        // DUMP of "hello" from Redis 7.0.15 (format.md §6.2).
        #expect(CRC64.checksum(hex("00 05 68 65 6C 6C 6F 0A 00")) == 0x0A20_3465_76DF_7263)
    }
}
