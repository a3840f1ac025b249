// SPDX-License-Identifier: Apache-2.0
#include "agent/core/event_id.hpp"

#include <openssl/sha.h>

#include <array>
#include <cstdio>

namespace dockgate {
namespace {

// dockgate's namespace UUID for name-based ids (a fixed random UUIDv4):
// 6d0c4a52-8f0e-4b8e-9d55-3f1b2a7c9e41.
constexpr std::array<std::uint8_t, 16> kNamespace = {
    0x6d, 0x0c, 0x4a, 0x52, 0x8f, 0x0e, 0x4b, 0x8e, 0x9d, 0x55, 0x3f, 0x1b, 0x2a, 0x7c, 0x9e, 0x41};

std::string urn(const std::array<std::uint8_t, 16>& b) {
  char out[48];
  std::snprintf(out, sizeof out,
                "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
                b[13], b[14], b[15]);
  return out;
}

}  // namespace

std::string name_based_event_id(std::string_view name) {
  std::string input(kNamespace.begin(), kNamespace.end());
  input.append(name);
  std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
  std::array<std::uint8_t, 16> b{};
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = digest[i];
  b[6] = static_cast<std::uint8_t>(0x50 | (b[6] & 0x0F));  // version 5
  b[8] = static_cast<std::uint8_t>(0x80 | (b[8] & 0x3F));  // variant 10
  return urn(b);
}

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
  return urn(b);
}

}  // namespace dockgate
