#ifndef CCRC64_H
#define CCRC64_H
#include <stddef.h>
#include <stdint.h>

/* Whether this CPU has PCLMULQDQ and SSE4.1 (always 0 off x86-64). */
int rdb_crc64_clmul_available(void);

/* Folds the whole 16-byte blocks of p[0..<n] into 128 bits, starting from CRC `crc`; returns
 * the bytes consumed (0 when n < 16). Then CRC = crc64(0, the 8 bytes of out[0] in little-endian
 * order) ^ out[1], continued over the remaining bytes. */
size_t rdb_crc64_clmul_fold(uint64_t crc, const uint8_t *p, size_t n, uint64_t out[2]);

#endif
