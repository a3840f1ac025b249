// SPDX-License-Identifier: Apache-2.0
// Delivery guarantees of the publisher against a real mosquitto and a real outbox: order,
// delete-after-PUBACK, broker outages, backlog batching, the exceptions channel.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "tests/support/wait.hpp"
#include "tests/uplink/publisher_fixture.hpp"

namespace dockgate::uplink::test {
namespace {

using dockgate::test::poll_until;

TEST_F(PublisherTest, LiveRowsArriveInOrderOneEventPerMessage) {
  start_broker();
  auto cap = capture();
  make_publisher(test_options(broker_->uri()));
  publisher_->start();
  ASSERT_TRUE(poll_until([&] { return publisher_->state().connected; }, 5s));

  // Caught up: each row is its own message.
  for (std::uint64_t i = 1; i <= 20; ++i) {
    append(1);
    ASSERT_TRUE(cap->wait_for(topics_.events, i, 5s)) << "row " << i;
  }
  const auto msgs = cap->on(topics_.events);
  ASSERT_EQ(msgs.size(), 20U);
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    EXPECT_EQ(seqs_of(msgs[i]), std::vector<std::uint64_t>{i + 1});
    EXPECT_FALSE(msgs[i].retained);
    EXPECT_EQ(msgs[i].qos, 1);
  }
  ASSERT_TRUE(wait_drained(5s));
  const auto st = publisher_->state();
  EXPECT_EQ(st.acked_rows, 20U);
  EXPECT_EQ(st.acked_messages, 20U);
  EXPECT_EQ(st.inflight, 0U);
}

TEST_F(PublisherTest, RowsAreDeletedOnlyAfterPuback) {
  start_broker();
  auto cap = capture();
  auto options = test_options(broker_->uri());
  options.keepalive = 10s;  // the broker is frozen below; no keepalive timeout meanwhile
  make_publisher(options);
  publisher_->start();
  ASSERT_TRUE(poll_until([&] { return publisher_->state().connected; }, 5s));

  // A frozen broker keeps the connection but sends no PUBACK: the rows are published ...
  broker_->pause();
  append(30);
  ASSERT_TRUE(poll_until([&] { return publisher_->state().published_messages > 0; }, 5s));
  std::this_thread::sleep_for(500ms);
  // ... but nothing is deleted without the acknowledgement.
  EXPECT_EQ(pending(), 30U);
  EXPECT_EQ(publisher_->state().acked_rows, 0U);
  EXPECT_GT(publisher_->state().inflight, 0U);

  broker_->resume();
  ASSERT_TRUE(wait_drained(5s));
  ASSERT_TRUE(cap->wait_until(
      [&](const auto& all) { return seqs_on(all, topics_.events).size() >= 30; }, 5s));
  EXPECT_TRUE(complete_in_order(seqs_on(cap->all(), topics_.events), 30));
}

TEST_F(PublisherTest, BrokerRestartKeepsRowsAndRedeliversInOrder) {
  dockgate::test::BrokerOptions bo;
  bo.persistence = true;  // the capture's session survives the restart: it misses nothing
  start_broker(bo);
  auto cap = capture(/*persistent=*/true);
  make_publisher(test_options(broker_->uri()));
  publisher_->start();
  append(100);
  ASSERT_TRUE(wait_drained(5s));

  broker_->stop();
  ASSERT_TRUE(poll_until([&] { return !publisher_->state().connected; }, 5s));
  append(400);
  std::this_thread::sleep_for(400ms);  // several reconnect attempts fail meanwhile
  EXPECT_EQ(pending(), 400U) << "rows must stay while the broker is down";
  EXPECT_FALSE(publisher_->state().last_error.empty());

  broker_->start();
  ASSERT_TRUE(wait_drained(10s)) << publisher_->state().last_error;
  ASSERT_TRUE(cap->wait_until(
      [&](const auto& all) {
        const auto s = seqs_on(all, topics_.events);
        return std::set<std::uint64_t>(s.begin(), s.end()).size() >= 500;
      },
      10s));
  EXPECT_TRUE(complete_in_order(seqs_on(cap->all(), topics_.events), 500));
  EXPECT_GE(publisher_->state().connects, 2U);
}

TEST_F(PublisherTest, BrokerKilledWithMessagesInFlightLosesNothing) {
  start_broker();
  make_publisher(test_options(broker_->uri()));
  publisher_->start();
  ASSERT_TRUE(poll_until([&] { return publisher_->state().connected; }, 5s));
  broker_->pause();
  append(50);
  ASSERT_TRUE(poll_until([&] { return publisher_->state().inflight > 0; }, 5s));
  broker_->kill();  // PUBLISHes sent, never acknowledged
  ASSERT_TRUE(poll_until([&] { return !publisher_->state().connected; }, 5s));
  EXPECT_EQ(pending(), 50U);

  broker_->start();  // same port: the publisher reconnects and re-sends
  ASSERT_TRUE(wait_drained(10s)) << publisher_->state().last_error;
  EXPECT_EQ(publisher_->state().acked_rows, 50U);
}

TEST_F(PublisherTest, BacklogDrainsInBatchedMessages) {
  start_broker();
  auto cap = capture();
  append(5'000);  // committed before the publisher exists: a backlog
  auto options = test_options(broker_->uri());
  options.max_events_per_message = 250;
  make_publisher(options);
  publisher_->start();
  ASSERT_TRUE(wait_drained(15s)) << publisher_->state().last_error;
  ASSERT_TRUE(cap->wait_until(
      [&](const auto& all) { return seqs_on(all, topics_.events).size() >= 5'000; }, 10s));

  const auto msgs = cap->on(topics_.events);
  EXPECT_LT(msgs.size(), 100U) << "a backlog must be batched";
  for (const auto& m : msgs) EXPECT_LE(seqs_of(m).size(), 250U);
  EXPECT_TRUE(complete_in_order(seqs_on(cap->all(), topics_.events), 5'000));
}

TEST_F(PublisherTest, BatchesRespectTheByteLimit) {
  start_broker();
  auto cap = capture();
  append(2'000);
  auto options = test_options(broker_->uri());
  options.max_message_bytes = 4'096;  // each row payload is ~25 bytes: ~160 rows per message
  make_publisher(options);
  publisher_->start();
  ASSERT_TRUE(wait_drained(15s));
  ASSERT_TRUE(cap->wait_until(
      [&](const auto& all) { return seqs_on(all, topics_.events).size() >= 2'000; }, 10s));
  for (const auto& m : cap->on(topics_.events)) {
    EXPECT_LE(m.payload.size(), 4'096U + 2 + seqs_of(m).size());  // rows + "[", "]", commas
  }
  EXPECT_TRUE(complete_in_order(seqs_on(cap->all(), topics_.events), 2'000));
}

TEST_F(PublisherTest, LiveBurstOverflowingTheHandOffFallsBackToTheDatabase) {
  start_broker();
  auto cap = capture();
  make_publisher(test_options(broker_->uri()));
  publisher_->start();
  ASSERT_TRUE(poll_until([&] { return publisher_->state().connected; }, 5s));
  append(30'000);  // more than the in-memory hand-off holds
  ASSERT_TRUE(wait_drained(20s)) << publisher_->state().last_error;
  ASSERT_TRUE(cap->wait_until(
      [&](const auto& all) { return seqs_on(all, topics_.events).size() >= 30'000; }, 10s));
  EXPECT_TRUE(complete_in_order(seqs_on(cap->all(), topics_.events), 30'000));
  EXPECT_LT(cap->count(topics_.events), 30'000U);
}

TEST_F(PublisherTest, ExceptionsGoOnePerMessageToTheirTopic) {
  start_broker();
  auto cap = capture();
  // A backlog mixing both channels: events are batched, exceptions never.
  append(300);
  append(5, buffer::Channel::exception);
  append(300);
  append(5, buffer::Channel::exception);
  make_publisher(test_options(broker_->uri()));
  publisher_->start();
  ASSERT_TRUE(wait_drained(10s));
  ASSERT_TRUE(cap->wait_for(topics_.exceptions, 10, 5s));
  ASSERT_TRUE(cap->wait_until(
      [&](const auto& all) { return seqs_on(all, topics_.events).size() >= 600; }, 5s));

  const auto exc = cap->on(topics_.exceptions);
  ASSERT_EQ(exc.size(), 10U);
  std::vector<std::uint64_t> exc_seqs;
  for (const auto& m : exc) {
    const auto s = seqs_of(m);
    ASSERT_EQ(s.size(), 1U);
    exc_seqs.push_back(s[0]);
  }
  EXPECT_EQ(exc_seqs,
            (std::vector<std::uint64_t>{301, 302, 303, 304, 305, 606, 607, 608, 609, 610}));
  const auto events = seqs_on(cap->all(), topics_.events);
  std::vector<std::uint64_t> expected;
  for (std::uint64_t s = 1; s <= 300; ++s) expected.push_back(s);
  for (std::uint64_t s = 306; s <= 605; ++s) expected.push_back(s);
  EXPECT_EQ(events, expected);
  EXPECT_LT(cap->count(topics_.events), 600U);
}

}  // namespace
}  // namespace dockgate::uplink::test
