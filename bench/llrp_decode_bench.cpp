// SPDX-License-Identifier: Apache-2.0
// The LLRP codec (drivers/llrp) on a stream of RO_ACCESS_REPORTs written by
// bench/llrp_stream_gen.js, the same file bench/llrpjs_decode_bench.js decodes:
//   - decode: split the stream into messages by their header (check_frame, LLRP 1.0.1
//     section 16.1) and decode every body (decode_ro_access_report: EPC, AntennaID,
//     PeakRSSI, FirstSeen, TagSeenCount);
//   - decode + passes: the same, every TagSighting fed to a PassTracker (one door, four
//     antennas, pass_gap 2 s) as the driver does, the clock advancing 1 ms per message and
//     advance() called every 100 messages, flush() at the end; this includes EPC decoding
//     (GS1 EPC TDS) once per pass.
// Time is this process's CPU time (CLOCK_PROCESS_CPUTIME_ID): TagReportData per CPU-second.
// The file is read before timing starts. Prints one JSON line per mode.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/llrp/llrp_frame.hpp"
#include "drivers/llrp/llrp_report.hpp"
#include "drivers/llrp/pass_tracker.hpp"

namespace dockgate::bench {
namespace {

namespace llrp = drivers::llrp;

double cpu_now_s() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Counts {
  std::uint64_t messages = 0;
  std::uint64_t tag_reports = 0;
  std::uint64_t passes = 0;
  std::uint64_t check = 0;  // keeps the decoded values alive
};

/// One pass over the stream; `tracker` may be null (decode only). False on a bad message.
bool run_once(std::span<const std::uint8_t> stream, llrp::PassTracker* tracker, Counts& c) {
  std::int64_t now_ms = 1'741'939'965'120;
  while (!stream.empty()) {
    const llrp::FrameCheck f = llrp::check_frame(stream);
    if (f.state != llrp::FrameState::complete) return f.state == llrp::FrameState::need_more;
    const auto body = stream.subspan(llrp::kHeaderBytes, f.header.length - llrp::kHeaderBytes);
    stream = stream.subspan(f.header.length);
    const llrp::ReportResult r = llrp::decode_ro_access_report(body, llrp::UptimeClock{});
    if (!r.error.empty()) {
      std::cerr << "decode error: " << r.error << "\n";
      return false;
    }
    ++c.messages;
    now_ms += 1;
    for (const llrp::TagSighting& s : r.sightings) {
      ++c.tag_reports;
      c.check += s.epc.back() + s.antenna_id;
      if (tracker != nullptr) tracker->on_sighting(s, now_ms);
    }
    if (tracker != nullptr && c.messages % 100 == 0) c.passes += tracker->advance(now_ms).size();
  }
  if (tracker != nullptr) c.passes += tracker->flush().size();
  return true;
}

}  // namespace
}  // namespace dockgate::bench

int main(int argc, char** argv) {
  using namespace dockgate::bench;
  CLI::App app{"LLRP codec + pass tracker throughput on an RO_ACCESS_REPORT stream"};
  std::string file;
  int rounds = 5;
  app.add_option("stream", file, "file written by bench/llrp_stream_gen.js")->required();
  app.add_option("--rounds", rounds, "passes over the file per mode");
  CLI11_PARSE(app, argc, argv);

  std::ifstream in(file, std::ios::binary);
  const std::vector<std::uint8_t> stream((std::istreambuf_iterator<char>(in)),
                                         std::istreambuf_iterator<char>());
  if (stream.empty()) {
    std::cerr << "cannot read " << file << "\n";
    return 2;
  }
  for (const bool passes : {false, true}) {
    Counts c;
    const double t0 = cpu_now_s();
    for (int i = 0; i < rounds; ++i) {
      dockgate::drivers::llrp::PassSettings settings;
      settings.default_location = "door-03";
      dockgate::drivers::llrp::PassTracker tracker(settings);
      if (!run_once(stream, passes ? &tracker : nullptr, c)) return 1;
    }
    const double cpu_s = cpu_now_s() - t0;
    nlohmann::json out = {
        {"decoder", passes ? "dockgate llrp codec + PassTracker" : "dockgate llrp codec"},
        {"file", file},
        {"bytes", stream.size()},
        {"rounds", rounds},
        {"messages", c.messages},
        {"tag_reports", c.tag_reports},
        {"passes", c.passes},
        {"cpu_s", cpu_s},
        {"tag_reports_per_cpu_s",
         static_cast<std::uint64_t>(static_cast<double>(c.tag_reports) / cpu_s)},
        {"check", c.check}};
    std::cout << out.dump() << "\n";
  }
  return 0;
}
