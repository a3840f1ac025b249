// SPDX-License-Identifier: Apache-2.0
// The agent on a full disk: its buffer on a 2 MiB tmpfs (mounted by the test; a 2MB
// max_file_bytes cap where mounting is not permitted), broker down, 6,000 scans. Rejected
// reads are counted exactly and persistently, a buffer_full exception carries the count, and
// once the broker is back every kept event is delivered and the backlog reaches 0.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "tests/integration/agent_config_yaml.hpp"
#include "tests/integration/agent_harness.hpp"
#include "tests/integration/captured_events.hpp"
#include "tests/integration/sscc.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/mqtt_capture.hpp"
#include "tests/support/net.hpp"

namespace dockgate::test {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

constexpr unsigned kSent = 6000;

TEST(DiskFullAgent, TmpfsRejectionsAreCountedReportedAndTheBacklogDrains) {
  TempDir dir("dockgate-diskfull");
  const std::string mount_point = dir.file("fs");
  std::filesystem::create_directory(mount_point);
  const bool mounted =
      ::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=2097152,mode=0700") == 0;
  struct Unmount {
    std::string path;
    bool active;
    ~Unmount() {
      if (active) ::umount2(path.c_str(), MNT_DETACH);
    }
  } unmount{mount_point, mounted};

  MosquittoBroker broker;
  const std::string uri = broker.uri();
  broker.stop();
  const std::uint16_t port = free_tcp_port();
  AgentYaml y;
  y.broker_uri = uri;
  // The extra lines continue the `buffer:` section the harness writes.
  y.db_path = mount_point + "/outbox.db\n  max_queued_records: 500" +
              (mounted ? std::string() : std::string("\n  max_file_bytes: 2MB"));
  y.tcp_server_port = port;
  y.extra = "";
  AgentProcess agent(dir, agent_yaml(y));
  agent.start();
  {
    TcpScanner net(port, 10s);
    for (unsigned i = 0; i < kSent; ++i) {
      net.send("]C100" + sscc(i) + "\r\n");
      if (i % 100 == 99) std::this_thread::sleep_for(20ms);  // ~5,000 scans/s, steady
    }
  }
  // Rejections reach the file while the disk is still full (`dockgate status` reads it).
  std::uint64_t rejected_while_running = 0;
  for (int i = 0; i < 300 && rejected_while_running == 0; ++i) {
    rejected_while_running = agent.status()["rejectedTotal"];
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_GT(rejected_while_running, 0u) << agent.log();

  // Restart while full: the count survives; the reads still waiting in memory are added.
  ASSERT_TRUE(agent.terminate().success());
  const Json after_stop = agent.status();
  const std::uint64_t rejected = after_stop["rejectedTotal"];
  const std::uint64_t kept = after_stop["backlogCount"];
  std::cout << "[ figures  ] kept " << kept << ", rejected " << rejected << " of " << kSent
            << (mounted ? " on a 2 MiB tmpfs" : " under a 2MB file cap") << "\n";
  EXPECT_GE(rejected, rejected_while_running);
  EXPECT_GE(kept, 1500u);

  MqttCapture capture(uri, {"dockgate/#"}, {});
  broker.start();
  agent.start();
  ASSERT_TRUE(capture.wait_until(
      [&](const std::vector<CapturedMessage>& all) {
        return event_count(all, kEventsTopic) >= kept;
      },
      60s))
      << agent.log();
  ASSERT_TRUE(capture.wait_for_match(
      kExceptionsTopic,
      [&](const CapturedMessage& m) {
        const Json j = Json::parse(m.payload, nullptr, false);
        return j.is_object() && j.value("type", "") == "buffer_full" &&
               j["rejectedTotal"].get<std::uint64_t>() == rejected;
      },
      30s))
      << agent.log();
  Json st;
  for (int i = 0; i < 200; ++i) {
    st = agent.status();
    if (st["backlogCount"] == 0) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(st["backlogCount"], 0) << "acks must succeed on the full disk";
  EXPECT_GT(st["ackedTotal"].get<std::uint64_t>(), 0u);
  EXPECT_EQ(st["rejectedTotal"].get<std::uint64_t>(), rejected) << "persistent, exact";

  std::set<std::uint64_t> seqs;
  for (const auto& e : events_of(capture, kEventsTopic))
    seqs.insert(e["dg:gatewaySeq"].get<std::uint64_t>());
  EXPECT_EQ(seqs.size() + rejected, kSent) << "delivered + rejected == sent";
  EXPECT_TRUE(agent.terminate().success());
}

}  // namespace
}  // namespace dockgate::test
