// SPDX-License-Identifier: Apache-2.0
#include "tests/uplink/publisher_fixture.hpp"

#include <nlohmann/json.hpp>

#include "agent/clock.hpp"
#include "tests/support/wait.hpp"

namespace dockgate::uplink::test {

buffer::PendingRecord make_record(buffer::Channel channel, std::int64_t created_ms) {
  buffer::PendingRecord rec;
  rec.channel = channel;
  rec.created_ms = created_ms != 0 ? created_ms : now_utc_ms();
  const char* ch = channel == buffer::Channel::event ? "event" : "exception";
  rec.render = [ch](std::uint64_t seq) { return nlohmann::json{{"seq", seq}, {"ch", ch}}.dump(); };
  return rec;
}

std::string join_document(std::span<const buffer::StoredRecord> rows) {
  std::string out = "[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) out += ",";
    out += rows[i].payload;
  }
  return out + "]";
}

std::vector<std::uint64_t> seqs_of(const CapturedMessage& message) {
  std::vector<std::uint64_t> out;
  for (const auto& row : nlohmann::json::parse(message.payload)) {
    out.push_back(row.at("seq").get<std::uint64_t>());
  }
  return out;
}

std::vector<std::uint64_t> seqs_on(const std::vector<CapturedMessage>& all,
                                   const std::string& topic) {
  std::vector<std::uint64_t> out;
  for (const auto& m : all) {
    if (m.topic != topic) continue;
    for (auto s : seqs_of(m)) out.push_back(s);
  }
  return out;
}

::testing::AssertionResult complete_in_order(const std::vector<std::uint64_t>& seqs,
                                             std::uint64_t n) {
  std::vector<bool> seen(n + 1, false);
  std::uint64_t highest = 0;
  for (std::size_t i = 0; i < seqs.size(); ++i) {
    const auto s = seqs[i];
    if (s == 0 || s > n) return ::testing::AssertionFailure() << "unexpected seq " << s;
    if (s > highest) {
      if (s != highest + 1) {
        return ::testing::AssertionFailure()
               << "seq " << s << " at index " << i << " jumps over " << highest + 1;
      }
      highest = s;
    }
    seen[s] = true;
  }
  for (std::uint64_t s = 1; s <= n; ++s) {
    if (!seen[s]) return ::testing::AssertionFailure() << "seq " << s << " never arrived";
  }
  return ::testing::AssertionSuccess();
}

MqttOptions test_options(const std::string& uri) {
  MqttOptions o;
  o.uri = uri;
  o.keepalive = 2s;
  o.connect_timeout = 2s;
  o.reconnect_min = 50ms;
  o.reconnect_max = 300ms;
  o.status_interval = 300ms;
  return o;
}

PublisherTest::PublisherTest() : db_path_(dir_.file("outbox.db")) {
  buffer::OutboxOptions oo;
  oo.path = db_path_;
  // Tests append bursts of up to 30,000 at once, with no agent back-pressure in front.
  oo.max_queued_records = 50'000;
  outbox_ = buffer::Outbox::open(oo);
  // The live hand-off, as the agent wires it: commit listener -> publisher.
  outbox_->set_commit_listener([this](const std::vector<buffer::StoredRecord>& rows) {
    if (Publisher* p = live_target_.load()) p->notify_committed(rows);
  });
  reader_ = std::make_unique<buffer::OutboxReader>(db_path_);
}

PublisherTest::~PublisherTest() {
  if (publisher_) publisher_->stop(1s);
  live_target_.store(nullptr);
  outbox_->close();
  publisher_.reset();
}

void PublisherTest::start_broker(dockgate::test::BrokerOptions options) {
  broker_ = std::make_unique<dockgate::test::MosquittoBroker>(std::move(options));
}

void PublisherTest::make_publisher(MqttOptions options, StatusExtraFn status_extra,
                                   Subscriptions subscriptions) {
  publisher_ = Publisher::create(std::move(options), topics_, "1.2.3-test", *outbox_, db_path_,
                                 join_document, std::move(status_extra), std::move(subscriptions));
  live_target_.store(publisher_.get());
}

void PublisherTest::append(std::size_t n, buffer::Channel channel, std::int64_t created_ms) {
  const auto target = reader_->stats().last_seq + n;
  for (std::size_t i = 0; i < n; ++i) outbox_->append(make_record(channel, created_ms));
  ASSERT_TRUE(dockgate::test::poll_until([&] { return reader_->stats().last_seq >= target; }, 20s))
      << "rows were not committed";
}

std::uint64_t PublisherTest::pending() {
  return reader_->stats().pending_count;
}

bool PublisherTest::wait_drained(std::chrono::milliseconds timeout) {
  return dockgate::test::poll_until([&] { return pending() == 0; }, timeout, 10ms);
}

std::unique_ptr<dockgate::test::MqttCapture> PublisherTest::capture(bool persistent) {
  dockgate::test::CaptureOptions co;
  if (persistent) {
    co.client_id = "uplink-test-capture";
    co.clean_session = false;
  }
  auto c = std::make_unique<dockgate::test::MqttCapture>(
      broker_->uri(), std::vector<std::string>{topics_.events, topics_.exceptions, topics_.status},
      co);
  EXPECT_TRUE(c->wait_subscribed(5s));
  return c;
}

}  // namespace dockgate::uplink::test
