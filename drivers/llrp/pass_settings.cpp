// SPDX-License-Identifier: Apache-2.0
#include "drivers/llrp/pass_settings.hpp"

#include <set>

namespace dockgate::drivers::llrp {

std::string validate(const PassSettings& s) {
  if (s.pass_gap_ms <= 0) return "pass_gap must be > 0 ms";
  if (s.max_pass_ms < 0) return "max_pass must be >= 0 ms (0 = off)";
  if (s.stage_hold_ms < 0) return "stage_hold must be >= 0 ms (0 = off)";
  if (s.max_tags == 0) return "the tracked tag bound must be >= 1";
  if (s.antennas.empty() && s.default_location.empty()) {
    return "no antenna map and no default location";
  }
  std::set<std::uint16_t> seen;
  for (const AntennaPlace& a : s.antennas) {
    // TagReportData AntennaID is 1-based (LLRP 1.0.1 section 13.2.3.3); 0 = not reported.
    if (a.antenna_id == 0) return "antenna ids start at 1";
    if (!seen.insert(a.antenna_id).second) {
      return "antenna " + std::to_string(a.antenna_id) + " listed twice";
    }
    if (a.location_id.empty()) {
      return "antenna " + std::to_string(a.antenna_id) + " has no location";
    }
  }
  for (const int v : s.filter_values) {
    // TDS section 10: the filter value is 3 bits.
    if (v < 0 || v > 7) return "filter value " + std::to_string(v) + " is not 0..7";
  }
  for (const std::string& scheme : s.schemes) {
    if (scheme.empty()) return "empty EPC scheme name in the filter";
  }
  return {};
}

}  // namespace dockgate::drivers::llrp
