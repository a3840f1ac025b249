// SPDX-License-Identifier: Apache-2.0
// Shared setup of the publisher tests: a real mosquitto, a real outbox in a temp dir, a
// capturing subscriber, and a publisher with short timings so the suite stays quick.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "buffer/outbox.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/mqtt_capture.hpp"
#include "tests/support/temp_dir.hpp"
#include "uplink/publisher.hpp"

namespace dockgate::uplink::test {

using namespace std::chrono_literals;
using dockgate::test::CapturedMessage;

/// Row payload: {"seq":N,"ch":"event"|"exception"} (rendered once the seq is known).
buffer::PendingRecord make_record(buffer::Channel channel, std::int64_t created_ms);

/// The test DocumentFn: the rows' payloads joined into a JSON array.
std::string join_document(std::span<const buffer::StoredRecord> rows);

/// Seqs inside one captured message (a JSON array of row payloads).
std::vector<std::uint64_t> seqs_of(const CapturedMessage& message);
/// Seqs of every message on `topic`, in arrival order (duplicates kept).
std::vector<std::uint64_t> seqs_on(const std::vector<CapturedMessage>& all,
                                   const std::string& topic);
/// True when `seqs` contains 1..n (each at least once) and, after dropping re-sends (seqs
/// not above the highest seen so far), is strictly increasing: in order, nothing lost.
::testing::AssertionResult complete_in_order(const std::vector<std::uint64_t>& seqs,
                                             std::uint64_t n);

/// Publisher options for tests: short keepalive, quick reconnects, frequent status.
MqttOptions test_options(const std::string& uri);

class PublisherTest : public ::testing::Test {
 protected:
  PublisherTest();
  ~PublisherTest() override;

  /// Starts the broker the test talks to.
  void start_broker(dockgate::test::BrokerOptions options = {});
  /// Creates the publisher (not started) with `options`; `status_extra` may be empty.
  void make_publisher(MqttOptions options, StatusExtraFn status_extra = {},
                      Subscriptions subscriptions = {});
  /// Appends `n` rows of `channel` and waits until they are committed.
  void append(std::size_t n, buffer::Channel channel = buffer::Channel::event,
              std::int64_t created_ms = 0);
  /// Committed rows not yet acknowledged, from a read-only connection.
  std::uint64_t pending();
  /// Waits until the outbox has no pending rows.
  bool wait_drained(std::chrono::milliseconds timeout);
  /// A capture subscribed to the three topics (persistent session when `persistent`).
  std::unique_ptr<dockgate::test::MqttCapture> capture(bool persistent = false);

  dockgate::test::TempDir dir_{"dockgate-uplink"};
  std::unique_ptr<dockgate::test::MosquittoBroker> broker_;
  std::string db_path_;
  std::unique_ptr<buffer::Outbox> outbox_;
  std::unique_ptr<buffer::OutboxReader> reader_;
  std::unique_ptr<Publisher> publisher_;
  std::atomic<Publisher*> live_target_{nullptr};
  Topics topics_ = make_topics("dgtest", "site-1", "gw-1");
};

}  // namespace dockgate::uplink::test
