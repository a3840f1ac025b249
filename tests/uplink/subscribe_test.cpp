// SPDX-License-Identifier: Apache-2.0
// Subscriptions of the uplink against a real mosquitto, under MQTT 5 and 3.1.1: retained
// messages arrive after every (re)connect with retained=true, live ones as they come, a
// cleared retained message as an empty payload; a SUBACK that refuses a filter (mosquitto's
// dynamic security plugin) raises subscribe_rejected and never stops publishing; bad filters
// are refused by create(); no message callback once stop() was entered.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/subprocess.hpp"
#include "tests/support/wait.hpp"
#include "tests/uplink/publisher_fixture.hpp"

namespace dockgate::uplink::test {
namespace {

using dockgate::test::poll_until;
using Json = nlohmann::json;

const std::string kPlans = "dgtest/site-1/gw-1/plans/";
const std::string kPlansFilter = kPlans + "+";

/// What the MessageFn received, in order. Shared with the callback, so it outlives the
/// publisher whatever the destruction order.
class Inbox {
 public:
  static MessageFn callback(const std::shared_ptr<Inbox>& inbox) {
    return [inbox](InboundMessage m) {
      std::lock_guard lock(inbox->mu_);
      inbox->messages_.push_back(std::move(m));
      inbox->cv_.notify_all();
    };
  }
  [[nodiscard]] std::vector<InboundMessage> all() const {
    std::lock_guard lock(mu_);
    return messages_;
  }
  /// Waits until at least `n` messages arrived; false on timeout.
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return messages_.size() >= n; });
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<InboundMessage> messages_;
};

/// MosquittoBroker::publish as a gtest assertion.
::testing::AssertionResult mosquitto_pub(const dockgate::test::MosquittoBroker& broker,
                                         const std::string& topic, const std::string& payload,
                                         bool retain) {
  const std::string error = broker.publish(topic, payload, retain);
  if (error.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << error;
}

bool has_alarm(const std::vector<std::string>& alarms, const std::string& kind) {
  return std::find(alarms.begin(), alarms.end(), kind) != alarms.end();
}

std::string protocol_name(const ::testing::TestParamInfo<MqttProtocol>& info) {
  return info.param == MqttProtocol::v5 ? "Mqtt5" : "Mqtt311";
}

class SubscribeTest : public PublisherTest, public ::testing::WithParamInterface<MqttProtocol> {
 protected:
  MqttOptions options() {
    auto o = test_options(broker_->uri());
    o.protocol = GetParam();
    o.commands = false;  // only the caller's filters here (commands: replay_test.cpp)
    return o;
  }
  void start_subscribed(std::vector<std::string> filters = {kPlansFilter}) {
    make_publisher(options(), {}, Subscriptions{std::move(filters), Inbox::callback(inbox_)});
    publisher_->start();
  }
  ::testing::AssertionResult publish(const std::string& plan, const std::string& payload,
                                     bool retain) {
    return mosquitto_pub(*broker_, kPlans + plan, payload, retain);
  }
  bool wait_subscribed(std::uint64_t connects = 1) {
    return poll_until(
        [&] {
          const auto st = publisher_->state();
          return st.subscribed && st.connects >= connects;
        },
        10s);
  }

  std::shared_ptr<Inbox> inbox_ = std::make_shared<Inbox>();
};

INSTANTIATE_TEST_SUITE_P(Protocols, SubscribeTest,
                         ::testing::Values(MqttProtocol::v5, MqttProtocol::v3_1_1), protocol_name);

TEST_P(SubscribeTest, RetainedPlanBeforeStartArrivesRetainedThenLivePlans) {
  start_broker();
  ASSERT_TRUE(publish("P1", R"({"planId":"P1"})", true));
  auto cap = capture();
  start_subscribed();
  ASSERT_TRUE(wait_subscribed()) << publisher_->state().last_error << "\n" << broker_->log_text();
  ASSERT_TRUE(inbox_->wait_for(1, 5s)) << "the retained plan did not arrive";
  {
    const auto first = inbox_->all().front();
    EXPECT_EQ(first.topic, kPlans + "P1");
    EXPECT_EQ(first.payload, R"({"planId":"P1"})");
    EXPECT_TRUE(first.retained) << "sent from the retained store at SUBSCRIBE";
  }

  // Live: a retained publish (as the central system sends plans) and a plain one; a message
  // outside the filter (one level deeper) in between must not arrive.
  ASSERT_TRUE(publish("P2", R"({"planId":"P2"})", true));
  ASSERT_TRUE(publish("P2/extra", "not for us", false));
  ASSERT_TRUE(publish("P3", R"({"planId":"P3"})", false));
  ASSERT_TRUE(inbox_->wait_for(3, 5s));
  const auto all = inbox_->all();
  ASSERT_EQ(all.size(), 3U) << all.back().topic;
  EXPECT_EQ(all[1].topic, kPlans + "P2");
  EXPECT_EQ(all[1].payload, R"({"planId":"P2"})");
  EXPECT_FALSE(all[1].retained) << "a live message, even of a retained publish";
  EXPECT_EQ(all[2].topic, kPlans + "P3");
  EXPECT_FALSE(all[2].retained);

  // Publishing is unaffected.
  append(20);
  ASSERT_TRUE(wait_drained(5s)) << publisher_->state().last_error;
  ASSERT_TRUE(cap->wait_for(topics_.events, 1, 5s));
  ASSERT_TRUE(poll_until([&] { return seqs_on(cap->all(), topics_.events).size() >= 20; }, 5s));
  EXPECT_TRUE(complete_in_order(seqs_on(cap->all(), topics_.events), 20));
  const auto st = publisher_->state();
  EXPECT_TRUE(st.alarms.empty());
  EXPECT_EQ(st.connects, 1U);
  EXPECT_EQ(inbox_->all().size(), 3U) << "our own events and status are not subscribed";
}

TEST_P(SubscribeTest, RetainedPlanIsDeliveredAgainAfterABrokerRestart) {
  dockgate::test::BrokerOptions bo;
  bo.persistence = true;  // the retained message survives the clean stop()
  start_broker(bo);
  ASSERT_TRUE(publish("P1", "plan one", true));
  start_subscribed();
  ASSERT_TRUE(inbox_->wait_for(1, 10s)) << publisher_->state().last_error;

  broker_->stop();
  ASSERT_TRUE(poll_until([&] { return !publisher_->state().connected; }, 5s));
  EXPECT_FALSE(publisher_->state().subscribed);
  broker_->start();
  ASSERT_TRUE(wait_subscribed(2)) << publisher_->state().last_error << "\n" << broker_->log_text();
  ASSERT_TRUE(inbox_->wait_for(2, 5s)) << "not re-delivered after the reconnect";
  const auto all = inbox_->all();
  ASSERT_EQ(all.size(), 2U);
  for (const auto& m : all) {
    EXPECT_EQ(m.topic, kPlans + "P1");
    EXPECT_EQ(m.payload, "plan one");
    EXPECT_TRUE(m.retained);
  }
}

TEST_P(SubscribeTest, ClearedRetainedPlanArrivesEmptyAndStaysGoneAfterAReconnect) {
  dockgate::test::BrokerOptions bo;
  bo.persistence = true;
  start_broker(bo);
  ASSERT_TRUE(publish("P1", "plan one", true));
  start_subscribed();
  ASSERT_TRUE(inbox_->wait_for(1, 10s)) << publisher_->state().last_error;

  ASSERT_TRUE(publish("P1", "", true));  // zero-length retained publish: clears it
  ASSERT_TRUE(inbox_->wait_for(2, 5s));
  {
    const auto cleared = inbox_->all()[1];
    EXPECT_EQ(cleared.topic, kPlans + "P1");
    EXPECT_TRUE(cleared.payload.empty());
    EXPECT_FALSE(cleared.retained);
  }

  // After a reconnect nothing comes back for P1: the first message after the re-subscribe
  // is the live marker.
  broker_->stop();
  ASSERT_TRUE(poll_until([&] { return !publisher_->state().connected; }, 5s));
  broker_->start();
  ASSERT_TRUE(wait_subscribed(2)) << publisher_->state().last_error;
  ASSERT_TRUE(publish("marker", "m", false));
  ASSERT_TRUE(inbox_->wait_for(3, 5s));
  const auto third = inbox_->all()[2];
  EXPECT_EQ(third.topic, kPlans + "marker") << "payload: " << third.payload;
}

/// mosquitto's dynamic security plugin, for anonymous clients (group "anon"): publishing and
/// receiving allowed, subscribing only to the gateway's own topics (what the capture needs)
/// unless `subscribe_by_default`; role "admin" lets the test change the default at run time
/// through $CONTROL/dynamic-security/v1 (setDefaultACLAccess kicks no client, unlike role
/// changes, which disconnect every client holding the role).
std::string dynsec_config(bool subscribe_by_default) {
  return std::string(R"({"defaultACLAccess": {"publishClientSend": true,
    "publishClientReceive": true, "unsubscribe": true, "subscribe": )") +
         (subscribe_by_default ? "true" : "false") + R"(},
  "clients": [],
  "groups": [{"groupname": "anon", "roles": [{"rolename": "reader"}, {"rolename": "admin"}]}],
  "roles": [
    {"rolename": "reader", "acls": [
      {"acltype": "subscribePattern", "topic": "dgtest/site-1/gw-1/+", "allow": true}]},
    {"rolename": "admin", "acls": [
      {"acltype": "publishClientSend", "topic": "$CONTROL/dynamic-security/#", "allow": true}]}],
  "anonymousGroup": "anon"})";
}
TEST_P(SubscribeTest, RefusedSubscriptionRaisesAnAlarmWhilePublishingGoesOn) {
  // mosquitto's acl_file never refuses a SUBSCRIBE (see the AclFile test below); its dynamic
  // security plugin does: SUBACK 0x87 under MQTT 5, 0x80 under 3.1.1.
  const std::string dynsec = dir_.file("dynsec.json");
  dockgate::test::write_file(dynsec, dynsec_config(false));
  dockgate::test::BrokerOptions bo;
  bo.extra_config = std::string("plugin ") + DOCKGATE_MOSQUITTO_DYNSEC +
                    "\nplugin_opt_config_file " + dynsec + "\n";
  start_broker(bo);
  ASSERT_TRUE(publish("P1", "plan one", true));
  auto cap = capture();
  start_subscribed();
  const auto rejected = [&] { return has_alarm(publisher_->state().alarms, "subscribe_rejected"); };
  ASSERT_TRUE(poll_until(rejected, 10s)) << publisher_->state().last_error << "\n"
                                         << broker_->log_text();

  append(20);
  ASSERT_TRUE(wait_drained(10s)) << "events must still be PUBACKed: "
                                 << publisher_->state().last_error;
  ASSERT_TRUE(poll_until([&] { return seqs_on(cap->all(), topics_.events).size() >= 20; }, 5s));
  EXPECT_TRUE(complete_in_order(seqs_on(cap->all(), topics_.events), 20));
  auto st = publisher_->state();
  EXPECT_TRUE(st.connected);
  EXPECT_FALSE(st.subscribed);
  EXPECT_EQ(st.alarms, std::vector<std::string>{"subscribe_rejected"});
  EXPECT_EQ(st.acked_rows, 20U);
  const bool v5 = GetParam() == MqttProtocol::v5;
  EXPECT_NE(st.last_error.find(v5 ? "SUBACK reason code 0x87 (not authorized)"
                                  : "SUBACK return code 0x80 (failure)"),
            std::string::npos)
      << st.last_error;
  EXPECT_NE(st.last_error.find(kPlansFilter), std::string::npos) << st.last_error;
  EXPECT_TRUE(inbox_->all().empty());

  CapturedMessage status;
  ASSERT_TRUE(cap->wait_for_match(
      topics_.status,
      [](const CapturedMessage& m) {
        const auto d = Json::parse(m.payload);
        return d.contains("alarms") && !d["alarms"].empty() &&
               d["alarms"][0]["kind"] == "subscribe_rejected";
      },
      5s, &status));
  const auto alarm = Json::parse(status.payload)["alarms"][0];
  EXPECT_EQ(alarm["topic"], kPlansFilter);
  EXPECT_EQ(alarm["reasonCode"], v5 ? 0x87 : 0x80);

  // The operator allows it at run time (no client is disconnected): the retry with backoff
  // gets it on the same connection, the alarm clears, the retained plan arrives.
  const std::string allow = R"({"commands": [{"command": "setDefaultACLAccess",
    "acls": [{"acltype": "subscribe", "allow": true}]}]})";
  ASSERT_TRUE(mosquitto_pub(*broker_, "$CONTROL/dynamic-security/v1", allow, false));
  ASSERT_TRUE(poll_until(
      [&] {
        const auto s = publisher_->state();
        return s.subscribed && s.alarms.empty();
      },
      10s))
      << publisher_->state().last_error;
  EXPECT_EQ(publisher_->state().connects, 1U) << "granted without a reconnect";
  ASSERT_TRUE(inbox_->wait_for(1, 5s));
  EXPECT_EQ(inbox_->all().front().payload, "plan one");
  EXPECT_TRUE(inbox_->all().front().retained);
  EXPECT_TRUE(cap->wait_for_match(
      topics_.status,
      [](const CapturedMessage& m) {
        const auto d = Json::parse(m.payload);
        return d.contains("alarms") && d["alarms"].empty();
      },
      5s));

  // Refused again after a broker restart: the new connection subscribed again (alarm back),
  // and publishing still goes on.
  broker_->stop();
  dockgate::test::write_file(dynsec, dynsec_config(false));
  ASSERT_TRUE(poll_until([&] { return !publisher_->state().connected; }, 5s));
  broker_->start();
  ASSERT_TRUE(poll_until(rejected, 10s)) << publisher_->state().last_error;
  append(5);
  ASSERT_TRUE(wait_drained(10s)) << publisher_->state().last_error;
  st = publisher_->state();
  EXPECT_EQ(st.connects, 2U);
  EXPECT_FALSE(st.subscribed);
  EXPECT_EQ(st.acked_rows, 25U);
}

TEST_F(PublisherTest, SubscribeAclFileDenyingReadGrantsTheSubscriptionButDeliversNothing) {
  // Pins mosquitto 2.0's acl_file behaviour: it does not check SUBSCRIBE at all (SUBACK grants
  // QoS 1), it drops each message the client may not read. The uplink cannot see the deny:
  // no alarm, subscribed = true, and the plans never arrive.
  dockgate::test::BrokerOptions bo;
  bo.acl =
      "topic write dgtest/site-1/gw-1/#\n"
      "topic read dgtest/site-1/gw-1/notices/#\n";
  start_broker(bo);
  auto inbox = std::make_shared<Inbox>();
  make_publisher(
      test_options(broker_->uri()), {},
      Subscriptions{{kPlansFilter, "dgtest/site-1/gw-1/notices/+"}, Inbox::callback(inbox)});
  publisher_->start();
  ASSERT_TRUE(poll_until([&] { return publisher_->state().subscribed; }, 10s))
      << publisher_->state().last_error;
  ASSERT_TRUE(mosquitto_pub(*broker_, kPlans + "P1", "plan one", false));
  ASSERT_TRUE(mosquitto_pub(*broker_, "dgtest/site-1/gw-1/notices/n1", "marker", false));
  ASSERT_TRUE(inbox->wait_for(1, 5s));
  const auto all = inbox->all();
  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all[0].payload, "marker") << "the plan was published first and never delivered";
  append(3);
  ASSERT_TRUE(wait_drained(5s)) << publisher_->state().last_error;
  EXPECT_TRUE(publisher_->state().alarms.empty());
}

TEST(SubscribeCreateTest, BadTopicFiltersAreRejectedByCreate) {
  dockgate::test::TempDir dir("dockgate-subscribe-create");
  buffer::OutboxOptions oo;
  oo.path = dir.file("outbox.db");
  auto outbox = buffer::Outbox::open(oo);
  const auto topics = make_topics("dgtest", "site-1", "gw-1");
  const auto create = [&](std::vector<std::string> filters, MessageFn fn) {
    return Publisher::create(test_options("tcp://127.0.0.1:1"), topics, "t", *outbox, oo.path,
                             join_document, {}, Subscriptions{std::move(filters), std::move(fn)});
  };
  const MessageFn fn = [](const InboundMessage&) {};
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"", "is empty"},
      {"a/#/b", "'#' must be the last level"},
      {"a/b#", "'#' must be a whole level"},
      {"#/a", "'#' must be the last level"},
      {"a+/b", "'+' must be a whole level"},
      {"a/+b", "'+' must be a whole level"},
      {"a/b+/c", "'+' must be a whole level"},
      {std::string("a/\0b", 4), "contains NUL"},
      {"a/\xC3", "not valid UTF-8"},
      {"a/\xC0\xAF", "not valid UTF-8"},  // overlong '/'
      {std::string(65'536, 'x'), "longer than 65535 bytes"},
  };
  for (const auto& [filter, why] : bad) {
    try {
      create({"ok/+", filter}, fn);
      ADD_FAILURE() << "accepted \"" << filter << "\"";
    } catch (const UplinkError& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos)
          << "filter \"" << filter << "\": " << e.what();
    }
  }
  try {
    create({std::string("a/\0b", 4)}, fn);
  } catch (const UplinkError& e) {
    EXPECT_NE(std::string(e.what()).find("\"a/\\x00b\""), std::string::npos) << e.what();
  }
  EXPECT_THROW(create({"a/+", "a/+"}, fn), UplinkError) << "duplicate";
  EXPECT_THROW(create({"a/+"}, {}), UplinkError) << "filters without a callback";
  for (const char* good : {"#", "+", "a/+/b/#", "/", "a//b", "+/+", "$share/g/a/+",
                           "dgtest/site-1/gw-1/plans/+", "caf\xC3\xA9/#"}) {
    EXPECT_NO_THROW(create({good}, fn)) << good;
  }
  EXPECT_NO_THROW(create({}, {})) << "no subscriptions, no callback";
  outbox->close();
}

TEST_F(PublisherTest, SubscribeNoMessageCallbackOnceStopWasEntered) {
  start_broker();
  std::atomic<bool> stop_called{false};
  std::atomic<bool> inside{false};
  std::atomic<int> calls{0};
  std::atomic<int> late{0};
  Subscriptions subs{{kPlansFilter}, [&](const InboundMessage&) {
                       inside = true;
                       if (stop_called) ++late;
                       ++calls;
                       std::this_thread::sleep_for(2ms);  // a backlog builds up in Paho
                       inside = false;
                     }};
  make_publisher(test_options(broker_->uri()), {}, std::move(subs));
  publisher_->start();
  ASSERT_TRUE(poll_until([&] { return publisher_->state().subscribed; }, 10s))
      << publisher_->state().last_error;
  // A flood of QoS 1 plans from one mosquitto_pub, still running while we stop.
  dockgate::test::SpawnOptions so;
  so.args = {"/bin/sh", "-c",
             "seq 1 20000 | mosquitto_pub -p " + std::to_string(broker_->port()) + " -t " + kPlans +
                 "flood -q 1 -l"};
  dockgate::test::Subprocess flood(so);
  ASSERT_TRUE(poll_until([&] { return calls >= 50; }, 10s)) << calls;
  // stop() shuts the gate first, then drains (offline status, its PUBACK queued behind the
  // flood on Paho's receive thread). A call may slip in between the flag and the gate.
  stop_called = true;
  publisher_->stop(2s);
  EXPECT_FALSE(inside) << "stop() returned while the callback ran";
  EXPECT_LE(late, 1) << "the callback ran after stop() was entered";
  const int at_return = calls;
  EXPECT_TRUE(flood.wait_for(20s).has_value());
  std::this_thread::sleep_for(200ms);  // a late callback would come now; nothing to wait on
  EXPECT_EQ(calls, at_return) << "the callback ran after stop() returned";
}

}  // namespace
}  // namespace dockgate::uplink::test
