// SPDX-License-Identifier: Apache-2.0
// Pure parts of the uplink: URI parsing, backoff, batch planning, status JSON, topics,
// option validation.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.hpp"
#include "uplink/backoff.hpp"
#include "uplink/batch_plan.hpp"
#include "uplink/broker_uri.hpp"
#include "uplink/connect_setup.hpp"
#include "uplink/publisher.hpp"
#include "uplink/status_payload.hpp"

namespace dockgate::uplink {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

TEST(BrokerUri, MapsMqttSchemesToPaho) {
  auto u = parse_broker_uri("mqtt://broker.local");
  EXPECT_EQ(u.paho_uri, "tcp://broker.local:1883");
  EXPECT_FALSE(u.tls);
  u = parse_broker_uri("mqtts://broker.local");
  EXPECT_EQ(u.paho_uri, "ssl://broker.local:8883");
  EXPECT_TRUE(u.tls);
  u = parse_broker_uri("ssl://10.0.0.5:8884/");
  EXPECT_EQ(u.paho_uri, "ssl://10.0.0.5:8884");
  EXPECT_EQ(u.port, 8884);
  u = parse_broker_uri("tcp://[::1]:1884");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.paho_uri, "tcp://[::1]:1884");
}

TEST(BrokerUri, RejectsBadInputWithTheReason) {
  const std::pair<const char*, const char*> cases[] = {
      {"broker:1883", "scheme://"},
      {"ws://broker:80", "unsupported scheme"},
      {"tcp://:1883", "empty host"},
      {"tcp://broker:0", "1..65535"},
      {"tcp://broker:70000", "1..65535"},
      {"tcp://broker:12ab", "1..65535"},
      {"tcp://broker:", "empty port"},
      {"tcp://broker:1883/path", "path"},
      {"tcp://user:pw@broker:1883", "credentials"},
      {"tcp://::1:1883", "brackets"},
      {"tcp://[::1", "unterminated"},
  };
  for (const auto& [uri, why] : cases) {
    try {
      parse_broker_uri(uri);
      ADD_FAILURE() << uri << " accepted";
    } catch (const UplinkError& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << uri << ": " << e.what();
    }
  }
}

TEST(Backoff, GrowsExponentiallyWithinBoundsAndResets) {
  Backoff b(100ms, 1'000ms, 42);
  const std::pair<std::int64_t, std::int64_t> bounds[] = {{100, 100}, {100, 200},   {200, 400},
                                                          {400, 800}, {500, 1'000}, {500, 1'000}};
  for (const auto& [lo, hi] : bounds) {
    const auto d = b.next().count();
    EXPECT_GE(d, lo);
    EXPECT_LE(d, hi);
  }
  b.reset();
  EXPECT_EQ(b.next(), 100ms);
}

TEST(Backoff, JitterSpreadsDelays) {
  Backoff a(100ms, 10'000ms, 1);
  Backoff b(100ms, 10'000ms, 2);
  bool differ = false;
  for (int i = 0; i < 8; ++i) differ |= a.next() != b.next();
  EXPECT_TRUE(differ);
}

TEST(Backoff, ManyAttemptsDoNotOverflow) {
  Backoff b(500ms, 30'000ms, 7);
  for (int i = 0; i < 200; ++i) {
    const auto d = b.next();
    EXPECT_GE(d, 500ms);
    EXPECT_LE(d, 30'000ms);
  }
}

std::deque<buffer::StoredRecord> rows(const std::string& channels, std::size_t payload = 10) {
  std::deque<buffer::StoredRecord> out;
  std::uint64_t seq = 1;
  for (char c : channels) {
    out.push_back({seq++, c == 'x' ? buffer::Channel::exception : buffer::Channel::event, 0,
                   std::string(payload, 'p')});
  }
  return out;
}

TEST(BatchPlan, OneRowPerMessageUnlessBatching) {
  EXPECT_EQ(plan_message({}, true, {}), 0U);
  EXPECT_EQ(plan_message(rows("eeee"), false, {}), 1U);
  EXPECT_EQ(plan_message(rows("eeee"), true, {}), 4U);
}

TEST(BatchPlan, StopsAtLimitsAndChannelChanges) {
  EXPECT_EQ(plan_message(rows("eeeeee"), true, {3, 1'000}), 3U);
  EXPECT_EQ(plan_message(rows("eeeeee"), true, {100, 35}), 3U);  // 3 x 10 bytes <= 35
  EXPECT_EQ(plan_message(rows("eeexee"), true, {100, 1'000}), 3U);
  EXPECT_EQ(plan_message(rows("xeee"), true, {100, 1'000}), 1U);       // exceptions: one each
  EXPECT_EQ(plan_message(rows("ee", 5'000), true, {100, 1'000}), 1U);  // oversized goes alone
}

TEST(BatchPlan, BacklogMeansMoreRowsThanTheWindowTakes) {
  EXPECT_FALSE(is_backlog(10, 64, 500));
  EXPECT_FALSE(is_backlog(64, 64, 500));
  EXPECT_TRUE(is_backlog(65, 64, 500));
  EXPECT_FALSE(is_backlog(1'000, 64, 1));  // batching disabled
}

TEST(StatusPayload, CoreFieldsWinOverExtraFields) {
  StatusFigures f;
  f.online = true;
  f.version = "1.0";
  f.ts_ms = 1'700'000'000'000;
  f.backlog = 3;
  f.oldest_unsent_age_ms = 1'500;
  f.drain_rate = 12.345;
  const auto doc = Json::parse(status_json(f, R"({"online":"no","devices":{"a":"up"}})"));
  EXPECT_EQ(doc["online"], true);
  EXPECT_EQ(doc["version"], "1.0");
  EXPECT_EQ(doc["backlogCount"], 3);
  EXPECT_EQ(doc["oldestUnsentAgeMs"], 1'500);
  EXPECT_DOUBLE_EQ(doc["drainRate"].get<double>(), 12.3);
  EXPECT_EQ(doc["devices"]["a"], "up");
  EXPECT_FALSE(doc.contains("reason"));
}

TEST(StatusPayload, OfflineWithoutFiguresAndBadExtra) {
  StatusFigures f;
  f.version = "1.0";
  f.reason = "connection lost";
  const auto doc = Json::parse(status_json(f, ""));
  EXPECT_EQ(doc["online"], false);
  EXPECT_EQ(doc["reason"], "connection lost");
  EXPECT_FALSE(doc.contains("backlogCount"));
  EXPECT_THROW(status_json(f, "[1,2]"), nlohmann::json::exception);
  EXPECT_THROW(status_json(f, "{not json"), nlohmann::json::exception);
}

TEST(Topics, BuildsThreeTopicsAndRejectsWildcards) {
  const auto t = make_topics("dockgate", "hub-hh", "gw-01");
  EXPECT_EQ(t.events, "dockgate/hub-hh/gw-01/events");
  EXPECT_EQ(t.exceptions, "dockgate/hub-hh/gw-01/exceptions");
  EXPECT_EQ(t.status, "dockgate/hub-hh/gw-01/status");
  EXPECT_THROW(make_topics("", "a", "b"), UplinkError);
  EXPECT_THROW(make_topics("p", "a/b", "c"), UplinkError);
  EXPECT_THROW(make_topics("p", "a", "+"), UplinkError);
  EXPECT_THROW(make_topics("p", "#", "c"), UplinkError);
}

TEST(ConnectSetup, ClientIdFromTopicsUnlessConfigured) {
  MqttOptions o;
  const auto t = make_topics("dockgate", "hub-hh", "gw-01");
  EXPECT_EQ(effective_client_id(o, t), "dockgate-hub-hh-gw-01");
  o.client_id = "mine";
  EXPECT_EQ(effective_client_id(o, t), "mine");
}

TEST(ConnectSetup, ClientIdSkipsEveryLevelOfAMultiLevelPrefix) {
  MqttOptions o;
  o.topic_prefix = "corp/dock";  // the agent builds such topics itself (make_topics: 1 level)
  const Topics t{"corp/dock/hub-hh/gw-01/events", "corp/dock/hub-hh/gw-01/exceptions",
                 "corp/dock/hub-hh/gw-01/status", "corp/dock/hub-hh/gw-01/cmd"};
  EXPECT_EQ(effective_client_id(o, t), "dockgate-hub-hh-gw-01");
}

TEST(ConnectSetup, OnlyMqtt5ReasonCodesFromOx80AreRejections) {
  EXPECT_TRUE(is_rejection(MqttProtocol::v5, 0x87));
  EXPECT_TRUE(is_rejection(MqttProtocol::v5, 0x80));
  EXPECT_TRUE(is_rejection(MqttProtocol::v5, 0x97));
  EXPECT_FALSE(is_rejection(MqttProtocol::v5, 0x00));
  EXPECT_FALSE(is_rejection(MqttProtocol::v5, 0x10));  // no matching subscribers: accepted
  EXPECT_FALSE(is_rejection(MqttProtocol::v5, 255));   // Paho C++: "no MQTT 5 code"
  EXPECT_FALSE(is_rejection(MqttProtocol::v3_1_1, 0x87));
  EXPECT_EQ(reason_text(0x87), "not authorized");
  EXPECT_EQ(reason_text(0x97), "quota exceeded");
}

TEST(StatusPayload, AlarmsAndRejectedTotal) {
  StatusFigures f;
  f.online = true;
  f.version = "1.0";
  f.alarms.emplace();
  EXPECT_EQ(Json::parse(status_json(f, ""))["alarms"], Json::array());
  f.alarms->push_back(StatusAlarm{"publish_rejected", 0x87, "not authorized", "p/s/g/events", 42});
  f.publish_rejected_total = 3;
  const auto doc = Json::parse(status_json(f, ""));
  EXPECT_EQ(doc["alarms"][0]["kind"], "publish_rejected");
  EXPECT_EQ(doc["alarms"][0]["reasonCode"], 135);
  EXPECT_EQ(doc["alarms"][0]["reason"], "not authorized");
  EXPECT_EQ(doc["alarms"][0]["topic"], "p/s/g/events");
  EXPECT_EQ(doc["alarms"][0]["since"], 42);
  EXPECT_EQ(doc["publishRejectedTotal"], 3);
  f.alarms = std::vector<StatusAlarm>{{"message_too_large", 0, "row 7 ...", "p/s/g/events", 1}};
  EXPECT_FALSE(Json::parse(status_json(f, ""))["alarms"][0].contains("reasonCode"));
}

TEST(ConnectSetup, PasswordFileFirstLineWithoutLineEnding) {
  dockgate::test::TempDir dir;
  dockgate::test::write_file(dir.file("a"), "p@ss word\r\nsecond line\n");
  EXPECT_EQ(read_password_file(dir.file("a")), "p@ss word");
  dockgate::test::write_file(dir.file("b"), "nonewline");
  EXPECT_EQ(read_password_file(dir.file("b")), "nonewline");
  dockgate::test::write_file(dir.file("c"), "\nsecond");
  EXPECT_THROW(read_password_file(dir.file("c")), UplinkError);
  EXPECT_THROW(read_password_file(dir.file("missing")), UplinkError);
}

TEST(ConnectSetup, ValidationNamesTheKey) {
  const auto uri = parse_broker_uri("tcp://127.0.0.1:1883");
  const auto topics = make_topics("p", "s", "g");
  const auto expect_key = [&](const MqttOptions& o, const std::string& key) {
    try {
      validate_options(o, uri, topics);
      ADD_FAILURE() << key << " accepted";
    } catch (const UplinkError& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  };
  MqttOptions o;
  EXPECT_NO_THROW(validate_options(o, uri, topics));
  o.inflight_window = 0;
  expect_key(o, "inflight_window");
  o = {};
  o.max_events_per_message = 0;
  expect_key(o, "max_events_per_message");
  o = {};
  o.max_message_bytes = 10;
  expect_key(o, "max_message_bytes");
  o = {};
  o.keepalive = 200ms;
  expect_key(o, "keepalive");
  o = {};
  o.reconnect_max = 100ms;
  expect_key(o, "reconnect_max");
  o = {};
  o.password_file = "/nonexistent";
  expect_key(o, "password_file");  // needs a username first
  o = {};
  o.key_file = "/x";
  expect_key(o, "key_file");
}

TEST(ConnectSetup, ConnectFailuresAreReadable) {
  const auto plain = parse_broker_uri("tcp://127.0.0.1:1883");
  const auto tls = parse_broker_uri("mqtts://broker:8883");
  EXPECT_NE(describe_connect_failure(5, 0, "", plain).find("not authorized"), std::string::npos);
  EXPECT_NE(describe_connect_failure(4, 0, "", plain).find("bad user name or password"),
            std::string::npos);
  EXPECT_EQ(describe_connect_failure(-1, 0, "", plain).find("TLS"), std::string::npos);
  EXPECT_NE(describe_connect_failure(-1, 0, "", tls).find("TLS"), std::string::npos);
  // MQTT 5 CONNACK refusals: Paho C passes the reason code as the return code.
  EXPECT_NE(describe_connect_failure(135, 0, "", plain).find("not authorized (CONNACK 0x87)"),
            std::string::npos);
  EXPECT_NE(describe_connect_failure(0, 0x86, "", plain).find("(CONNACK 0x86)"), std::string::npos);
  // A named TLS failure replaces the generic hint.
  const auto named = describe_connect_failure(-1, 0, "TLS: hostname mismatch: x", tls);
  EXPECT_NE(named.find("failed: TLS: hostname mismatch: x (Paho rc -1)"), std::string::npos)
      << named;
}

}  // namespace
}  // namespace dockgate::uplink
