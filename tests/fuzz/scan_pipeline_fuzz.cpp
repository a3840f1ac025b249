// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the pure core entry for a scan, classify_scan() then ScanPipeline::on_read()
// (GS1 element string, Digital Link, retail GTIN, site pattern or invalid_barcode exception)
// and on_read_error(). Input: byte 0 picks the AIM identifier (or none / a fuzzed one) and
// the door; the rest is the scanned data.
// Invariants: never throws or crashes; every scan gives an event or an exception (the
// first read of a code is never a dedup repeat); every output, closed with a sequence
// number, is valid JSON (raw bytes of any kind, including invalid UTF-8, included).
#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "agent/core/scan_classifier.hpp"
#include "agent/core/scan_pipeline.hpp"
#include "agent/epcis/object_event.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

dockgate::PipelineSettings settings() {
  dockgate::PipelineSettings s;
  s.site_id = "hub-hamburg";
  s.site_gln = "4012345000016";
  s.gateway_id = "gw-01";
  s.doors = {{"door-03", dockgate::epcis::Direction::inbound, "DOOR03"},
             {"door-07", dockgate::epcis::Direction::outbound, "DOOR07"}};
  s.patterns = {{"license_plate", "^LP([0-9]{8})$", "urn:dockgate:lp:{1}"},
                {"handling_unit", "^HU-([A-Z0-9/ ]{1,20})$", "urn:dockgate:hu:{1}"}};
  s.dedup_window = std::chrono::milliseconds(5000);
  s.id_seed = 42;
  return s;
}

void check_json(const dockgate::PipelineOutput& out) {
  const std::string text = dockgate::epcis::close_with_seq(out.open_json, out.seq_key, 1);
  FUZZ_CHECK(nlohmann::json::accept(text), "output is valid JSON");
  for (const auto& f : out.followups) check_json(f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const std::array<const char*, 10> kSymbologies{"",    "]C1", "]d2", "]Q3", "]e0",
                                                        "]E0", "]E4", "]J1", "]A0", "]Q1"};
  const std::uint8_t setup = data[0];
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string symbology = kSymbologies[setup % kSymbologies.size()];
  if ((setup & 0x80U) != 0 && body.size() >= 3) {  // a fuzzed identifier
    symbology = body.substr(0, 3);
    body.erase(0, 3);
  }
  const char* door = (setup & 0x40U) != 0 ? "door-07" : "door-03";

  static dockgate::ScanPipeline pipeline(settings());
  static const dockgate::SitePatterns patterns(settings().patterns);
  const dockgate::Classified c =
      dockgate::classify_scan(symbology, body, patterns, "4012345000016");
  FUZZ_CHECK(c.id.has_value() || !c.error.empty(), "accepted or a reason");

  // A time far from the previous input's, so dedup never hides a result.
  static std::int64_t now = 1'763'712'765'120;
  now += 3'600'000;
  const auto out = pipeline.on_read(dockgate::ScanRead{"drv-1", door, now, symbology, body});
  FUZZ_CHECK(out.has_value(), "a first read gives an output");
  check_json(*out);

  dockgate::ReadError error{"drv-1", door, now, "frame_too_long", "fuzz", body};
  check_json(pipeline.on_read_error(error));
  return 0;
}
