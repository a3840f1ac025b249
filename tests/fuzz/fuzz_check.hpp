// SPDX-License-Identifier: Apache-2.0
// The one assertion the fuzz targets use: a broken invariant aborts, so libFuzzer records
// the input as a crash (assert() would vanish in an NDEBUG build).
#pragma once

#include <cstdio>
#include <cstdlib>

/// Aborts with `what` on stderr when `cond` is false. For fuzz targets only.
#define FUZZ_CHECK(cond, what)                                               \
  do {                                                                       \
    if (!(cond)) {                                                           \
      std::fprintf(stderr, "fuzz invariant broken: %s (%s)\n", what, #cond); \
      std::abort();                                                          \
    }                                                                        \
  } while (false)
