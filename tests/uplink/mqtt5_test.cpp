// SPDX-License-Identifier: Apache-2.0
// MQTT 5 against a real mosquitto: a PUBACK reason code >= 0x80 (ACL deny) keeps the rows and
// raises the publish_rejected alarm until the broker accepts again; CONNACK Receive Maximum
// and Maximum Packet Size are honoured; MQTT 3.1.1 stays selectable.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "agent/clock.hpp"
#include "tests/support/wait.hpp"
#include "tests/uplink/publisher_fixture.hpp"

namespace dockgate::uplink::test {
namespace {

using dockgate::test::poll_until;
using Json = nlohmann::json;

/// `dock` (the gateway) may write status and exceptions; events only when `events_allowed`.
/// `reader` (the consumer) reads everything.
std::string acl(bool events_allowed) {
  std::string a =
      "user dock\n"
      "topic write dgtest/site-1/gw-1/status\n"
      "topic write dgtest/site-1/gw-1/exceptions\n";
  if (events_allowed) a += "topic write dgtest/site-1/gw-1/events\n";
  a += "\nuser reader\ntopic read #\n";
  return a;
}

class AclTest : public PublisherTest {
 protected:
  void SetUp() override {
    dockgate::test::BrokerOptions bo;
    bo.users = {{"dock", "s3cret"}, {"reader", "r3ad"}};
    bo.acl = acl(false);
    start_broker(bo);
    dockgate::test::write_file(dir_.file("password"), "s3cret\n");
  }
  MqttOptions dock_options() {
    auto o = test_options(broker_->uri());
    o.username = "dock";
    o.password_file = dir_.file("password");
    return o;
  }
  std::unique_ptr<dockgate::test::MqttCapture> reader_capture() {
    dockgate::test::CaptureOptions co;
    co.username = "reader";
    co.password = "r3ad";
    auto c = std::make_unique<dockgate::test::MqttCapture>(
        broker_->uri(), std::vector<std::string>{topics_.events, topics_.status}, co);
    EXPECT_TRUE(c->wait_subscribed(5s));
    return c;
  }
  static bool has_alarm(const CapturedMessage& m, const std::string& kind) {
    const auto d = Json::parse(m.payload);
    if (!d.contains("alarms")) return false;
    return std::any_of(d["alarms"].begin(), d["alarms"].end(),
                       [&](const Json& a) { return a.value("kind", "") == kind; });
  }
};

TEST_F(AclTest, DeniedEventsStayQueuedWithAnAlarmUntilTheAclIsFixed) {
  auto cap = reader_capture();
  make_publisher(dock_options());
  publisher_->start();
  ASSERT_TRUE(poll_until([&] { return publisher_->state().connected; }, 5s));
  append(100);

  // mosquitto 2.0 answers the denied QoS 1 PUBLISH with PUBACK 0x87 under MQTT 5.
  ASSERT_TRUE(poll_until([&] { return publisher_->state().publish_rejected_total >= 3; }, 10s))
      << publisher_->state().last_error << "\n"
      << broker_->log_text();
  auto st = publisher_->state();
  EXPECT_TRUE(st.connected);
  EXPECT_EQ(st.acked_rows, 0U);
  EXPECT_EQ(pending(), 100U) << "a refused publish must not delete rows";
  EXPECT_EQ(st.alarms, std::vector<std::string>{"publish_rejected"});
  EXPECT_EQ(st.window, 1U) << "while refused, probe with one message at a time";
  EXPECT_NE(st.last_error.find("0x87"), std::string::npos) << st.last_error;
  EXPECT_EQ(cap->count(topics_.events), 0U);

  CapturedMessage alarm;
  ASSERT_TRUE(cap->wait_for_match(
      topics_.status, [](const CapturedMessage& m) { return has_alarm(m, "publish_rejected"); }, 5s,
      &alarm));
  const auto doc = Json::parse(alarm.payload);
  EXPECT_EQ(doc["alarms"][0]["reasonCode"], 135);
  EXPECT_EQ(doc["alarms"][0]["reason"], "not authorized");
  EXPECT_EQ(doc["alarms"][0]["topic"], topics_.events);
  EXPECT_GT(doc["alarms"][0]["since"].get<std::int64_t>(), 0);
  EXPECT_GE(doc["publishRejectedTotal"].get<std::uint64_t>(), 1U);
  EXPECT_EQ(doc["backlogCount"], 100);

  // The operator fixes the ACL and reloads the broker: the publisher resumes by itself.
  broker_->set_acl(acl(true));
  broker_->reload();
  ASSERT_TRUE(wait_drained(15s)) << publisher_->state().last_error << "\n" << broker_->log_text();
  ASSERT_TRUE(cap->wait_until(
      [&](const std::vector<CapturedMessage>& all) {
        const auto seqs = seqs_on(all, topics_.events);
        return std::set<std::uint64_t>(seqs.begin(), seqs.end()).size() == 100;
      },
      5s));
  EXPECT_TRUE(complete_in_order(seqs_on(cap->all(), topics_.events), 100));
  st = publisher_->state();
  EXPECT_TRUE(st.alarms.empty());
  EXPECT_EQ(st.acked_rows, 100U);
  EXPECT_EQ(st.connects, 1U) << "no reconnect was needed";
  EXPECT_TRUE(cap->wait_for_match(
      topics_.status,
      [](const CapturedMessage& m) {
        const auto d = Json::parse(m.payload);
        return d.contains("alarms") && d["alarms"].empty() && d["backlogCount"] == 0;
      },
      5s));
}

TEST_F(AclTest, UnderMqtt311ADeniedPublishIsAcknowledgedAndLost) {
  // The documented risk of `protocol: 3.1.1`: mosquitto PUBACKs a publish its ACL denies, so
  // the rows are deleted although nobody received them.
  auto cap = reader_capture();
  auto o = dock_options();
  o.protocol = MqttProtocol::v3_1_1;
  make_publisher(o);
  publisher_->start();
  append(10);
  ASSERT_TRUE(wait_drained(5s)) << publisher_->state().last_error;
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(cap->count(topics_.events), 0U);
  EXPECT_EQ(publisher_->state().publish_rejected_total, 0U);
  EXPECT_TRUE(publisher_->state().alarms.empty());
}

TEST_F(PublisherTest, Mqtt311StillConnectsAndDelivers) {
  start_broker();
  auto cap = capture();
  auto o = test_options(broker_->uri());
  o.protocol = MqttProtocol::v3_1_1;
  make_publisher(o);
  publisher_->start();
  append(50);
  ASSERT_TRUE(wait_drained(5s)) << publisher_->state().last_error;
  ASSERT_TRUE(cap->wait_for(topics_.events, 1, 5s));
  ASSERT_TRUE(poll_until(
      [&] {
        const auto seqs = seqs_on(cap->all(), topics_.events);
        return std::set<std::uint64_t>(seqs.begin(), seqs.end()).size() == 50;
      },
      5s));
  EXPECT_TRUE(complete_in_order(seqs_on(cap->all(), topics_.events), 50));
  // 3.1.1 has no CONNACK Receive Maximum: the configured window is used.
  EXPECT_EQ(publisher_->state().window, o.inflight_window);
  EXPECT_NE(broker_->log_text().find("p2"), std::string::npos)  // mosquitto logs "(p2, ...)"
      << "expected an MQTT 3.1.1 (protocol level 4) connection:\n"
      << broker_->log_text();
}

TEST_F(PublisherTest, Mqtt5CleanStartByDefaultPersistentSessionWithSessionExpiry) {
  start_broker();
  auto cap = capture();
  make_publisher(test_options(broker_->uri()));
  publisher_->start();
  append(5);
  ASSERT_TRUE(wait_drained(5s)) << publisher_->state().last_error;
  // mosquitto logs "New client connected ... as <id> (p5, c1, k2...)": protocol 5, clean start.
  EXPECT_NE(broker_->log_text().find("as dockgate-site-1-gw-1 (p5, c1"), std::string::npos)
      << broker_->log_text();
  publisher_->stop(1s);
  live_target_.store(nullptr);
  publisher_.reset();

  auto o = test_options(broker_->uri());
  o.session_expiry = std::chrono::hours(1);
  make_publisher(o);
  publisher_->start();
  append(5);
  ASSERT_TRUE(wait_drained(5s)) << publisher_->state().last_error;
  EXPECT_NE(broker_->log_text().find("as dockgate-site-1-gw-1 (p5, c0"), std::string::npos)
      << broker_->log_text();
  ASSERT_TRUE(cap->wait_for(topics_.events, 10, 5s));
  EXPECT_TRUE(complete_in_order(seqs_on(cap->all(), topics_.events), 10));
}

TEST_F(PublisherTest, ReceiveMaximumCapsTheInFlightWindow) {
  dockgate::test::BrokerOptions bo;
  bo.extra_config = "max_inflight_messages 3\n";  // CONNACK Receive Maximum 3
  start_broker(bo);
  auto cap = capture();
  auto o = test_options(broker_->uri());
  o.inflight_window = 64;
  o.max_events_per_message = 1;  // one row per message: the window is what limits
  make_publisher(o);
  publisher_->start();
  ASSERT_TRUE(poll_until([&] { return publisher_->state().connected; }, 5s));
  EXPECT_EQ(publisher_->state().window, 3U);
  append(300);
  std::uint32_t max_inflight = 0;
  ASSERT_TRUE(poll_until(
      [&] {
        max_inflight = std::max(max_inflight, publisher_->state().inflight);
        return pending() == 0;
      },
      15s, 1ms));
  EXPECT_GT(max_inflight, 0U);
  EXPECT_LE(max_inflight, 3U);
  ASSERT_TRUE(cap->wait_for(topics_.events, 300, 5s));
  EXPECT_TRUE(complete_in_order(seqs_on(cap->all(), topics_.events), 300));
  EXPECT_EQ(publisher_->state().connects, 1U);
}

TEST_F(PublisherTest, BatchAboveMaximumPacketSizeIsSplitIntoSmallerDocuments) {
  dockgate::test::BrokerOptions bo;
  bo.extra_config = "max_packet_size 1000\n";
  start_broker(bo);
  auto cap = capture();
  append(400);  // a backlog before start: drained in batches
  auto o = test_options(broker_->uri());
  o.max_message_bytes = 32 * 1024;  // far above what the broker takes
  make_publisher(o);
  publisher_->start();
  ASSERT_TRUE(wait_drained(10s)) << publisher_->state().last_error << "\n" << broker_->log_text();
  ASSERT_TRUE(cap->wait_until(
      [&](const std::vector<CapturedMessage>& all) {
        const auto seqs = seqs_on(all, topics_.events);
        return std::set<std::uint64_t>(seqs.begin(), seqs.end()).size() == 400;
      },
      5s));
  EXPECT_TRUE(complete_in_order(seqs_on(cap->all(), topics_.events), 400));
  std::size_t batched = 0;
  for (const auto& m : cap->on(topics_.events)) {
    EXPECT_LE(m.payload.size() + m.topic.size() + 10, 1000U);
    if (seqs_of(m).size() > 1) ++batched;
  }
  EXPECT_GT(batched, 0U) << "still batched, only smaller";
  const auto st = publisher_->state();
  EXPECT_EQ(st.max_packet_size, 1000U);
  EXPECT_EQ(st.connects, 1U) << "never disconnected for an oversized packet";
}

TEST_F(PublisherTest, SingleRowAboveMaximumPacketSizeIsHeldWithAnAlarmNotLooped) {
  dockgate::test::BrokerOptions bo;
  bo.extra_config = "max_packet_size 1000\n";
  start_broker(bo);
  auto cap = capture();
  buffer::PendingRecord big;
  big.channel = buffer::Channel::event;
  big.created_ms = now_utc_ms();
  big.render = [](std::uint64_t seq) {
    return Json{{"seq", seq}, {"ch", "event"}, {"pad", std::string(2'000, 'x')}}.dump();
  };
  outbox_->append(std::move(big));
  append(5);
  make_publisher(test_options(broker_->uri()));
  publisher_->start();
  ASSERT_TRUE(poll_until(
      [&] {
        const auto a = publisher_->state().alarms;
        return std::find(a.begin(), a.end(), "message_too_large") != a.end();
      },
      5s))
      << publisher_->state().last_error;
  std::this_thread::sleep_for(1s);
  const auto st = publisher_->state();
  EXPECT_TRUE(st.connected);
  EXPECT_EQ(st.connects, 1U) << "no reconnect loop";
  EXPECT_EQ(st.published_messages, 0U) << "the oversized packet is never sent";
  EXPECT_EQ(pending(), 6U) << "nothing is dropped";
  EXPECT_NE(st.last_error.find("Maximum Packet Size"), std::string::npos) << st.last_error;
  EXPECT_TRUE(cap->wait_for_match(
      topics_.status,
      [](const CapturedMessage& m) {
        const auto d = Json::parse(m.payload);
        return d.contains("alarms") && !d["alarms"].empty() &&
               d["alarms"][0]["kind"] == "message_too_large";
      },
      5s));
}

}  // namespace
}  // namespace dockgate::uplink::test
