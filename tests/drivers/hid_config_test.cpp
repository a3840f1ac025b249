// SPDX-License-Identifier: Apache-2.0
// Config keys of `type: hid_scanner`: defaults, explicit values, bad values with key paths,
// and the shipped example.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "config/map_reader.hpp"
#include "drivers/driver.hpp"
#include "drivers/hid_scanner/hid_options.hpp"

namespace dockgate::drivers {
namespace {

HidOptions parse(const std::string& body, config::ConfigErrors& errors) {
  config::ReadContext ctx{"dockgate.yaml", errors};
  config::MapReader reader(YAML::Load(body), "drivers[0]", ctx, "drivers[]");
  HidOptions options;
  read_hid_options(reader, options);
  reader.finish();
  return options;
}

TEST(HidConfig, DefaultsAndExplicitValues) {
  config::ConfigErrors errors;
  auto o = parse("device: /dev/input/by-id/usb-X-event-kbd\n", errors);
  EXPECT_TRUE(errors.empty()) << errors.to_string();
  EXPECT_EQ(o.layout, KeyboardLayout::us);
  EXPECT_TRUE(o.grab);
  EXPECT_EQ(o.framing.max_frame_bytes, 4096u);
  EXPECT_EQ(o.reopen_min, std::chrono::milliseconds(500));

  o = parse(
      "device: /dev/input/event5\nlayout: de\ngrab: false\ngs_substitute: \"~\"\n"
      "aim_prefix: required\nmax_frame_bytes: 1KB\nreopen_min: 1s\nreopen_max: 1m\n",
      errors);
  EXPECT_TRUE(errors.empty()) << errors.to_string();
  EXPECT_EQ(o.layout, KeyboardLayout::de);
  EXPECT_FALSE(o.grab);
  EXPECT_EQ(o.framing.gs_substitute, "~");
  EXPECT_EQ(o.framing.aim_prefix, AimPrefix::required);
  EXPECT_EQ(o.framing.max_frame_bytes, 1024u);
  EXPECT_EQ(o.reopen_max, std::chrono::minutes(1));
}

TEST(HidConfig, BadValuesNameTheKey) {
  const std::pair<const char*, const char*> cases[] = {
      {"device: x\nlayout: fr\n", "drivers[0].layout"},
      {"device: x\ngrab: maybe\n", "drivers[0].grab"},
      {"device: \"\"\n", "drivers[0].device"},
      {"layout: us\n", "drivers[0].device"},
      {"device: x\nreopen_min: 2s\nreopen_max: 1s\n", "drivers[0].reopen_max"},
      {"device: x\nkeymap: us\n", "drivers[0].keymap"},
  };
  for (const auto& [body, path] : cases) {
    config::ConfigErrors errors;
    parse(body, errors);
    ASSERT_EQ(errors.size(), 1u) << body << errors.to_string();
    EXPECT_EQ(errors.list()[0].key_path, path) << errors.to_string();
  }
}

TEST(HidConfig, RegisteredAndShippedExampleParses) {
  const DriverType* type = find_driver_type("hid_scanner");
  ASSERT_NE(type, nullptr);
  const std::string path = std::string(DOCKGATE_SOURCE_DIR) + "/drivers/hid_scanner/example.yaml";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::stringstream text;
  text << in.rdbuf();
  config::ConfigErrors errors;
  config::ReadContext ctx{path, errors};
  config::MapReader root(YAML::Load(text.str()), "", ctx);
  auto drivers = root.list("drivers", "drivers", true);
  ASSERT_EQ(drivers.size(), 1u);
  for (auto& d : drivers) {
    std::string id, type_name, location;
    bool enabled = true;
    d.required("id", id, "id");
    d.required("type", type_name, "type");
    d.required("location", location, "location");
    d.optional("enabled", enabled, "enabled");
    EXPECT_EQ(type_name, "hid_scanner");
    EXPECT_TRUE(static_cast<bool>(type->parse(d)));
    d.finish();
  }
  root.finish();
  EXPECT_TRUE(errors.empty()) << errors.to_string();
}

}  // namespace
}  // namespace dockgate::drivers
