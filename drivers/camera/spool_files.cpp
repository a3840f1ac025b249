// SPDX-License-Identifier: Apache-2.0
#include "drivers/camera/spool_files.hpp"

#include <filesystem>

namespace dockgate::drivers {

namespace fs = std::filesystem;

std::vector<SpoolFile> list_spool_files(const std::string& dir, std::error_code& ec) {
  std::vector<SpoolFile> files;
  fs::directory_iterator it(dir, ec);
  if (ec) return files;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return files;
    std::error_code file_ec;
    if (!it->is_regular_file(file_ec) || file_ec) continue;
    SpoolFile file;
    file.name = it->path().filename().string();
    file.size = it->file_size(file_ec);
    if (file_ec) continue;
    file.mtime = it->last_write_time(file_ec);
    if (file_ec) continue;
    files.push_back(std::move(file));
  }
  return files;
}

std::string move_into(const std::string& path, const std::string& target_dir, std::error_code& ec) {
  fs::create_directories(target_dir, ec);
  if (ec) return {};
  const fs::path source(path);
  const std::string stem = source.stem().string();
  const std::string extension = source.extension().string();
  fs::path target = fs::path(target_dir) / source.filename();
  // Bounded search for a free name; 10000 equal names means something else is wrong.
  for (int n = 1; fs::exists(target, ec) && n < 10000; ++n) {
    std::string name = stem;
    name += "-";
    name += std::to_string(n);
    name += extension;
    target = fs::path(target_dir) / name;
  }
  if (ec) return {};
  if (fs::exists(target, ec)) {  // never overwrite an earlier image
    ec = std::make_error_code(std::errc::file_exists);
    return {};
  }
  fs::rename(source, target, ec);
  if (ec == std::errc::cross_device_link) {
    ec.clear();
    fs::copy_file(source, target, ec);
    if (!ec) fs::remove(source, ec);
  }
  return ec ? std::string() : target.string();
}

}  // namespace dockgate::drivers
