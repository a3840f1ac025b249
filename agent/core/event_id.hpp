// SPDX-License-Identifier: Apache-2.0
// Time-ordered event identifiers: UUID version 7 (RFC 9562, section 5.7) as "urn:uuid:..."
// (EPCIS 2.0 section 7.4.1 allows any URI as eventID; urn:uuid per RFC 4122 section 3).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

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

/// A name-based eventID: UUID version 5 (RFC 9562 section 5.5, SHA-1 of dockgate's namespace
/// UUID and `name`) as "urn:uuid:...". The same name always gives the same id, so a fact
/// derived again after a crash (replayed from the same saved state) keeps its eventID and
/// the consumer drops the repeat. Names must be unique per fact (include a random epoch).
std::string name_based_event_id(std::string_view name);

}  // namespace dockgate
