// SPDX-License-Identifier: Apache-2.0
// The dockgate command line: check-config, bad config on run, status, --version.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>

#include "tests/integration/agent_config_yaml.hpp"
#include "tests/integration/agent_harness.hpp"

namespace dockgate::test {
namespace {

TEST(Cli, CheckConfigAcceptsTheShippedExamples) {
  TempDir dir("dockgate-cli");
  for (const char* name : {"dockgate.yaml", "demo.yaml"}) {
    auto r = run_dockgate(
        {"check-config", std::string(DOCKGATE_SOURCE_DIR) + "/config/examples/" + name}, dir);
    EXPECT_TRUE(r.status.success()) << name << ": " << r.output;
  }
}

TEST(Cli, BadConfigListsEveryErrorAndExitsOne) {
  TempDir dir("dockgate-cli");
  AgentYaml y;
  y.broker_uri = "tcp://127.0.0.1:1";
  y.db_path = dir.file("outbox.db");
  std::string text = agent_yaml(y);
  text.replace(text.find("gln: \"4012345000016\""), 20, "gln: \"4012345000017\"");
  text += "colour: blue\n";
  write_file(dir.file("bad.yaml"), text);

  auto r = run_dockgate({"check-config", dir.file("bad.yaml")}, dir);
  EXPECT_EQ(r.status.code, 1) << r.output;
  EXPECT_NE(r.output.find("site.gln"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("colour"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:3:"), std::string::npos) << r.output;  // file:line:col

  auto run = run_dockgate({"run", "--config", dir.file("bad.yaml")}, dir);
  EXPECT_EQ(run.status.code, 1) << run.output;
  EXPECT_NE(run.output.find("site.gln"), std::string::npos) << run.output;

  auto missing = run_dockgate({"check-config", dir.file("nope.yaml")}, dir);
  EXPECT_EQ(missing.status.code, 1) << missing.output;
}

// A named pipe as the config file: refused at once (it used to wait for a writer forever).
TEST(Cli, NamedPipeAsConfigIsRefusedNotWaitedOn) {
  TempDir dir("dockgate-cli");
  const std::string fifo = dir.file("dockgate.yaml");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto started = std::chrono::steady_clock::now();
  auto check = run_dockgate({"check-config", fifo}, dir);
  EXPECT_EQ(check.status.code, 1) << check.output;
  EXPECT_NE(check.output.find("not a regular file (a named pipe)"), std::string::npos)
      << check.output;
  auto run = run_dockgate({"run", "--config", fifo}, dir);
  EXPECT_EQ(run.status.code, 1) << run.output;
  EXPECT_NE(run.output.find("not a regular file"), std::string::npos) << run.output;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST(Cli, VersionAndStatusOfAnEmptyBuffer) {
  TempDir dir("dockgate-cli");
  auto v = run_dockgate({"--version"}, dir);
  EXPECT_TRUE(v.status.success());
  EXPECT_NE(v.output.find('.'), std::string::npos) << v.output;

  // status before the agent ever ran: a clear error, exit 1.
  AgentYaml y;
  y.broker_uri = "tcp://127.0.0.1:1";
  y.db_path = dir.file("outbox.db");
  AgentProcess agent(dir, agent_yaml(y));
  auto r = run_dockgate({"status", "--config", agent.config_path()}, dir);
  EXPECT_EQ(r.status.code, 1) << r.output;
  EXPECT_NE(r.output.find("outbox.db"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace dockgate::test
