// SPDX-License-Identifier: Apache-2.0
// Config keys of `type: camera`: the shipped example parses, bad values give errors that
// name the key.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "config/map_reader.hpp"
#include "drivers/camera/camera_options.hpp"
#include "drivers/driver.hpp"

namespace dockgate::drivers {
namespace {

struct Parsed {
  config::ConfigErrors errors;
  CameraOptions options;
  bool ok = false;
};

Parsed parse(const std::string& body) {
  Parsed p;
  config::ReadContext ctx{"dockgate.yaml", p.errors};
  config::MapReader reader(YAML::Load(body), "drivers[0]", ctx, "drivers[]");
  p.ok = read_camera_options(reader, p.options);
  reader.finish();
  return p;
}

TEST(CameraConfig, DefaultsAndDerivedFolders) {
  Parsed p = parse("spool_dir: /srv/cam\n");
  ASSERT_TRUE(p.ok) << p.errors.to_string();
  EXPECT_TRUE(p.errors.empty());
  EXPECT_EQ(p.options.done_dir, "/srv/cam/done");
  EXPECT_EQ(p.options.failed_dir, "/srv/cam/failed");
  EXPECT_EQ(p.options.after, AfterDecode::move);
  EXPECT_EQ(p.options.workers, 1u);
  EXPECT_EQ(p.options.settle.count(), 500);
  EXPECT_EQ(p.options.repeat_window.count(), 2000);
}

TEST(CameraConfig, BadValuesNameTheKey) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"spool_dir: /x\nworkers: 0\n", "drivers[0].workers"},
      {"spool_dir: /x\nworkers: 17\n", "drivers[0].workers"},
      {"spool_dir: /x\nformats: [QRCode, Barcode3000]\n", "drivers[0].formats"},
      {"spool_dir: /x\nafter: archive\n", "drivers[0].after"},
      {"spool_dir: /x\nsettle: 0ms\n", "drivers[0].settle"},
      {"spool_dir: /x\nreopen_min: 5s\nreopen_max: 1s\n", "drivers[0].reopen_max"},
      {"spool_dir: /x\nqueue_limit: 0\n", "drivers[0].queue_limit"},
      {"spool_dir: \"\"\n", "drivers[0].spool_dir"},
      {"spool_dir: /x\nsnapshot_url: http://cam/\n", "drivers[0].snapshot_url"},
      {"snapshot_url: https://cam/snap.jpg\n", "drivers[0].snapshot_url"},
      {"snapshot_url: http://cam/snap.jpg\ninterval: 0s\n", "drivers[0].interval"},
      {"spool_dir: /x\nmystery: 1\n", "drivers[0].mystery"},
  };
  for (const auto& [body, key] : cases) {
    Parsed p = parse(body);
    ASSERT_FALSE(p.errors.empty()) << body;
    EXPECT_EQ(p.errors.list()[0].key_path, key) << body << p.errors.to_string();
  }
  EXPECT_FALSE(parse("workers: 2\n").ok);  // spool_dir is required
}

TEST(CameraConfig, SnapshotUrlInsteadOfSpoolDir) {
  Parsed p = parse("snapshot_url: http://10.0.0.7:8080/snap.jpg\ninterval: 250ms\n");
  ASSERT_TRUE(p.ok) << p.errors.to_string();
  EXPECT_EQ(p.options.snapshot_url, "http://10.0.0.7:8080/snap.jpg");
  EXPECT_EQ(p.options.interval.count(), 250);
  EXPECT_EQ(p.options.timeout.count(), 5000);
}

TEST(CameraConfig, ShippedExampleParsesThroughTheRegistry) {
  const std::string path = std::string(DOCKGATE_SOURCE_DIR) + "/drivers/camera/example.yaml";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::stringstream text;
  text << in.rdbuf();
  config::ConfigErrors errors;
  config::ReadContext ctx{path, errors};
  config::MapReader root(YAML::Load(text.str()), "", ctx);
  auto drivers = root.list("drivers", "drivers", true);
  ASSERT_EQ(drivers.size(), 2u);
  for (auto& d : drivers) {
    std::string id;
    std::string type;
    std::string location;
    bool enabled = true;
    d.required("id", id, "id");
    d.required("type", type, "type");
    d.required("location", location, "location");
    d.optional("enabled", enabled, "enabled");
    const DriverType* t = find_driver_type(type);
    ASSERT_NE(t, nullptr) << type;
    EXPECT_EQ(t->name, "camera");
    EXPECT_TRUE(static_cast<bool>(t->parse(d)));
    d.finish();
  }
  root.finish();
  EXPECT_TRUE(errors.empty()) << errors.to_string();
}

}  // namespace
}  // namespace dockgate::drivers
