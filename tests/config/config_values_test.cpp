// SPDX-License-Identifier: Apache-2.0
// Values the reader produces: defaults, durations and sizes, relative path resolution, and
// the reference docs built from the same declarations.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "config/map_reader.hpp"
#include "tests/config/config_fixture.hpp"

namespace dockgate::config::test {
namespace {

using std::chrono::milliseconds;

TEST(ConfigValues, DefaultsComeFromTheOptionStructs) {
  Parsed p = parse(kBaseConfig);
  ASSERT_TRUE(p.config.has_value()) << p.errors.to_string();
  const AgentConfig& c = *p.config;
  const buffer::OutboxOptions buffer_defaults;
  EXPECT_EQ(c.buffer.sync, buffer_defaults.sync);
  EXPECT_EQ(c.buffer.commit_max_rows, buffer_defaults.commit_max_rows);
  EXPECT_EQ(c.buffer.commit_max_delay, buffer_defaults.commit_max_delay);
  EXPECT_EQ(c.buffer.max_bytes, buffer_defaults.max_bytes);
  EXPECT_EQ(c.buffer.fetch_batch_rows, buffer_defaults.fetch_batch_rows);
  const uplink::MqttOptions mqtt_defaults;
  EXPECT_EQ(c.mqtt.uri, mqtt_defaults.uri);
  EXPECT_EQ(c.mqtt.topic_prefix, mqtt_defaults.topic_prefix);
  EXPECT_EQ(c.mqtt.keepalive, mqtt_defaults.keepalive);
  EXPECT_EQ(c.mqtt.inflight_window, mqtt_defaults.inflight_window);
  EXPECT_EQ(c.mqtt.max_message_bytes, mqtt_defaults.max_message_bytes);
  EXPECT_EQ(c.mqtt.reconnect_min, mqtt_defaults.reconnect_min);
  EXPECT_EQ(c.mqtt.reconnect_max, mqtt_defaults.reconnect_max);
  EXPECT_EQ(c.mqtt.verify_hostname, mqtt_defaults.verify_hostname);
  EXPECT_EQ(c.dedup_window, std::chrono::seconds(5));
  EXPECT_EQ(c.log.level, "info");
  EXPECT_EQ(c.site.time_zone_offset, "local");
  EXPECT_TRUE(c.drivers.at(0).enabled);
  EXPECT_TRUE(c.drivers.at(0).factory);
  EXPECT_EQ(c.locations.at(1).name, "");
}

TEST(ConfigValues, DurationsAndSizesParse) {
  const std::string text = kBaseConfig +
                           "  commit_max_delay: 250ms\n  max_bytes: 512MB\n"
                           "  fetch_batch_rows: 500\n"
                           "uplink:\n  mqtt:\n    keepalive: 45s\n    connect_timeout: 1m\n"
                           "    reconnect_min: 750\n    reconnect_max: 20m\n"
                           "    max_message_bytes: 64KiB\n    status_interval: 90s\n"
                           "dedup_window: 0\ndevice_down_grace: 300ms\n";
  Parsed p = parse(text);
  ASSERT_TRUE(p.config.has_value()) << p.errors.to_string();
  const AgentConfig& c = *p.config;
  EXPECT_EQ(c.buffer.commit_max_delay, milliseconds(250));
  EXPECT_EQ(c.buffer.max_bytes, 512ULL * 1024 * 1024);
  EXPECT_EQ(c.buffer.fetch_batch_rows, 500u);
  EXPECT_EQ(c.mqtt.keepalive, std::chrono::seconds(45));
  EXPECT_EQ(c.mqtt.connect_timeout, std::chrono::minutes(1));
  EXPECT_EQ(c.mqtt.reconnect_min, milliseconds(750));  // a bare integer is milliseconds
  EXPECT_EQ(c.mqtt.reconnect_max, std::chrono::minutes(20));
  EXPECT_EQ(c.mqtt.max_message_bytes, 64u * 1024u);
  EXPECT_EQ(c.mqtt.status_interval, std::chrono::seconds(90));
  EXPECT_EQ(c.dedup_window, milliseconds(0));
  EXPECT_EQ(c.device_down_grace, milliseconds(300));
}

TEST(ConfigValues, MqttProtocolAndSessionExpiry) {
  Parsed def = parse(kBaseConfig);
  ASSERT_TRUE(def.config.has_value()) << def.errors.to_string();
  EXPECT_EQ(def.config->mqtt.protocol, uplink::MqttProtocol::v5);
  EXPECT_EQ(def.config->mqtt.session_expiry, std::chrono::seconds(0));

  Parsed p = parse(kBaseConfig + "uplink:\n  mqtt:\n    protocol: 3.1.1\n    session_expiry: 1h\n");
  ASSERT_TRUE(p.config.has_value()) << p.errors.to_string();
  EXPECT_EQ(p.config->mqtt.protocol, uplink::MqttProtocol::v3_1_1);
  EXPECT_EQ(p.config->mqtt.session_expiry, std::chrono::hours(1));

  Parsed five = parse(kBaseConfig + "uplink:\n  mqtt:\n    protocol: 5\n");
  ASSERT_TRUE(five.config.has_value()) << five.errors.to_string();
  EXPECT_EQ(five.config->mqtt.protocol, uplink::MqttProtocol::v5);

  ConfigError e = single_error(kBaseConfig + "uplink:\n  mqtt:\n    protocol: 4\n");
  EXPECT_EQ(e.key_path, "uplink.mqtt.protocol");
  EXPECT_NE(e.message.find("5|3.1.1"), std::string::npos) << e.message;
  e = single_error(kBaseConfig + "uplink:\n  mqtt:\n    session_expiry: 1500ms\n");
  EXPECT_EQ(e.key_path, "uplink.mqtt.session_expiry");
}

TEST(ConfigValues, ReconnectMaxAboveAnHourIsRejected) {
  ConfigError e = single_error(kBaseConfig + "uplink:\n  mqtt:\n    reconnect_max: 3h\n");
  EXPECT_EQ(e.key_path, "uplink.mqtt.reconnect_max");
  EXPECT_EQ(e.message, "must be from 10ms to 1h, got 3h");
}

TEST(ConfigValues, ExceptionLimitDefaultsValuesAndRanges) {
  Parsed d = parse(kBaseConfig);
  ASSERT_TRUE(d.config) << d.errors.to_string();
  EXPECT_EQ(d.config->exception_limit.burst, 10u);
  EXPECT_EQ(d.config->exception_limit.interval, std::chrono::seconds(60));
  Parsed p = parse(kBaseConfig + "exception_limit:\n  burst: 25\n  interval: 2m\n");
  ASSERT_TRUE(p.config) << p.errors.to_string();
  EXPECT_EQ(p.config->exception_limit.burst, 25u);
  EXPECT_EQ(p.config->exception_limit.interval, std::chrono::minutes(2));
  Parsed bad = parse(kBaseConfig + "exception_limit:\n  burst: 0\n  interval: 500ms\n");
  ASSERT_EQ(bad.errors.size(), 2u) << bad.errors.to_string();
  EXPECT_EQ(bad.errors.list()[0].key_path, "exception_limit.burst");
  EXPECT_EQ(bad.errors.list()[0].message, "expected an integer 1..10000, got 0");
  EXPECT_EQ(bad.errors.list()[1].key_path, "exception_limit.interval");
  EXPECT_EQ(bad.errors.list()[1].message, "must be from 1s to 1h, got 500ms");
}

TEST(ConfigValues, PlansDefaultsValuesAndRanges) {
  Parsed d = parse(kBaseConfig);
  ASSERT_TRUE(d.config) << d.errors.to_string();
  EXPECT_EQ(d.config->plans.dir, "");
  EXPECT_TRUE(d.config->plans.unexpected_alarm);
  EXPECT_EQ(d.config->plans.late_grace, std::chrono::minutes(15));
  EXPECT_EQ(d.config->plans.window_margin, std::chrono::hours(2));
  EXPECT_EQ(d.config->plans.keep_finished, std::chrono::hours(24));
  Parsed p = parse(kBaseConfig +
                   "plans:\n  dir: /srv/plans\n  unexpected_unit: record_only\n  late_grace: 5m\n"
                   "  window_margin: 30m\n  keep_finished: 2h\n");
  ASSERT_TRUE(p.config) << p.errors.to_string();
  EXPECT_EQ(p.config->plans.dir, "/srv/plans");
  EXPECT_FALSE(p.config->plans.unexpected_alarm);
  EXPECT_EQ(p.config->plans.late_grace, std::chrono::minutes(5));
  EXPECT_EQ(p.config->plans.window_margin, std::chrono::minutes(30));
  EXPECT_EQ(p.config->plans.keep_finished, std::chrono::hours(2));
  Parsed bad = parse(kBaseConfig +
                     "plans:\n  unexpected_unit: shout\n  late_grace: 2d\n  keep_finished: 1s\n"
                     "  folder: /x\n");
  ASSERT_EQ(bad.errors.size(), 4u) << bad.errors.to_string();
  EXPECT_EQ(bad.errors.list()[0].key_path, "plans.unexpected_unit");
  EXPECT_EQ(bad.errors.list()[1].key_path, "plans.late_grace");
  EXPECT_EQ(bad.errors.list()[2].key_path, "plans.keep_finished");
  EXPECT_EQ(bad.errors.list()[3].key_path, "plans.folder");
}

TEST(ConfigValues, BadDurationAndSize) {
  const std::string text = kBaseConfig + "  max_bytes: 5 gigs\ndedup_window: 5 sec\n";
  Parsed p = parse(text);
  ASSERT_EQ(p.errors.size(), 2u) << p.errors.to_string();
  EXPECT_EQ(p.errors.list()[0].key_path, "buffer.max_bytes");
  EXPECT_EQ(position(p.errors.list()[0]), at(text, "5 gigs"));
  EXPECT_EQ(p.errors.list()[1].key_path, "dedup_window");
  EXPECT_EQ(position(p.errors.list()[1]), at(text, "5 sec"));
}

TEST(ParseDuration, UnitsAndRejects) {
  EXPECT_EQ(parse_duration("250ms"), milliseconds(250));
  EXPECT_EQ(parse_duration("5s"), milliseconds(5'000));
  EXPECT_EQ(parse_duration("2m"), milliseconds(120'000));
  EXPECT_EQ(parse_duration("1h"), milliseconds(3'600'000));
  EXPECT_EQ(parse_duration("42"), milliseconds(42));
  EXPECT_FALSE(parse_duration("").has_value());
  EXPECT_FALSE(parse_duration("-5s").has_value());
  EXPECT_FALSE(parse_duration("1.5s").has_value());
  EXPECT_FALSE(parse_duration("5 s").has_value());
  EXPECT_FALSE(parse_duration("5d").has_value());
  EXPECT_FALSE(parse_duration("9223372036854775807h").has_value());  // overflow
}

TEST(ParseByteSize, UnitsAndRejects) {
  EXPECT_EQ(parse_byte_size("512"), 512u);
  EXPECT_EQ(parse_byte_size("64KB"), 64u * 1024);
  EXPECT_EQ(parse_byte_size("64KiB"), 64u * 1024);
  EXPECT_EQ(parse_byte_size("3MB"), 3u * 1024 * 1024);
  EXPECT_EQ(parse_byte_size("2GiB"), 2ULL << 30);
  EXPECT_FALSE(parse_byte_size("").has_value());
  EXPECT_FALSE(parse_byte_size("-1").has_value());
  EXPECT_FALSE(parse_byte_size("1TB").has_value());
  EXPECT_FALSE(parse_byte_size("18446744073709551615GB").has_value());  // overflow
}

TEST(ConfigValues, RelativePathsResolveAgainstTheConfigDirectory) {
  TempDir dir;
  std::filesystem::create_directories(dir.file("etc/tls"));
  write_file(dir.file("etc/mqtt.pw"), "secret\n");
  write_file(dir.file("etc/tls/ca.pem"), "ca");
  write_file(dir.file("etc/tls/gw.crt"), "cert");
  write_file(dir.file("etc/tls/gw.key"), "key");
  const std::string text =
      with(kBaseConfig, "path: /tmp/dockgate-config-test/outbox.db", "path: ../state/outbox.db") +
      "uplink:\n  mqtt:\n    uri: mqtts://[::1]:8883\n    username: gw\n"
      "    password_file: mqtt.pw\n    ca_file: ./tls/ca.pem\n"
      "    cert_file: tls/gw.crt\n    key_file: " +
      dir.file("etc/tls/gw.key") + "\n";
  const std::string file = dir.file("etc/dockgate.yaml");
  write_file(file, text);

  ConfigErrors errors;
  auto c = load_agent_config(file, errors);
  ASSERT_TRUE(c.has_value()) << errors.to_string();
  EXPECT_EQ(c->buffer.path, dir.file("state/outbox.db"));
  EXPECT_EQ(c->mqtt.password_file, dir.file("etc/mqtt.pw"));
  EXPECT_EQ(c->mqtt.ca_file, dir.file("etc/tls/ca.pem"));
  EXPECT_EQ(c->mqtt.cert_file, dir.file("etc/tls/gw.crt"));
  EXPECT_EQ(c->mqtt.key_file, dir.file("etc/tls/gw.key"));  // absolute: unchanged
  EXPECT_EQ(c->source_file, file);

  // Loaded through a relative path from elsewhere, the result is the same.
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  ConfigErrors relative_errors;
  auto r = load_agent_config("etc/../etc/dockgate.yaml", relative_errors);
  std::filesystem::current_path(cwd);
  ASSERT_TRUE(r.has_value()) << relative_errors.to_string();
  EXPECT_EQ(r->buffer.path, dir.file("state/outbox.db"));
  EXPECT_EQ(r->source_file, file);
}

TEST(ConfigValues, BareFileNameResolvesAgainstTheWorkingDirectory) {
  const std::string text =
      with(kBaseConfig, "path: /tmp/dockgate-config-test/outbox.db", "path: state/outbox.db");
  ConfigErrors errors;
  auto c = parse_agent_config(text, "dockgate.yaml", errors);
  ASSERT_TRUE(c.has_value()) << errors.to_string();
  EXPECT_EQ(c->buffer.path, (std::filesystem::current_path() / "state/outbox.db").string());
  EXPECT_EQ(c->source_file, "dockgate.yaml");
}

TEST(ConfigValues, BufferPathThatIsADirectory) {
  TempDir dir;
  const std::string text = with(kBaseConfig, "/tmp/dockgate-config-test/outbox.db", dir.path());
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "buffer.path");
  EXPECT_TRUE(e.message.find("is a directory") != std::string::npos) << e.to_string();
}

TEST(ConfigReference, ListsEveryKeyWithHelp) {
  const auto docs = agent_config_reference();
  auto find = [&](const std::string& path, const std::string& applies_to = "") -> const KeyDoc* {
    for (const auto& d : docs) {
      if (d.path == path && d.applies_to == applies_to) return &d;
    }
    return nullptr;
  };
  const KeyDoc* path = find("buffer.path");
  ASSERT_NE(path, nullptr);
  EXPECT_EQ(path->type, "string");
  EXPECT_EQ(path->default_value, "\"/var/lib/dockgate/outbox.db\"");
  EXPECT_NE(path->help.find("relative to the config file's directory"), std::string::npos);

  const KeyDoc* baud = find("drivers[].baud", "type: serial_scanner");
  ASSERT_NE(baud, nullptr);
  EXPECT_FALSE(baud->help.empty());
  EXPECT_EQ(baud->default_value, "9600");

  const KeyDoc* heading = find("drivers[] (type: tcp_scanner)", "type: tcp_scanner");
  ASSERT_NE(heading, nullptr);
  EXPECT_FALSE(heading->help.empty());
  // Both scanner types have reconnect_min; the reference keeps one of each.
  EXPECT_NE(find("drivers[].reconnect_min", "type: tcp_scanner"), nullptr);
  EXPECT_NE(find("drivers[].reopen_min", "type: serial_scanner"), nullptr);

  const KeyDoc* ext = find("locations[].gln_extension");
  ASSERT_NE(ext, nullptr);
  EXPECT_TRUE(ext->required);
  const KeyDoc* reconnect = find("uplink.mqtt.reconnect_min");
  ASSERT_NE(reconnect, nullptr);
  EXPECT_EQ(reconnect->type, "duration");
  EXPECT_EQ(reconnect->default_value, "500ms");
  EXPECT_NE(find("patterns[].uri"), nullptr);
  EXPECT_NE(find("dedup_window"), nullptr);
  EXPECT_NE(find("log.level"), nullptr);

  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& d : docs) {
    EXPECT_TRUE(seen.emplace(d.path, d.applies_to).second) << "listed twice: " << d.path;
    EXPECT_FALSE(d.help.empty()) << d.path << " has no help text";
  }
  // File order: sections as they appear in the example.
  EXPECT_EQ(docs.front().path, "site");
  EXPECT_EQ(docs.back().path, "metrics.listen");
}

}  // namespace
}  // namespace dockgate::config::test
