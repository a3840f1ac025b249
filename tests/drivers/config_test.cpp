// SPDX-License-Identifier: Apache-2.0
// Config parsing of the driver types: every key's bad value gives an error naming the file,
// line, column and key path; examples shipped with the drivers parse cleanly.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "config/map_reader.hpp"
#include "drivers/driver.hpp"
#include "drivers/serial_scanner/serial_options.hpp"
#include "drivers/tcp_scanner/tcp_options.hpp"

namespace dockgate::drivers {
namespace {

constexpr const char* kFile = "dockgate.yaml";

struct Parsed {
  config::ConfigErrors errors;
  DriverFactory factory;
};

// Parses `body` (the driver's own keys, one per line) as drivers[0] of a file.
Parsed parse_driver(const std::string& type, const std::string& body) {
  Parsed p;
  config::ReadContext ctx{kFile, p.errors};
  YAML::Node node = YAML::Load(body);
  config::MapReader reader(node, "drivers[0]", ctx, "drivers[]");
  const DriverType* t = find_driver_type(type);
  EXPECT_NE(t, nullptr);
  if (t == nullptr) return p;
  p.factory = t->parse(reader);
  reader.finish();
  return p;
}

struct BadValue {
  const char* type;
  const char* body;  // line 1 is valid, the bad key is on line `line`
  const char* key_path;
  const char* message_part;
  int line;
};

std::ostream& operator<<(std::ostream& os, const BadValue& b) {
  return os << b.body;
}

class BadDriverKey : public ::testing::TestWithParam<BadValue> {};

TEST_P(BadDriverKey, IsReportedWithFileLineColumnAndKeyPath) {
  const BadValue& b = GetParam();
  Parsed p = parse_driver(b.type, b.body);
  ASSERT_EQ(p.errors.size(), 1u) << p.errors.to_string();
  const auto& e = p.errors.list()[0];
  EXPECT_EQ(e.file, kFile);
  EXPECT_EQ(e.key_path, b.key_path) << e.to_string();
  EXPECT_EQ(e.line, b.line) << e.to_string();
  EXPECT_GT(e.column, 0) << e.to_string();
  EXPECT_NE(e.message.find(b.message_part), std::string::npos) << e.to_string();
}

constexpr const char* kDev = "device: /dev/ttyUSB0\n";

INSTANTIATE_TEST_SUITE_P(
    Serial, BadDriverKey,
    ::testing::Values(
        BadValue{"serial_scanner", "baud: 9600\n", "drivers[0].device",
                 "missing required key 'device'", 1},
        BadValue{"serial_scanner", "baud: 9600\ndevice: ''\n", "drivers[0].device",
                 "must not be empty", 2},
        BadValue{"serial_scanner", "baud: 9600\ndevice: [a, b]\n", "drivers[0].device",
                 "expected string", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\nbaud: 12345\n", "drivers[0].baud",
                 "unsupported baud rate 12345", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\nbaud: fast\n", "drivers[0].baud",
                 "expected an integer 0..4294967295, got 'fast'", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\nbaud: -9600\n", "drivers[0].baud",
                 "expected an integer 0..4294967295", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\nparity: mark\n", "drivers[0].parity",
                 "expected one of none|even|odd", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\ndata_bits: 6\n", "drivers[0].data_bits",
                 "must be 7 or 8", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\ndata_bits: eight\n",
                 "drivers[0].data_bits", "expected an integer", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\nstop_bits: 3\n", "drivers[0].stop_bits",
                 "must be 1 or 2", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\nflow_control: rts\n",
                 "drivers[0].flow_control", "expected one of none|hardware|software", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\nmax_frame_bytes: 4\n",
                 "drivers[0].max_frame_bytes", "between 16 and 1048576", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\nmax_frame_bytes: 2GB\n",
                 "drivers[0].max_frame_bytes", "between 16 and 1048576", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\nmax_frame_bytes: lots\n",
                 "drivers[0].max_frame_bytes", "expected a size", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\naim_prefix: yes\n",
                 "drivers[0].aim_prefix", "expected one of auto|required|none", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\ngs_substitute: \"\\r\"\n",
                 "drivers[0].gs_substitute", "must not contain CR or LF", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\ngs_substitute: abcdefghijklmnopq\n",
                 "drivers[0].gs_substitute", "at most 16 bytes", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\ngs_substitute: {a: 1}\n",
                 "drivers[0].gs_substitute", "expected string", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\nreopen_min: 0\n", "drivers[0].reopen_min",
                 "greater than 0", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\nreopen_min: soon\n",
                 "drivers[0].reopen_min", "expected a duration", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\nreopen_max: 100ms\n",
                 "drivers[0].reopen_max", "not be less than reopen_min", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\nreopen_max: 5 s\n",
                 "drivers[0].reopen_max", "expected a duration", 2},
        BadValue{"serial_scanner", "device: /dev/ttyUSB0\nbauds: 9600\n", "drivers[0].bauds",
                 "unknown key", 2}));

INSTANTIATE_TEST_SUITE_P(
    Tcp, BadDriverKey,
    ::testing::Values(BadValue{"tcp_scanner", "host: 10.0.0.5\nport: 23\n", "drivers[0].mode",
                               "missing required key 'mode'", 1},
                      BadValue{"tcp_scanner", "port: 23\nmode: both\n", "drivers[0].mode",
                               "expected one of client|server", 2},
                      BadValue{"tcp_scanner", "mode: client\nport: 23\n", "drivers[0].host",
                               "missing required key 'host'", 1},
                      BadValue{"tcp_scanner", "mode: client\nhost: ''\nport: 23\n",
                               "drivers[0].host", "must not be empty", 2},
                      BadValue{"tcp_scanner", "mode: server\nhost: 10.0.0.5\nport: 23\n",
                               "drivers[0].host", "only used with mode: client", 2},
                      BadValue{"tcp_scanner", "mode: client\nhost: 10.0.0.5\n", "drivers[0].port",
                               "missing required key 'port'", 1},
                      BadValue{"tcp_scanner", "mode: server\nport: 0\n", "drivers[0].port",
                               "expected an integer 1..65535, got '0'", 2},
                      BadValue{"tcp_scanner", "mode: server\nport: 65536\n", "drivers[0].port",
                               "expected an integer 1..65535, got '65536'", 2},
                      BadValue{"tcp_scanner", "mode: server\nport: telnet\n", "drivers[0].port",
                               "expected an integer 1..65535, got 'telnet'", 2},
                      BadValue{"tcp_scanner", "mode: server\nbind: localhost\nport: 23\n",
                               "drivers[0].bind", "not an IP address", 2},
                      BadValue{"tcp_scanner", "mode: client\nbind: 0.0.0.0\nhost: h\nport: 23\n",
                               "drivers[0].bind", "only used with mode: server", 2},
                      BadValue{"tcp_scanner", "mode: server\nmax_connections: 0\nport: 23\n",
                               "drivers[0].max_connections", "expected an integer 1..1024", 2},
                      BadValue{"tcp_scanner", "mode: server\nmax_connections: many\nport: 23\n",
                               "drivers[0].max_connections", "expected an integer 1..1024", 2},
                      BadValue{"tcp_scanner", "mode: server\nidle_timeout: -1s\nport: 23\n",
                               "drivers[0].idle_timeout", "expected a duration", 2},
                      BadValue{"tcp_scanner", "mode: client\nidle_timeout: 1m\nhost: h\nport: 23\n",
                               "drivers[0].idle_timeout", "only used with mode: server", 2},
                      BadValue{"tcp_scanner",
                               "mode: client\nmax_connections: 4\nhost: h\nport: 23\n",
                               "drivers[0].max_connections", "only used with mode: server", 2},
                      BadValue{"tcp_scanner",
                               "mode: client\nconnect_timeout: 0s\nhost: h\nport: 23\n",
                               "drivers[0].connect_timeout", "greater than 0", 2},
                      BadValue{"tcp_scanner", "mode: server\nconnect_timeout: 5s\nport: 23\n",
                               "drivers[0].connect_timeout", "only used with mode: client", 2},
                      BadValue{"tcp_scanner", "mode: server\nreconnect_min: never\nport: 23\n",
                               "drivers[0].reconnect_min", "expected a duration", 2},
                      BadValue{"tcp_scanner", "mode: server\nreconnect_max: 1ms\nport: 23\n",
                               "drivers[0].reconnect_max", "not be less than reconnect_min", 2},
                      BadValue{"tcp_scanner", "mode: server\nmax_frame_bytes: 8\nport: 23\n",
                               "drivers[0].max_frame_bytes", "between 16 and", 2},
                      BadValue{"tcp_scanner", "mode: server\naim_prefix: always\nport: 23\n",
                               "drivers[0].aim_prefix", "expected one of auto|required|none", 2},
                      BadValue{"tcp_scanner", "mode: server\ngs_substitute: \"a\\nb\"\nport: 23\n",
                               "drivers[0].gs_substitute", "must not contain CR or LF", 2},
                      BadValue{"tcp_scanner", "mode: server\nkeepalive: true\nport: 23\n",
                               "drivers[0].keepalive", "unknown key", 2}));

TEST(DriverConfig, SerialDefaultsAndExplicitValues) {
  config::ConfigErrors errors;
  config::ReadContext ctx{kFile, errors};
  SerialOptions defaults;
  config::MapReader r1(YAML::Load(kDev), "drivers[0]", ctx);
  EXPECT_TRUE(read_serial_options(r1, defaults));
  EXPECT_EQ(defaults.baud, 9600u);
  EXPECT_EQ(line_settings(defaults), "9600 8N1");
  EXPECT_EQ(defaults.framing.max_frame_bytes, 4096u);
  EXPECT_EQ(defaults.framing.aim_prefix, AimPrefix::automatic);
  EXPECT_EQ(defaults.reopen_min, std::chrono::milliseconds(500));
  EXPECT_EQ(defaults.reopen_max, std::chrono::seconds(30));

  SerialOptions o;
  config::MapReader r2(YAML::Load("device: /dev/ttyS0\nbaud: 115200\nparity: odd\ndata_bits: 7\n"
                                  "stop_bits: 2\nflow_control: hardware\nmax_frame_bytes: 8KB\n"
                                  "aim_prefix: required\ngs_substitute: <GS>\nreopen_min: 1s\n"
                                  "reopen_max: 2m\n"),
                       "drivers[0]", ctx);
  EXPECT_TRUE(read_serial_options(r2, o));
  r2.finish();
  EXPECT_TRUE(errors.empty()) << errors.to_string();
  EXPECT_EQ(line_settings(o), "115200 7O2 RTS/CTS");
  EXPECT_EQ(o.framing.max_frame_bytes, 8192u);
  EXPECT_EQ(o.framing.aim_prefix, AimPrefix::required);
  EXPECT_EQ(o.framing.gs_substitute, "<GS>");
  EXPECT_EQ(o.reopen_max, std::chrono::minutes(2));
}

TEST(DriverConfig, TcpModes) {
  config::ConfigErrors errors;
  config::ReadContext ctx{kFile, errors};
  TcpOptions client;
  config::MapReader r1(YAML::Load("mode: client\nhost: scanner-3.dock\nport: 2001\n"), "d", ctx);
  EXPECT_TRUE(read_tcp_options(r1, client));
  EXPECT_EQ(client.mode, TcpMode::client);
  EXPECT_EQ(client.host, "scanner-3.dock");
  EXPECT_EQ(client.connect_timeout, std::chrono::seconds(5));

  TcpOptions server;
  config::MapReader r2(YAML::Load("mode: server\nport: 5555\n"), "d", ctx);
  EXPECT_TRUE(read_tcp_options(r2, server));
  EXPECT_EQ(server.mode, TcpMode::server);
  EXPECT_EQ(server.bind, "0.0.0.0");
  EXPECT_EQ(server.max_connections, 16u);
  EXPECT_TRUE(errors.empty()) << errors.to_string();
}

TEST(DriverRegistry, ListsEachTypeOnce) {
  EXPECT_NE(find_driver_type("serial_scanner"), nullptr);
  EXPECT_NE(find_driver_type("tcp_scanner"), nullptr);
  EXPECT_EQ(find_driver_type("Serial_Scanner"), nullptr);
  EXPECT_EQ(find_driver_type(""), nullptr);
  const auto& types = driver_types();
  for (std::size_t i = 0; i < types.size(); ++i) {
    EXPECT_FALSE(types[i].help.empty());
    EXPECT_TRUE(static_cast<bool>(types[i].parse));
    for (std::size_t j = i + 1; j < types.size(); ++j) EXPECT_NE(types[i].name, types[j].name);
  }
}

TEST(DriverRegistry, EveryKeyIsDocumentedWithHelp) {
  for (const auto& type : driver_types()) {
    config::ConfigErrors errors;
    std::vector<config::KeyDoc> docs;
    config::ReadContext ctx{kFile, errors, &docs};
    config::MapReader reader(YAML::Node(), "drivers[0]", ctx, "drivers[]");
    type.parse(reader);
    ASSERT_FALSE(docs.empty()) << type.name;
    for (const auto& d : docs) {
      EXPECT_EQ(d.path.rfind("drivers[].", 0), 0u) << d.path;
      EXPECT_FALSE(d.help.empty()) << d.path;
    }
  }
}

// Parses the `drivers:` list of an example.yaml the way the agent config does.
void expect_example_parses(const std::string& relative) {
  const std::string path = std::string(DOCKGATE_SOURCE_DIR) + "/" + relative;
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::stringstream text;
  text << in.rdbuf();
  config::ConfigErrors errors;
  config::ReadContext ctx{path, errors};
  config::MapReader root(YAML::Load(text.str()), "", ctx);
  auto drivers = root.list("drivers", "drivers", true);
  ASSERT_FALSE(drivers.empty()) << path;
  for (auto& d : drivers) {
    std::string id, type, location;
    bool enabled = true;
    d.required("id", id, "id");
    d.required("type", type, "type");
    d.required("location", location, "location");
    d.optional("enabled", enabled, "enabled");
    const DriverType* t = find_driver_type(type);
    ASSERT_NE(t, nullptr) << type;
    EXPECT_TRUE(static_cast<bool>(t->parse(d)));
    d.finish();
  }
  root.finish();
  EXPECT_TRUE(errors.empty()) << errors.to_string();
}

TEST(DriverConfig, ShippedExamplesParse) {
  expect_example_parses("drivers/serial_scanner/example.yaml");
  expect_example_parses("drivers/tcp_scanner/example.yaml");
}

}  // namespace
}  // namespace dockgate::drivers
