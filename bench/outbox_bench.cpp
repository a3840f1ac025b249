// SPDX-License-Identifier: Apache-2.0
// The SQLite outbox alone (buffer library, no agent, no broker):
//   - append: --records rows of --payload bytes through Outbox::append with group commit,
//     never more than --window waiting for their commit (the memory queue holds 100,000);
//     rows/s = records / (first append -> last DoneFn(true));
//   - bytes per row: database file size after close() (WAL checkpointed into the file);
//   - ack: half the rows acknowledged one seq per ack() call (the live path: one event per
//     message), the other half --ack-batch seqs per call (backlog drain: one document of
//     many events); rows/s until stats().pending_count reaches the expected value;
//   - commit latency: --latency-samples single appends, each waited for (append -> DoneFn):
//     what one lone scan pays for commit_max_delay plus the fsync.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "bench/summary.hpp"
#include "buffer/outbox.hpp"
#include "tests/support/temp_dir.hpp"

namespace dockgate::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;

struct Options {
  std::uint64_t records = 200'000;
  std::size_t payload_bytes = 615;  // the agent's mean event size (backlog bench, backlogBytes)
  std::string sync = "full";
  std::uint32_t commit_max_rows = 1000;
  std::uint32_t commit_delay_ms = 2;
  std::uint64_t window = 50'000;
  std::uint64_t ack_batch = 500;
  std::uint64_t latency_samples = 2'000;
  bool keep = false;
};

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

/// Appends `samples` records one at a time, each after the previous one committed; returns
/// append -> DoneFn(true) in ms per record, in append order.
std::vector<double> commit_latencies(buffer::Outbox& outbox, const std::string& payload,
                                     std::uint64_t samples) {
  std::mutex mu;
  std::condition_variable cv;
  std::uint64_t done = 0;
  std::vector<double> ms;
  ms.reserve(samples);
  for (std::uint64_t i = 0; i < samples; ++i) {
    buffer::PendingRecord r;
    r.render = [&payload](std::uint64_t) { return payload; };
    r.on_done = [&](bool, std::uint64_t) {
      std::lock_guard lock(mu);
      ++done;
      cv.notify_one();
    };
    const auto t0 = Clock::now();
    outbox.append(std::move(r));
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, std::chrono::seconds(10), [&] { return done > i; })) {
      throw std::runtime_error("commit latency: no DoneFn within 10 s");
    }
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  return ms;
}

/// Waits until the writer reports `pending` rows; throws after 120 s.
Clock::time_point wait_pending(buffer::Outbox& outbox, std::uint64_t pending) {
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  while (outbox.stats().pending_count != pending) {
    if (Clock::now() > deadline) {
      throw std::runtime_error("pending_count stuck at " +
                               std::to_string(outbox.stats().pending_count));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  return Clock::now();
}

int run(const Options& o) {
  Json summary = summary_header("outbox");
  test::TempDir dir("dockgate-bench-outbox");
  if (o.keep) dir.keep();
  buffer::OutboxOptions opts;
  opts.path = dir.file("outbox.db");
  opts.sync = o.sync;
  opts.commit_max_rows = o.commit_max_rows;
  opts.commit_max_delay = std::chrono::milliseconds(o.commit_delay_ms);
  auto outbox = buffer::Outbox::open(opts);

  // JSON-ish text of the agent's event size; the content does not matter to SQLite.
  std::string payload = R"({"type":"ObjectEvent","epcList":[")";
  payload.resize(o.payload_bytes, 'x');
  std::atomic<std::uint64_t> done{0};
  std::atomic<std::uint64_t> rejected{0};
  std::atomic<std::int64_t> last_done_ns{0};

  std::cerr << "append: " << o.records << " rows of " << o.payload_bytes << " bytes, sync "
            << o.sync << "\n";
  const CpuMeter append_meter({{"bench", ::getpid()}});
  const auto t0 = Clock::now();
  for (std::uint64_t i = 0; i < o.records; ++i) {
    while (i - done.load(std::memory_order_relaxed) >= o.window) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    buffer::PendingRecord r;
    r.channel = buffer::Channel::event;
    r.created_ms = 0;
    r.render = [&payload](std::uint64_t) { return payload; };
    r.on_done = [&](bool committed, std::uint64_t) {
      if (!committed) rejected.fetch_add(1, std::memory_order_relaxed);
      last_done_ns.store(Clock::now().time_since_epoch().count(), std::memory_order_relaxed);
      done.fetch_add(1, std::memory_order_release);
    };
    outbox->append(std::move(r));
  }
  while (done.load(std::memory_order_acquire) < o.records) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  const Clock::time_point t_done{Clock::duration(last_done_ns.load())};
  const auto append_stats = outbox->stats();
  Json append;
  append["rows"] = o.records;
  append["payload_bytes"] = o.payload_bytes;
  append["sync"] = o.sync;
  append["commit_max_rows"] = o.commit_max_rows;
  append["commit_max_delay_ms"] = o.commit_delay_ms;
  append["seconds"] = round_to(seconds_between(t0, t_done), 3);
  append["rows_per_s"] = round_to(static_cast<double>(o.records) / seconds_between(t0, t_done), 0);
  append["commits"] = append_stats.append_commits;
  append["rows_per_commit_avg"] = round_to(
      static_cast<double>(o.records) / static_cast<double>(append_stats.append_commits), 1);
  append["rejected"] = rejected.load();
  append["cpu"] = append_meter.read();
  summary["append"] = append;
  std::cerr << "  " << append.dump() << "\n";

  // Bytes per row with the WAL folded into the file: close (checkpoint) and reopen.
  outbox->close();
  outbox.reset();
  const auto file_bytes = std::filesystem::file_size(opts.path);
  summary["storage"] = {
      {"file_bytes", file_bytes},
      {"bytes_per_row",
       round_to(static_cast<double>(file_bytes) / static_cast<double>(o.records), 1)}};
  std::cerr << "  " << summary["storage"].dump() << "\n";
  const auto t_reopen = Clock::now();
  buffer::OpenReport report;
  outbox = buffer::Outbox::open(opts, &report);
  summary["reopen_seconds"] = round_to(seconds_between(t_reopen, Clock::now()), 3);

  const std::uint64_t half = o.records / 2;
  std::cerr << "ack: " << half << " rows one seq per call, then " << (o.records - half) << " rows "
            << o.ack_batch << " per call\n";
  const auto a0 = Clock::now();
  for (std::uint64_t s = 1; s <= half; ++s) outbox->ack({s}, 0);
  const auto a1 = wait_pending(*outbox, o.records - half);
  std::vector<std::uint64_t> batch;
  for (std::uint64_t s = half + 1; s <= o.records; ++s) {
    batch.push_back(s);
    if (batch.size() == o.ack_batch || s == o.records) {
      outbox->ack(std::move(batch), 0);
      batch = {};
    }
  }
  const auto a2 = wait_pending(*outbox, 0);
  summary["ack_single"] = {
      {"rows", half},
      {"seconds", round_to(seconds_between(a0, a1), 3)},
      {"rows_per_s", round_to(static_cast<double>(half) / seconds_between(a0, a1), 0)}};
  summary["ack_batched"] = {
      {"rows", o.records - half},
      {"seqs_per_call", o.ack_batch},
      {"seconds", round_to(seconds_between(a1, a2), 3)},
      {"rows_per_s", round_to(static_cast<double>(o.records - half) / seconds_between(a1, a2), 0)}};
  std::cerr << "  " << summary["ack_single"].dump() << "\n  " << summary["ack_batched"].dump()
            << "\n";

  std::cerr << "commit latency: " << o.latency_samples << " lone appends\n";
  const CpuMeter latency_meter({{"bench", ::getpid()}});
  const auto in_order = commit_latencies(*outbox, payload, o.latency_samples);
  auto ms = in_order;
  std::sort(ms.begin(), ms.end());
  // The slowest commits by position: a regular spacing points at WAL auto-checkpoints.
  std::vector<std::size_t> order(in_order.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return in_order[a] > in_order[b]; });
  Json slowest = Json::array();
  for (std::size_t i = 0; i < std::min<std::size_t>(10, order.size()); ++i) {
    slowest.push_back({{"ms", round_to(in_order[order[i]], 2)}, {"append", order[i]}});
  }
  summary["commit_latency_ms"] = {{"samples", ms.size()},
                                  {"commit_max_delay_ms", o.commit_delay_ms},
                                  {"p50", round_to(percentile(ms, 50), 3)},
                                  {"p99", round_to(percentile(ms, 99), 3)},
                                  {"max", round_to(ms.empty() ? 0 : ms.back(), 3)},
                                  {"slowest", slowest},
                                  {"cpu", latency_meter.read()}};
  std::cerr << "  " << summary["commit_latency_ms"].dump() << "\n";
  outbox->close();
  print_summary(std::move(summary));
  return 0;
}

}  // namespace
}  // namespace dockgate::bench

int main(int argc, char** argv) {
  dockgate::bench::Options o;
  CLI::App app{"dockgate SQLite outbox benchmark (append with group commit, ack/delete)"};
  app.add_option("--records", o.records, "rows")->check(CLI::Range(2, 100'000'000));
  app.add_option("--payload", o.payload_bytes, "payload bytes per row")
      ->check(CLI::Range(64, 1'000'000));
  app.add_option("--sync", o.sync, "buffer.sync")->check(CLI::IsMember({"full", "normal"}));
  app.add_option("--commit-max-rows", o.commit_max_rows, "rows per group commit at most")
      ->check(CLI::Range(1, 100'000));
  app.add_option("--commit-delay-ms", o.commit_delay_ms, "group commit delay")
      ->check(CLI::Range(0, 1'000));
  app.add_option("--window", o.window, "appends waiting for their commit at most")
      ->check(CLI::Range(1, 90'000));
  app.add_option("--ack-batch", o.ack_batch, "seqs per ack() call in the batched half")
      ->check(CLI::Range(1, 100'000));
  app.add_option("--latency-samples", o.latency_samples, "lone appends timed one by one");
  app.add_flag("--keep", o.keep, "keep the temp dir");
  CLI11_PARSE(app, argc, argv);
  try {
    return dockgate::bench::run(o);
  } catch (const std::exception& e) {
    std::cerr << "outbox_bench: " << e.what() << "\n";
    return 1;
  }
}
