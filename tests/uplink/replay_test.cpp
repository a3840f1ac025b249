// SPDX-License-Identifier: Apache-2.0
// Commands against a real mosquitto: cmd/replay republishes kept rows with their original
// payloads, paced, and answers what was and was no longer available; bad, busy and retained
// requests; cmd/status; commands turned off. Also the request/answer format itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "tests/support/wait.hpp"
#include "tests/uplink/publisher_fixture.hpp"
#include "uplink/replay_request.hpp"

namespace dockgate::uplink::test {
namespace {

using dockgate::test::poll_until;
using Json = nlohmann::json;

TEST(ReplayRequest, ParsesAValidRequestAndNamesEveryProblem) {
  std::string id;
  std::string error;
  auto r = parse_replay_request(R"({"fromSeq":5,"toSeq":9,"requestId":"r-1","x":1})", id, error);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->request_id, "r-1");
  EXPECT_EQ(r->from_seq, 5U);
  EXPECT_EQ(r->to_seq, 9U);
  EXPECT_TRUE(parse_replay_request(R"({"fromSeq":5.0,"toSeq":5,"requestId":"a"})", id, error));

  const std::pair<const char*, const char*> bad[] = {
      {"[1,2]", "not a JSON object"},
      {"{", "not a JSON object"},
      {R"({"fromSeq":1,"toSeq":2})", "requestId"},
      {R"({"fromSeq":1,"toSeq":2,"requestId":""})", "1-128 bytes"},
      {R"({"toSeq":2,"requestId":"q"})", "fromSeq must be"},
      {R"({"fromSeq":0,"toSeq":2,"requestId":"q"})", "fromSeq must be"},
      {R"({"fromSeq":-3,"toSeq":2,"requestId":"q"})", "fromSeq must be"},
      {R"({"fromSeq":1.5,"toSeq":2,"requestId":"q"})", "fromSeq must be"},
      {R"({"fromSeq":"1","toSeq":2,"requestId":"q"})", "fromSeq must be"},
      {R"({"fromSeq":3,"toSeq":2,"requestId":"q"})", "above toSeq"},
      {R"({"fromSeq":1,"toSeq":10000001,"requestId":"q"})", "split it"},
      {R"({"fromSeq":18446744073709551615,"toSeq":18446744073709551615,"requestId":"q"})",
       "fromSeq must be"},
  };
  for (const auto& [payload, expected] : bad) {
    EXPECT_FALSE(parse_replay_request(payload, id, error)) << payload;
    EXPECT_NE(error.find(expected), std::string::npos) << payload << " -> " << error;
  }
  EXPECT_FALSE(parse_replay_request(R"({"fromSeq":3,"toSeq":2,"requestId":"q7"})", id, error));
  EXPECT_EQ(id, "q7") << "the rejection can name the request";
}

TEST(ReplayRequest, AnswerListsCountsAndMissingRanges) {
  ReplayOutcome o;
  o.request_id = "r";
  o.status = "done";
  o.from_seq = 1;
  o.to_seq = 20;
  o.republished = 10;
  o.pending = 2;
  o.coverage.missing = 8;
  o.coverage.missing_ranges = {{1, 5}, {18, 20}};
  const Json j = Json::parse(replay_response_json(o));
  EXPECT_EQ(j["requestId"], "r");
  EXPECT_EQ(j["status"], "done");
  EXPECT_EQ(j["republished"], 10);
  EXPECT_EQ(j["pending"], 2);
  EXPECT_EQ(j["unavailableCount"], 8);
  EXPECT_EQ(j["unavailable"],
            Json::parse(R"([{"fromSeq":1,"toSeq":5},{"fromSeq":18,"toSeq":20}])"));
  EXPECT_FALSE(j.contains("error"));
}

class ReplayTest : public PublisherTest {
 protected:
  /// Reopens the fixture's outbox with delivered rows kept (as the agent does by default).
  void keep_delivered() {
    outbox_->close();
    buffer::OutboxOptions oo;
    oo.path = db_path_;
    oo.max_queued_records = 50'000;
    oo.retain_delivered = std::chrono::hours(1);
    outbox_ = buffer::Outbox::open(oo);
    outbox_->set_commit_listener([this](const std::vector<buffer::StoredRecord>& rows) {
      if (Publisher* p = live_target_.load()) p->notify_committed(rows);
    });
  }
  void start(MqttOptions o) {
    make_publisher(std::move(o));
    publisher_->start();
    // Subscribed to cmd/replay and cmd/status before a command is sent.
    ASSERT_TRUE(poll_until([&] { return publisher_->state().subscribed; }, 10s))
        << publisher_->state().last_error;
  }
  std::unique_ptr<dockgate::test::MqttCapture> responses() {
    auto c = std::make_unique<dockgate::test::MqttCapture>(
        broker_->uri(), std::vector<std::string>{topics_.commands + "/replay/response"});
    EXPECT_TRUE(c->wait_subscribed(5s));
    return c;
  }
  ::testing::AssertionResult send(const std::string& payload, bool retain = false) {
    const std::string error = broker_->publish(topics_.commands + "/replay", payload, retain);
    if (error.empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << error;
  }
  /// The answer to `request_id` (waits up to `timeout`).
  std::optional<Json> answer(dockgate::test::MqttCapture& c, const std::string& request_id,
                             std::chrono::milliseconds timeout = 10s) {
    dockgate::test::CapturedMessage m;
    const bool got = c.wait_for_match(
        topics_.commands + "/replay/response",
        [&](const dockgate::test::CapturedMessage& msg) {
          const Json j = Json::parse(msg.payload, nullptr, false);
          return j.is_object() && j.value("requestId", "") == request_id;
        },
        timeout, &m);
    if (!got) return std::nullopt;
    return Json::parse(m.payload);
  }
};

TEST_F(ReplayTest, RepublishesKeptRowsWithTheirPayloadsAndSaysWhatIsMissing) {
  start_broker();
  keep_delivered();
  auto events = capture();
  auto answers = responses();
  start(test_options(broker_->uri()));
  append(30);
  append(2, buffer::Channel::exception);
  ASSERT_TRUE(wait_drained(10s)) << publisher_->state().last_error;
  ASSERT_TRUE(poll_until([&] { return reader_->stats().retained_count == 32; }, 5s))
      << reader_->stats().retained_count;
  ASSERT_TRUE(poll_until(
      [&] {
        return seqs_on(events->all(), topics_.events).size() >= 30 &&
               seqs_on(events->all(), topics_.exceptions).size() >= 2;
      },
      5s));
  const auto first_pass = events->all();
  events->clear();

  // 25..40: 25..32 kept, 33..40 not assigned yet.
  ASSERT_TRUE(send(R"({"fromSeq":25,"toSeq":40,"requestId":"r-1"})"));
  const auto a = answer(*answers, "r-1");
  ASSERT_TRUE(a) << publisher_->state().last_error;
  EXPECT_EQ((*a)["status"], "done");
  EXPECT_EQ((*a)["republished"], 8);
  EXPECT_EQ((*a)["pending"], 0);
  EXPECT_EQ((*a)["failed"], 0);
  EXPECT_EQ((*a)["unavailableCount"], 8);
  EXPECT_EQ((*a)["unavailable"], Json::parse(R"([{"fromSeq":33,"toSeq":40}])"));

  // Exactly the kept rows came again, on their own topics, byte for byte as the first time.
  auto again = seqs_on(events->all(), topics_.events);
  std::sort(again.begin(), again.end());
  EXPECT_EQ(again, (std::vector<std::uint64_t>{25, 26, 27, 28, 29, 30}));
  auto exceptions = seqs_on(events->all(), topics_.exceptions);
  std::sort(exceptions.begin(), exceptions.end());
  EXPECT_EQ(exceptions, (std::vector<std::uint64_t>{31, 32}));
  for (const auto& m : events->on(topics_.exceptions)) {
    const bool seen_before = std::any_of(first_pass.begin(), first_pass.end(), [&](const auto& f) {
      return f.topic == m.topic && f.payload == m.payload;
    });
    EXPECT_TRUE(seen_before) << m.payload;
  }
  EXPECT_EQ(pending(), 0U) << "replay never touches the backlog";
  EXPECT_EQ(reader_->stats().retained_count, 32U) << "replayed rows stay kept";
}

TEST_F(ReplayTest, PendingRowsAreCountedNotReplayedAndTheRateIsHeld) {
  start_broker();
  keep_delivered();
  auto answers = responses();
  auto o = test_options(broker_->uri());
  o.replay_rate = 100;  // 300 rows take about 3 s
  start(o);
  append(300);
  ASSERT_TRUE(wait_drained(10s));
  ASSERT_TRUE(poll_until([&] { return reader_->stats().retained_count == 300; }, 5s));
  broker_->pause();  // the next rows stay pending (no PUBACK)
  append(5);
  broker_->resume();
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(send(R"({"fromSeq":1,"toSeq":305,"requestId":"slow"})"));
  const auto a = answer(*answers, "slow", 20s);
  ASSERT_TRUE(a);
  const auto took = std::chrono::steady_clock::now() - started;
  // Rows pending when the replay started and delivered while it ran are replayed too.
  EXPECT_GE((*a)["republished"].get<int>(), 300);
  EXPECT_LE((*a)["pending"].get<int>(), 5);
  EXPECT_EQ((*a)["failed"], 0);
  EXPECT_EQ((*a)["unavailableCount"], 0);
  EXPECT_GE(took, 2s) << "300 rows at 100 rows/s (bucket of 1 s) cannot take less than 2 s";
}

TEST_F(ReplayTest, BadBusyAndRetainedRequestsAreAnsweredOrIgnored) {
  start_broker();
  keep_delivered();
  auto answers = responses();
  auto o = test_options(broker_->uri());
  o.replay_rate = 1;  // the first replay stays busy for a long while
  start(o);
  append(20);
  ASSERT_TRUE(wait_drained(10s));
  ASSERT_TRUE(poll_until([&] { return reader_->stats().retained_count == 20; }, 5s));

  ASSERT_TRUE(send(R"({"fromSeq":9,"toSeq":3,"requestId":"bad"})"));
  const auto bad = answer(*answers, "bad");
  ASSERT_TRUE(bad);
  EXPECT_EQ((*bad)["status"], "rejected");
  EXPECT_NE((*bad)["error"].get<std::string>().find("above toSeq"), std::string::npos);

  // One running + four queued; the sixth is busy.
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(send(R"({"fromSeq":1,"toSeq":20,"requestId":"q)" + std::to_string(i) + "\"}"));
  }
  ASSERT_TRUE(send(R"({"fromSeq":1,"toSeq":20,"requestId":"q5"})"));
  const auto busy = answer(*answers, "q5");
  ASSERT_TRUE(busy);
  EXPECT_EQ((*busy)["status"], "busy");
}

TEST_F(ReplayTest, ACommandFromTheRetainedStoreIsIgnored) {
  // Left retained on the broker, a command would run again at every reconnect.
  start_broker();
  keep_delivered();
  auto answers = responses();
  ASSERT_TRUE(send(R"({"fromSeq":1,"toSeq":1,"requestId":"ret"})", true));
  start(test_options(broker_->uri()));
  append(1);
  ASSERT_TRUE(wait_drained(10s));
  EXPECT_FALSE(answer(*answers, "ret", 1500ms));
  // A live request right after is served.
  ASSERT_TRUE(send(R"({"fromSeq":1,"toSeq":1,"requestId":"live"})"));
  EXPECT_TRUE(answer(*answers, "live"));
}

TEST_F(ReplayTest, StatusCommandPublishesTheStatusAtOnce) {
  start_broker();
  auto o = test_options(broker_->uri());
  o.status_interval = 1h;
  auto cap = capture();
  start(o);
  ASSERT_TRUE(cap->wait_for(topics_.status, 1, 5s));
  const std::size_t before = cap->count(topics_.status);
  ASSERT_TRUE(broker_->publish(topics_.commands + "/status", "", false).empty());
  EXPECT_TRUE(poll_until([&] { return cap->count(topics_.status) > before; }, 5s));
}

TEST_F(ReplayTest, CommandsOffMeansNoSubscriptionAndNoAnswer) {
  start_broker();
  keep_delivered();
  auto answers = responses();
  auto o = test_options(broker_->uri());
  o.commands = false;
  make_publisher(o);
  publisher_->start();
  append(3);
  ASSERT_TRUE(wait_drained(10s));
  EXPECT_FALSE(publisher_->state().subscribed) << "no filters at all";
  ASSERT_TRUE(send(R"({"fromSeq":1,"toSeq":3,"requestId":"off"})"));
  EXPECT_FALSE(answer(*answers, "off", 1500ms));
}

}  // namespace
}  // namespace dockgate::uplink::test
