// SPDX-License-Identifier: Apache-2.0
// Back-pressure between the stream drivers and the outbox, and memory given back after a
// burst. Without it a flood of network scans (50,000/s from a batch upload or a scanner
// gateway) queues in memory in front of the SQLite writer until the outbox's memory cap
// rejects scans that the scanner believes were sent.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

#include "buffer/outbox.hpp"

namespace dockgate::runtime {

/// Lives on the io_context thread (every method is called there).
class ReadFlow {
 public:
  struct Marks {
    std::size_t high = 4'096;           ///< records waiting for their commit: pause reading above
    std::size_t low = 1'024;            ///< resume reading at or below
    std::chrono::milliseconds poll{5};  ///< how often a paused flow looks at the queue
    std::size_t trim_after = 2'048;     ///< a queue this deep counts as a burst (see tick)
  };
  using LevelFn = std::function<buffer::Outbox::QueueLevel()>;

  ReadFlow(boost::asio::io_context& io, LevelFn level, Marks marks);

  /// ReadSink::ready_for_reads: true when not paused; otherwise keeps `resume` and returns
  /// false. Kept callbacks run (in order) when the queue is down to `low`, when the writer
  /// fails (disk full: the outbox's own cap and counted rejections take over, a paused
  /// reader would only hide the fault) or never, after stop().
  bool ready(std::function<void()> resume);
  /// After each append: pauses the readers once the queue is over `high`.
  void after_append();
  /// Once a second: after a burst (queue deeper than trim_after) has fully drained, returns
  /// the freed heap to the system (malloc_trim). Returns true when it trimmed.
  bool tick();
  /// Drops kept callbacks and stops polling (agent stopping).
  void stop();
  /// How often reading was paused since start (for the log and status).
  [[nodiscard]] std::uint64_t pauses() const { return pauses_; }

 private:
  void poll();
  void resume_all();

  LevelFn level_;
  Marks marks_;
  boost::asio::steady_timer timer_;
  std::vector<std::function<void()>> waiting_;
  bool paused_ = false;
  bool stopped_ = false;
  std::uint64_t pauses_ = 0;
  std::size_t peak_since_trim_ = 0;
};

}  // namespace dockgate::runtime
