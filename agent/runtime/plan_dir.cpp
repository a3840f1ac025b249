// SPDX-License-Identifier: Apache-2.0
#include "agent/runtime/plan_dir.hpp"

#include <fstream>
#include <iterator>
#include <set>
#include <system_error>

namespace dockgate::runtime {

namespace fs = std::filesystem;

std::vector<PlanFile> PlanDir::scan() {
  std::vector<PlanFile> out;
  std::error_code ec;
  fs::directory_iterator it(dir_, ec);
  if (ec) {
    problem_ = "cannot list plans.dir " + dir_.string() + ": " + ec.message();
    return out;
  }
  problem_.clear();
  std::set<std::string> present;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::path& path = it->path();
    const std::string name = path.filename().string();
    if (name.empty() || name.front() == '.' || path.extension() != ".json") continue;
    if (!it->is_regular_file(ec)) continue;
    present.insert(name);
    Seen now{it->last_write_time(ec), it->file_size(ec)};
    if (ec) continue;
    auto seen = seen_.find(name);
    if (seen != seen_.end() && seen->second.mtime == now.mtime && seen->second.size == now.size) {
      continue;
    }
    seen_[name] = now;
    PlanFile f;
    f.plan_id = path.stem().string();
    f.name = name;
    if (now.size > kMaxFileBytes) {
      f.error = std::to_string(now.size) + " bytes; a plan file may have at most " +
                std::to_string(kMaxFileBytes);
    } else {
      std::ifstream in(path, std::ios::binary);
      f.text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      if (!in && !in.eof()) f.error = "cannot read it";
      if (f.text.empty() && f.error.empty()) f.error = "the file is empty";
    }
    out.push_back(std::move(f));
  }
  if (ec) {  // a listing cut short says nothing about the files it did not reach
    problem_ = "cannot list plans.dir " + dir_.string() + ": " + ec.message();
    return out;
  }
  for (auto s = seen_.begin(); s != seen_.end();) {
    if (present.count(s->first) != 0) {
      ++s;
      continue;
    }
    PlanFile f;
    f.plan_id = fs::path(s->first).stem().string();
    f.name = s->first;
    f.removed = true;
    out.push_back(std::move(f));
    s = seen_.erase(s);
  }
  return out;
}

}  // namespace dockgate::runtime
