// SPDX-License-Identifier: Apache-2.0
// The value checks of config/validate.hpp on their own, including the edge cases the config
// tests do not reach.
#include "config/validate.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/config/config_fixture.hpp"

namespace dockgate::config {
namespace {

using test::TempDir;
using test::write_file;

TEST(Validate, TopicId) {
  EXPECT_EQ(check_topic_id("hub-hamburg_2"), "");
  EXPECT_NE(check_topic_id(""), "");
  EXPECT_NE(check_topic_id(std::string(65, 'a')), "");
  EXPECT_EQ(check_topic_id(std::string(64, 'a')), "");
  for (const char* bad : {"a/b", "a+b", "a#b", "a b", "$SYS", "t\xc3\xbcr"}) {
    EXPECT_NE(check_topic_id(bad), "") << bad;
  }
  EXPECT_EQ(check_topic_id("a\x01"), "contains '\\x01'; use only letters, digits, '-' and '_'");
}

TEST(Validate, TopicPrefix) {
  EXPECT_EQ(check_topic_prefix("dockgate"), "");
  EXPECT_EQ(check_topic_prefix("acme/dock gate/v1"), "");
  for (const char* bad : {"", "/dockgate", "dockgate/", "a//b", "a/+/b", "a/#", "$SYS/x"}) {
    EXPECT_NE(check_topic_prefix(bad), "") << bad;
  }
}

TEST(Validate, Gln) {
  EXPECT_EQ(check_gln("4012345000016"), "");
  EXPECT_EQ(check_gln("0614141000005"), "");  // leading zero kept as text
  EXPECT_EQ(check_gln("4012345000015"), "check digit is 5, expected 6");
  EXPECT_NE(check_gln("401234500001a"), "");
  EXPECT_NE(check_gln("40123450000160"), "");
}

TEST(Validate, TimeZoneOffset) {
  for (const char* good : {"local", "+01:00", "-05:30", "+14:00", "-14:00", "+00:00", "+13:59"}) {
    EXPECT_EQ(check_time_zone_offset(good), "") << good;
  }
  for (const char* bad :
       {"", "Z", "UTC", "+1:00", "+01:60", "+14:01", "+15:00", "01:00", "+0100", "Local"}) {
    EXPECT_NE(check_time_zone_offset(bad), "") << bad;
  }
}

TEST(Validate, GlnExtension) {
  EXPECT_EQ(check_gln_extension("DOOR03"), "");
  EXPECT_EQ(check_gln_extension("A-1/b_2.(x)%\"'!?"), "");
  EXPECT_EQ(check_gln_extension(std::string(20, 'X')), "");
  EXPECT_NE(check_gln_extension(std::string(21, 'X')), "");
  EXPECT_NE(check_gln_extension(""), "");
  for (const char* bad : {"DOOR 3", "DOOR#3", "DOOR@3", "T\xc3\xbcr", "a~b"}) {
    EXPECT_NE(check_gln_extension(bad), "") << bad;
  }
}

TEST(Validate, MqttUri) {
  std::string error;
  auto uri = parse_mqtt_uri("tcp://broker.example:1883", error);
  ASSERT_TRUE(uri.has_value()) << error;
  EXPECT_EQ(uri->host, "broker.example");
  EXPECT_EQ(uri->port, 1883);
  EXPECT_FALSE(uri->tls);

  uri = parse_mqtt_uri("mqtts://[fd00::1]:8883/", error);
  ASSERT_TRUE(uri.has_value()) << error;
  EXPECT_EQ(uri->host, "fd00::1");
  EXPECT_EQ(uri->port, 8883);
  EXPECT_TRUE(uri->tls);

  ASSERT_TRUE(parse_mqtt_uri("ssl://10.0.0.5:8883", error).has_value()) << error;
  uri = parse_mqtt_uri("mqtts://broker", error);  // default ports as the uplink uses them
  ASSERT_TRUE(uri.has_value()) << error;
  EXPECT_EQ(uri->port, 8883);
  uri = parse_mqtt_uri("tcp://[::1]", error);
  ASSERT_TRUE(uri.has_value()) << error;
  EXPECT_EQ(uri->port, 1883);
  ASSERT_TRUE(parse_mqtt_uri("mqtt://localhost:1", error).has_value()) << error;

  for (const char* bad :
       {"", "broker:1883", "ws://broker:80", "TCP://broker:1883", "tcp://broker:", "tcp://:1883",
        "tcp://broker:0", "tcp://broker:65536", "tcp://broker:18x3", "tcp://user:pw@broker:1883",
        "tcp://broker:1883/path", "tcp://bro ker:1883", "tcp://-broker:1883", "tcp://a..b:1883",
        "tcp://[::1:1883", "tcp://[::1]:", "tcp://[::1]x", "tcp://[zz]:1883", "tcp://::1:1883"}) {
    error.clear();
    EXPECT_FALSE(parse_mqtt_uri(bad, error).has_value()) << bad;
    EXPECT_NE(error, "") << bad;
  }
}

TEST(Validate, UriTemplate) {
  EXPECT_EQ(check_uri_template("urn:dockgate:lp:{0}", 0), "");
  EXPECT_EQ(check_uri_template("https://id.example/p/{1}/{2}?x=%20", 2), "");
  EXPECT_EQ(check_uri_template("urn:x:{2}", 1), "uses {2} but the regex has 1 capture group");
  EXPECT_EQ(check_uri_template("urn:x:{1}", 0), "uses {1} but the regex has 0 capture groups");
  for (const char* bad :
       {"", "lp-{0}", "1urn:x", "urn:", ":x", "urn:x:{a}", "urn:x:{10}", "urn:x:{0", "urn:x:}",
        "urn:x y", "urn:x:%zz", "urn:x:%2", "urn:x:\xc3\xa4"}) {
    EXPECT_NE(check_uri_template(bad, 9), "") << bad;
  }
}

TEST(Validate, RegexCaptureGroups) {
  std::string error;
  EXPECT_EQ(regex_capture_groups("^LP[0-9]{8}$", error), 0u);
  EXPECT_EQ(regex_capture_groups("^(PAL)-([0-9]{4})-(?:x)?([0-9]+)$", error), 3u);
  EXPECT_FALSE(regex_capture_groups("^LP([0-9]{8}$", error).has_value());
  EXPECT_EQ(error.rfind("does not compile: ", 0), 0u) << error;
  EXPECT_FALSE(regex_capture_groups("[z-a]", error).has_value());
  EXPECT_FALSE(regex_capture_groups(std::string(1001, 'a'), error).has_value());
  EXPECT_EQ(error, "is longer than 1000 characters");
}

TEST(Validate, ReadableFile) {
  TempDir dir;
  write_file(dir.file("ok.pem"), "x");
  EXPECT_EQ(check_readable_file(dir.file("ok.pem")), "");
  EXPECT_EQ(check_readable_file(dir.file("missing.pem")),
            "file '" + dir.file("missing.pem") + "' does not exist");
  EXPECT_NE(check_readable_file(dir.path()), "");
  // A FIFO is refused without blocking on open.
  ASSERT_EQ(::mkfifo(dir.file("fifo").c_str(), 0600), 0);
  EXPECT_NE(check_readable_file(dir.file("fifo")), "");
}

}  // namespace
}  // namespace dockgate::config
