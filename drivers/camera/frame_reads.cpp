// SPDX-License-Identifier: Apache-2.0
#include "drivers/camera/frame_reads.hpp"

#include <chrono>

#include "agent/clock.hpp"

namespace dockgate::drivers {

std::vector<FramerOutput> new_reads(const std::vector<DecodedCode>& codes, RepeatFilter& filter,
                                    CameraCounters& counters) {
  ++counters.images;
  if (codes.empty()) ++counters.no_code;
  const auto now = std::chrono::steady_clock::now();
  std::vector<FramerOutput> outputs;
  for (const auto& code : codes) {
    if (!filter.admit(code.symbology_id, code.text, now)) {
      ++counters.repeats;
      continue;
    }
    ScanRead read;
    read.time_ms = now_utc_ms();
    read.symbology_id = code.symbology_id;
    read.data = code.text;
    outputs.emplace_back(std::move(read));
  }
  counters.reads += outputs.size();
  return outputs;
}

}  // namespace dockgate::drivers
