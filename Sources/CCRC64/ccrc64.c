/* CRC-64 (Jones polynomial, reflected) by carry-less multiplication: 16-byte blocks folded
 * four at a time with PCLMULQDQ (Intel, "Fast CRC Computation for Generic Polynomials Using
 * PCLMULQDQ"), several times the slicing-by-16 tables' rate. The caller (RDBKit's CRC64)
 * finishes with its tables and keeps them for CPUs without the instruction. */
#include "ccrc64.h"

#if defined(__x86_64__)
#include <immintrin.h>

/* x^k mod P for the Jones polynomial, bit-reflected (bit i holds the coefficient of x^(63-i)).
 * A reflected 64x64 carry-less product lands one bit short of the 128-bit frame, so the
 * folding constants are x^(d-1) mod P for a distance of d bits. */
static uint64_t xpow_mod_reflected(int k) {
    const uint64_t p = 0xAD93D23594C935A9ULL; /* normal form, x^64 implied */
    uint64_t r = 1;
    for (int i = 0; i < k; i++) r = (r << 1) ^ ((r >> 63) ? p : 0);
    uint64_t out = 0;
    for (int i = 0; i < 64; i++) if (r >> i & 1) out |= 1ULL << (63 - i);
    return out;
}

static uint64_t k127, k191, k511, k575;
static int available;

__attribute__((constructor)) static void rdb_crc64_init(void) {
    __builtin_cpu_init();
    available = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
    k127 = xpow_mod_reflected(127);
    k191 = xpow_mod_reflected(191);
    k511 = xpow_mod_reflected(511);
    k575 = xpow_mod_reflected(575);
}

int rdb_crc64_clmul_available(void) { return available; }

__attribute__((target("pclmul,sse4.1")))
static inline __m128i fold(__m128i x, __m128i k, __m128i next) {
    return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11)), next);
}

__attribute__((target("pclmul,sse4.1")))
size_t rdb_crc64_clmul_fold(uint64_t crc, const uint8_t *p, size_t n, uint64_t out[2]) {
    size_t blocks = n / 16;
    if (blocks == 0) return 0;
    const __m128i k1 = _mm_set_epi64x((long long)k127, (long long)k191);
    __m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)p), _mm_set_epi64x(0, (long long)crc));
    size_t i = 1;
    if (blocks >= 8) {
        const __m128i k4 = _mm_set_epi64x((long long)k511, (long long)k575);
        __m128i x1 = _mm_loadu_si128((const __m128i *)(p + 16));
        __m128i x2 = _mm_loadu_si128((const __m128i *)(p + 32));
        __m128i x3 = _mm_loadu_si128((const __m128i *)(p + 48));
        for (i = 4; i + 4 <= blocks; i += 4) {
            const uint8_t *q = p + 16 * i;
            x = fold(x, k4, _mm_loadu_si128((const __m128i *)q));
            x1 = fold(x1, k4, _mm_loadu_si128((const __m128i *)(q + 16)));
            x2 = fold(x2, k4, _mm_loadu_si128((const __m128i *)(q + 32)));
            x3 = fold(x3, k4, _mm_loadu_si128((const __m128i *)(q + 48)));
        }
        x = fold(x, k1, x1);
        x = fold(x, k1, x2);
        x = fold(x, k1, x3);
    }
    for (; i < blocks; i++) x = fold(x, k1, _mm_loadu_si128((const __m128i *)(p + 16 * i)));
    /* The CRC is x * x^64 mod P, x = lane0 * x^64 + lane1: lane0 * x^128 (by k127) plus
     * lane1 * x^64 (lane1 moved up) leaves 128 bits, whose low-address half the caller
     * reduces as 8 more bytes and whose other half it adds. */
    __m128i t = _mm_clmulepi64_si128(x, k1, 0x10);  /* lane0 * k127 */
    t = _mm_xor_si128(t, _mm_srli_si128(x, 8));
    out[0] = (uint64_t)_mm_cvtsi128_si64(t);
    out[1] = (uint64_t)_mm_extract_epi64(t, 1);
    return blocks * 16;
}
#else
int rdb_crc64_clmul_available(void) { return 0; }
size_t rdb_crc64_clmul_fold(uint64_t crc, const uint8_t *p, size_t n, uint64_t out[2]) { (void)crc; (void)p; (void)n; (void)out; return 0; }
#endif
