// SPDX-License-Identifier: Apache-2.0
#include "bench/modbus_message_log.hpp"

namespace dockgate::bench {

void MessageLog::add(std::string_view topic, std::string_view payload,
                     std::chrono::steady_clock::time_point received) {
  {
    std::lock_guard lock(mu_);
    messages_.push_back({std::string(topic), std::string(payload), received});
  }
  cv_.notify_all();
}

std::size_t MessageLog::size() const {
  std::lock_guard lock(mu_);
  return messages_.size();
}

std::vector<LoggedMessage> MessageLog::since(std::size_t from) const {
  std::lock_guard lock(mu_);
  if (from >= messages_.size()) return {};
  return {messages_.begin() + static_cast<std::ptrdiff_t>(from), messages_.end()};
}

std::size_t MessageLog::wait_for(std::size_t from,
                                 const std::function<bool(const LoggedMessage&)>& match,
                                 std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mu_);
  std::size_t next = from;
  for (;;) {
    for (; next < messages_.size(); ++next) {
      if (match(messages_[next])) return next;
    }
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && next == messages_.size()) {
      return static_cast<std::size_t>(-1);
    }
  }
}

LoggedMessage MessageLog::at(std::size_t index) const {
  std::lock_guard lock(mu_);
  return messages_.at(index);
}

}  // namespace dockgate::bench
