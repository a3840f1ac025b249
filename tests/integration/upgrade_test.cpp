// SPDX-License-Identifier: Apache-2.0
// Upgrades keep the buffer: a database written by the previous release (schema version 1)
// full of unsent events is migrated in place on start and every event is published.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>

#include "tests/integration/agent_config_yaml.hpp"
#include "tests/integration/agent_harness.hpp"
#include "tests/integration/captured_events.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/mqtt_capture.hpp"

namespace dockgate::test {
namespace {

using namespace std::chrono_literals;

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err != nullptr ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error("sqlite: " + msg);
  }
}

// The schema dockgate 0.1 shipped (user_version 1), written by hand so the test does not
// depend on the code under test: `kUnsent` events numbered 1.., none acknowledged.
void write_release_one_database(const std::string& path, unsigned unsent) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  exec(db, "PRAGMA journal_mode=WAL; PRAGMA auto_vacuum=INCREMENTAL;");
  exec(db, R"sql(
    CREATE TABLE outbox (seq INTEGER PRIMARY KEY, channel INTEGER NOT NULL,
                         created_ms INTEGER NOT NULL, payload BLOB NOT NULL);
    CREATE TABLE meta (id INTEGER PRIMARY KEY CHECK (id = 1), last_seq INTEGER NOT NULL,
                       pending_count INTEGER NOT NULL, pending_bytes INTEGER NOT NULL,
                       acked_total INTEGER NOT NULL, rejected_total INTEGER NOT NULL,
                       last_publish_ms INTEGER);
    PRAGMA user_version = 1;)sql");
  exec(db, "BEGIN");
  std::uint64_t bytes = 0;
  for (unsigned seq = 1; seq <= unsent; ++seq) {
    const std::string payload =
        R"({"type":"ObjectEvent","eventTime":"2026-11-20T06:00:00.000Z","eventTimeZoneOffset":"+01:00","eventID":"urn:uuid:0193a000-0000-7000-8000-)" +
        std::string(12 - std::to_string(seq).size(), '0') + std::to_string(seq) +
        R"(","epcList":["https://id.gs1.org/00/340123450000000420"],"action":"OBSERVE","bizStep":"receiving","dg:gatewaySeq":)" +
        std::to_string(seq) + "}";
    bytes += payload.size();
    exec(db, "INSERT INTO outbox VALUES (" + std::to_string(seq) + ", 0, 1763618400000, CAST('" +
                 payload + "' AS BLOB))");
  }
  exec(db, "INSERT INTO meta VALUES (1, " + std::to_string(unsent) + ", " + std::to_string(unsent) +
               ", " + std::to_string(bytes) + ", 0, 0, NULL)");
  exec(db, "COMMIT");
  sqlite3_close(db);
}

TEST(Upgrade, ReleaseOneBufferIsMigratedAndEveryUnsentEventPublished) {
  constexpr unsigned kUnsent = 500;
  TempDir dir("dockgate-upgrade");
  write_release_one_database(dir.file("outbox.db"), kUnsent);
  MosquittoBroker broker;
  MqttCapture capture(broker.uri(), {"dockgate/#"});
  AgentYaml y;
  y.broker_uri = broker.uri();
  y.db_path = dir.file("outbox.db");
  AgentProcess agent(dir, agent_yaml(y));
  agent.start();
  ASSERT_TRUE(capture.wait_until(
      [](const auto& all) { return event_count(all, kEventsTopic) >= kUnsent; }, 60s))
      << agent.log();
  std::set<std::uint64_t> seqs;
  for (const auto& e : events_of(capture, kEventsTopic)) {
    seqs.insert(e["dg:gatewaySeq"].get<std::uint64_t>());
  }
  EXPECT_EQ(seqs.size(), kUnsent);
  EXPECT_EQ(*seqs.begin(), 1U);
  EXPECT_EQ(*seqs.rbegin(), kUnsent);
  // Everything acknowledged, numbering continues after the old rows.
  for (int i = 0; i < 100 && agent.status()["backlogCount"] != 0; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  auto st = agent.status();
  EXPECT_EQ(st["backlogCount"], 0);
  EXPECT_EQ(st["lastGatewaySeq"], kUnsent);
  EXPECT_EQ(st["ackedTotal"], kUnsent);
  agent.terminate();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("outbox.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 4) << "migrated in place to schema version 4";
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

}  // namespace
}  // namespace dockgate::test
