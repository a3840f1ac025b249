// SPDX-License-Identifier: Apache-2.0
// Each class of config mistake is reported with the right key path and a line/column that
// points at the offending key or value, and every mistake in a file is reported.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>

#include "tests/config/config_fixture.hpp"

namespace dockgate::config::test {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ConfigErrors, BaseConfigIsValid) {
  Parsed p = parse(kBaseConfig);
  ASSERT_TRUE(p.config.has_value()) << p.errors.to_string();
  EXPECT_TRUE(p.errors.empty());
}

TEST(ConfigErrors, UnknownTopLevelKey) {
  const std::string text = kBaseConfig + "colour: blue\n";
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "colour");
  EXPECT_EQ(e.message, "unknown key");
  EXPECT_EQ(position(e), at(text, "colour"));
  EXPECT_EQ(e.file, "/tmp/dockgate-config-test/dockgate.yaml");
}

TEST(ConfigErrors, UnknownNestedKeys) {
  const std::string text = with(with(kBaseConfig, "    device: /dev/ttyUSB0\n",
                                     "    device: /dev/ttyUSB0\n    baudrate: 9600\n"),
                                "buffer:\n", "buffer:\n  pth: /x.db\n");
  Parsed p = parse(text);
  ASSERT_EQ(p.errors.size(), 2u) << p.errors.to_string();
  const ConfigError* driver_key = find_error(p.errors, "drivers[0].baudrate");
  ASSERT_NE(driver_key, nullptr) << p.errors.to_string();
  EXPECT_EQ(position(*driver_key), at(text, "baudrate"));
  const ConfigError* buffer_key = find_error(p.errors, "buffer.pth");
  ASSERT_NE(buffer_key, nullptr) << p.errors.to_string();
  EXPECT_EQ(position(*buffer_key), at(text, "pth"));
  EXPECT_EQ(buffer_key->message, "unknown key");
}

TEST(ConfigErrors, WrongTypes) {
  const std::string text = kBaseConfig + "  commit_max_rows: many\n" + "uplink:\n  mqtt: [a, b]\n";
  Parsed p = parse(text);
  ASSERT_EQ(p.errors.size(), 2u) << p.errors.to_string();
  const ConfigError* rows = find_error(p.errors, "buffer.commit_max_rows");
  ASSERT_NE(rows, nullptr) << p.errors.to_string();
  EXPECT_EQ(position(*rows), at(text, "many"));
  EXPECT_TRUE(contains(rows->message, "'many'")) << rows->message;
  const ConfigError* mqtt = find_error(p.errors, "uplink.mqtt");
  ASSERT_NE(mqtt, nullptr) << p.errors.to_string();
  EXPECT_EQ(position(*mqtt), at(text, "[a, b]"));
  EXPECT_TRUE(contains(mqtt->message, "mapping")) << mqtt->message;
}

TEST(ConfigErrors, MissingRequiredKeyPointsAtItsMapping) {
  const std::string text = with(kBaseConfig, "  gln: \"4012345000016\"\n", "");
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "site.gln");
  EXPECT_EQ(e.message, "missing required key 'gln'");
  EXPECT_EQ(position(e), at(text, "id: hub-test"));
}

TEST(ConfigErrors, RequiredKeyWithoutValue) {
  const std::string text = with(kBaseConfig, "gln: \"4012345000016\"", "gln:");
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "site.gln");
  EXPECT_TRUE(contains(e.message, "has no value")) << e.to_string();
  EXPECT_EQ(position(e), at(text, "gln:"));
}

TEST(ConfigErrors, MissingSectionIsReportedOnceNotPerKey) {
  const std::string text = with(kBaseConfig, "gateway:\n  id: gw-1\n", "");
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "gateway");
  EXPECT_EQ(e.message, "missing required section 'gateway'");
}

TEST(ConfigErrors, EmptyFileNamesEveryRequiredSection) {
  Parsed p = parse("");
  EXPECT_FALSE(p.config.has_value());
  EXPECT_NE(find_error(p.errors, "site"), nullptr) << p.errors.to_string();
  EXPECT_NE(find_error(p.errors, "gateway"), nullptr) << p.errors.to_string();
  EXPECT_NE(find_error(p.errors, "locations"), nullptr) << p.errors.to_string();
  EXPECT_EQ(p.errors.size(), 3u) << p.errors.to_string();
}

TEST(ConfigErrors, RootMustBeAMapping) {
  ConfigError e = single_error("- site\n- gateway\n");
  EXPECT_EQ(e.key_path, "");
  EXPECT_TRUE(contains(e.message, "mapping")) << e.to_string();
  EXPECT_EQ(position(e), std::make_pair(1, 1));
}

TEST(ConfigErrors, SectionOfTheWrongTypeIsOneError) {
  const std::string text = with(kBaseConfig, "gateway:\n  id: gw-1\n", "gateway: gw-1\n");
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "gateway");
  EXPECT_EQ(position(e), at(text, "gw-1"));
}

TEST(ConfigErrors, BadGlnCheckDigit) {
  const std::string text = with(kBaseConfig, "4012345000016", "4012345000017");
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "site.gln");
  EXPECT_EQ(e.message, "check digit is 7, expected 6");
  EXPECT_EQ(position(e), at(text, "\"4012345000017\""));
}

TEST(ConfigErrors, GlnOfWrongLength) {
  ConfigError e = single_error(with(kBaseConfig, "4012345000016", "401234500001"));
  EXPECT_EQ(e.key_path, "site.gln");
  EXPECT_TRUE(contains(e.message, "13 digits")) << e.to_string();
}

TEST(ConfigErrors, SiteIdMustBeOneTopicLevel) {
  const std::string text = with(kBaseConfig, "id: hub-test", "id: hub/test");
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "site.id");
  EXPECT_TRUE(contains(e.message, "'/'")) << e.to_string();
  EXPECT_EQ(position(e), at(text, "hub/test"));
}

TEST(ConfigErrors, BadTimeZoneOffset) {
  const std::string text = with(kBaseConfig, "gateway:", "  time_zone_offset: \"+1:00\"\ngateway:");
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "site.time_zone_offset");
  EXPECT_EQ(position(e), at(text, "\"+1:00\""));
}

TEST(ConfigErrors, DuplicateLocationId) {
  const std::string text = with(kBaseConfig, "id: door-07", "id: door-03");
  Parsed p = parse(text);
  // drivers[0] still refers to door-03, which exists: one error only.
  ASSERT_EQ(p.errors.size(), 1u) << p.errors.to_string();
  const ConfigError& e = p.errors.list().front();
  EXPECT_EQ(e.key_path, "locations[1].id");
  EXPECT_TRUE(contains(e.message, "locations[0]")) << e.to_string();
  EXPECT_EQ(position(e), at(text, "door-03", 2));
}

TEST(ConfigErrors, BadAndDuplicateGlnExtension) {
  const std::string text = with(with(kBaseConfig, "DOOR07", "DOOR03"), "DOOR03", "DOOR 03");
  Parsed p = parse(text);
  ASSERT_EQ(p.errors.size(), 1u) << p.errors.to_string();
  const ConfigError& e = p.errors.list().front();
  EXPECT_EQ(e.key_path, "locations[0].gln_extension");
  EXPECT_TRUE(contains(e.message, "' '")) << e.to_string();

  const std::string dup = with(kBaseConfig, "DOOR07", "DOOR03");
  ConfigError d = single_error(dup);
  EXPECT_EQ(d.key_path, "locations[1].gln_extension");
  EXPECT_EQ(position(d), at(dup, "DOOR03", 2));
}

TEST(ConfigErrors, LocationsMustNotBeEmpty) {
  // Without locations and drivers.
  const std::string text = kBaseConfig.substr(0, kBaseConfig.find("locations:")) +
                           "locations: []\n" + kBaseConfig.substr(kBaseConfig.find("patterns:"));
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "locations");
  EXPECT_EQ(position(e), at(text, "[]"));
}

TEST(ConfigErrors, DriverWithUnknownTypeListsTheKnownTypes) {
  const std::string text = with(kBaseConfig, "type: serial_scanner", "type: rfid_magic");
  // Only the type is reported: which other keys are valid depends on the type.
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "drivers[0].type");
  EXPECT_TRUE(contains(e.message, "serial_scanner")) << e.to_string();
  EXPECT_TRUE(contains(e.message, "tcp_scanner")) << e.to_string();
  EXPECT_TRUE(contains(e.message, "'rfid_magic'")) << e.to_string();
  EXPECT_EQ(position(e), at(text, "rfid_magic"));
}

TEST(ConfigErrors, DriverNamingAnUnknownLocation) {
  const std::string text = with(kBaseConfig, "location: door-03", "location: door-99");
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "drivers[0].location");
  EXPECT_TRUE(contains(e.message, "door-99")) << e.to_string();
  EXPECT_TRUE(contains(e.message, "door-03, door-07")) << e.to_string();
  EXPECT_EQ(position(e), at(text, "door-99"));
}

TEST(ConfigErrors, DriverOwnKeysAreCheckedWithTheirPath) {
  const std::string text =
      with(kBaseConfig, "device: /dev/ttyUSB0", "device: /dev/ttyUSB0\n    baud: 1234567");
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "drivers[0].baud");
  EXPECT_EQ(position(e), at(text, "1234567"));
}

TEST(ConfigErrors, DuplicateDriverId) {
  const std::string text = with(kBaseConfig, "patterns:",
                                "  - id: scanner-1\n    type: tcp_scanner\n    location: door-07\n"
                                "    mode: server\n    port: 15000\npatterns:");
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "drivers[1].id");
  EXPECT_EQ(position(e), at(text, "scanner-1", 2));
}

TEST(ConfigErrors, RegexThatDoesNotCompile) {
  const std::string text = with(kBaseConfig, "'^LP([0-9]{8})$'", "'^LP([0-9]{8}$'");
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "patterns[0].regex");
  EXPECT_TRUE(contains(e.message, "does not compile")) << e.to_string();
  EXPECT_EQ(position(e), at(text, "'^LP("));
}

TEST(ConfigErrors, PlaceholderBeyondTheCaptureGroups) {
  const std::string text = with(kBaseConfig, "lp:{1}", "lp:{3}");
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "patterns[0].uri");
  EXPECT_EQ(e.message, "uses {3} but the regex has 1 capture group");
  EXPECT_EQ(position(e), at(text, "'urn:test"));
}

TEST(ConfigErrors, PatternUriWithoutScheme) {
  ConfigError e = single_error(with(kBaseConfig, "'urn:test:lp:{1}'", "'lp-{1}'"));
  EXPECT_EQ(e.key_path, "patterns[0].uri");
  EXPECT_TRUE(contains(e.message, "scheme")) << e.to_string();
}

TEST(ConfigErrors, BadMqttUriScheme) {
  const std::string text = kBaseConfig + "uplink:\n  mqtt:\n    uri: http://broker:1883\n";
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "uplink.mqtt.uri");
  EXPECT_TRUE(contains(e.message, "'http'")) << e.to_string();
  EXPECT_EQ(position(e), at(text, "http://"));
}

TEST(ConfigErrors, MqttUriWithBadPort) {
  ConfigError e = single_error(kBaseConfig + "uplink:\n  mqtt:\n    uri: ssl://broker:88830\n");
  EXPECT_EQ(e.key_path, "uplink.mqtt.uri");
  EXPECT_EQ(e.message, "port '88830' is not a number from 1 to 65535");
}

TEST(ConfigErrors, ReconnectMinAboveMax) {
  const std::string text =
      kBaseConfig + "uplink:\n  mqtt:\n    reconnect_min: 10s\n    reconnect_max: 1s\n";
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "uplink.mqtt.reconnect_min");
  EXPECT_EQ(e.message, "reconnect_min (10s) must not exceed reconnect_max (1s)");
  EXPECT_EQ(position(e), at(text, "10s"));
}

TEST(ConfigErrors, ReconnectMaxBelowDefaultMin) {
  const std::string text = kBaseConfig + "uplink:\n  mqtt:\n    reconnect_max: 100ms\n";
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "uplink.mqtt.reconnect_max");
  EXPECT_EQ(position(e), at(text, "100ms"));
}

TEST(ConfigErrors, OutOfRangeValues) {
  const std::string text = kBaseConfig +
                           "  commit_max_delay: 2s\nuplink:\n  mqtt:\n    inflight_window: 91\n"
                           "    keepalive: 1500ms\n    topic_prefix: dock/+/x\n";
  Parsed p = parse(text);
  ASSERT_EQ(p.errors.size(), 4u) << p.errors.to_string();
  const ConfigError* delay = find_error(p.errors, "buffer.commit_max_delay");
  ASSERT_NE(delay, nullptr);
  EXPECT_EQ(delay->message, "must be from 0ms to 1s, got 2s");
  const ConfigError* window = find_error(p.errors, "uplink.mqtt.inflight_window");
  ASSERT_NE(window, nullptr);
  EXPECT_EQ(window->message, "expected an integer 1..90, got 91");
  EXPECT_EQ(position(*window), at(text, "91"));
  const ConfigError* keepalive = find_error(p.errors, "uplink.mqtt.keepalive");
  ASSERT_NE(keepalive, nullptr);
  EXPECT_TRUE(contains(keepalive->message, "whole number of seconds")) << keepalive->message;
  const ConfigError* prefix = find_error(p.errors, "uplink.mqtt.topic_prefix");
  ASSERT_NE(prefix, nullptr);
  EXPECT_TRUE(contains(prefix->message, "'+'")) << prefix->message;
}

class ConfigFileErrors : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string file_ = dir_.file("dockgate.yaml");

  // The base config with an uplink.mqtt section; errors from loading it from file_.
  Parsed load_with_mqtt(const std::string& mqtt_keys) {
    text_ = kBaseConfig + "uplink:\n  mqtt:\n" + mqtt_keys;
    write_file(file_, text_);
    Parsed p;
    p.config = load_agent_config(file_, p.errors);
    return p;
  }
  std::string text_;
};

TEST_F(ConfigFileErrors, CertWithoutKey) {
  write_file(dir_.file("client.crt"), "cert");
  Parsed p = load_with_mqtt("    uri: ssl://broker:8883\n    cert_file: client.crt\n");
  ASSERT_EQ(p.errors.size(), 1u) << p.errors.to_string();
  const ConfigError& e = p.errors.list().front();
  EXPECT_EQ(e.key_path, "uplink.mqtt.cert_file");
  EXPECT_EQ(e.message, "cert_file needs key_file as well");
  EXPECT_EQ(position(e), at(text_, "client.crt"));
  EXPECT_EQ(e.file, file_);
}

TEST_F(ConfigFileErrors, TlsFilesWithPlainUri) {
  write_file(dir_.file("ca.pem"), "ca");
  Parsed p = load_with_mqtt("    uri: tcp://broker:1883\n    ca_file: ca.pem\n");
  ASSERT_EQ(p.errors.size(), 1u) << p.errors.to_string();
  EXPECT_EQ(p.errors.list().front().key_path, "uplink.mqtt.ca_file");
  EXPECT_TRUE(contains(p.errors.list().front().message, "ssl://")) << p.errors.to_string();
}

TEST_F(ConfigFileErrors, NonexistentPasswordFile) {
  Parsed p = load_with_mqtt("    username: gw\n    password_file: secrets/mqtt.pw\n");
  ASSERT_EQ(p.errors.size(), 1u) << p.errors.to_string();
  const ConfigError& e = p.errors.list().front();
  EXPECT_EQ(e.key_path, "uplink.mqtt.password_file");
  // The message names the resolved path, so the operator sees where it was looked for.
  EXPECT_EQ(e.message, "file '" + dir_.path() + "/secrets/mqtt.pw' does not exist");
  EXPECT_EQ(position(e), at(text_, "secrets/mqtt.pw"));
}

TEST_F(ConfigFileErrors, PasswordFileThatIsADirectory) {
  std::filesystem::create_directory(dir_.file("pw"));
  Parsed p = load_with_mqtt("    username: gw\n    password_file: pw\n");
  ASSERT_EQ(p.errors.size(), 1u) << p.errors.to_string();
  EXPECT_TRUE(contains(p.errors.list().front().message, "not a regular file"))
      << p.errors.to_string();
}

TEST_F(ConfigFileErrors, PasswordWithoutUsername) {
  write_file(dir_.file("mqtt.pw"), "secret\n");
  Parsed p = load_with_mqtt("    password_file: mqtt.pw\n");
  ASSERT_EQ(p.errors.size(), 1u) << p.errors.to_string();
  EXPECT_EQ(p.errors.list().front().key_path, "uplink.mqtt.password_file");
  EXPECT_TRUE(contains(p.errors.list().front().message, "username")) << p.errors.to_string();
}

TEST_F(ConfigFileErrors, MissingFile) {
  ConfigErrors errors;
  EXPECT_FALSE(load_agent_config(dir_.file("nope.yaml"), errors).has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.list().front().file, dir_.file("nope.yaml"));
  EXPECT_EQ(errors.list().front().line, 0);
  EXPECT_TRUE(contains(errors.list().front().message, "No such file or directory"))
      << errors.to_string();
}

TEST_F(ConfigFileErrors, DirectoryInsteadOfFile) {
  ConfigErrors errors;
  EXPECT_FALSE(load_agent_config(dir_.path(), errors).has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(contains(errors.list().front().message, "directory")) << errors.to_string();
}

TEST_F(ConfigFileErrors, OversizedFile) {
  write_file(file_, std::string(std::size_t{2} * 1024 * 1024, '#'));
  ConfigErrors errors;
  EXPECT_FALSE(load_agent_config(file_, errors).has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(contains(errors.list().front().message, "larger than the limit of 1 MiB"))
      << errors.to_string();
}

TEST_F(ConfigFileErrors, NamedPipeIsRefusedAtOnceNotWaitedOn) {
  const std::string fifo = dir_.file("dockgate.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ConfigErrors errors;
  auto result = std::async(std::launch::async, [&] { return load_agent_config(fifo, errors); });
  if (result.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    // Hung waiting for a writer: release it so the test can end, then fail.
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) ::close(fd);
    result.wait();
    FAIL() << "load_agent_config blocked on a named pipe";
  }
  EXPECT_FALSE(result.get().has_value());
  ASSERT_EQ(errors.size(), 1u) << errors.to_string();
  EXPECT_EQ(errors.list().front().file, fifo);
  EXPECT_EQ(errors.list().front().message,
            "not a regular file (a named pipe), expected a YAML config file");
}

TEST_F(ConfigFileErrors, CharacterDeviceIsRefused) {
  ConfigErrors errors;
  EXPECT_FALSE(load_agent_config("/dev/zero", errors).has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(contains(errors.list().front().message, "not a regular file (a character device)"))
      << errors.to_string();
}

// An alias of a scalar where a mapping is expected: one error, at the key that uses the
// alias. (Before: the reader wrote an empty mapping through the alias into the anchored
// node, so dedup_window itself failed too, with no line:column.)
TEST(ConfigErrors, AliasOfAScalarUsedAsASectionIsOneErrorAtItsUse) {
  const std::string text = kBaseConfig + "dedup_window: &w 5s\nlog: *w\n";
  Parsed p = parse(text);
  ASSERT_EQ(p.errors.size(), 1u) << p.errors.to_string();
  const ConfigError& e = p.errors.list().front();
  EXPECT_EQ(e.key_path, "log");
  EXPECT_EQ(e.message, "expected a mapping of keys to values");
  EXPECT_EQ(position(e), at(text, "log"));
}

TEST(ConfigErrors, AliasWithAWrongValueIsReportedWhereItIsUsedNotAtTheAnchor) {
  const std::string text =
      with(kBaseConfig, "  id: gw-1\n", "  id: &gw gw-1\n") + "device_down_grace: *gw\n";
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "device_down_grace");
  EXPECT_TRUE(contains(e.message, "expected a duration")) << e.message;
  EXPECT_EQ(position(e), at(text, "device_down_grace")) << e.to_string();
  EXPECT_GT(e.line, 0);
}

TEST(ConfigErrors, NonUtf8AndControlBytesInKeysAreEscaped) {
  const std::string text = kBaseConfig + "col\xE9ur: blue\nk\x1b[31m: red\ncolour\xC3\xA9: x\n";
  Parsed p = parse(text);
  ASSERT_EQ(p.errors.size(), 3u) << p.errors.to_string();
  EXPECT_NE(find_error(p.errors, "col\\xE9ur"), nullptr) << p.errors.to_string();
  EXPECT_NE(find_error(p.errors, "k\\x1B[31m"), nullptr) << p.errors.to_string();
  // Valid UTF-8 stays as it is.
  EXPECT_NE(find_error(p.errors, "colour\xC3\xA9"), nullptr) << p.errors.to_string();
  EXPECT_FALSE(contains(p.errors.to_string(), "\x1b"));
  EXPECT_EQ(escape_text("a\xFF\xE2\x82\xAC\xED\xA0\x80"), "a\\xFF\xE2\x82\xAC\\xED\\xA0\\x80");
}

TEST(ConfigErrors, YamlSyntaxErrorIsOneErrorAtYamlCppsPosition) {
  const std::string text = "site:\n  id: hub-test\n  gln: [4012345000016\ngateway:\n  id: gw-1\n";
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "");
  EXPECT_TRUE(contains(e.message, "YAML syntax error")) << e.to_string();
  EXPECT_EQ(e.line, 4) << e.to_string();  // where yaml-cpp notices the unclosed '['
  EXPECT_GT(e.column, 0);
}

TEST(ConfigErrors, TabIndentationIsASyntaxError) {
  ConfigError e = single_error("site:\n\tid: hub-test\n");
  EXPECT_TRUE(contains(e.message, "YAML syntax error")) << e.to_string();
  EXPECT_EQ(e.line, 2) << e.to_string();
}

TEST(ConfigErrors, TextTheYamlParserNeverFinishesOnIsAnErrorNotAHang) {
  // yaml-cpp 0.7 allocates without end on these (found by the config_loader fuzzer).
  for (const char* text : {",", "- a\n,"}) {
    const auto t0 = std::chrono::steady_clock::now();
    ConfigError e = single_error(text);
    EXPECT_TRUE(contains(e.message, "the YAML parser did not finish")) << e.to_string();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
  }
}

TEST(ConfigErrors, DuplicateYamlKey) {
  const std::string text = with(kBaseConfig, "  id: gw-1\n", "  id: gw-1\n  id: gw-2\n");
  ConfigError e = single_error(text);
  EXPECT_EQ(e.key_path, "gateway.id");
  EXPECT_EQ(e.message, "duplicate key (first at line 5)");
  EXPECT_EQ(position(e), at(text, "id: gw-2"));
}

TEST(ConfigErrors, SecondYamlDocument) {
  const std::string text = kBaseConfig + "---\nsite: {}\n";
  ConfigError e = single_error(text);
  EXPECT_TRUE(contains(e.message, "one YAML document")) << e.to_string();
  EXPECT_EQ(e.line, at(text, "site: {}").first);
}

TEST(ConfigErrors, AliasExpansionBombIsBounded) {
  // Nine levels of ten aliases each expand to 10^9 nodes if walked naively.
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 9; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
    for (int k = 1; k < 10; ++k) text += ", " + prev;
    text += "]\n";
  }
  Parsed p = parse(kBaseConfig + text);
  EXPECT_FALSE(p.config.has_value());
  EXPECT_EQ(p.errors.size(), 10u) << p.errors.to_string();  // ten unknown top-level keys
}

TEST(ConfigErrors, SeveralErrorsAreAllReportedInFileOrder) {
  std::string text = with(kBaseConfig, "4012345000016", "4012345000010");
  text = with(text, "direction: outbound", "direction: sideways");
  text = with(text, "location: door-03", "location: door-42");
  text = with(text, "lp:{1}", "lp:{2}");
  text +=
      "uplink:\n  mqtt:\n    uri: tcp://broker:0\n    inflight_window: 0\nlog:\n  level: loud\n";
  Parsed p = parse(text);
  EXPECT_FALSE(p.config.has_value());
  ASSERT_EQ(p.errors.size(), 7u) << p.errors.to_string();
  const char* expected[] = {
      "site.gln",        "locations[1].direction", "drivers[0].location",
      "patterns[0].uri", "uplink.mqtt.uri",        "uplink.mqtt.inflight_window",
      "log.level"};
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(p.errors.list()[i].key_path, expected[i]) << p.errors.to_string();
    if (i > 0) {
      EXPECT_GT(p.errors.list()[i].line, p.errors.list()[i - 1].line);
    }
  }
}

TEST(ConfigErrors, ErrorsAreAppendedAfterTheCallersOwn) {
  ConfigErrors errors;
  errors.add(ConfigError{"other.yaml", 1, 1, "x", "earlier"});
  auto config = parse_agent_config(kBaseConfig, "a.yaml", errors);
  EXPECT_TRUE(config.has_value()) << "earlier errors are not this file's";
  EXPECT_EQ(errors.size(), 1u);
}

}  // namespace
}  // namespace dockgate::config::test
