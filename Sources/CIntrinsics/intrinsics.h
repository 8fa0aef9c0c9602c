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
