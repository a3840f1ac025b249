// SPDX-License-Identifier: Apache-2.0
// RFC 3339 date-time text (section 5.6) -> UTC milliseconds. Pure code, never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace dockgate::plans {

/// "2026-12-05T14:30:00Z", "2026-12-05T15:30:00.250+01:00" -> UTC ms since 1970. A zone
/// (Z or +-HH:MM) is required, since a plan crosses time zones; fractions beyond ms are
/// truncated. nullopt for anything else (no zone, 2026-02-30, 24:00:00).
std::optional<std::int64_t> parse_rfc3339_ms(std::string_view text);

}  // namespace dockgate::plans
