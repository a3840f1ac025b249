// Time-ordered event identifiers: UUID version 7 (RFC 9562, section 5.7) as "urn:uuid:..."
// (EPCIS 2.0 section 7.4.1 allows any URI as eventID; urn:uuid per RFC 4122 section 3).
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace dockgate {

/// Generates UUIDv7 strings. Ids from one generator sort by creation order even within one
/// millisecond (12-bit counter in rand_a, RFC 9562 section 6.2 method 1). Not thread-safe.
class EventIdGenerator {
 public:
  /// `seed` 0 = seed from std::random_device.
  explicit EventIdGenerator(std::uint64_t seed = 0);

  /// "urn:uuid:0193xxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx" for the given UTC ms timestamp.
  std::string next(std::int64_t utc_ms);

 private:
  std::mt19937_64 rng_;
  std::int64_t last_ms_ = -1;
  std::uint16_t counter_ = 0;
};

}  // namespace dockgate
