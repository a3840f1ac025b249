// SPDX-License-Identifier: Apache-2.0
// Scanner frames for load generation: what a network scanner in TCP client mode sends.
#pragma once

#include <cstdint>
#include <string>

#include "tests/integration/sscc.hpp"

namespace dockgate::bench {

/// "]C1" (AIM id, GS1-128) + "00" (AI SSCC) + sscc(serial) + CR LF: 25 bytes. Serials up to
/// 999,999,999 give distinct, valid SSCCs (GS1 General Specifications 2.2.1).
inline std::string scan_frame(std::uint64_t serial) {
  return "]C100" + test::sscc(static_cast<unsigned>(serial)) + "\r\n";
}

/// Frames for serials [first, first + count), concatenated.
inline std::string scan_frames(std::uint64_t first, std::uint64_t count) {
  std::string out;
  out.reserve(count * 25);
  for (std::uint64_t s = first; s < first + count; ++s) out += scan_frame(s);
  return out;
}

}  // namespace dockgate::bench
