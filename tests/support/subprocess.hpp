// SPDX-License-Identifier: Apache-2.0
// Child processes for tests (the broker, the dockgate binary, socat ...). The child gets
// SIGKILL when the spawning *thread* ends (PR_SET_PDEATHSIG), so a crashed test leaves no
// strays behind; spawn from a thread that outlives the child (normally the test's own).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dockgate::test {

/// How a child ended (waitpid status, decoded).
struct ExitStatus {
  bool exited = false;  ///< returned from main / called exit
  int code = 0;         ///< exit code when exited
  int signal = 0;       ///< terminating signal when !exited
  [[nodiscard]] bool success() const { return exited && code == 0; }
  [[nodiscard]] std::string describe() const;  ///< "exit 3" / "signal 9"
};

struct SpawnOptions {
  /// argv; args[0] is the program: an absolute path or a name looked up in $PATH.
  std::vector<std::string> args;
  /// Variables set (or overridden) on top of the parent's environment.
  std::vector<std::pair<std::string, std::string>> env;
  std::string working_dir;         ///< "" = the parent's
  std::string stdout_path;         ///< file to append stdout to; "" = /dev/null
  std::string stderr_path;         ///< file to append stderr to; "" = /dev/null
  bool new_process_group = false;  ///< setpgid(0,0): signals go to the whole group
};

class Subprocess {
 public:
  /// Starts the program. Throws std::runtime_error when it is not found or fork fails; an
  /// exec failure in the child shows up as exit code 127.
  explicit Subprocess(SpawnOptions options);
  /// kill() if still running. Never throws.
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  /// True until the child has been reaped (non-blocking check).
  bool running();
  /// Sends `sig` (to the group with new_process_group). No-op once reaped.
  void signal(int sig);
  /// SIGKILL and reap; returns the exit status.
  ExitStatus kill();
  /// SIGTERM, wait up to `grace`, then SIGKILL. Returns how it ended.
  ExitStatus terminate(std::chrono::milliseconds grace = std::chrono::milliseconds(5'000));
  /// Waits for the child to end by itself; nullopt after `timeout` (child left running).
  std::optional<ExitStatus> wait_for(std::chrono::milliseconds timeout);

 private:
  bool reap(bool block);

  SpawnOptions options_;
  pid_t pid_ = -1;
  std::optional<ExitStatus> status_;
};

}  // namespace dockgate::test
