// SPDX-License-Identifier: Apache-2.0
#include "socat_pty.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace dockgate::drivers::test {
namespace {

// Polls `condition` every 5 ms (socat gives no other signal that its links are ready).
template <class Condition>
bool wait_for(Condition condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

bool link_ready(const std::filesystem::path& link) {
  std::error_code ec;
  return std::filesystem::exists(link, ec);  // follows the link: the pts exists
}

bool link_gone(const std::filesystem::path& link) {
  std::error_code ec;
  return !std::filesystem::is_symlink(std::filesystem::symlink_status(link, ec));
}

}  // namespace

TempDir::TempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "dockgate-drivers-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

SocatPty::SocatPty(const std::filesystem::path& dir) : dir_(dir) {
  const std::string scanner = "pty,raw,echo=0,link=" + (dir_ / "scanner").string();
  const std::string host = "pty,raw,echo=0,link=" + (dir_ / "host").string();
  const std::string log = (dir_ / "socat.log").string();
  std::vector<std::string> args{"socat", "-d", "-d", scanner, host};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  const int rc = posix_spawnp(&pid_, "socat", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start socat: errno " + std::to_string(rc));
  if (!wait_for([&] { return link_ready(dir_ / "scanner") && link_ready(dir_ / "host"); },
                std::chrono::seconds(5))) {
    unplug();
    throw std::runtime_error("socat did not create its pty links (see " + log + ")");
  }
}

SocatPty::~SocatPty() {
  unplug();
}

void SocatPty::unplug() {
  if (scanner_fd_ >= 0) {
    ::close(scanner_fd_);
    scanner_fd_ = -1;
  }
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  // socat unlinks its links on SIGTERM; remove leftovers so a restart can recreate them.
  wait_for([&] { return link_gone(dir_ / "scanner") && link_gone(dir_ / "host"); },
           std::chrono::seconds(2));
  std::error_code ec;
  std::filesystem::remove(dir_ / "scanner", ec);
  std::filesystem::remove(dir_ / "host", ec);
}

void SocatPty::write(const std::string& bytes) {
  if (scanner_fd_ < 0) {
    scanner_fd_ = ::open((dir_ / "scanner").c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (scanner_fd_ < 0) throw std::runtime_error("cannot open the scanner end of the pty");
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(scanner_fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("write to the scanner end failed");
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace dockgate::drivers::test
