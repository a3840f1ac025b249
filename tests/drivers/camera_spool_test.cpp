// SPDX-License-Identifier: Apache-2.0
// The camera driver against a real spool directory: files appear by rename, by slow direct
// writes and before start; reads, read errors, moves and consecutive-frame deduplication.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "drivers/camera/camera.hpp"
#include "tests/drivers/camera_images.hpp"
#include "tests/drivers/test_sink.hpp"
#include "tests/support/temp_dir.hpp"

namespace dockgate::drivers {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test::RecordingSink;
using test::run_until;

std::size_t count_files(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return 0;
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
}

class CameraSpool : public ::testing::Test {
 protected:
  CameraSpool() : spool_(work_.file("spool")) {
    fs::create_directories(spool_);
    const auto& labels = test::dock_labels();
    sscc_ = labels[0];
    qr_ = labels[2];
    test::make_label(work_.file("sscc-label.png"), sscc_.zint_args);
    test::make_label(work_.file("qr-label.png"), qr_.zint_args);
    test::make_scene(work_.file("two.png"), {{work_.file("sscc-label.png"), 80, 100, 2, 150, 30},
                                             {work_.file("qr-label.png"), 800, 300, -8, 100, 20}});
    test::make_scene(work_.file("sscc.png"),
                     {{work_.file("sscc-label.png"), 300, 200, -3, 100, 30}});
    test::make_scene(work_.file("empty.png"), {}, 640, 480);
    options_.spool_dir = spool_;
    options_.done_dir = spool_ + "/done";
    options_.failed_dir = spool_ + "/failed";
    options_.settle = 200ms;
    options_.rescan = 200ms;
    options_.workers = 2;
  }

  ~CameraSpool() override {
    camera_.reset();
    test::drain(io_);
  }

  void start() {
    camera_ = std::make_unique<SpoolCamera>(DriverContext{io_, sink_, "cam1", "door-03"}, options_);
    camera_->start();
    ASSERT_TRUE(run_until(io_, [&] { return sink_.last_status_is(true, "watching"); }));
  }

  // Copies a prepared image into the spool directory the way FTP servers do it: a temp name,
  // then a rename.
  void upload(const std::string& image, const std::string& name) {
    fs::copy_file(work_.file(image), spool_ + "/." + name + ".upload");
    fs::rename(spool_ + "/." + name + ".upload", spool_ + "/" + name);
  }

  // Runs the io_context for `duration` (to show that nothing happens).
  void run_for(std::chrono::milliseconds duration) {
    run_until(
        io_, [] { return false; }, duration);
  }

  dockgate::test::TempDir work_{"camera-spool"};
  std::string spool_;
  test::LabelSpec sscc_;
  test::LabelSpec qr_;
  CameraOptions options_;
  boost::asio::io_context io_;
  RecordingSink sink_;
  std::unique_ptr<SpoolCamera> camera_;
};

TEST_F(CameraSpool, RenamedUploadIsDecodedAndMovedToDone) {
  start();
  upload("two.png", "cam1-0001.png");
  ASSERT_TRUE(run_until(io_, [&] { return sink_.reads.size() == 2; }));
  std::vector<std::string> texts;
  for (const auto& r : sink_.reads) {
    EXPECT_EQ(r.driver_id, "cam1");
    EXPECT_EQ(r.location_id, "door-03");
    EXPECT_GT(r.time_ms, 0);
    texts.push_back(r.symbology_id + " " + r.data);
  }
  std::sort(texts.begin(), texts.end());
  EXPECT_EQ(texts, (std::vector<std::string>{"]C1 " + sscc_.text, "]Q1 " + qr_.text}));
  ASSERT_TRUE(run_until(io_, [&] { return fs::exists(spool_ + "/done/cam1-0001.png"); }));
  EXPECT_FALSE(fs::exists(spool_ + "/cam1-0001.png"));
  EXPECT_TRUE(sink_.errors.empty());
  EXPECT_EQ(camera_->counters().images, 1u);
  EXPECT_EQ(camera_->counters().reads, 2u);
}

TEST_F(CameraSpool, HalfWrittenFileIsNotDecodedBeforeItIsClosed) {
  start();
  const std::string image = dockgate::test::read_file(work_.file("sscc.png"));
  const std::string path = spool_ + "/slow.png";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  const std::size_t half = image.size() / 2;
  ASSERT_EQ(::write(fd, image.data(), half), static_cast<ssize_t>(half));
  run_for(4 * options_.settle);  // the writer pauses far longer than `settle`
  EXPECT_TRUE(sink_.reads.empty());
  EXPECT_TRUE(sink_.errors.empty()) << sink_.errors.front().message;
  EXPECT_TRUE(fs::exists(path));
  const std::size_t rest = image.size() - half;
  ASSERT_EQ(::write(fd, image.data() + half, rest), static_cast<ssize_t>(rest));
  ::close(fd);
  ASSERT_TRUE(run_until(io_, [&] { return sink_.reads.size() == 1; }));
  EXPECT_EQ(sink_.reads[0].data, sscc_.text);
  EXPECT_TRUE(sink_.errors.empty());
}

TEST_F(CameraSpool, FilesPresentBeforeStartAreDecodedAfterSettling) {
  fs::copy_file(work_.file("sscc.png"), spool_ + "/old.png");
  fs::copy_file(work_.file("sscc.png"), spool_ + "/ignored.png.part");
  start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.reads.size() == 1; }));
  EXPECT_EQ(sink_.reads[0].symbology_id, "]C1");
  run_for(3 * options_.rescan);
  EXPECT_EQ(sink_.reads.size(), 1u);
  EXPECT_TRUE(fs::exists(spool_ + "/ignored.png.part"));
}

TEST_F(CameraSpool, CorruptFileIsAReadErrorNamingItAndMovedToFailed) {
  start();
  dockgate::test::write_file(spool_ + "/.broken.jpg", "\xff\xd8\xff\xe0 not really a jpeg");
  fs::rename(spool_ + "/.broken.jpg", spool_ + "/broken.jpg");
  ASSERT_TRUE(run_until(io_, [&] { return sink_.errors.size() == 1; }));
  const auto& e = sink_.errors[0];
  EXPECT_EQ(e.kind, "image_unreadable");
  EXPECT_NE(e.message.find("broken.jpg"), std::string::npos) << e.message;
  EXPECT_EQ(e.driver_id, "cam1");
  EXPECT_NE(e.data.find("broken.jpg"), std::string::npos);
  ASSERT_TRUE(run_until(io_, [&] { return fs::exists(spool_ + "/failed/broken.jpg"); }));
  EXPECT_FALSE(fs::exists(spool_ + "/broken.jpg"));
  EXPECT_TRUE(sink_.reads.empty());
  EXPECT_EQ(camera_->counters().unreadable, 1u);
}

TEST_F(CameraSpool, ImageWithoutCodeIsCountedNotAnError) {
  start();
  upload("empty.png", "nothing.png");
  ASSERT_TRUE(run_until(io_, [&] { return camera_->counters().no_code == 1; }));
  EXPECT_TRUE(sink_.reads.empty());
  EXPECT_TRUE(sink_.errors.empty());
  ASSERT_TRUE(run_until(io_, [&] { return fs::exists(spool_ + "/done/nothing.png"); }));
}

TEST_F(CameraSpool, SameCodeInConsecutiveFramesIsOneRead) {
  options_.repeat_window = 1500ms;
  options_.after = AfterDecode::remove;
  options_.workers = 1;
  start();
  upload("sscc.png", "frame1.png");
  ASSERT_TRUE(run_until(io_, [&] { return camera_->counters().images == 1; }));
  upload("two.png", "frame2.png");  // the SSCC is still in view, a QR label appears
  ASSERT_TRUE(run_until(io_, [&] { return camera_->counters().images == 2; }));
  ASSERT_EQ(sink_.reads.size(), 2u);
  EXPECT_EQ(sink_.reads[0].data, sscc_.text);
  EXPECT_EQ(sink_.reads[1].data, qr_.text);
  EXPECT_EQ(camera_->counters().repeats, 1u);
  // after: delete
  EXPECT_FALSE(fs::exists(spool_ + "/frame1.png"));
  EXPECT_EQ(count_files(spool_ + "/done"), 0u);

  run_for(2 * options_.repeat_window);  // the label left the view: a new read
  upload("sscc.png", "frame3.png");
  ASSERT_TRUE(run_until(io_, [&] { return sink_.reads.size() == 3; }));
  EXPECT_EQ(sink_.reads[2].data, sscc_.text);
}

TEST_F(CameraSpool, SameFileNameTwiceKeepsBothInDone) {
  start();
  upload("sscc.png", "snapshot.png");
  ASSERT_TRUE(run_until(io_, [&] { return camera_->counters().images == 1; }));
  ASSERT_TRUE(run_until(io_, [&] { return !fs::exists(spool_ + "/snapshot.png"); }));
  upload("empty.png", "snapshot.png");
  ASSERT_TRUE(run_until(io_, [&] { return camera_->counters().images == 2; }));
  EXPECT_TRUE(fs::exists(spool_ + "/done/snapshot.png"));
  EXPECT_TRUE(fs::exists(spool_ + "/done/snapshot-1.png"));
}

TEST_F(CameraSpool, MissingSpoolDirectoryIsDownThenUpWhenCreated) {
  options_.spool_dir = work_.file("later");
  options_.done_dir = options_.spool_dir + "/done";
  options_.failed_dir = options_.spool_dir + "/failed";
  options_.reopen_min = 50ms;
  options_.reopen_max = 100ms;
  camera_ = std::make_unique<SpoolCamera>(DriverContext{io_, sink_, "cam1", "door-03"}, options_);
  camera_->start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.last_status_is(false, "later"); }));
  fs::create_directories(options_.spool_dir);
  ASSERT_TRUE(run_until(io_, [&] { return sink_.last_status_is(true, "watching (inotify"); }));
  EXPECT_EQ(sink_.count_status(false), 1u);  // repeated failures are not re-reported

  fs::copy_file(work_.file("sscc.png"), options_.spool_dir + "/a.png");
  ASSERT_TRUE(run_until(io_, [&] { return sink_.reads.size() == 1; }));

  fs::remove_all(options_.spool_dir);  // share unmounted / directory removed
  ASSERT_TRUE(run_until(io_, [&] { return sink_.last_status_is(false); }));
  camera_->stop();
}

TEST_F(CameraSpool, StopReportsDownOnce) {
  start();
  camera_->stop();
  camera_->stop();
  EXPECT_TRUE(sink_.last_status_is(false, "stopped"));
  EXPECT_EQ(sink_.count_status(false), 1u);
}

}  // namespace
}  // namespace dockgate::drivers
