// SPDX-License-Identifier: Apache-2.0
#include "door_sim_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace dockgate::drivers::test {
namespace {

constexpr const char* kPython = "/usr/bin/python3";  // Debian's, which has python3-pymodbus
constexpr const char* kScript = DOCKGATE_SOURCE_DIR "/tests/drivers/modbus/pymodbus_door_sim.py";

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

DoorSimProcess::DoorSimProcess(std::uint16_t port, const std::vector<std::string>& extra_args) {
  // A child that died must fail the test with an error, not end it with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  std::array<int, 2> in{};
  std::array<int, 2> out{};
  if (::pipe2(in.data(), O_CLOEXEC) != 0 || ::pipe2(out.data(), O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe2 failed");
  }
  stderr_path_ =
      (std::filesystem::temp_directory_path() /
       ("dockgate-door-sim-" + std::to_string(::getpid()) + "-" + std::to_string(port) + ".log"))
          .string();
  std::vector<std::string> args{kPython, kScript, "--port", std::to_string(port)};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int rc = posix_spawn(&pid_, kPython, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  to_child_ = in[1];
  from_child_ = out[0];
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error(std::string("cannot start ") + kPython);
  }
  std::string ready;
  try {
    ready = read_line(std::chrono::seconds(10));
  } catch (const std::exception&) {
    ready.clear();
  }
  if (ready.rfind("ready ", 0) != 0) {
    const std::string log = slurp(stderr_path_);
    shutdown();
    throw std::runtime_error("pymodbus_door_sim.py did not start: '" + ready + "' " + log);
  }
}

DoorSimProcess::~DoorSimProcess() {
  shutdown();
}

void DoorSimProcess::shutdown() {
  if (pid_ > 0) {
    const std::string quit = "quit\n";
    (void)!::write(to_child_, quit.data(), quit.size());
    for (int i = 0; i < 100; ++i) {  // up to 1 s for a clean exit
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      ::usleep(10'000);
    }
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  if (to_child_ >= 0) ::close(to_child_);
  if (from_child_ >= 0) ::close(from_child_);
  to_child_ = from_child_ = -1;
  if (!stderr_path_.empty()) std::remove(stderr_path_.c_str());
  stderr_path_.clear();
}

std::string DoorSimProcess::command(const std::string& line, std::chrono::milliseconds timeout) {
  const std::string text = line + "\n";
  if (::write(to_child_, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    throw std::runtime_error("write to pymodbus_door_sim.py failed");
  }
  return read_line(timeout);
}

std::string DoorSimProcess::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const std::size_t nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw std::runtime_error("no answer from pymodbus_door_sim.py");
    pollfd p{from_child_, POLLIN, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) continue;
    std::array<char, 512> chunk{};
    const ssize_t n = ::read(from_child_, chunk.data(), chunk.size());
    if (n <= 0) throw std::runtime_error("pymodbus_door_sim.py closed its output");
    buffer_.append(chunk.data(), static_cast<std::size_t>(n));
  }
}

}  // namespace dockgate::drivers::test
