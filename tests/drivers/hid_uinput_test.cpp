// SPDX-License-Identifier: Apache-2.0
// hid_scanner against a real kernel input device made with uinput: open, EVIOCGRAB, decode,
// and the unplug (device destroyed -> ENODEV -> down). Needs /dev/uinput; where it is absent
// (containers, this build machine) the test is skipped and says why.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/uinput.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "drivers/hid_scanner/hid_scanner.hpp"
#include "hid_events.hpp"
#include "test_sink.hpp"

namespace dockgate::drivers {
namespace {

using test::RecordingSink;
using test::run_until;

// A virtual USB keyboard; destroyed (= unplugged) by destroy() or the destructor.
class VirtualKeyboard {
 public:
  VirtualKeyboard() : fd_(::open("/dev/uinput", O_WRONLY | O_NONBLOCK | O_CLOEXEC)) {
    if (fd_ < 0) throw std::runtime_error(std::string("open /dev/uinput: ") + std::strerror(errno));
    check(::ioctl(fd_, UI_SET_EVBIT, EV_KEY), "UI_SET_EVBIT EV_KEY");
    check(::ioctl(fd_, UI_SET_EVBIT, EV_SYN), "UI_SET_EVBIT EV_SYN");
    check(::ioctl(fd_, UI_SET_EVBIT, EV_MSC), "UI_SET_EVBIT EV_MSC");
    check(::ioctl(fd_, UI_SET_MSCBIT, MSC_SCAN), "UI_SET_MSCBIT");
    for (int key = KEY_ESC; key <= KEY_KPDOT; ++key) {
      check(::ioctl(fd_, UI_SET_KEYBIT, key), "UI_SET_KEYBIT");
    }
    check(::ioctl(fd_, UI_SET_KEYBIT, KEY_KPENTER), "UI_SET_KEYBIT");
    check(::ioctl(fd_, UI_SET_KEYBIT, KEY_RIGHTCTRL), "UI_SET_KEYBIT");
    check(::ioctl(fd_, UI_SET_KEYBIT, KEY_RIGHTALT), "UI_SET_KEYBIT");
    uinput_setup setup{};
    setup.id.bustype = BUS_USB;
    setup.id.vendor = 0x1209;  // pid.codes test vendor
    setup.id.product = 0x0001;
    std::strncpy(setup.name, "dockgate test scanner", UINPUT_MAX_NAME_SIZE - 1);
    check(::ioctl(fd_, UI_DEV_SETUP, &setup), "UI_DEV_SETUP");
    check(::ioctl(fd_, UI_DEV_CREATE), "UI_DEV_CREATE");
    created_ = true;
    std::array<char, 64> sysname{};
    check(::ioctl(fd_, UI_GET_SYSNAME(sysname.size()), sysname.data()), "UI_GET_SYSNAME");
    event_path_ = find_event_node(std::string("/sys/devices/virtual/input/") + sysname.data());
  }
  ~VirtualKeyboard() {
    destroy();
    ::close(fd_);
  }
  VirtualKeyboard(const VirtualKeyboard&) = delete;
  VirtualKeyboard& operator=(const VirtualKeyboard&) = delete;

  [[nodiscard]] const std::string& event_path() const { return event_path_; }

  void type(const std::vector<input_event>& events) {
    for (const auto& e : events) {
      if (::write(fd_, &e, sizeof e) != static_cast<ssize_t>(sizeof e)) {
        throw std::runtime_error("write to uinput failed");
      }
    }
  }

  void destroy() {
    if (created_) ::ioctl(fd_, UI_DEV_DESTROY);
    created_ = false;
  }

 private:
  void check(int rc, const char* what) {
    if (rc != 0) {
      const std::string reason = std::string(what) + ": " + std::strerror(errno);
      if (created_) ::ioctl(fd_, UI_DEV_DESTROY);
      ::close(fd_);
      throw std::runtime_error(reason);
    }
  }

  // The /dev/input/eventN node of the new device (udev may take a moment to create it).
  static std::string find_event_node(const std::string& sys_dir) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      std::error_code ec;
      for (const auto& entry : std::filesystem::directory_iterator(sys_dir, ec)) {
        const auto name = entry.path().filename().string();
        std::string node = "/dev/input/" + name;
        if (name.rfind("event", 0) == 0 && ::access(node.c_str(), R_OK) == 0) return node;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("no event node appeared under " + sys_dir);
  }

  int fd_;
  bool created_ = false;
  std::string event_path_;
};

TEST(HidScannerUinput, ScanFromRealInputDeviceIsGrabbedAndDecoded) {
  // Only built where /dev/uinput is writable (see tests/drivers/CMakeLists.txt).
  VirtualKeyboard keyboard;
  boost::asio::io_context io;
  RecordingSink sink;
  HidOptions options;
  options.device = keyboard.event_path();
  options.reopen_min = std::chrono::milliseconds(20);
  options.reopen_max = std::chrono::milliseconds(100);
  HidScanner driver(DriverContext{io, sink, "hid-uinput", "door-01"}, options);
  driver.start();
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true) == 1; }))
      << (sink.statuses.empty() ? "" : sink.statuses.back().detail);
  EXPECT_EQ(sink.statuses.back().detail, keyboard.event_path() + " layout us, grabbed");

  // Nobody else can grab it while the driver holds it.
  const int other = ::open(keyboard.event_path().c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(other, 0);
  const int grab_rc = ::ioctl(other, EVIOCGRAB, 1);
  const int grab_errno = errno;
  EXPECT_NE(grab_rc, 0);
  EXPECT_EQ(grab_errno, EBUSY);
  ::close(other);

  keyboard.type(test::key_events(test::us_strokes("]C100340123450000000420\n")));
  ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 1; }));
  EXPECT_EQ(sink.reads[0].symbology_id, "]C1");
  EXPECT_EQ(sink.reads[0].data, "00340123450000000420");

  keyboard.destroy();  // unplug
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(false) == 1; }));
  EXPECT_NE(sink.statuses.back().detail.find("unplugged"), std::string::npos)
      << sink.statuses.back().detail;
  driver.stop();
  test::drain(io);
}

}  // namespace
}  // namespace dockgate::drivers
