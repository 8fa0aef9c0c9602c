// The few CPU instructions the kernels need that Swift cannot name. Inline C functions imported
// through Clang are inlined into the Swift caller as the instruction itself.
#pragma once
#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

/// Asks for the cache line holding `address` to be brought into L1 (prefetcht0); never faults.
static inline __attribute__((always_inline)) void psn_prefetch(const void *address) {
  __builtin_prefetch(address, 0, 3);
}

#if defined(__AVX512F__)
#include <immintrin.h>
/// 16 floats, imported into Swift as SIMD16<Float>.
typedef float psn_float16 __attribute__((ext_vector_type(16)));

typedef float psn_float4 __attribute__((ext_vector_type(4)));

/// `v` unchanged, through an empty asm statement the optimizer cannot see into (no instruction).
/// Without it LLVM moves the shuffles of a reduction into the FMAs that feed it and splits them
/// into 4-lane instructions (measured: the SDDMM at 12–22 GFLOP/s instead of 54).
static inline __attribute__((always_inline)) psn_float16 psn_opaque16(psn_float16 v) {
  __asm__("" : "+v"(v));
  return v;
}

/// The lane sums of four 16-float vectors (a, b, c, d) in one tree of unpacks, shuffles and
/// adds: 12 instructions for four sums instead of 8 for one. Each sum's order depends only on
/// its own vector, not on the other three (lanes i and i+2 of each 128-bit quarter first, then
/// the pairs, then quarters 0+2 and 1+3, then the two halves), so a vector summed beside any
/// others gives the same bits.
static inline __attribute__((always_inline)) psn_float4
psn_lane_sums4(psn_float16 a, psn_float16 b, psn_float16 c, psn_float16 d) {
  a = psn_opaque16(a);
  b = psn_opaque16(b);
  c = psn_opaque16(c);
  d = psn_opaque16(d);
  __m512 ab = _mm512_add_ps(_mm512_unpacklo_ps((__m512)a, (__m512)b), _mm512_unpackhi_ps((__m512)a, (__m512)b));
  __m512 cd = _mm512_add_ps(_mm512_unpacklo_ps((__m512)c, (__m512)d), _mm512_unpackhi_ps((__m512)c, (__m512)d));
  __m512 r = _mm512_add_ps(_mm512_shuffle_ps(ab, cd, 0x44), _mm512_shuffle_ps(ab, cd, 0xEE));
  __m256 h = _mm256_add_ps(_mm512_castps512_ps256(r), _mm512_extractf32x8_ps(r, 1));
  return (psn_float4)_mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
}
#endif

#include <stdint.h>
#if defined(__AVX2__)
#include <immintrin.h>

/// b / 255 for eight bytes already widened to floats, without a division: q = b·(1/255), then
/// one Newton step on the residual, q + (b − 255·q)·(1/255), each with one rounding (FMA).
/// Equals IEEE b / 255 for every byte (KernelTests checks all 256).
static inline __attribute__((always_inline)) __m256 psn_divide_by_255(__m256 b) {
  const __m256 r = _mm256_set1_ps(1.0f / 255.0f);
  __m256 q = _mm256_mul_ps(b, r);
  __m256 residual = _mm256_fnmadd_ps(q, _mm256_set1_ps(255.0f), b);
  return _mm256_fmadd_ps(residual, r, q);
}
#endif

/// Gathers 16 samples' pixel bytes into 16 columns of a feature-major float matrix:
/// dst[i·stride + k] = base[indices[k]·featureCount + i] / 255 for k < 16, i < featureCount.
///
/// Per 16 features: 16 row loads of 16 bytes, a 16 × 16 byte transpose in four rounds of
/// unpacks (bytes, then pairs, quads, eights: after round r each lane group holds 2^r samples
/// of one feature), then each feature's 16 bytes widened to floats and stored as one 64-byte
/// destination row segment. Written in C because LLVM turned the same transpose written with
/// Swift SIMD types into one byte insert per element (measured: 30 µs a 128-sample batch).
static inline void psn_gather_bytes16(
    const uint8_t *base, long featureCount, const int32_t *indices, float *dst, long stride) {
  long i = 0;
#if defined(__AVX2__)
  for (; i + 16 <= featureCount; i += 16) {
    __m128i a[16], b[16], c[16], d[16];
    for (int k = 0; k < 16; k++)
      a[k] = _mm_loadu_si128((const __m128i *)(base + (long)indices[k] * featureCount + i));
    // b[8h + k]: 16-bit lane j = feature 8h + j of samples 2k, 2k + 1.
    for (int k = 0; k < 8; k++) {
      b[k] = _mm_unpacklo_epi8(a[2 * k], a[2 * k + 1]);
      b[8 + k] = _mm_unpackhi_epi8(a[2 * k], a[2 * k + 1]);
    }
    // c[8h + 4q + k]: 32-bit lane j = feature 8h + 4q + j of samples 4k … 4k + 3.
    for (int h = 0; h < 2; h++)
      for (int k = 0; k < 4; k++) {
        c[8 * h + k] = _mm_unpacklo_epi16(b[8 * h + 2 * k], b[8 * h + 2 * k + 1]);
        c[8 * h + 4 + k] = _mm_unpackhi_epi16(b[8 * h + 2 * k], b[8 * h + 2 * k + 1]);
      }
    // d[8h + 4q + 2m + s]: 64-bit lane j = feature 8h + 4q + 2s + j of samples 8m … 8m + 7.
    for (int g = 0; g < 16; g += 4)
      for (int m = 0; m < 2; m++) {
        d[g + 2 * m] = _mm_unpacklo_epi32(c[g + 2 * m], c[g + 2 * m + 1]);
        d[g + 2 * m + 1] = _mm_unpackhi_epi32(c[g + 2 * m], c[g + 2 * m + 1]);
      }
    for (int g = 0; g < 16; g += 4)
      for (int s = 0; s < 2; s++)
        for (int j = 0; j < 2; j++) {
          __m128i e = j == 0 ? _mm_unpacklo_epi64(d[g + s], d[g + 2 + s]) : _mm_unpackhi_epi64(d[g + s], d[g + 2 + s]);
          float *row = dst + (i + g + 2 * s + j) * stride;
          __m256 lo = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(e));
          __m256 hi = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(e, 8)));
          _mm256_storeu_ps(row, psn_divide_by_255(lo));
          _mm256_storeu_ps(row + 8, psn_divide_by_255(hi));
        }
  }
#endif
  for (; i < featureCount; i++)
    for (int k = 0; k < 16; k++)
      dst[i * stride + k] = (float)base[(long)indices[k] * featureCount + i] / 255.0f;
}

/// Asks for the cache line holding `address` to be brought into L2 (prefetcht1): for data the
/// thread will read a step from now, not in the next few hundred cycles.
static inline __attribute__((always_inline)) void psn_prefetch_l2(const void *address) {
  __builtin_prefetch(address, 0, 2);
}

/// This thread's floating-point control word (MXCSR on x86-64; 0 elsewhere).
static inline unsigned psn_float_control(void) {
#if defined(__x86_64__)
  return _mm_getcsr();
#else
  return 0;
#endif
}

/// Sets this thread's floating-point control word (see psn_float_control).
static inline void psn_set_float_control(unsigned control) {
#if defined(__x86_64__)
  _mm_setcsr(control);
#endif
}

/// The control word with denormal results flushed to zero (FTZ, bit 15) and denormal inputs
/// read as zero (DAZ, bit 6).
static inline unsigned psn_flushing_denormals(unsigned control) {
#if defined(__x86_64__)
  return control | 0x8040u;
#else
  return control;
#endif
}

/// Tells the CPU this thread is spinning on a flag (pause on x86-64): saves power and lets the
/// other hyperthread run.
static inline __attribute__((always_inline)) void psn_pause(void) {
#if defined(__x86_64__)
  _mm_pause();
#endif
}
