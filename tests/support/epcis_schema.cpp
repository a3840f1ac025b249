// SPDX-License-Identifier: Apache-2.0
#include "tests/support/epcis_schema.hpp"

#include <fstream>

#include "tests/support/subprocess.hpp"
#include "tests/support/temp_dir.hpp"

namespace dockgate::test {
std::string epcis_schema_errors(const std::vector<std::string>& documents) {
  try {
    TempDir dir("dockgate-epcis-schema");
    const std::string input = dir.file("documents.jsonl");
    {
      std::ofstream out(input);
      for (const auto& d : documents) {
        for (char c : d) out << (c == '\n' ? ' ' : c);  // one document per line
        out << '\n';
      }
    }
    const std::string report = dir.file("report.txt");
    Subprocess node({{DOCKGATE_NODE_EXECUTABLE,
                      DOCKGATE_SOURCE_DIR "/tests/epcis/node/validate_epcis.js", input},
                     {},
                     "",
                     report,
                     report});
    auto status = node.wait_for(std::chrono::seconds(60));
    if (!status) return "the EPCIS schema validator did not finish within 60 s";
    if (status->success()) return "";
    return "EPCIS schema check failed (" + status->describe() + "): " + read_file(report);
  } catch (const std::exception& e) {
    return std::string("EPCIS schema check could not run: ") + e.what();
  }
}

}  // namespace dockgate::test
