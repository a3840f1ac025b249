// SPDX-License-Identifier: Apache-2.0
#include "agent/runtime/read_flow.hpp"

#include <malloc.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace dockgate::runtime {

ReadFlow::ReadFlow(boost::asio::io_context& io, LevelFn level, Marks marks)
    : level_(std::move(level)), marks_(marks), timer_(io) {}

bool ReadFlow::ready(std::function<void()> resume) {
  if (!paused_) return true;
  if (!stopped_) waiting_.push_back(std::move(resume));
  return false;
}

void ReadFlow::after_append() {
  if (paused_ || stopped_) return;
  const auto level = level_();
  peak_since_trim_ = std::max(peak_since_trim_, level.records);
  if (level.records <= marks_.high || level.writes_failing) return;
  paused_ = true;
  ++pauses_;
  spdlog::debug("reads paused: {} records wait for the buffer writer", level.records);
  poll();
}

void ReadFlow::poll() {
  timer_.expires_after(marks_.poll);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    const auto level = level_();
    if (level.records <= marks_.low || level.writes_failing) {
      resume_all();
    } else {
      poll();
    }
  });
}

void ReadFlow::resume_all() {
  paused_ = false;
  // A resumed reader may deliver reads that pause the flow again at once: it then queues
  // into a fresh list, so take this one out first.
  auto waiting = std::exchange(waiting_, {});
  for (auto& resume : waiting) resume();
}

bool ReadFlow::tick() {
  if (peak_since_trim_ < marks_.trim_after || level_().records != 0) return false;
  peak_since_trim_ = 0;
  // glibc keeps freed blocks of the burst in its arenas; give the pages back so that RSS
  // after a burst is what the agent needs at rest, not what the burst needed.
  ::malloc_trim(0);
  return true;
}

void ReadFlow::stop() {
  stopped_ = true;
  paused_ = false;
  waiting_.clear();
  timer_.cancel();
}

}  // namespace dockgate::runtime
