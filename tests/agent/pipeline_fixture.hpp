// SPDX-License-Identifier: Apache-2.0
// Shared settings for core tests: site GLN 4012345000016, door-03 inbound, door-07 outbound.
#pragma once

#include <nlohmann/json.hpp>

#include "agent/core/scan_pipeline.hpp"
#include "agent/epcis/object_event.hpp"

namespace dockgate::test {

inline PipelineSettings test_settings() {
  PipelineSettings s;
  s.site_id = "hub-hamburg";
  s.site_gln = "4012345000016";
  s.gateway_id = "gw-01";
  s.doors = {{"door-03", epcis::Direction::inbound, "DOOR03"},
             {"door-07", epcis::Direction::outbound, "DOOR07"}};
  s.patterns = {{"license_plate", "^LP([0-9]{8})$", "urn:dockgate:lp:{1}"}};
  s.dedup_window = std::chrono::milliseconds(5000);
  s.tz_offset_minutes = [](std::int64_t) { return 60; };
  s.id_seed = 42;
  return s;
}

inline ScanRead scan(std::string location, std::string symbology, std::string data,
                     std::int64_t time_ms = 1'763'712'765'120) {
  return ScanRead{"drv-1", std::move(location), time_ms, std::move(symbology), std::move(data)};
}

/// Completes an open JSON text with a sequence number and parses it.
inline nlohmann::json finish(const PipelineOutput& out, std::uint64_t seq = 7) {
  return nlohmann::json::parse(epcis::close_with_seq(out.open_json, out.seq_key, seq));
}

}  // namespace dockgate::test
