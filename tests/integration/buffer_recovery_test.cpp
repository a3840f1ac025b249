// SPDX-License-Identifier: Apache-2.0
// A corrupt buffer at start: 3,000 pending events, 4 KiB of random bytes over the outbox
// table's root page, restart. The backlog still reaches an independent subscriber with its
// original eventIDs and gatewaySeqs, a buffer_corrupt exception says what happened, and new
// events are numbered above everything the old file used.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <map>
#include <random>
#include <set>

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

constexpr unsigned kPending = 3000;

// seq -> eventID of every pending row, read from the file before it is damaged.
std::map<std::uint64_t, std::string> event_ids_in(const std::string& db_path) {
  std::map<std::uint64_t, std::string> out;
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT seq, CAST(payload AS TEXT) FROM outbox", -1, &stmt, nullptr);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const auto e = Json::parse(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)));
    out[static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 0))] = e["eventID"];
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

std::uint64_t seq_mark(const std::string& db_path) {
  std::ifstream in(db_path + ".seq");
  std::string tag;
  std::uint64_t mark = 0;
  in >> tag >> mark;
  return mark;
}

void overwrite_random(const std::string& path, std::size_t offset, std::size_t size) {
  std::mt19937 rng(7);
  std::string junk(size, '\0');
  for (char& c : junk) c = static_cast<char>(rng() & 0xff);
  std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

std::map<std::uint64_t, std::string> ids_by_seq(const MqttCapture& capture) {
  std::map<std::uint64_t, std::string> out;
  for (const auto& e : events_of(capture, kEventsTopic)) {
    out.emplace(e["dg:gatewaySeq"].get<std::uint64_t>(), e["eventID"].get<std::string>());
  }
  return out;
}

TEST(BufferRecovery, CorruptRootPageBacklogIsSalvagedAndSeqsAreNeverReused) {
  TempDir dir("dockgate-corrupt");
  MosquittoBroker broker;
  const std::string uri = broker.uri();
  broker.stop();  // the backlog builds up
  const std::uint16_t port = free_tcp_port();
  AgentYaml y;
  y.broker_uri = uri;
  y.db_path = dir.file("outbox.db");
  y.tcp_server_port = port;
  AgentProcess agent(dir, agent_yaml(y));
  agent.start();
  {
    TcpScanner net(port, 10s);
    for (unsigned i = 0; i < kPending; ++i) net.send("]C100" + sscc(i) + "\r\n");
  }
  ASSERT_TRUE(agent.wait_committed(kPending, 30s)) << agent.log();
  ASSERT_TRUE(agent.terminate().success());
  const auto original = event_ids_in(y.db_path);
  ASSERT_EQ(original.size(), kPending);
  const std::uint64_t mark = seq_mark(y.db_path);
  ASSERT_GE(mark, kPending);
  overwrite_random(y.db_path, 8192, 4096);  // the outbox table's root page

  MqttCapture capture(uri, {"dockgate/#"}, {});
  broker.start();
  agent.start();
  ASSERT_TRUE(wait_for_port(port, 10s)) << agent.log();
  ASSERT_TRUE(capture.wait_for_match(
      kExceptionsTopic,
      [](const CapturedMessage& m) {
        return Json::parse(m.payload, nullptr, false).value("type", "") == "buffer_corrupt";
      },
      30s))
      << agent.log();
  ASSERT_TRUE(capture.wait_until(
      [](const auto& all) { return event_count(all, kEventsTopic) >= kPending * 95 / 100; }, 60s))
      << agent.log();
  {
    TcpScanner net(port, 10s);
    for (unsigned i = kPending; i < kPending + 5; ++i) net.send("]C100" + sscc(i) + "\r\n");
  }
  ASSERT_TRUE(capture.wait_until(
      [&](const std::vector<CapturedMessage>& all) {  // called under the capture's lock
        std::uint64_t highest = 0;
        for (const auto& m : all) {
          if (m.topic != kEventsTopic) continue;
          const Json doc = Json::parse(m.payload, nullptr, false);
          if (doc.is_discarded()) continue;
          for (const auto& e : doc["epcisBody"]["eventList"]) {
            highest = std::max(highest, e["dg:gatewaySeq"].get<std::uint64_t>());
          }
        }
        return highest > mark + 4;
      },
      30s))
      << agent.log();

  const auto got = ids_by_seq(capture);
  std::size_t salvaged = 0;
  std::vector<std::uint64_t> fresh;
  for (const auto& [seq, id] : got) {
    if (seq <= kPending) {
      ASSERT_TRUE(original.contains(seq));
      EXPECT_EQ(id, original.at(seq)) << "a salvaged event keeps its eventID, seq " << seq;
      ++salvaged;
    } else {
      EXPECT_GT(seq, mark) << "new events are numbered above the old high-water mark";
      EXPECT_FALSE(original.contains(seq));
      fresh.push_back(seq);
    }
  }
  EXPECT_GE(salvaged, kPending * 95 / 100);
  EXPECT_EQ(fresh.size(), 5u);

  Json exc;
  for (const auto& m : capture.on(kExceptionsTopic)) {
    const Json j = Json::parse(m.payload, nullptr, false);
    if (j.value("type", "") == "buffer_corrupt") exc = j;
  }
  ASSERT_TRUE(exc.is_object());
  EXPECT_EQ(exc["salvaged"].get<std::uint64_t>() + exc["unrecoverable"].get<std::uint64_t>(),
            kPending);
  EXPECT_GE(exc["salvaged"].get<std::uint64_t>(), salvaged);
  EXPECT_GE(exc["previousLastSeq"].get<std::uint64_t>(), mark);
  EXPECT_GT(exc["gatewaySeq"].get<std::uint64_t>(), mark);
  const std::string moved = exc["movedTo"];
  EXPECT_TRUE(std::filesystem::exists(moved)) << "the corrupt file is kept";

  ASSERT_TRUE(capture.wait_for_match(
      kStatusTopic,
      [](const CapturedMessage& m) {
        const Json j = Json::parse(m.payload, nullptr, false);
        return j.is_object() && j.contains("bufferRecovery") &&
               j["bufferRecovery"]["salvaged"].get<std::uint64_t>() >= kPending * 95 / 100;
      },
      10s));
  EXPECT_TRUE(agent.terminate().success());
}

}  // namespace
}  // namespace dockgate::test
