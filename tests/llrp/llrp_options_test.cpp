// SPDX-License-Identifier: Apache-2.0
// Config keys of `type: llrp`: defaults, explicit values, bad values named by their key path,
// entries that share one reader (settings must agree, an antenna belongs to one door), and
// the shipped example.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "config/map_reader.hpp"
#include "drivers/driver.hpp"
#include "drivers/llrp/llrp_options.hpp"

namespace dockgate::drivers {
namespace {

using std::chrono::milliseconds;

/// Reads `bodies` as drivers[0], drivers[1], ... sharing one context (and so one claim table).
std::vector<LlrpOptions> parse_all(const std::vector<std::string>& bodies,
                                   config::ConfigErrors& errors) {
  config::ReadContext ctx{"dockgate.yaml", errors};
  std::vector<LlrpOptions> out;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    config::MapReader reader(YAML::Load(bodies[i]), "drivers[" + std::to_string(i) + "]", ctx,
                             "drivers[]");
    LlrpOptions options;
    read_llrp_options(reader, options);
    reader.finish();
    out.push_back(options);
  }
  return out;
}

LlrpOptions parse(const std::string& body, config::ConfigErrors& errors) {
  return parse_all({body}, errors).front();
}

TEST(LlrpConfig, DefaultsFollowTheReadme) {
  config::ConfigErrors errors;
  const LlrpOptions o = parse("host: 10.20.3.60\n", errors);
  EXPECT_TRUE(errors.empty()) << errors.to_string();
  EXPECT_EQ(o.host, "10.20.3.60");
  EXPECT_EQ(o.port, 5084);
  EXPECT_EQ(o.rospec, RospecMode::configure);
  EXPECT_FALSE(o.reset_to_factory);
  EXPECT_EQ(o.keepalive, milliseconds(10'000));
  EXPECT_EQ(o.missed_keepalives, 3U);
  EXPECT_TRUE(o.antennas.empty());
  EXPECT_EQ(o.pass_gap, milliseconds(2'000));
  EXPECT_EQ(o.max_pass, milliseconds(30'000));
  EXPECT_EQ(o.stage_hold, milliseconds(60'000));
  EXPECT_FALSE(o.rssi_min);
  EXPECT_TRUE(o.schemes.empty());
  EXPECT_TRUE(o.filter_values.empty());
  EXPECT_FALSE(o.reject_unknown_epc);
  EXPECT_EQ(llrp_reader_key(o), "10.20.3.60:5084");
}

TEST(LlrpConfig, ExplicitValues) {
  config::ConfigErrors errors;
  const LlrpOptions o = parse(
      "host: reader-3.local\nport: 15084\nrospec: keep\nkeepalive: 5s\nmissed_keepalives: 2\n"
      "antennas:\n  - {port: 1, role: outside}\n  - {port: 2, role: inside}\n  - port: 4\n"
      "pass_gap: 1500ms\nmax_pass: 1m\nstage_hold: 0s\nrssi_min: -70\n"
      "filters:\n  schemes: [sscc-96, raw]\n  filter_values: [2, 6]\nunknown_epc: reject\n",
      errors);
  EXPECT_TRUE(errors.empty()) << errors.to_string();
  EXPECT_EQ(o.port, 15084);
  EXPECT_EQ(o.rospec, RospecMode::keep);
  EXPECT_EQ(o.keepalive, milliseconds(5'000));
  EXPECT_EQ(o.missed_keepalives, 2U);
  ASSERT_EQ(o.antennas.size(), 3U);
  EXPECT_EQ(o.antennas[0].role, AntennaRole::outside);
  EXPECT_EQ(o.antennas[1].role, AntennaRole::inside);
  EXPECT_EQ(o.antennas[2].port, 4);
  EXPECT_EQ(o.antennas[2].role, AntennaRole::any);
  EXPECT_EQ(o.pass_gap, milliseconds(1'500));
  EXPECT_EQ(o.max_pass, milliseconds(60'000));
  EXPECT_EQ(o.stage_hold, milliseconds(0));
  EXPECT_EQ(o.rssi_min, -70);
  EXPECT_EQ(o.schemes, (std::vector<std::string>{"sscc-96", "raw"}));
  EXPECT_EQ(o.filter_values, (std::vector<int>{2, 6}));
  EXPECT_TRUE(o.reject_unknown_epc);
}

TEST(LlrpConfig, BadValuesNameTheKey) {
  const std::pair<const char*, const char*> cases[] = {
      {"port: 5084\n", "drivers[0].host"},
      {"host: \"\"\n", "drivers[0].host"},
      {"host: r\nport: 0\n", "drivers[0].port"},
      {"host: r\nport: 70000\n", "drivers[0].port"},
      {"host: r\nrospec: replace\n", "drivers[0].rospec"},
      {"host: r\nkeepalive: 100ms\n", "drivers[0].keepalive"},
      {"host: r\nmissed_keepalives: 0\n", "drivers[0].missed_keepalives"},
      {"host: r\nreconnect_min: 10s\nreconnect_max: 1s\n", "drivers[0].reconnect_max"},
      {"host: r\nantennas:\n  - {port: 1, role: left}\n  - {port: 2, role: any}\n",
       "drivers[0].antennas[0].role"},
      {"host: r\nantennas:\n  - {port: 1}\n  - {port: 1}\n", "drivers[0].antennas[1].port"},
      {"host: r\nantennas:\n  - {port: 1, role: outside}\n", "drivers[0].antennas"},
      {"host: r\npass_gap: 5s\nmax_pass: 5s\n", "drivers[0].max_pass"},
      {"host: r\npass_gap: 50ms\n", "drivers[0].pass_gap"},
      {"host: r\nrssi_min: -200\n", "drivers[0].rssi_min"},
      {"host: r\nfilters:\n  schemes: [sscc96]\n", "drivers[0].filters.schemes"},
      {"host: r\nfilters:\n  filter_values: [8]\n", "drivers[0].filters.filter_values"},
      {"host: r\nunknown_epc: drop\n", "drivers[0].unknown_epc"},
      {"host: r\nantenna: 1\n", "drivers[0].antenna"},
  };
  for (const auto& [body, path] : cases) {
    config::ConfigErrors errors;
    parse(body, errors);
    ASSERT_EQ(errors.size(), 1U) << body << errors.to_string();
    EXPECT_EQ(errors.list()[0].key_path, path) << body << errors.to_string();
  }
}

TEST(LlrpConfig, DoorsOnOneReaderShareItsSettingsAndSplitItsAntennas) {
  config::ConfigErrors errors;
  parse_all({"host: r\nantennas: [{port: 1}, {port: 2}]\n",
             "host: r\nantennas: [{port: 3}, {port: 4}]\n", "host: other\n"},
            errors);
  EXPECT_TRUE(errors.empty()) << errors.to_string();

  config::ConfigErrors differ;
  parse_all({"host: r\nkeepalive: 10s\nantennas: [{port: 1}]\n",
             "host: r\nkeepalive: 5s\nantennas: [{port: 2}]\n"},
            differ);
  ASSERT_EQ(differ.size(), 1U) << differ.to_string();
  EXPECT_EQ(differ.list()[0].key_path, "drivers[1].host");
  EXPECT_NE(differ.to_string().find("reader settings differ"), std::string::npos)
      << differ.to_string();

  config::ConfigErrors twice;
  parse_all({"host: r\nantennas: [{port: 1}, {port: 2}]\n", "host: r\nantennas: [{port: 2}]\n"},
            twice);
  ASSERT_EQ(twice.size(), 1U) << twice.to_string();
  EXPECT_EQ(twice.list()[0].key_path, "drivers[1].antennas");
  EXPECT_NE(twice.to_string().find("antenna 2 of reader r:5084 already belongs to"),
            std::string::npos)
      << twice.to_string();

  config::ConfigErrors all;
  parse_all({"host: r\nantennas: [{port: 1}]\n", "host: r\n"}, all);
  ASSERT_EQ(all.size(), 1U) << all.to_string();
  EXPECT_NE(all.to_string().find("takes every antenna"), std::string::npos) << all.to_string();
}

TEST(LlrpConfig, RegisteredAndShippedExampleParses) {
  ASSERT_NE(find_driver_type("llrp"), nullptr);
  const std::string path = std::string(DOCKGATE_SOURCE_DIR) + "/drivers/llrp/example.yaml";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::stringstream text;
  text << in.rdbuf();
  const YAML::Node root = YAML::Load(text.str());
  std::vector<std::string> bodies;
  for (const auto& d : root["drivers"]) {
    YAML::Node keys = YAML::Clone(d);
    for (const char* common : {"id", "type", "location", "enabled"}) keys.remove(common);
    bodies.push_back(YAML::Dump(keys));
  }
  ASSERT_EQ(bodies.size(), 2U);
  config::ConfigErrors errors;
  const auto options = parse_all(bodies, errors);
  EXPECT_TRUE(errors.empty()) << errors.to_string();
  EXPECT_EQ(llrp_reader_key(options[0]), llrp_reader_key(options[1])) << "doors share a reader";
  EXPECT_EQ(options[1].schemes, std::vector<std::string>{"sscc-96"});
}

}  // namespace
}  // namespace dockgate::drivers
