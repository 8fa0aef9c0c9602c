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
