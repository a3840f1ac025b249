// SPDX-License-Identifier: Apache-2.0
// The shipped example configs load without a single error, and the full example documents
// every key the reader declares.
#include <gtest/gtest.h>

#include <algorithm>

#include <boost/asio/io_context.hpp>
#include <fstream>
#include <sstream>

#include "config/agent_config.hpp"
#include "drivers/driver.hpp"

namespace dockgate::config {
namespace {

const std::string kExamples = DOCKGATE_SOURCE_DIR "/config/examples/";

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class NullSink : public ReadSink {
 public:
  void on_read(ScanRead) override {}
  void on_read_error(ReadError) override {}
  void on_device_status(DeviceStatus) override {}
  void on_dock_signal(DockSignal) override {}
};

TEST(ConfigExamples, DemoLoads) {
  ConfigErrors errors;
  auto c = load_agent_config(kExamples + "demo.yaml", errors);
  ASSERT_TRUE(c.has_value()) << errors.to_string();
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(c->site.id, "hub-hamburg");
  EXPECT_EQ(c->site.gln, "4012345000016");
  ASSERT_EQ(c->locations.size(), 3u);
  EXPECT_EQ(c->locations[2].id, "door-08") << "the door the demo's misrouted pallet is planned for";
  ASSERT_EQ(c->drivers.size(), 5u);
  EXPECT_EQ(c->drivers[0].type, "serial_scanner");
  EXPECT_EQ(c->drivers[0].location, "door-03");
  EXPECT_EQ(c->drivers[1].type, "llrp") << "the RFID portal part of the demo";
  EXPECT_EQ(c->drivers[1].location, "door-03");
  EXPECT_EQ(c->drivers[2].type, "tcp_scanner");
  EXPECT_EQ(c->drivers[2].location, "door-07");
  EXPECT_EQ(c->drivers[3].type, "camera");
  EXPECT_EQ(c->drivers[3].location, "door-07");
  EXPECT_EQ(c->drivers[4].type, "modbus") << "the dock session part of the demo";
  EXPECT_EQ(c->drivers[4].location, "door-07");
  EXPECT_EQ(c->dock_sessions.transport_patterns, std::vector<std::string>{"license_plate"});
  ASSERT_EQ(c->patterns.size(), 1u);
  EXPECT_EQ(c->patterns[0].regex, "^LP[0-9]{8}$");
  EXPECT_EQ(c->buffer.path, "/tmp/dockgate-demo/outbox.db");
  EXPECT_EQ(c->mqtt.uri, "tcp://127.0.0.1:18830");
  EXPECT_EQ(c->dedup_window, std::chrono::seconds(2));
  EXPECT_EQ(c->source_file, std::string(DOCKGATE_SOURCE_DIR) + "/config/examples/demo.yaml");
}

TEST(ConfigExamples, FullExampleLoads) {
  ConfigErrors errors;
  auto c = load_agent_config(kExamples + "dockgate.yaml", errors);
  ASSERT_TRUE(c.has_value()) << errors.to_string();
  EXPECT_EQ(c->gateway.id, "gw-dock-north");
  ASSERT_NE(c->find_location("door-07"), nullptr);
  EXPECT_EQ(c->find_location("door-07")->direction, "outbound");
  EXPECT_EQ(c->find_location("door-07")->gln_extension, "DOOR07");
  EXPECT_EQ(c->find_location("door-99"), nullptr);
  ASSERT_GE(c->drivers.size(), 3u);
  EXPECT_TRUE(c->drivers[0].enabled);
  EXPECT_FALSE(c->drivers[2].enabled);
  // Every registered driver type is shown in the full example.
  for (const auto& type : drivers::driver_types()) {
    EXPECT_TRUE(std::any_of(c->drivers.begin(), c->drivers.end(),
                            [&](const auto& d) { return d.type == type.name; }))
        << type.name << " has no entry in config/examples/dockgate.yaml";
  }
  ASSERT_EQ(c->patterns.size(), 2u);
  EXPECT_EQ(c->patterns[1].uri, "https://id.hub-hamburg.example/pallet/{1}/{2}");
  EXPECT_EQ(c->buffer.max_bytes, 2ULL << 30);
  EXPECT_EQ(c->buffer.commit_max_delay, std::chrono::milliseconds(2));
  EXPECT_EQ(c->mqtt.max_message_bytes, 32u * 1024u);
  EXPECT_EQ(c->log.level, "info");
}

TEST(ConfigExamples, StoredFactoriesBuildDrivers) {
  ConfigErrors errors;
  auto c = load_agent_config(kExamples + "dockgate.yaml", errors);
  ASSERT_TRUE(c.has_value()) << errors.to_string();
  boost::asio::io_context io;
  NullSink sink;
  for (const auto& d : c->drivers) {
    ASSERT_TRUE(d.factory) << d.id;
    auto driver = d.factory(drivers::DriverContext{io, sink, d.id, d.location});
    EXPECT_NE(driver, nullptr) << d.id;  // built, never started: no device is touched
  }
}

TEST(ConfigExamples, FullExampleShowsEveryKey) {
  const std::string text = read_text(kExamples + "dockgate.yaml");
  for (const auto& doc : agent_config_reference()) {
    if (doc.path.find(" (type: ") != std::string::npos) continue;  // a heading, not a key
    const std::string key = doc.path.substr(doc.path.find_last_of(".]") + 1);
    EXPECT_NE(text.find(key + ":"), std::string::npos) << doc.path << " is not in the example";
  }
}

}  // namespace
}  // namespace dockgate::config
