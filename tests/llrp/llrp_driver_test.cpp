// SPDX-License-Identifier: Apache-2.0
// The `type: llrp` driver against a real LLRP peer: the llrpjs reader simulator
// (tests/llrp/sim), whose messages are encoded and decoded by llrpjs, not by dockgate.
// Reads, errors and device states are collected from the driver's ReadSink.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "drivers/llrp/llrp_driver.hpp"
#include "tests/support/llrp_reader_sim.hpp"
#include "tests/support/subprocess.hpp"
#include "tests/support/temp_dir.hpp"

namespace dockgate::test {
namespace {

using drivers::AntennaRole;
using drivers::LlrpDriver;
using drivers::LlrpOptions;
using Json = nlohmann::json;
using namespace std::chrono_literals;

const std::string kSscc96 = "31D4F4E4E4B2D05E2A000000";  // SSCC 340123450000000420

class CollectingSink : public ReadSink {
 public:
  void on_read(ScanRead read) override { reads.push_back(std::move(read)); }
  void on_read_error(ReadError error) override { errors.push_back(std::move(error)); }
  void on_device_status(DeviceStatus status) override { statuses.push_back(std::move(status)); }
  void on_dock_signal(DockSignal /*signal*/) override {}

  [[nodiscard]] bool has_error(const std::string& kind) const {
    for (const auto& e : errors)
      if (e.kind == kind) return true;
    return false;
  }
  [[nodiscard]] std::size_t ups() const {
    std::size_t n = 0;
    for (const auto& s : statuses) n += s.up ? 1 : 0;
    return n;
  }
  [[nodiscard]] std::size_t downs() const { return statuses.size() - ups(); }
  [[nodiscard]] std::string describe() const {
    std::string s = std::to_string(reads.size()) + " reads; errors:";
    for (const auto& e : errors) s += " [" + e.kind + ": " + e.message + "]";
    s += "; statuses:";
    for (const auto& st : statuses)
      s += std::string(" [") + (st.up ? "up " : "down ") + st.detail + "]";
    return s;
  }

  std::vector<ScanRead> reads;
  std::vector<ReadError> errors;
  std::vector<DeviceStatus> statuses;
};

LlrpOptions door_options(std::uint16_t port) {
  LlrpOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.keepalive = 1s;
  o.missed_keepalives = 2;
  o.connect_timeout = 1s;
  o.reconnect_min = 100ms;
  o.reconnect_max = 300ms;
  o.antennas = {{1, AntennaRole::outside}, {2, AntennaRole::inside}};
  o.pass_gap = 400ms;
  o.max_pass = 20s;
  return o;
}

/// The driver on its own io_context, run in slices from the test thread.
class DriverRun {
 public:
  DriverRun(LlrpOptions options, std::string location = "door-03")
      : driver_(drivers::DriverContext{io_, sink, "rfid-door", std::move(location)},
                std::move(options)) {
    driver_.start();
  }
  ~DriverRun() {
    driver_.stop();
    io_.restart();
    io_.run_for(1500ms);  // lets the link send CLOSE_CONNECTION
  }
  DriverRun(const DriverRun&) = delete;
  DriverRun& operator=(const DriverRun&) = delete;

  /// Runs the io_context until `done` or `timeout`.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= end) return false;
      io_.restart();
      io_.run_for(20ms);
    }
    return true;
  }
  void stop() { driver_.stop(); }
  boost::asio::io_context& io() { return io_; }

  CollectingSink sink;

 private:
  boost::asio::io_context io_;
  LlrpDriver driver_;
};

Json tag(const std::string& epc, int antenna, int rssi = -55) {
  return {{"epc", epc},   {"encoding", "epc96"}, {"antenna", antenna},
          {"rssi", rssi}, {"count", 2},          {"first_seen_utc_ms", "now"}};
}

TEST(LlrpDriver, PalletThroughTheDoorOutsideThenInsideIsOneInboundPass) {
  Json reports = Json::array();
  for (int i = 0; i < 6; ++i)
    reports.push_back({{"at_ms", 100 + 60 * i}, {"tags", {tag(kSscc96, i < 3 ? 1 : 2, -60 + i)}}});
  LlrpReaderSim sim(Json{{"reports", reports}});
  DriverRun run(door_options(sim.port()));
  ASSERT_TRUE(run.run_until([&] { return !run.sink.reads.empty(); }, 8s)) << run.sink.describe();
  // No second pass for the same tag.
  run.run_until([] { return false; }, 600ms);
  ASSERT_EQ(run.sink.reads.size(), 1U) << run.sink.describe();
  const ScanRead& r = run.sink.reads[0];
  EXPECT_EQ(r.driver_id, "rfid-door");
  EXPECT_EQ(r.location_id, "door-03");
  EXPECT_EQ(r.data, kSscc96);
  ASSERT_TRUE(r.tag);
  EXPECT_EQ(r.tag->epc_hex, kSscc96);
  EXPECT_EQ(r.tag->epc_bits, 96U);
  EXPECT_EQ(r.tag->travel, Travel::inbound);
  EXPECT_EQ(r.tag->read_count, 12U);  // 6 reports x TagSeenCount 2
  EXPECT_EQ(r.tag->peak_rssi_dbm, -55);
  EXPECT_EQ(r.tag->antenna_id, 2);
  EXPECT_EQ(r.time_ms, r.tag->first_seen_ms);
  EXPECT_LT(r.tag->first_seen_ms, r.tag->last_seen_ms);
  EXPECT_GE(run.sink.ups(), 1U);
  EXPECT_TRUE(run.sink.errors.empty()) << run.sink.describe();
  // The reader was configured: the ROSpec was added and enabled, keepalives asked for.
  EXPECT_TRUE(sim.wait_for_received("SET_READER_CONFIG", 1s));
  EXPECT_TRUE(sim.wait_for_received("ADD_ROSPEC", 1s));
  EXPECT_TRUE(sim.wait_for_received("ENABLE_ROSPEC", 1s));
}

TEST(LlrpDriver, TwoHundredTagsThirtyTimesEachOnTwoAntennasAreTwoHundredPasses) {
  Json scenario = {
      {"generate",
       {{"count", 200},
        {"sscc", {{"company_prefix", "4012345"}, {"filter", 6}, {"first_serial", 3000000001LL}}},
        {"repeats", 30},
        {"over_ms", 5000},
        {"start_ms", 100},
        {"antennas", {1, 2}},
        {"antenna_mode", "sequence"},
        {"batch_ms", 100},
        {"rssi", -50},
        {"encoding", "epc96"}}}};
  LlrpReaderSim sim(scenario);
  LlrpOptions o = door_options(sim.port());
  o.pass_gap = 1s;
  DriverRun run(o);
  ASSERT_TRUE(run.run_until([&] { return run.sink.reads.size() >= 200; }, 20s))
      << run.sink.describe();
  run.run_until([] { return false; }, 1500ms);  // nothing more may come
  ASSERT_EQ(run.sink.reads.size(), 200U);
  auto generated = sim.wait_for_event("generated", 1s);
  ASSERT_TRUE(generated);
  std::set<std::string> expected;
  for (const auto& e : (*generated)["epcs"]) {
    std::string hex = e.get<std::string>();
    for (auto& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    expected.insert(hex);
  }
  std::set<std::string> got;
  for (const auto& r : run.sink.reads) {
    got.insert(r.data);
    EXPECT_EQ(r.tag->travel, Travel::inbound) << r.data;
    EXPECT_EQ(r.tag->read_count, 30U) << r.data;
  }
  EXPECT_EQ(got, expected);
}

TEST(LlrpDriver, FilterKeepsOnlyPalletsAndRejectsUnknownHeadersWhenAskedTo) {
  Json reports = {{{"at_ms", 100},
                   {"tags",
                    {tag(kSscc96, 1), tag("3034F4E4E40AD9C000002694", 1),
                     tag("E2801160600002054C2F2B3A", 1)}}}};
  LlrpReaderSim sim(Json{{"reports", reports}});
  LlrpOptions o = door_options(sim.port());
  o.antennas.clear();  // every antenna, role any
  o.schemes = {"sscc-96", "raw"};
  o.reject_unknown_epc = true;
  DriverRun run(o);
  ASSERT_TRUE(run.run_until(
      [&] { return !run.sink.reads.empty() && run.sink.has_error("unknown_epc_scheme"); }, 8s))
      << run.sink.describe();
  run.run_until([] { return false; }, 600ms);
  ASSERT_EQ(run.sink.reads.size(), 1U) << run.sink.describe();  // the SGTIN is filtered out
  EXPECT_EQ(run.sink.reads[0].data, kSscc96);
  EXPECT_EQ(run.sink.reads[0].tag->travel, Travel::unknown);
}

TEST(LlrpDriver, RefusedConnectionIsReportedAndRetriedUntilTheReaderIsFree) {
  LlrpReaderSim sim(
      Json{{"refuse_first", 2}, {"reports", {{{"at_ms", 100}, {"tags", {tag(kSscc96, 1)}}}}}});
  LlrpOptions o = door_options(sim.port());
  o.antennas.clear();
  DriverRun run(o);
  ASSERT_TRUE(run.run_until([&] { return !run.sink.reads.empty(); }, 10s)) << run.sink.describe();
  EXPECT_TRUE(run.sink.has_error("llrp_connection_refused")) << run.sink.describe();
  EXPECT_GE(run.sink.ups(), 1U);
}

TEST(LlrpDriver, ErrorStatusFromTheReaderIsReportedAndTheSetUpRetried) {
  LlrpReaderSim sim(
      Json{{"errors",
            {{"ADD_ROSPEC",
              {{"status", "M_FieldError"}, {"description", "bad antenna"}, {"times", 1}}}}},
           {"reports", {{{"at_ms", 100}, {"tags", {tag(kSscc96, 1)}}}}}});
  LlrpOptions o = door_options(sim.port());
  o.antennas.clear();
  DriverRun run(o);
  ASSERT_TRUE(run.run_until([&] { return !run.sink.reads.empty(); }, 10s)) << run.sink.describe();
  ASSERT_TRUE(run.sink.has_error("llrp_error_status")) << run.sink.describe();
  for (const auto& e : run.sink.errors) {
    if (e.kind == "llrp_error_status") {
      EXPECT_NE(e.message.find("bad antenna"), std::string::npos) << e.message;
    }
  }
}

TEST(LlrpDriver, ReaderThatDropsTheConnectionIsDownThenUpAgain) {
  LlrpReaderSim sim(Json::parse(R"({"faults": [
      {"at_ms": 500, "from": "connect", "connection": 1, "action": "drop"}]})"));
  DriverRun run(door_options(sim.port()));
  ASSERT_TRUE(run.run_until([&] { return run.sink.ups() >= 2; }, 10s)) << run.sink.describe();
  EXPECT_GE(run.sink.downs(), 1U) << run.sink.describe();
  EXPECT_TRUE(run.sink.statuses.front().up) << "first status must be up";
}

TEST(LlrpDriver, APassInProgressWhenTheReaderVanishesIsStillReported) {
  // The tag is read three times, then the reader drops the connection mid-pass.
  LlrpReaderSim sim(Json::parse(R"({
      "reports": [
        {"at_ms": 100, "tags": [{"epc": "31D4F4E4E4B2D05E2A000000", "antenna": 1, "count": 1}]},
        {"at_ms": 200, "tags": [{"epc": "31D4F4E4E4B2D05E2A000000", "antenna": 1, "count": 1}]},
        {"at_ms": 300, "tags": [{"epc": "31D4F4E4E4B2D05E2A000000", "antenna": 1, "count": 1}]}],
      "faults": [{"at_ms": 350, "from": "reports", "connection": 1, "action": "drop"}]})"));
  LlrpOptions o = door_options(sim.port());
  o.antennas.clear();
  o.reconnect_min = 2s;  // the pass (pass_gap 400 ms) ends while the reader is away
  o.reconnect_max = 2s;
  DriverRun run(o);
  ASSERT_TRUE(run.run_until([&] { return !run.sink.reads.empty(); }, 8s)) << run.sink.describe();
  EXPECT_EQ(run.sink.ups(), 1U) << "reported before the reconnect: " << run.sink.describe();
  EXPECT_EQ(run.sink.downs(), 1U) << run.sink.describe();
  EXPECT_EQ(run.sink.reads[0].data, kSscc96);
  EXPECT_EQ(run.sink.reads[0].tag->read_count, 3U);
  // After the reconnect the simulator reports the tag again: the staged-tag rule keeps it
  // at one milestone.
  ASSERT_TRUE(run.run_until([&] { return run.sink.ups() >= 2; }, 5s)) << run.sink.describe();
  run.run_until([] { return false; }, 1000ms);
  EXPECT_EQ(run.sink.reads.size(), 1U) << run.sink.describe();
}

TEST(LlrpDriver, SilentReaderIsDetectedAndReconnected) {
  LlrpReaderSim sim(Json::parse(R"({"faults": [
      {"at_ms": 300, "from": "connect", "connection": 1, "action": "silent"}]})"));
  DriverRun run(door_options(sim.port()));  // keepalive 1 s, 2 missed = silent
  ASSERT_TRUE(run.run_until(
      [&] { return run.sink.has_error("llrp_reader_silent") || run.sink.downs() >= 1; }, 8s))
      << run.sink.describe();
  ASSERT_TRUE(run.run_until([&] { return run.sink.ups() >= 2; }, 8s)) << run.sink.describe();
}

TEST(LlrpDriver, ErrorMessageFromTheReaderIsAnException) {
  LlrpReaderSim sim(Json::parse(R"({"faults": [
      {"at_ms": 300, "from": "connect", "action": "error_message",
       "status": "M_UnsupportedMessage", "description": "simulated trouble"}]})"));
  DriverRun run(door_options(sim.port()));
  ASSERT_TRUE(run.run_until([&] { return run.sink.has_error("llrp_error_message"); }, 8s))
      << run.sink.describe();
  for (const auto& e : run.sink.errors) {
    if (e.kind == "llrp_error_message") {
      EXPECT_NE(e.message.find("simulated trouble"), std::string::npos) << e.message;
    }
  }
}

TEST(LlrpDriver, MalformedFrameIsReportedWithItsBytesAndTheLinkReconnects) {
  // An RO_ACCESS_REPORT whose TagReportData claims 3 bytes (less than its own header).
  LlrpReaderSim sim(Json::parse(R"({"faults": [
      {"at_ms": 300, "from": "connect", "connection": 1, "action": "raw",
       "hex": "043d000000120000000900f0000300000000"}]})"));
  DriverRun run(door_options(sim.port()));
  ASSERT_TRUE(run.run_until(
      [&] {
        return run.sink.has_error("llrp_malformed_frame") ||
               run.sink.has_error("llrp_malformed_report");
      },
      8s))
      << run.sink.describe();
  for (const auto& e : run.sink.errors) {
    if (e.kind.starts_with("llrp_malformed")) {
      EXPECT_FALSE(e.data.empty()) << "raw bytes kept";
    }
  }
  // Nothing is lost or stuck: the reader is (still or again) up afterwards.
  ASSERT_TRUE(run.run_until([&] { return run.sink.ups() >= 1 && run.sink.statuses.back().up; }, 8s))
      << run.sink.describe();
}

TEST(LlrpDriver, StopClosesTheConnectionWithinTheStopBudget) {
  LlrpReaderSim sim;
  auto run = std::make_unique<DriverRun>(door_options(sim.port()));
  ASSERT_TRUE(run->run_until([&] { return run->sink.ups() >= 1; }, 8s)) << run->sink.describe();
  const auto t0 = std::chrono::steady_clock::now();
  run.reset();  // stop() + up to 1.5 s of io for CLOSE_CONNECTION
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  EXPECT_TRUE(sim.wait_for_received("CLOSE_CONNECTION", 1s));
  EXPECT_TRUE(sim.wait_for_event("closed", 2s));
}

TEST(LlrpDriver, WiresharkFindsNothingMalformedInWhatTheDriverSends) {
  TempDir dir("dockgate-llrp-tshark");
  LlrpReaderSim sim(Json{{"reports", {{{"at_ms", 100}, {"tags", {tag(kSscc96, 1)}}}}}});
  const std::string pcap = dir.file("llrp.pcap");
  const std::string script = DOCKGATE_SOURCE_DIR "/tests/llrp/tshark_check.sh";
  const std::string out = dir.file("tshark.txt");
  Subprocess start({{"bash", script, "start", std::to_string(sim.port()), pcap}, {}, "", out, out});
  auto started = start.wait_for(10s);
  ASSERT_TRUE(started && started->success()) << read_file(out);
  // Stops the capture however the test ends (a failed ASSERT must not leave tshark running).
  struct CaptureGuard {
    std::string script, pcap, out;
    bool stopped = false;
    void stop() {
      if (stopped) return;
      stopped = true;
      Subprocess s({{"bash", script, "stop", pcap}, {}, "", out, out});
      (void)s.wait_for(10s);
    }
    ~CaptureGuard() { stop(); }
  } capture{script, pcap, out};
  {
    DriverRun run(door_options(sim.port()));
    ASSERT_TRUE(run.run_until([&] { return !run.sink.reads.empty(); }, 8s)) << run.sink.describe();
    // The io_context only runs inside run_until: poll the simulator's log from there.
    ASSERT_TRUE(
        run.run_until([&] { return sim.wait_for_event("keepalive_acked", 0ms).has_value(); }, 4s))
        << run.sink.describe();
  }  // stop: STOP_ROSPEC, CLOSE_CONNECTION
  capture.stop();
  Subprocess check({{"bash", script, "check", std::to_string(sim.port()), pcap}, {}, "", out, out});
  auto checked = check.wait_for(30s);
  ASSERT_TRUE(checked);
  const std::string report = read_file(out);
  EXPECT_TRUE(checked->success()) << report;
  // The dissector saw the whole session, not an empty capture.
  for (const char* type : {"SET_READER_CONFIG", "ADD_ROSPEC", "ENABLE_ROSPEC", "KEEPALIVE_ACK",
                           "RO_ACCESS_REPORT", "CLOSE_CONNECTION"}) {
    EXPECT_NE(report.find(std::string(" ") + type + " "), std::string::npos) << type << "\n"
                                                                             << report;
  }
}

}  // namespace
}  // namespace dockgate::test
