// SPDX-License-Identifier: Apache-2.0
#include "agent/runtime/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

namespace dockgate::runtime {
namespace {

// sd-daemon(3) priorities: 7 debug, 6 info, 4 warning, 3 err, 2 crit.
class SdPriorityFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm& /*tm*/,
              spdlog::memory_buf_t& dest) override {
    static constexpr const char* kPrefix[] = {"<7>", "<7>", "<6>", "<4>", "<3>", "<2>", "<6>"};
    const auto lvl = static_cast<std::size_t>(msg.level);
    const char* p = kPrefix[lvl < 7 ? lvl : 6];
    dest.append(p, p + 3);
  }
  [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override {
    return spdlog::details::make_unique<SdPriorityFlag>();
  }
};

}  // namespace

bool set_log_level(const std::string& level) {
  const auto lvl = spdlog::level::from_str(level);
  // from_str maps unknown names to "off": only accept "off" when asked for explicitly.
  if (lvl == spdlog::level::off && level != "off") return false;
  spdlog::set_level(lvl);
  return true;
}

bool setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_logger_mt("dockgate");
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  if (std::getenv("JOURNAL_STREAM") != nullptr) {
    formatter->add_flag<SdPriorityFlag>('*').set_pattern("%*%v");
  } else {
    formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %-5l %v");
  }
  logger->set_formatter(std::move(formatter));
  spdlog::set_default_logger(logger);
  spdlog::flush_on(spdlog::level::info);
  if (!set_log_level(level)) {
    spdlog::set_level(spdlog::level::info);
    return false;
  }
  return true;
}

}  // namespace dockgate::runtime
