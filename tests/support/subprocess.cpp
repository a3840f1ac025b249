// SPDX-License-Identifier: Apache-2.0
#include "tests/support/subprocess.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <stdexcept>
#include <system_error>
#include <thread>

extern char** environ;

namespace dockgate::test {
namespace {

std::string resolve_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  throw std::runtime_error("Subprocess: program not found in PATH: " + name);
}

/// NUL-terminated argv/envp storage prepared before fork (only async-signal-safe calls are
/// allowed between fork and exec in a multi-threaded parent).
struct CStrings {
  std::vector<std::string> storage;
  std::vector<char*> ptrs;
  void finish() {
    for (auto& s : storage) ptrs.push_back(s.data());
    ptrs.push_back(nullptr);
  }
};

[[noreturn]] void child_fail() {
  ::_exit(127);
}

int open_output(const std::string& path) {
  if (path.empty()) return ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

}  // namespace

std::string ExitStatus::describe() const {
  return exited ? "exit " + std::to_string(code) : "signal " + std::to_string(signal);
}

Subprocess::Subprocess(SpawnOptions options) : options_(std::move(options)) {
  if (options_.args.empty()) throw std::runtime_error("Subprocess: no program given");
  const std::string program = resolve_program(options_.args[0]);

  CStrings argv;
  argv.storage = options_.args;
  argv.finish();

  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv(*e);
    const auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : options_.env) env[k] = v;
  CStrings envp;
  for (const auto& [k, v] : env) {
    std::string kv = k;
    kv.append("=").append(v);
    envp.storage.push_back(std::move(kv));
  }
  envp.finish();

  const int out_fd = open_output(options_.stdout_path);
  const int err_fd = open_output(options_.stderr_path);
  if (out_fd < 0 || err_fd < 0) {
    const int err = errno;
    if (out_fd >= 0) ::close(out_fd);
    if (err_fd >= 0) ::close(err_fd);
    throw std::runtime_error("Subprocess: cannot open output file: " +
                             std::error_code(err, std::generic_category()).message());
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(out_fd);
    ::close(err_fd);
    throw std::runtime_error("Subprocess: fork: " +
                             std::error_code(err, std::generic_category()).message());
  }
  if (pid == 0) {
    // Child: async-signal-safe calls only until execve.
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) child_fail();
    if (::getppid() != parent) child_fail();  // parent died before prctl took effect
    if (options_.new_process_group && ::setpgid(0, 0) != 0) child_fail();
    const int null_in = ::open("/dev/null", O_RDONLY);
    if (null_in < 0 || ::dup2(null_in, STDIN_FILENO) < 0) child_fail();
    if (::dup2(out_fd, STDOUT_FILENO) < 0 || ::dup2(err_fd, STDERR_FILENO) < 0) child_fail();
    if (!options_.working_dir.empty() && ::chdir(options_.working_dir.c_str()) != 0) {
      child_fail();
    }
    // Paho ignores SIGPIPE process-wide and ignored signals survive exec: restore defaults.
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(SIGPIPE, &dfl, nullptr);
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execve(program.c_str(), argv.ptrs.data(), envp.ptrs.data());
    child_fail();
  }
  ::close(out_fd);
  ::close(err_fd);
  pid_ = pid;
}

Subprocess::~Subprocess() {
  try {
    if (!status_) kill();
  } catch (...) {  // a destructor must not throw; the child dies with us anyway (PDEATHSIG)
  }
}

bool Subprocess::reap(bool block) {
  if (status_) return true;
  int raw = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &raw, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == 0) return false;
  ExitStatus st;
  if (r < 0) {  // already reaped elsewhere (SIGCHLD ignored): report as unknown exit
    st.exited = true;
    st.code = -1;
  } else if (WIFEXITED(raw)) {
    st.exited = true;
    st.code = WEXITSTATUS(raw);
  } else if (WIFSIGNALED(raw)) {
    st.signal = WTERMSIG(raw);
  }
  status_ = st;
  return true;
}

bool Subprocess::running() {
  return !reap(false);
}

void Subprocess::signal(int sig) {
  if (reap(false)) return;
  if (options_.new_process_group) {
    ::kill(-pid_, sig);
  } else {
    ::kill(pid_, sig);
  }
}

ExitStatus Subprocess::kill() {
  signal(SIGKILL);
  reap(true);
  return *status_;
}

ExitStatus Subprocess::terminate(std::chrono::milliseconds grace) {
  signal(SIGTERM);
  if (auto st = wait_for(grace)) return *st;
  return kill();
}

std::optional<ExitStatus> Subprocess::wait_for(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!reap(false)) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return status_;
}

}  // namespace dockgate::test
