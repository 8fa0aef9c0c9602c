// Software prefetch for the sparse kernels: Swift has no prefetch of its own, and an inline C
// function imported through Clang is inlined into the Swift caller as one instruction.
#pragma once

/// Asks for the cache line holding `address` to be brought into L1 (prefetcht0); never faults.
static inline __attribute__((always_inline)) void psn_prefetch(const void *address) {
  __builtin_prefetch(address, 0, 3);
}
