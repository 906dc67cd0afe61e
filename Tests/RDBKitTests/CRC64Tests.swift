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

    @Test func dumpPayloadChecksumMatchesRedisExample() {
        // DUMP of "hello" from Redis 7.0.15 (format.md §6.2).
        #expect(CRC64.checksum(hex("00 05 68 65 6C 6C 6F 0A 00")) == 0x0A20_3465_76DF_7263)
    }
}
