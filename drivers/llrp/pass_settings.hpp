// SPDX-License-Identifier: Apache-2.0
// Settings of the pass tracker (reads -> passes at a dock door). Plain values: the LLRP
// options reader maps the driver's config keys onto them and calls validate().
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dockgate::drivers::llrp {

/// Which side of the door an antenna looks at; outside + inside at one door give direction.
enum class AntennaRole { any, outside, inside };

/// One reader antenna port (LLRP AntennaID, 1-based) placed at a dock door.
struct AntennaPlace {
  std::uint16_t antenna_id = 0;
  std::string location_id;  ///< dock door id (the location milestones are reported at)
  AntennaRole role = AntennaRole::any;
};

/// What to do with EPCs whose header no scheme decodes (TDS section 12 raw URI).
enum class UnknownEpc { keep, reject };

struct PassSettings {
  std::int64_t pass_gap_ms = 2000;     ///< a pass lasts while sightings are < this apart
  std::int64_t max_pass_ms = 30000;    ///< a pass this long is emitted anyway; 0 = never
  std::int64_t stage_hold_ms = 60000;  ///< an emitted EPC is remembered this long unseen
  std::optional<int> rssi_min_dbm;     ///< sightings with PeakRSSI below are ignored
  std::vector<AntennaPlace> antennas;  ///< empty = every antenna at default_location, any
  std::string default_location;        ///< the location when `antennas` is empty
  std::vector<std::string> schemes;  ///< allowed EpcResult::scheme ("sscc-96", "raw"); empty = all
  std::vector<int> filter_values;    ///< allowed TDS filter values 0..7; empty = all
  UnknownEpc unknown_epc = UnknownEpc::keep;
  std::size_t max_tags = 50000;  ///< (door, EPC) entries tracked; oldest-seen evicted
};

/// "" when `s` is usable, else the first problem ("pass_gap must be > 0 ms", "antenna 3
/// listed twice", "filter value 9 is not 0..7", "default location is empty", ...).
std::string validate(const PassSettings& s);

}  // namespace dockgate::drivers::llrp
