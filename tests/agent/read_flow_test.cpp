// SPDX-License-Identifier: Apache-2.0
// ReadFlow: pauses stream readers while the buffer writer is behind and resumes them once it
// has caught up; stands aside when the writer fails (the outbox's cap and counted
// rejections take over). The queue level is set by the test; the io_context is real.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>

#include "agent/runtime/read_flow.hpp"

namespace dockgate::runtime {
namespace {

using namespace std::chrono_literals;

struct FlowRig {
  boost::asio::io_context io;
  buffer::Outbox::QueueLevel level;
  ReadFlow flow{io, [this] { return level; }, ReadFlow::Marks{100, 10, 1ms, 50}};
  int resumed = 0;
  std::function<void()> resume = [this] { ++resumed; };
  void run_for(std::chrono::milliseconds d) {
    io.restart();
    io.run_for(d);
  }
};

TEST(ReadFlow, ReadsFreelyBelowTheHighWaterMark) {
  FlowRig r;
  r.level.records = 100;  // at the mark, not over it
  r.flow.after_append();
  EXPECT_TRUE(r.flow.ready(r.resume));
  EXPECT_EQ(r.flow.pauses(), 0U);
}

TEST(ReadFlow, PausesAboveHighAndResumesEveryReaderOnceAtLow) {
  FlowRig r;
  r.level.records = 101;
  r.flow.after_append();
  EXPECT_FALSE(r.flow.ready(r.resume));
  EXPECT_FALSE(r.flow.ready(r.resume));  // a second connection
  r.level.records = 50;                  // draining, not yet at low
  r.run_for(20ms);
  EXPECT_EQ(r.resumed, 0);
  r.level.records = 10;
  r.run_for(20ms);
  EXPECT_EQ(r.resumed, 2);
  EXPECT_TRUE(r.flow.ready(r.resume));
  EXPECT_EQ(r.flow.pauses(), 1U);
}

TEST(ReadFlow, AFailingWriterNeverPausesAndReleasesPausedReaders) {
  FlowRig r;
  r.level = {5000, true};
  r.flow.after_append();
  EXPECT_TRUE(r.flow.ready(r.resume)) << "disk full: rejection with counts, not a stall";
  r.level = {5000, false};
  r.flow.after_append();
  EXPECT_FALSE(r.flow.ready(r.resume));
  r.level.writes_failing = true;
  r.run_for(20ms);
  EXPECT_EQ(r.resumed, 1);
}

TEST(ReadFlow, StopDropsPausedReaders) {
  FlowRig r;
  r.level.records = 500;
  r.flow.after_append();
  EXPECT_FALSE(r.flow.ready(r.resume));
  r.flow.stop();
  r.level.records = 0;
  r.run_for(20ms);
  EXPECT_EQ(r.resumed, 0);
}

TEST(ReadFlow, TrimsOnlyAfterABurstHasFullyDrained) {
  FlowRig r;
  r.level.records = 20;
  r.flow.after_append();
  r.level.records = 0;
  EXPECT_FALSE(r.flow.tick()) << "no burst";
  r.level.records = 60;
  r.flow.after_append();
  EXPECT_FALSE(r.flow.tick()) << "still queued";
  r.level.records = 0;
  EXPECT_TRUE(r.flow.tick());
  EXPECT_FALSE(r.flow.tick()) << "once per burst";
}

}  // namespace
}  // namespace dockgate::runtime
