// SPDX-License-Identifier: Apache-2.0
// Config parsing of `type: modbus`: every key, the defaults, the errors (with key paths), the
// shared-bus check across entries, the reference docs, and the shipped example.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "config/map_reader.hpp"
#include "drivers/driver.hpp"
#include "drivers/modbus/modbus_options.hpp"

namespace dockgate::drivers {
namespace {

using std::chrono::milliseconds;
constexpr const char* kFile = "dockgate.yaml";

struct Parsed {
  config::ConfigErrors errors;
  std::vector<ModbusOptions> options;
  std::vector<bool> ok;
};

// Parses each body as drivers[i] of one file (so bus claims are shared between them).
Parsed parse_all(const std::vector<std::string>& bodies) {
  Parsed p;
  config::ReadContext ctx{kFile, p.errors};
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    YAML::Node node = YAML::Load(bodies[i]);
    config::MapReader reader(node, "drivers[" + std::to_string(i) + "]", ctx, "drivers[]");
    reader.consume("id");  // read by the caller in the real config
    reader.consume("location");
    ModbusOptions o;
    p.ok.push_back(read_modbus_options(reader, o));
    p.options.push_back(std::move(o));
    reader.finish();
  }
  return p;
}

Parsed parse(const std::string& body) {
  return parse_all(std::vector<std::string>{body});
}

const char* kTcpDoor =
    "transport: tcp\n"
    "host: 10.20.3.50\n"
    "points:\n"
    "  trailer_present: {source: discrete_input, address: 0}\n";

TEST(ModbusConfig, EveryKey) {
  Parsed p = parse(
      "transport: rtu\n"
      "device: /dev/ttyUSB1\n"
      "baud: 19200\n"
      "parity: even\n"
      "data_bits: 7\n"
      "stop_bits: 2\n"
      "unit_id: 17\n"
      "response_timeout: 250ms\n"
      "poll_interval: 100ms\n"
      "debounce: 1s\n"
      "reconnect_min: 2s\n"
      "reconnect_max: 1m\n"
      "points:\n"
      "  trailer_present: {source: input_register, address: 40, bit: 3, invert: true}\n"
      "  door_open: {source: coil, address: 65535, debounce: 50ms}\n"
      "  leveler: {source: holding_register, address: 2, bit: 15}\n"
      "outputs:\n"
      "  green: {coil: 16}\n"
      "  red: {coil: 17, pulse: 5s, hold: true}\n"
      "  buzzer: {coil: 18, pulse: 250ms}\n");
  ASSERT_TRUE(p.errors.empty()) << p.errors.to_string();
  ASSERT_TRUE(p.ok[0]);
  const ModbusOptions& o = p.options[0];
  EXPECT_EQ(o.bus.transport, ModbusTransport::rtu);
  EXPECT_EQ(o.bus.device, "/dev/ttyUSB1");
  EXPECT_EQ(o.bus.baud, 19200u);
  EXPECT_EQ(o.bus.parity, 'E');
  EXPECT_EQ(o.bus.data_bits, 7);
  EXPECT_EQ(o.bus.stop_bits, 2);
  EXPECT_EQ(o.unit_id, 17);
  EXPECT_EQ(o.bus.response_timeout, milliseconds(250));
  EXPECT_EQ(o.poll_interval, milliseconds(100));
  EXPECT_EQ(o.debounce, milliseconds(1000));
  EXPECT_EQ(o.bus.reconnect_min, milliseconds(2000));
  EXPECT_EQ(o.bus.reconnect_max, milliseconds(60'000));
  ASSERT_EQ(o.points.size(), 3u);
  EXPECT_EQ(o.points[0].name, "trailer_present");
  EXPECT_EQ(o.points[0].source, PointSource::input_register);
  EXPECT_EQ(o.points[0].address, 40);
  EXPECT_EQ(o.points[0].bit, 3);
  EXPECT_TRUE(o.points[0].invert);
  EXPECT_EQ(o.points[0].debounce, milliseconds(1000));  // the entry's
  EXPECT_EQ(o.points[1].source, PointSource::coil);
  EXPECT_EQ(o.points[1].address, 65535);
  EXPECT_EQ(o.points[1].bit, -1);
  EXPECT_EQ(o.points[1].debounce, milliseconds(50));
  EXPECT_EQ(o.points[2].source, PointSource::holding_register);
  EXPECT_EQ(o.points[2].bit, 15);
  EXPECT_TRUE(o.outputs[0].configured);
  EXPECT_EQ(o.outputs[0].coil, 16);
  EXPECT_EQ(o.outputs[0].pulse, milliseconds(1000));
  EXPECT_EQ(o.outputs[1].coil, 17);
  EXPECT_EQ(o.outputs[1].pulse, milliseconds(5000));
  EXPECT_TRUE(o.outputs[1].hold);
  EXPECT_FALSE(o.outputs[2].hold);
  EXPECT_EQ(o.outputs[2].coil, 18);
  EXPECT_EQ(o.outputs[2].pulse, milliseconds(250));
}

TEST(ModbusConfig, Defaults) {
  Parsed p = parse(kTcpDoor);
  ASSERT_TRUE(p.errors.empty()) << p.errors.to_string();
  const ModbusOptions& o = p.options[0];
  EXPECT_EQ(o.bus.transport, ModbusTransport::tcp);
  EXPECT_EQ(o.bus.host, "10.20.3.50");
  EXPECT_EQ(o.bus.port, 502);
  EXPECT_EQ(o.unit_id, 1);
  EXPECT_EQ(o.bus.response_timeout, milliseconds(500));
  EXPECT_EQ(o.poll_interval, milliseconds(200));
  EXPECT_EQ(o.debounce, milliseconds(500));
  EXPECT_EQ(o.bus.reconnect_min, milliseconds(1000));
  EXPECT_EQ(o.bus.reconnect_max, milliseconds(30'000));
  EXPECT_FALSE(o.points[0].invert);
  EXPECT_EQ(o.points[0].debounce, milliseconds(500));
  for (const auto& out : o.outputs) EXPECT_FALSE(out.configured);
  EXPECT_EQ(o.outputs[0].pulse, milliseconds(1000));
  EXPECT_EQ(o.outputs[1].pulse, milliseconds(3000));
  EXPECT_EQ(o.outputs[2].pulse, milliseconds(500));
}

struct BadEntry {
  const char* body;
  const char* key_path;
  const char* message_part;
};

std::ostream& operator<<(std::ostream& os, const BadEntry& b) {
  return os << b.body;
}

class ModbusBadKey : public ::testing::TestWithParam<BadEntry> {};

TEST_P(ModbusBadKey, IsReportedWithItsKeyPath) {
  const BadEntry& b = GetParam();
  Parsed p = parse(b.body);
  ASSERT_EQ(p.errors.size(), 1u) << p.errors.to_string();
  const auto& e = p.errors.list()[0];
  EXPECT_EQ(e.file, kFile);
  EXPECT_EQ(e.key_path, b.key_path) << e.to_string();
  EXPECT_GT(e.line, 0) << e.to_string();
  EXPECT_NE(e.message.find(b.message_part), std::string::npos) << e.to_string();
  EXPECT_FALSE(p.ok[0]);
}

#define TCP "transport: tcp\nhost: plc\n"
#define RTU "transport: rtu\ndevice: /dev/ttyUSB0\n"
#define PTS "points:\n  trailer_present: {source: discrete_input, address: 0}\n"

INSTANTIATE_TEST_SUITE_P(
    Errors, ModbusBadKey,
    ::testing::Values(
        BadEntry{TCP "points:\n  trailer_present: {source: holding_register, address: 3}\n",
                 "drivers[0].points.trailer_present.bit", "missing required key 'bit'"},
        BadEntry{TCP "points:\n  door_open: {source: coil, address: 3, bit: 2}\n",
                 "drivers[0].points.door_open.bit", "only used with holding_register"},
        BadEntry{TCP "points:\n  door_open: {source: input_register, address: 3, bit: 16}\n",
                 "drivers[0].points.door_open.bit", "expected an integer 0..15, got '16'"},
        BadEntry{TCP "points:\n  door_open: {source: analog_input, address: 3}\n",
                 "drivers[0].points.door_open.source",
                 "expected one of coil|discrete_input|holding_register|input_register"},
        BadEntry{TCP "points:\n  door_open: {source: coil, address: 65536}\n",
                 "drivers[0].points.door_open.address",
                 "expected an integer 0..65535, got '65536'"},
        BadEntry{TCP "points:\n  door_open: {source: coil}\n",
                 "drivers[0].points.door_open.address", "missing required key 'address'"},
        BadEntry{TCP "points:\n  door_open: {source: coil, address: 1, adress: 2}\n",
                 "drivers[0].points.door_open.adress", "unknown key"},
        BadEntry{TCP "points:\n  door open: {source: coil, address: 1}\n",
                 "drivers[0].points.door open", "point name"},
        BadEntry{TCP "points:\n  door_open: 7\n", "drivers[0].points.door_open",
                 "expected a mapping"},
        BadEntry{TCP "points: {}\n", "drivers[0].points", "at least one point"},
        BadEntry{TCP, "drivers[0].points", "missing required section 'points'"},
        BadEntry{TCP "unit_id: 250\n" PTS, "drivers[0].unit_id", "0..247 or 255"},
        BadEntry{RTU "unit_id: 0\n" PTS, "drivers[0].unit_id", "1..247"},
        BadEntry{RTU "unit_id: 248\n" PTS, "drivers[0].unit_id", "1..247"},
        BadEntry{TCP "unit_id: -1\n" PTS, "drivers[0].unit_id", "0..247 or 255"},
        BadEntry{"transport: tcp\n" PTS, "drivers[0].host", "missing required key 'host'"},
        BadEntry{"transport: rtu\n" PTS, "drivers[0].device", "missing required key 'device'"},
        BadEntry{"host: plc\n" PTS, "drivers[0].transport", "missing required key 'transport'"},
        BadEntry{"transport: udp\nhost: plc\n" PTS, "drivers[0].transport",
                 "expected one of tcp|rtu"},
        BadEntry{TCP "baud: 9600\n" PTS, "drivers[0].baud", "only used with transport: rtu"},
        BadEntry{RTU "port: 502\n" PTS, "drivers[0].port", "only used with transport: tcp"},
        BadEntry{RTU "baud: 2000000\n" PTS, "drivers[0].baud", "unsupported baud rate 2000000"},
        BadEntry{RTU "parity: mark\n" PTS, "drivers[0].parity", "expected one of none|even|odd"},
        BadEntry{RTU "data_bits: 5\n" PTS, "drivers[0].data_bits", "must be 7 or 8"},
        BadEntry{TCP "port: 0\n" PTS, "drivers[0].port", "expected an integer 1..65535, got '0'"},
        BadEntry{TCP "response_timeout: 5ms\n" PTS, "drivers[0].response_timeout",
                 "between 10ms and 60s"},
        BadEntry{TCP "poll_interval: 0\n" PTS, "drivers[0].poll_interval", "between 10ms and 1h"},
        BadEntry{TCP "reconnect_min: 10s\nreconnect_max: 5s\n" PTS, "drivers[0].reconnect_max",
                 "must not be less than reconnect_min"},
        BadEntry{TCP PTS "outputs:\n  green: {pulse: 1s}\n", "drivers[0].outputs.green.coil",
                 "missing required key 'coil'"},
        BadEntry{TCP PTS "outputs:\n  green: {coil: 1, pulse: 0}\n",
                 "drivers[0].outputs.green.pulse", "between 1ms and 10m"},
        BadEntry{TCP PTS "outputs:\n  amber: {coil: 1}\n", "drivers[0].outputs.amber",
                 "unknown key"},
        BadEntry{TCP PTS "outputs:\n  green: {coil: 1, hold: true}\n",
                 "drivers[0].outputs.green.hold", "unknown key"}));

#undef TCP
#undef RTU
#undef PTS

TEST(ModbusConfig, EntriesOnOneRtuLineMustAgreeOnTheLineSettings) {
  Parsed p =
      parse_all({"id: door03-io\ntransport: rtu\ndevice: /dev/ttyUSB0\nbaud: 9600\nunit_id: 1\n"
                 "points:\n  trailer_present: {source: discrete_input, address: 0}\n",
                 "id: door04-io\ntransport: rtu\ndevice: /dev/ttyUSB0\nbaud: 19200\nunit_id: 2\n"
                 "points:\n  trailer_present: {source: discrete_input, address: 0}\n"});
  ASSERT_EQ(p.errors.size(), 1u) << p.errors.to_string();
  const auto& e = p.errors.list()[0];
  EXPECT_EQ(e.key_path, "drivers[1].baud");
  EXPECT_EQ(e.line, 4);
  EXPECT_NE(
      e.message.find("shares the bus modbus-rtu:///dev/ttyUSB0 with drivers[0] (id door03-io)"),
      std::string::npos)
      << e.message;
  EXPECT_NE(e.message.find("baud 19200 here, 9600 there"), std::string::npos) << e.message;
  EXPECT_TRUE(p.ok[0]);
  EXPECT_FALSE(p.ok[1]);
}

TEST(ModbusConfig, EntriesOnOneTcpEndpointMustAgreeOnTheResponseTimeout) {
  const std::string door = "transport: tcp\nhost: 10.0.0.5\nunit_id: 1\n" +
                           std::string("points:\n  door_open: {source: coil, address: 0}\n");
  Parsed p = parse_all({door, door + "response_timeout: 1s\n", door,
                        "transport: tcp\nhost: 10.0.0.5\nport: 503\nresponse_timeout: 1s\n"
                        "points:\n  door_open: {source: coil, address: 0}\n"});
  ASSERT_EQ(p.errors.size(), 1u) << p.errors.to_string();
  EXPECT_EQ(p.errors.list()[0].key_path, "drivers[1].response_timeout");
  EXPECT_NE(p.errors.list()[0].message.find("response_timeout 1s here, 500ms there"),
            std::string::npos)
      << p.errors.list()[0].message;
  EXPECT_TRUE(p.ok[2]) << "same settings share the bus";
  EXPECT_TRUE(p.ok[3]) << "another port is another bus";
}

TEST(ModbusConfig, DifferentDevicesAreDifferentBuses) {
  Parsed p =
      parse_all({"transport: rtu\ndevice: /dev/ttyUSB0\nbaud: 9600\n"
                 "points:\n  door_open: {source: coil, address: 0}\n",
                 "transport: rtu\ndevice: /dev/ttyUSB1\nbaud: 19200\n"
                 "points:\n  door_open: {source: coil, address: 0}\n"});
  EXPECT_TRUE(p.errors.empty()) << p.errors.to_string();
}

TEST(ModbusConfig, ReferenceDocsListThePointAndOutputKeys) {
  config::ConfigErrors ignored;
  std::vector<config::KeyDoc> docs;
  config::ReadContext ctx{"<reference>", ignored, &docs};
  YAML::Node node(YAML::NodeType::Map);
  config::MapReader reader(node, "drivers[0]", ctx, "drivers[]");
  ModbusOptions o;
  read_modbus_options(reader, o);
  auto has = [&](const std::string& path) {
    return std::any_of(docs.begin(), docs.end(),
                       [&](const config::KeyDoc& d) { return d.path == path; });
  };
  for (const char* key : {"transport", "host", "port", "device", "baud", "parity", "data_bits",
                          "stop_bits", "unit_id", "response_timeout", "poll_interval", "debounce",
                          "reconnect_min", "reconnect_max", "points", "outputs"}) {
    EXPECT_TRUE(has(std::string("drivers[].") + key)) << key;
  }
  for (const char* key : {"source", "address", "bit", "invert", "debounce"}) {
    EXPECT_TRUE(has(std::string("drivers[].points.<name>.") + key)) << key;
  }
  for (const char* out : {"green", "red", "buzzer"}) {
    EXPECT_TRUE(has(std::string("drivers[].outputs.") + out + ".coil")) << out;
    EXPECT_TRUE(has(std::string("drivers[].outputs.") + out + ".pulse")) << out;
  }
}

TEST(ModbusConfig, RegisteredAsADockSensorType) {
  const DriverType* type = find_driver_type("modbus");
  ASSERT_NE(type, nullptr);
  EXPECT_TRUE(type->dock_sensor);
  EXPECT_FALSE(find_driver_type("serial_scanner")->dock_sensor);
}

TEST(ModbusConfig, ShippedExampleParses) {
  YAML::Node doc = YAML::LoadFile(DOCKGATE_SOURCE_DIR "/drivers/modbus/example.yaml");
  config::ConfigErrors errors;
  config::ReadContext ctx{"example.yaml", errors};
  const DriverType* type = find_driver_type("modbus");
  ASSERT_NE(type, nullptr);
  ASSERT_TRUE(doc["drivers"].IsSequence());
  ASSERT_GE(doc["drivers"].size(), 3u);
  for (std::size_t i = 0; i < doc["drivers"].size(); ++i) {
    config::MapReader reader(doc["drivers"][i], "drivers[" + std::to_string(i) + "]", ctx,
                             "drivers[]");
    for (const char* common : {"id", "type", "location", "enabled"}) reader.consume(common);
    type->parse(reader);
    reader.finish();
  }
  EXPECT_TRUE(errors.empty()) << errors.to_string();
}

}  // namespace
}  // namespace dockgate::drivers
