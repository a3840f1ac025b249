// SPDX-License-Identifier: Apache-2.0
#include "config/yaml_guard.hpp"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <thread>

#if defined(__SANITIZE_ADDRESS__)
#define DOCKGATE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DOCKGATE_ASAN 1
#endif
#endif

namespace dockgate::config::detail {

bool yaml_parse_terminates(const std::string& text, std::chrono::milliseconds deadline) {
  const pid_t pid = ::fork();
  if (pid < 0) return true;  // no child: parse in-process as before
  if (pid == 0) {
#if !defined(DOCKGATE_ASAN)  // ASan reserves terabytes of address space: no RLIMIT_AS there
    const rlimit cap{1UL << 30, 1UL << 30};
    ::setrlimit(RLIMIT_AS, &cap);
#endif
    // The child ends itself even if the parent is gone; _exit skips atexit and leak checks.
    ::alarm(static_cast<unsigned>(deadline.count() / 1000 + 1));
    try {
      (void)YAML::LoadAll(text);
    } catch (...) {  // a syntax error is a result: the parent reports it
    }
    ::_exit(0);
  }
  const auto until = std::chrono::steady_clock::now() + deadline;
  int status = 0;
  auto pause = std::chrono::microseconds(200);
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (done < 0) return true;  // reaped elsewhere (a SIGCHLD handler): cannot tell
    if (std::chrono::steady_clock::now() >= until) break;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(20'000));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return false;
}

}  // namespace dockgate::config::detail
