// SPDX-License-Identifier: Apache-2.0
// Self-tests of the test-support library: if these fail, every other area's tests are suspect.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <thread>

#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/mqtt_capture.hpp"
#include "tests/support/net.hpp"
#include "tests/support/subprocess.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tls_files.hpp"
#include "tests/support/wait.hpp"

namespace dockgate::test {
namespace {

using namespace std::chrono_literals;

SpawnOptions sh(const std::string& script, const std::string& out = "") {
  SpawnOptions so;
  so.args = {"sh", "-c", script};
  so.stdout_path = out;
  return so;
}

TEST(TempDir, CreatesAndRemovesItsDirectory) {
  std::string path;
  {
    TempDir dir("support-test");
    path = dir.path();
    EXPECT_TRUE(std::filesystem::is_directory(path));
    write_file(dir.file("b.txt"), "hello");
    EXPECT_EQ(read_file(dir.file("b.txt")), "hello");
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(read_file(path + "/b.txt"), "");
}

TEST(Subprocess, ReportsExitCodesSignalsAndTimeouts) {
  Subprocess ok(sh("exit 0"));
  EXPECT_TRUE(ok.wait_for(5s)->success());
  Subprocess three(sh("exit 3"));
  const auto st = three.wait_for(5s);
  ASSERT_TRUE(st.has_value());
  EXPECT_TRUE(st->exited);
  EXPECT_EQ(st->code, 3);
  Subprocess sleeper(sh("sleep 30"));
  EXPECT_FALSE(sleeper.wait_for(50ms).has_value());
  EXPECT_TRUE(sleeper.running());
  const auto killed = sleeper.kill();
  EXPECT_FALSE(killed.exited);
  EXPECT_EQ(killed.signal, SIGKILL);
  EXPECT_FALSE(sleeper.running());
  EXPECT_THROW(Subprocess(SpawnOptions{{"no-such-program-dockgate"}, {}, "", "", ""}),
               std::runtime_error);
}

TEST(Subprocess, PassesEnvironmentWorkingDirAndOutput) {
  TempDir dir;
  SpawnOptions so = sh("echo \"$DG_TEST_VAR\" && pwd", dir.file("out"));
  so.env = {{"DG_TEST_VAR", "forty-two"}};
  so.working_dir = dir.path();
  Subprocess p(so);
  ASSERT_TRUE(p.wait_for(5s)->success());
  EXPECT_EQ(read_file(dir.file("out")), "forty-two\n" + dir.path() + "\n");
}

TEST(Subprocess, TerminateEscalatesToKill) {
  Subprocess stubborn(sh("trap '' TERM; sleep 30"));
  std::this_thread::sleep_for(100ms);  // let the shell install its trap
  const auto st = stubborn.terminate(200ms);
  EXPECT_EQ(st.signal, SIGKILL);
}

TEST(Net, FreePortAcceptsOnlyWhileSomeoneListens) {
  const auto port = free_tcp_port();
  EXPECT_GT(port, 0);
  EXPECT_FALSE(port_accepts(port));
  EXPECT_FALSE(wait_for_port(port, 50ms));
}

TEST(MosquittoBroker, RestartsOnTheSamePortAndCaptureFollows) {
  MosquittoBroker broker;
  const auto port = broker.port();
  EXPECT_TRUE(port_accepts(port));
  MqttCapture cap(broker.uri(), {"t/#"});
  ASSERT_TRUE(cap.connected());

  Subprocess pub(SpawnOptions{
      {"mosquitto_pub", "-p", std::to_string(port), "-t", "t/r", "-m", "kept", "-r", "-q", "1"},
      {},
      "",
      "",
      ""});
  ASSERT_TRUE(pub.wait_for(5s)->success());
  CapturedMessage live;
  ASSERT_TRUE(cap.wait_for_match("t/r", nullptr, 5s, &live));
  EXPECT_EQ(live.payload, "kept");
  EXPECT_FALSE(live.retained);  // an established subscription gets the retain flag cleared
  EXPECT_EQ(live.qos, 1);

  broker.stop();
  EXPECT_FALSE(port_accepts(port));
  broker.start();
  EXPECT_EQ(broker.port(), port);
  EXPECT_TRUE(port_accepts(port));
  EXPECT_TRUE(cap.wait_subscribed(5s));  // mosquitto_sub reconnected by itself
  EXPECT_NE(broker.log_text().find("mosquitto version"), std::string::npos);
}

TEST(MqttCapture, SeesRetainedMessagesAndBinaryPayloads) {
  MosquittoBroker broker;
  TempDir dir;
  write_file(dir.file("payload"), std::string("line1\nline2 \x01\xff", 14));
  Subprocess pub(SpawnOptions{{"mosquitto_pub", "-p", std::to_string(broker.port()), "-t", "a/b c",
                               "-f", dir.file("payload"), "-r", "-q", "1"},
                              {},
                              "",
                              "",
                              ""});
  ASSERT_TRUE(pub.wait_for(5s)->success());
  MqttCapture cap(broker.uri(), {"a/#"});
  CapturedMessage m;
  ASSERT_TRUE(cap.wait_for_match("a/b c", nullptr, 5s, &m));
  EXPECT_TRUE(m.retained);
  EXPECT_EQ(m.payload, std::string("line1\nline2 \x01\xff", 14));
  EXPECT_EQ(cap.count("a/b c"), 1U);
  cap.clear();
  EXPECT_TRUE(cap.all().empty());
}

TEST(MqttCapture, CreatedWhileTheBrokerIsDownConnectsLater) {
  MosquittoBroker broker;
  broker.stop();
  const auto t0 = std::chrono::steady_clock::now();
  MqttCapture cap(broker.uri(), {"x/#"});
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  EXPECT_FALSE(cap.connected());
  broker.start();
  EXPECT_TRUE(cap.wait_subscribed(5s));
}

TEST(MosquittoBroker, PausedBrokerAnswersNothingUntilResumed) {
  MosquittoBroker broker;
  MqttCapture cap(broker.uri(), {"p/#"});
  broker.pause();
  Subprocess pub(SpawnOptions{
      {"mosquitto_pub", "-p", std::to_string(broker.port()), "-t", "p/1", "-m", "x", "-q", "1"},
      {},
      "",
      "",
      ""});
  EXPECT_FALSE(pub.wait_for(300ms).has_value());
  broker.resume();
  EXPECT_TRUE(pub.wait_for(5s)->success());
  EXPECT_TRUE(cap.wait_for("p/1", 1, 5s));
}

TEST(TlsFiles, ServerCertificateVerifiesAgainstTheCa) {
  TempDir dir;
  const auto f = make_tls_files(dir.path(), {"127.0.0.1", "localhost"});
  Subprocess verify(SpawnOptions{
      {"openssl", "verify", "-CAfile", f.ca_cert, "-verify_ip", "127.0.0.1", f.server_cert},
      {},
      "",
      dir.file("v.out"),
      dir.file("v.out")});
  EXPECT_TRUE(verify.wait_for(10s)->success()) << read_file(dir.file("v.out"));
  Subprocess wrong(SpawnOptions{{"openssl", "verify", "-CAfile", f.ca_cert, "-verify_hostname",
                                 "elsewhere.example", f.server_cert},
                                {},
                                "",
                                dir.file("w.out"),
                                dir.file("w.out")});
  EXPECT_FALSE(wrong.wait_for(10s)->success());

  BrokerOptions bo;
  bo.tls = BrokerOptions::Tls{f.ca_cert, f.server_cert, f.server_key, false};
  MosquittoBroker broker(bo);
  EXPECT_TRUE(port_accepts(broker.tls_port()));
  EXPECT_EQ(broker.tls_uri("mqtts", "localhost"),
            "mqtts://localhost:" + std::to_string(broker.tls_port()));
}

TEST(MosquittoBroker, UsersTurnOffAnonymousAccess) {
  BrokerOptions bo;
  bo.users = {{"u1", "pw1"}};
  MosquittoBroker broker(bo);
  CaptureOptions anon;
  MqttCapture refused(broker.uri(), {"a"}, anon);  // returns: retries in the background
  EXPECT_FALSE(refused.wait_subscribed(300ms));
  CaptureOptions authed;
  authed.username = "u1";
  authed.password = "pw1";
  MqttCapture ok(broker.uri(), {"a"}, authed);
  EXPECT_TRUE(ok.connected());
}

TEST(Wait, PollUntilHonoursTheDeadline) {
  int calls = 0;
  EXPECT_TRUE(poll_until([&] { return ++calls == 3; }, 1s, 1ms));
  EXPECT_EQ(calls, 3);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(poll_until([] { return false; }, 50ms));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 50ms);
}

}  // namespace
}  // namespace dockgate::test
