// SPDX-License-Identifier: Apache-2.0
// A babbling serial scanner (wrong baud rate: line noise) through the real agent into a real
// broker: exceptions are rate-limited per driver and kind, counts stay exact, and the
// status carries a device_babbling alarm that clears once the device is quiet.
#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "tests/integration/agent_config_yaml.hpp"
#include "tests/integration/agent_harness.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/mqtt_capture.hpp"

namespace dockgate::test {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

/// ~`bytes` of line noise: lines of 5..45 bytes (any byte but CR, LF and ']', so no line is
/// empty or looks like an AIM prefix), each ended by CR LF. Returns the line count.
std::size_t make_noise(std::size_t bytes, std::string& out) {
  std::mt19937 rng(20261204);
  std::uniform_int_distribution<int> length(5, 45);
  std::uniform_int_distribution<int> byte(1, 255);
  std::size_t lines = 0;
  while (out.size() < bytes) {
    const int n = length(rng);
    for (int i = 0; i < n; ++i) {
      int b = byte(rng);
      while (b == '\r' || b == '\n' || b == ']') b = byte(rng);
      out.push_back(static_cast<char>(b));
    }
    out += "\r\n";
    ++lines;
  }
  return lines;
}

struct Tally {
  std::uint64_t full = 0;        ///< invalid_barcode exceptions published one by one
  std::uint64_t summarised = 0;  ///< sum of suppressedCount of invalid_barcode summaries
  std::uint64_t summaries = 0;
  Json sample;  ///< the first summary
};

Tally tally(const std::vector<CapturedMessage>& all) {
  Tally t;
  for (const auto& m : all) {
    if (m.topic != kExceptionsTopic) continue;
    const auto j = Json::parse(m.payload, nullptr, false);
    if (j.is_discarded()) continue;
    if (j.value("type", "") == "invalid_barcode") ++t.full;
    if (j.value("type", "") == "exceptions_suppressed" &&
        j.value("suppressedType", "") == "invalid_barcode") {
      t.summarised += j.value("suppressedCount", std::uint64_t{0});
      if (t.summaries++ == 0) t.sample = j;
    }
  }
  return t;
}

bool babbling_in(const CapturedMessage& m) {
  const auto j = Json::parse(m.payload, nullptr, false);
  if (j.is_discarded() || !j.contains("devices") || !j["devices"].contains("door03-serial"))
    return false;
  return j["devices"]["door03-serial"].value("alarm", "") == "device_babbling";
}

TEST(Babbling, TwoHundredKilobytesOfNoiseAreCountedExactlyNotFloodedOneByOne) {
  TempDir dir("dockgate-babble");
  MosquittoBroker broker;
  MqttCapture capture(broker.uri(), {"dockgate/#"});
  PtyPair pty(dir.path(), "ttyNoise0");
  pty.start();
  AgentYaml y;
  y.broker_uri = broker.uri();
  y.db_path = dir.file("outbox.db");
  y.serial_device = pty.device();
  y.extra = "exception_limit:\n  burst: 10\n  interval: 2s\n";
  AgentProcess agent(dir, agent_yaml(y));
  agent.start();
  ASSERT_TRUE(agent.wait_log("device door03-serial up", 20s)) << agent.log();

  std::string noise;
  const std::size_t lines = make_noise(200 * 1024, noise);
  ASSERT_GT(lines, 7'000u);
  pty.write(noise);

  // Every line is accounted for: full ones plus the summaries' exact counts.
  const bool all_counted = capture.wait_until(
      [&](const auto& all) {
        const Tally t = tally(all);
        return t.full + t.summarised >= lines;
      },
      30s);
  const Tally t = tally(capture.all());
  ASSERT_TRUE(all_counted) << "full " << t.full << " summarised " << t.summarised << " of " << lines
                           << "\n"
                           << agent.log();
  EXPECT_EQ(t.full + t.summarised, lines);
  // A few windows at most (the noise arrives within seconds): ~10 full ones per window.
  EXPECT_LE(t.full, 10u * t.summaries + 10u);
  EXPECT_LT(t.full + t.summaries, 100u);
  EXPECT_EQ(t.sample["driverId"], "door03-serial");
  EXPECT_EQ(t.sample["locationId"], "door-03");
  EXPECT_EQ(t.sample["publishedCount"], 10);
  EXPECT_FALSE(t.sample["rawDataBase64"].get<std::string>().empty());
  EXPECT_NE(t.sample["reason"].get<std::string>().find("babbling"), std::string::npos);

  // The alarm is in the retained status while the device babbles...
  ASSERT_TRUE(capture.wait_for_match(kStatusTopic, babbling_in, 10s)) << agent.log();
  // ...and clears after a quiet interval (2 s): a later status without the alarm.
  const bool cleared = capture.wait_until(
      [](const auto& all) {
        bool seen = false;
        for (const auto& m : all) {
          if (m.topic != kStatusTopic) continue;
          if (babbling_in(m)) {
            seen = true;
          } else if (seen) {
            return true;
          }
        }
        return false;
      },
      15s);
  EXPECT_TRUE(cleared) << agent.log();
  EXPECT_EQ(tally(capture.all()).full + tally(capture.all()).summarised, lines);
  agent.terminate();
}

}  // namespace
}  // namespace dockgate::test
