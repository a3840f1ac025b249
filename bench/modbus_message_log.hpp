// SPDX-License-Identifier: Apache-2.0
// Every MQTT message a ThinSubscriber delivers, with its arrival time, for matching sensor
// changes to the events they caused (bench/modbus_bench). Thread-safe: the subscriber's
// reader thread appends, the benchmark thread waits and reads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace dockgate::bench {

struct LoggedMessage {
  std::string topic;
  std::string payload;
  std::chrono::steady_clock::time_point received;
};

class MessageLog {
 public:
  /// Appends one message (the ThinSubscriber handler).
  void add(std::string_view topic, std::string_view payload,
           std::chrono::steady_clock::time_point received);
  /// Messages logged so far.
  [[nodiscard]] std::size_t size() const;
  /// Copies of the messages from index `from` on.
  [[nodiscard]] std::vector<LoggedMessage> since(std::size_t from) const;
  /// Index of the first message at or after index `from` for which `match` is true; waits
  /// for new messages up to `timeout`. Returns size_t(-1) when none came in time.
  std::size_t wait_for(std::size_t from, const std::function<bool(const LoggedMessage&)>& match,
                       std::chrono::milliseconds timeout);
  /// A copy of message `index` (< size()).
  [[nodiscard]] LoggedMessage at(std::size_t index) const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<LoggedMessage> messages_;
};

}  // namespace dockgate::bench
