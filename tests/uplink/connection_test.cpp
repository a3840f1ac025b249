// SPDX-License-Identifier: Apache-2.0
// Connection set-up against a real mosquitto: TLS with CA and hostname verification, mutual
// TLS, credentials from a password file, a refusing broker (no spin).
#include <gtest/gtest.h>

#include <cstdio>
#include <thread>

#include "tests/support/tls_files.hpp"
#include "tests/support/wait.hpp"
#include "tests/uplink/publisher_fixture.hpp"

namespace dockgate::uplink::test {
namespace {

using dockgate::test::poll_until;

class TlsTest : public PublisherTest {
 protected:
  void start_tls_broker(const std::vector<std::string>& names, bool require_client_cert) {
    tls_ = dockgate::test::make_tls_files(dir_.path(), names);
    dockgate::test::BrokerOptions bo;
    bo.tls = dockgate::test::BrokerOptions::Tls{tls_.ca_cert, tls_.server_cert, tls_.server_key,
                                                require_client_cert};
    start_broker(bo);
  }
  /// Starts a publisher with `options`, appends rows and expects them delivered.
  void expect_delivery(MqttOptions options) {
    auto cap = capture();
    make_publisher(std::move(options));
    publisher_->start();
    append(5);
    ASSERT_TRUE(wait_drained(5s)) << publisher_->state().last_error << "\n" << broker_->log_text();
    ASSERT_TRUE(cap->wait_for(topics_.events, 5, 5s));
    EXPECT_TRUE(complete_in_order(seqs_on(cap->all(), topics_.events), 5));
  }
  /// Starts a publisher with `options` and expects it never to connect.
  void expect_refused(MqttOptions options, const std::string& error_part) {
    auto cap = capture();
    make_publisher(std::move(options));
    publisher_->start();
    append(3);
    ASSERT_TRUE(poll_until([&] { return !publisher_->state().last_error.empty(); }, 5s));
    std::this_thread::sleep_for(500ms);
    const auto st = publisher_->state();
    EXPECT_FALSE(st.connected);
    EXPECT_EQ(st.connects, 0U);
    EXPECT_NE(st.last_error.find(error_part), std::string::npos) << st.last_error;
    EXPECT_EQ(pending(), 3U);
    EXPECT_EQ(cap->count(topics_.events), 0U);
  }

  /// Options for mutual TLS against the TLS listener at `host`: CA + client cert and key.
  MqttOptions mutual_options(const std::string& host) {
    auto o = test_options(broker_->tls_uri("mqtts", host));
    o.ca_file = tls_.ca_cert;
    o.cert_file = tls_.client_cert;
    o.key_file = tls_.client_key;
    return o;
  }

  dockgate::test::TlsFiles tls_;
};

TEST_F(TlsTest, MqttsWithCaAndHostnameVerificationDelivers) {
  start_tls_broker({"127.0.0.1", "localhost"}, false);
  auto o = test_options(broker_->tls_uri("mqtts", "localhost"));
  o.ca_file = tls_.ca_cert;
  expect_delivery(o);
}

TEST_F(TlsTest, SslUriWithIpAddressInCertificateDelivers) {
  start_tls_broker({"127.0.0.1", "localhost"}, false);
  auto o = test_options(broker_->tls_uri("ssl", "127.0.0.1"));
  o.ca_file = tls_.ca_cert;
  expect_delivery(o);
}

TEST_F(TlsTest, CertificateForAnotherHostIsRejected) {
  start_tls_broker({"broker.elsewhere.example"}, true);
  auto o = mutual_options("localhost");
  expect_refused(o,
                 "TLS: hostname mismatch: certificate is for broker.elsewhere.example, not "
                 "localhost");
}

TEST_F(TlsTest, CertificateForAnotherHostIsRejectedForAnIpUri) {
  start_tls_broker({"other.example"}, true);
  auto o = mutual_options("127.0.0.1");
  expect_refused(o, "TLS: hostname mismatch: certificate is for other.example, not 127.0.0.1");
}

TEST_F(TlsTest, MutualTlsGoodChainDelivers) {
  start_tls_broker({"127.0.0.1", "localhost"}, true);
  expect_delivery(mutual_options("127.0.0.1"));
}

TEST_F(TlsTest, ExpiredServerCertificateIsNamed) {
  tls_ = dockgate::test::make_tls_files(dir_.path());
  const auto expired =
      dockgate::test::make_expired_server_cert(dir_.path(), tls_, {"127.0.0.1", "localhost"});
  dockgate::test::BrokerOptions bo;
  bo.tls = dockgate::test::BrokerOptions::Tls{tls_.ca_cert, expired.cert, expired.key, true};
  start_broker(bo);
  expect_refused(mutual_options("localhost"),
                 "TLS: server certificate verify failed: certificate has expired (notAfter Jan  "
                 "2 00:00:00 2020 GMT)");
}

TEST_F(TlsTest, ExpiredClientCertificateIsNamed) {
  start_tls_broker({"127.0.0.1", "localhost"}, true);
  dockgate::test::TempDir other("dockgate-expired-client");
  const auto expired = dockgate::test::make_expired_server_cert(other.path(), tls_, {"gw"});
  auto o = mutual_options("localhost");
  o.cert_file = expired.cert;
  o.key_file = expired.key;
  expect_refused(o, "TLS: client certificate " + expired.cert +
                        " expired (notAfter Jan  2 00:00:00 2020 GMT)");
}

TEST_F(TlsTest, UnreadableClientKeyAtStartIsAClearError) {
  start_tls_broker({"127.0.0.1", "localhost"}, true);
  auto o = mutual_options("localhost");
  o.key_file = dir_.file("missing.key");
  try {
    make_publisher(o);
    FAIL() << "expected UplinkError";
  } catch (const UplinkError& e) {
    EXPECT_NE(std::string(e.what()).find("uplink.mqtt.key_file: TLS: client key \"" + o.key_file +
                                         "\" not readable: No such file or directory"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(TlsTest, ClientKeyGoneBeforeAReconnectIsNamed) {
  start_tls_broker({"127.0.0.1", "localhost"}, true);
  const std::string key = dir_.file("client-copy.key");
  dockgate::test::write_file(key, dockgate::test::read_file(tls_.client_key));
  auto o = mutual_options("localhost");
  o.key_file = key;
  make_publisher(o);
  publisher_->start();
  ASSERT_TRUE(poll_until([&] { return publisher_->state().connected; }, 5s))
      << publisher_->state().last_error;
  ASSERT_EQ(std::rename(key.c_str(), (key + ".moved").c_str()), 0);
  broker_->stop();
  broker_->start();
  ASSERT_TRUE(poll_until(
      [&] {
        return publisher_->state().last_error.find("TLS: client key " + key +
                                                   " not readable: No such file or directory") !=
               std::string::npos;
      },
      8s))
      << publisher_->state().last_error;
  EXPECT_FALSE(publisher_->state().connected);
  // Put back: it reconnects by itself.
  ASSERT_EQ(std::rename((key + ".moved").c_str(), key.c_str()), 0);
  EXPECT_TRUE(poll_until([&] { return publisher_->state().connected; }, 8s))
      << publisher_->state().last_error;
}

TEST_F(TlsTest, HostnameCheckCanBeTurnedOff) {
  start_tls_broker({"broker.elsewhere.example"}, false);
  auto o = test_options(broker_->tls_uri("mqtts", "localhost"));
  o.ca_file = tls_.ca_cert;
  o.verify_hostname = false;  // chain still verified against ca_file
  expect_delivery(o);
}

TEST_F(TlsTest, UnknownCaIsRejected) {
  start_tls_broker({"127.0.0.1", "localhost"}, false);
  dockgate::test::TempDir other("dockgate-other-ca");
  const auto other_ca = dockgate::test::make_tls_files(other.path());
  auto o = test_options(broker_->tls_uri("mqtts", "localhost"));
  o.ca_file = other_ca.ca_cert;
  // mosquitto sends its CA along with the server certificate, so OpenSSL meets a self-signed
  // CA it does not trust (without it: "unable to get local issuer certificate").
  expect_refused(o,
                 "TLS: server certificate verify failed: self-signed certificate in "
                 "certificate chain");
}

TEST_F(TlsTest, MutualTlsWithClientCertificateDelivers) {
  start_tls_broker({"127.0.0.1", "localhost"}, true);
  auto o = test_options(broker_->tls_uri("mqtts", "localhost"));
  o.ca_file = tls_.ca_cert;
  o.cert_file = tls_.client_cert;
  o.key_file = tls_.client_key;
  expect_delivery(o);
}

TEST_F(TlsTest, MutualTlsWithoutClientCertificateIsRejected) {
  start_tls_broker({"127.0.0.1", "localhost"}, true);
  auto o = test_options(broker_->tls_uri("mqtts", "localhost"));
  o.ca_file = tls_.ca_cert;
  expect_refused(o, "TLS: broker refused the handshake: ");
}

TEST_F(TlsTest, UnreadableCaFileIsAClearError) {
  start_broker();
  auto o = test_options("mqtts://localhost:8883");
  o.ca_file = dir_.file("missing-ca.pem");
  try {
    make_publisher(o);
    FAIL() << "expected UplinkError";
  } catch (const UplinkError& e) {
    EXPECT_NE(std::string(e.what()).find("ca_file"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("missing-ca.pem"), std::string::npos) << e.what();
  }
}

class CredentialsTest : public PublisherTest {
 protected:
  void SetUp() override {
    dockgate::test::BrokerOptions bo;
    bo.users = {{"dock", "s3cret"}};
    start_broker(bo);
  }
  MqttOptions options_with_password(const std::string& password) {
    dockgate::test::write_file(dir_.file("password"), password + "\n");
    auto o = test_options(broker_->uri());
    o.username = "dock";
    o.password_file = dir_.file("password");
    return o;
  }
  std::unique_ptr<dockgate::test::MqttCapture> authed_capture() {
    dockgate::test::CaptureOptions co;
    co.username = "dock";
    co.password = "s3cret";
    auto c = std::make_unique<dockgate::test::MqttCapture>(
        broker_->uri(), std::vector<std::string>{topics_.events}, co);
    EXPECT_TRUE(c->wait_subscribed(5s));
    return c;
  }
};

TEST_F(CredentialsTest, PasswordFromFileIsUsed) {
  auto cap = authed_capture();
  make_publisher(options_with_password("s3cret"));
  publisher_->start();
  append(3);
  ASSERT_TRUE(wait_drained(5s)) << publisher_->state().last_error;
  EXPECT_TRUE(cap->wait_for(topics_.events, 3, 5s));
}

TEST_F(CredentialsTest, RefusingBrokerIsRetriedWithBackoffNotInATightLoop) {
  auto o = options_with_password("wrong");
  o.reconnect_min = 100ms;
  o.reconnect_max = 400ms;
  const auto t0 = std::chrono::steady_clock::now();
  make_publisher(o);
  publisher_->start();
  append(2);
  // Each refused attempt shows in the broker log.
  const auto attempts = [&] {
    const std::string log = broker_->log_text();
    std::size_t n = 0;
    for (auto pos = log.find("not authorised"); pos != std::string::npos;
         pos = log.find("not authorised", pos + 1)) {
      ++n;
    }
    return n;
  };
  ASSERT_TRUE(poll_until([&] { return attempts() >= 3; }, 8s)) << broker_->log_text();
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  // Retried, but never faster than the backoff allows (reconnect_min = 100 ms apart).
  EXPECT_LE(attempts(), 2 + static_cast<std::size_t>(elapsed / 100ms)) << broker_->log_text();
  const auto st = publisher_->state();
  EXPECT_FALSE(st.connected);
  EXPECT_NE(st.last_error.find("not authorized (CONNACK 0x87)"), std::string::npos)
      << st.last_error;
  EXPECT_EQ(pending(), 2U);

  // The password file is read at every attempt: fixing it recovers without a restart.
  dockgate::test::write_file(dir_.file("password"), "s3cret\n");
  ASSERT_TRUE(wait_drained(5s)) << publisher_->state().last_error;
  EXPECT_TRUE(publisher_->state().connected);
}

TEST_F(CredentialsTest, MissingPasswordFileIsAClearError) {
  auto o = test_options(broker_->uri());
  o.username = "dock";
  o.password_file = dir_.file("no-such-password");
  try {
    make_publisher(o);
    FAIL() << "expected UplinkError";
  } catch (const UplinkError& e) {
    EXPECT_NE(std::string(e.what()).find("password_file"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no-such-password"), std::string::npos) << e.what();
  }
}

TEST_F(CredentialsTest, EmptyPasswordFileIsAClearError) {
  dockgate::test::write_file(dir_.file("empty"), "");
  auto o = test_options(broker_->uri());
  o.username = "dock";
  o.password_file = dir_.file("empty");
  EXPECT_THROW(make_publisher(o), UplinkError);
}

}  // namespace
}  // namespace dockgate::uplink::test
