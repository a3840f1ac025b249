// SPDX-License-Identifier: Apache-2.0
#include "bench/modbus_task_cpu.hpp"

#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/support/temp_dir.hpp"

namespace dockgate::bench {

double task_cpu_seconds(pid_t pid) {
  std::error_code ec;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  std::filesystem::directory_iterator it(tasks, ec);
  if (ec) return -1;
  double ns = 0;
  bool any = false;
  for (const auto& entry : it) {
    const std::string text = test::read_file((entry.path() / "schedstat").string());
    if (text.empty()) continue;  // the thread ended meanwhile
    ns += std::strtod(text.c_str(), nullptr);
    any = true;
  }
  return any ? ns / 1e9 : -1;
}

}  // namespace dockgate::bench
