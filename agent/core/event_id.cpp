#include "agent/core/event_id.hpp"

#include <array>
#include <cstdio>

namespace dockgate {

EventIdGenerator::EventIdGenerator(std::uint64_t seed)
    : rng_(seed != 0 ? seed
                     : (std::uint64_t{std::random_device{}()} << 32) ^ std::random_device{}()) {}

std::string EventIdGenerator::next(std::int64_t utc_ms) {
  // Keep ids monotonic when the clock stands still or steps back a little: reuse the last
  // millisecond and count up (RFC 9562 section 6.2).
  if (utc_ms <= last_ms_) {
    utc_ms = last_ms_;
    if (++counter_ > 0x0FFF) {  // counter overflow: borrow the next millisecond
      ++utc_ms;
      counter_ = 0;
    }
  } else {
    counter_ = static_cast<std::uint16_t>(rng_() & 0x01FF);  // random start, headroom to count
  }
  last_ms_ = utc_ms;

  const auto ts = static_cast<std::uint64_t>(utc_ms) & 0xFFFFFFFFFFFFULL;
  const std::uint64_t rand_b = rng_() & 0x3FFFFFFFFFFFFFFFULL;
  std::array<std::uint8_t, 16> b{};
  for (int i = 0; i < 6; ++i)
    b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(ts >> (40 - 8 * i));
  b[6] = static_cast<std::uint8_t>(0x70 | ((counter_ >> 8) & 0x0F));  // version 7
  b[7] = static_cast<std::uint8_t>(counter_ & 0xFF);
  b[8] = static_cast<std::uint8_t>(0x80 | ((rand_b >> 56) & 0x3F));  // variant 10
  for (int i = 9; i < 16; ++i) {
    b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(rand_b >> (8 * (15 - i)));
  }
  char out[48];
  std::snprintf(out, sizeof out,
                "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
                b[13], b[14], b[15]);
  return out;
}

}  // namespace dockgate
