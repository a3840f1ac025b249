// SPDX-License-Identifier: Apache-2.0
#include "tests/support/promtool.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/support/subprocess.hpp"

namespace dockgate::test {

PromtoolResult promtool_check_metrics(const std::string& text, const std::string& scratch_dir) {
  const std::string input = scratch_dir + "/promtool-input.txt";
  const std::string output = scratch_dir + "/promtool-output.txt";
  std::ofstream(input, std::ios::binary | std::ios::trunc) << text;
  std::ofstream(output, std::ios::trunc).close();
  Subprocess p(SpawnOptions{
      {"/bin/sh", "-c", "exec \"$0\" check metrics < \"$1\"", DOCKGATE_PROMTOOL, input},
      {},
      "",
      output,
      output});
  const auto status = p.wait_for(std::chrono::seconds(30));
  if (!status) throw std::runtime_error("promtool check metrics did not finish in 30 s");
  std::ifstream in(output);
  std::stringstream all;
  all << in.rdbuf();
  if (status->exited && status->code == 127) {
    throw std::runtime_error(std::string("cannot run ") + DOCKGATE_PROMTOOL + ": " + all.str());
  }
  return {status->exited ? status->code : 128 + status->signal, all.str()};
}

}  // namespace dockgate::test
