// SPDX-License-Identifier: Apache-2.0
// The retained status message, the will, and stopping: what a consumer sees about the
// gateway itself.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "agent/clock.hpp"
#include "tests/support/subprocess.hpp"
#include "tests/support/wait.hpp"
#include "tests/uplink/publisher_fixture.hpp"

namespace dockgate::uplink::test {
namespace {

using dockgate::test::poll_until;
using Json = nlohmann::json;

bool is_online(const CapturedMessage& m, bool online) {
  return Json::parse(m.payload).at("online") == online;
}

TEST_F(PublisherTest, OnlineStatusIsRetainedAndCarriesBacklogFigures) {
  start_broker();
  auto cap = capture();
  append(50, buffer::Channel::event, now_utc_ms() - 5'000);
  make_publisher(test_options(broker_->uri()), [] {
    return std::string(R"({"devices":{"scanner-1":"up"},"online":"extra cannot override"})");
  });
  publisher_->start();

  CapturedMessage first;
  ASSERT_TRUE(cap->wait_for_match(topics_.status, nullptr, 5s, &first));
  const auto doc = Json::parse(first.payload);
  EXPECT_EQ(doc["online"], true);
  EXPECT_EQ(doc["version"], "1.2.3-test");
  EXPECT_EQ(doc["backlogCount"], 50);  // published on connect, before the drain
  EXPECT_EQ(doc["lastGatewaySeq"], 50);
  EXPECT_EQ(doc["retainedCount"], 0);  // the fixture's outbox keeps nothing
  EXPECT_GE(doc["oldestUnsentAgeMs"].get<std::int64_t>(), 5'000);
  EXPECT_EQ(doc["devices"]["scanner-1"], "up");
  EXPECT_TRUE(doc.contains("drainRate"));
  EXPECT_TRUE(doc.contains("timeMs"));

  // Refreshed every status_interval: the backlog is gone and the drain rate shows.
  ASSERT_TRUE(wait_drained(5s));
  CapturedMessage later;
  ASSERT_TRUE(cap->wait_for_match(
      topics_.status,
      [](const CapturedMessage& m) {
        const auto d = Json::parse(m.payload);
        return d["backlogCount"] == 0 && d["oldestUnsentAgeMs"].is_null();
      },
      5s, &later));

  // A subscriber arriving later gets it from the broker's retained store.
  auto late = capture();
  CapturedMessage retained;
  ASSERT_TRUE(late->wait_for_match(topics_.status, nullptr, 5s, &retained));
  EXPECT_TRUE(retained.retained);
  EXPECT_TRUE(is_online(retained, true));
}

TEST_F(PublisherTest, GracefulStopPublishesRetainedOfflineStatus) {
  start_broker();
  auto cap = capture();
  make_publisher(test_options(broker_->uri()));
  publisher_->start();
  ASSERT_TRUE(cap->wait_for_match(
      topics_.status, [](const CapturedMessage& m) { return is_online(m, true); }, 5s));
  append(10);
  ASSERT_TRUE(wait_drained(5s));

  const auto t0 = std::chrono::steady_clock::now();
  publisher_->stop(3s);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  CapturedMessage off;
  ASSERT_TRUE(cap->wait_for_match(
      topics_.status, [](const CapturedMessage& m) { return is_online(m, false); }, 5s, &off));
  EXPECT_EQ(Json::parse(off.payload)["reason"], "stopped");
  EXPECT_EQ(Json::parse(off.payload)["backlogCount"], 0);
  EXPECT_FALSE(publisher_->state().connected);

  auto late = capture();
  CapturedMessage retained;
  ASSERT_TRUE(late->wait_for_match(topics_.status, nullptr, 5s, &retained));
  EXPECT_TRUE(retained.retained);
  EXPECT_EQ(Json::parse(retained.payload)["reason"], "stopped");
}

TEST_F(PublisherTest, WillMarksGatewayOfflineWhenThePublisherIsKilled) {
  start_broker();
  auto cap = capture();
  const std::int64_t spawned_ms = now_utc_ms();
  dockgate::test::SpawnOptions so;
  so.args = {UPLINK_WILL_CHILD, broker_->uri(), dir_.file("child.db"), "dgtest", "site-1", "gw-1"};
  so.stdout_path = dir_.file("child.log");
  so.stderr_path = so.stdout_path;
  dockgate::test::Subprocess child(so);
  ASSERT_TRUE(cap->wait_for_match(
      topics_.status, [](const CapturedMessage& m) { return is_online(m, true); }, 5s))
      << dockgate::test::read_file(so.stdout_path);

  child.kill();  // SIGKILL: no offline status from the publisher; the broker sends the will
  CapturedMessage will;
  ASSERT_TRUE(cap->wait_for_match(
      topics_.status, [](const CapturedMessage& m) { return is_online(m, false); }, 5s, &will));
  EXPECT_EQ(Json::parse(will.payload)["reason"], "connection lost");
  EXPECT_EQ(Json::parse(will.payload)["version"], "9.9.9-child");
  // The will carries the time of the connect attempt that registered it.
  const auto will_ms = Json::parse(will.payload)["timeMs"].get<std::int64_t>();
  EXPECT_GE(will_ms, spawned_ms);
  EXPECT_LE(will_ms, now_utc_ms());

  auto late = capture();
  CapturedMessage retained;
  ASSERT_TRUE(late->wait_for_match(topics_.status, nullptr, 5s, &retained));
  EXPECT_TRUE(retained.retained);
  EXPECT_TRUE(is_online(retained, false));
}

TEST_F(PublisherTest, StopReturnsWithinTheTimeoutWhenTheBrokerHangs) {
  start_broker();
  auto options = test_options(broker_->uri());
  options.keepalive = 10s;
  make_publisher(options);
  publisher_->start();
  ASSERT_TRUE(poll_until([&] { return publisher_->state().connected; }, 5s));
  broker_->pause();  // no PUBACK, no answer to DISCONNECT
  append(20);
  ASSERT_TRUE(poll_until([&] { return publisher_->state().inflight > 0; }, 5s));

  const auto t0 = std::chrono::steady_clock::now();
  publisher_->stop(1s);
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(took, 1'300ms);
  EXPECT_EQ(pending(), 20U) << "un-acked rows stay in the outbox";
  broker_->resume();
}

TEST_F(PublisherTest, StopReturnsAtOnceWithoutABroker) {
  start_broker();
  const std::string uri = broker_->uri();
  broker_->stop();
  make_publisher(test_options(uri));
  publisher_->start();
  append(5);
  std::this_thread::sleep_for(200ms);
  const auto t0 = std::chrono::steady_clock::now();
  publisher_->stop(2s);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 500ms);
  EXPECT_EQ(pending(), 5U);
  EXPECT_EQ(publisher_->state().connects, 0U);
}

}  // namespace
}  // namespace dockgate::uplink::test
