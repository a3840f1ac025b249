// SPDX-License-Identifier: Apache-2.0
// The HTTP snapshot source against a local test server on 127.0.0.1: reads with
// consecutive-frame deduplication, non-image responses, HTTP errors with down/up.
#include <gtest/gtest.h>

#include <utility>
// Boost 1.74 Asio with GCC 12 / C++20: <utility> first (pitfalls.md).
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <mutex>
#include <thread>

#include "drivers/camera/http_camera.hpp"
#include "drivers/camera/http_fetch.hpp"
#include "tests/drivers/camera_images.hpp"
#include "tests/drivers/test_sink.hpp"
#include "tests/support/temp_dir.hpp"

namespace dockgate::drivers {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using asio::ip::tcp;
using test::RecordingSink;
using test::run_until;

// Answers every GET with the current status and body, one request per connection.
class SnapshotServer {
 public:
  SnapshotServer() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this] { serve(); });
  }
  ~SnapshotServer() {
    stopping_ = true;
    boost::system::error_code ignored;
    // Wake the blocking accept with a connection of our own.
    tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ignored);
    thread_.join();
  }
  SnapshotServer(const SnapshotServer&) = delete;
  SnapshotServer& operator=(const SnapshotServer&) = delete;

  void set(int status, std::string body) {
    std::lock_guard lock(mutex_);
    status_ = status;
    body_ = std::move(body);
  }
  [[nodiscard]] std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/snap.jpg";
  }
  [[nodiscard]] int requests() const { return requests_; }

 private:
  void serve() {
    while (!stopping_) {
      tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      asio::streambuf request;
      asio::read_until(socket, request, "\r\n\r\n", ec);
      if (ec) continue;
      ++requests_;
      std::string response;
      {
        std::lock_guard lock(mutex_);
        response = "HTTP/1.1 " + std::to_string(status_) + (status_ == 200 ? " OK" : " Not Found") +
                   "\r\nContent-Type: image/png\r\nConnection: close\r\nContent-Length: " +
                   std::to_string(body_.size()) + "\r\n\r\n" + body_;
      }
      asio::write(socket, asio::buffer(response), ec);
    }
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::mutex mutex_;
  int status_ = 404;
  std::string body_;
  std::atomic<int> requests_{0};
  std::atomic<bool> stopping_{false};
};

class CameraHttp : public ::testing::Test {
 protected:
  CameraHttp() {
    test::make_label(work_.file("sscc-label.png"), test::dock_labels()[0].zint_args);
    test::make_scene(work_.file("sscc.png"), {{work_.file("sscc-label.png"), 200, 150, 0, 100, 30}},
                     640, 480);
    image_ = dockgate::test::read_file(work_.file("sscc.png"));
    options_.snapshot_url = server_.url();
    options_.interval = 50ms;
    options_.timeout = 1000ms;
    options_.reopen_min = 50ms;
    options_.reopen_max = 100ms;
  }
  ~CameraHttp() override {
    camera_.reset();
    test::drain(io_);
  }
  void start() {
    camera_ = std::make_unique<HttpCamera>(DriverContext{io_, sink_, "cam2", "door-04"}, options_);
    camera_->start();
  }

  dockgate::test::TempDir work_{"camera-http"};
  SnapshotServer server_;
  std::string image_;
  CameraOptions options_;
  asio::io_context io_;
  RecordingSink sink_;
  std::unique_ptr<HttpCamera> camera_;
};

TEST_F(CameraHttp, SnapshotCodesAreReadOnceWhileTheLabelStaysInView) {
  server_.set(200, image_);
  start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.last_status_is(true, "polling"); }));
  ASSERT_TRUE(run_until(io_, [&] { return camera_->counters().images >= 5; }));
  ASSERT_EQ(sink_.reads.size(), 1u);
  EXPECT_EQ(sink_.reads[0].symbology_id, "]C1");
  EXPECT_EQ(sink_.reads[0].data, test::dock_labels()[0].text);
  EXPECT_EQ(sink_.reads[0].driver_id, "cam2");
  EXPECT_EQ(sink_.reads[0].location_id, "door-04");
  EXPECT_GE(camera_->counters().repeats, 4u);
  camera_->stop();
  EXPECT_TRUE(sink_.last_status_is(false, "stopped"));
}

TEST_F(CameraHttp, NonImageResponseIsAReadErrorNamingTheUrl) {
  server_.set(200, "<html>login required</html>");
  start();
  ASSERT_TRUE(run_until(io_, [&] { return !sink_.errors.empty(); }));
  EXPECT_EQ(sink_.errors[0].kind, "image_unreadable");
  EXPECT_NE(sink_.errors[0].message.find(server_.url()), std::string::npos)
      << sink_.errors[0].message;
  EXPECT_TRUE(sink_.reads.empty());
}

TEST_F(CameraHttp, HttpErrorIsDownOnceThenUpWhenTheCameraAnswers) {
  server_.set(404, "");
  start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.last_status_is(false, "HTTP 404"); }));
  ASSERT_TRUE(run_until(io_, [&] { return server_.requests() >= 3; }));
  EXPECT_EQ(sink_.count_status(false), 1u);
  server_.set(200, image_);
  ASSERT_TRUE(run_until(io_, [&] { return sink_.reads.size() == 1; }));
  EXPECT_TRUE(sink_.last_status_is(true, "polling"));
}

TEST(HttpFetch, RefusedConnectionAndBadUrls) {
  // Bind then close a port so nothing listens on it.
  asio::io_context io;
  tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto port = probe.local_endpoint().port();
  probe.close();
  auto url = parse_http_url("http://127.0.0.1:" + std::to_string(port) + "/x");
  ASSERT_TRUE(url);
  const auto result = http_get(*url, 1000ms, 1024);
  ASSERT_TRUE(result.error);
  EXPECT_NE(result.error->find("connect"), std::string::npos) << *result.error;

  EXPECT_FALSE(parse_http_url("https://cam/snap.jpg"));
  EXPECT_FALSE(parse_http_url("http://:80/x"));
  EXPECT_FALSE(parse_http_url("http://cam:99999/x"));
  auto plain = parse_http_url("http://cam.local");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->host, "cam.local");
  EXPECT_EQ(plain->port, 80);
  EXPECT_EQ(plain->target, "/");
  auto full = parse_http_url("http://10.0.0.7:8080/cgi-bin/snap?ch=1");
  ASSERT_TRUE(full);
  EXPECT_EQ(full->port, 8080);
  EXPECT_EQ(full->target, "/cgi-bin/snap?ch=1");
}

}  // namespace
}  // namespace dockgate::drivers
