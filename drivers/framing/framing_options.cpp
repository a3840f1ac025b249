// SPDX-License-Identifier: Apache-2.0
#include "drivers/framing/framing_options.hpp"

namespace dockgate::drivers {

const char* to_string(AimPrefix prefix) {
  switch (prefix) {
    case AimPrefix::automatic:
      return "auto";
    case AimPrefix::required:
      return "required";
    case AimPrefix::none:
      return "none";
  }
  return "auto";
}

bool read_framing_options(config::MapReader& keys, FramingOptions& out) {
  bool ok = true;

  std::uint64_t max_bytes = out.max_frame_bytes;
  if (keys.byte_size("max_frame_bytes", max_bytes,
                     "Longest accepted frame (terminator excluded), e.g. 4096 or 4KB. Longer "
                     "input is reported as a frame_too_long read error and skipped up to the "
                     "next line end.")) {
    if (max_bytes < kMinFrameBytes || max_bytes > kMaxFrameBytes) {
      keys.error("max_frame_bytes", "must be between " + std::to_string(kMinFrameBytes) + " and " +
                                        std::to_string(kMaxFrameBytes) + " bytes, got " +
                                        std::to_string(max_bytes));
      ok = false;
    } else {
      out.max_frame_bytes = static_cast<std::size_t>(max_bytes);
    }
  } else if (keys.has("max_frame_bytes")) {
    ok = false;
  }

  std::string aim = to_string(out.aim_prefix);
  if (keys.choice("aim_prefix", aim, {"auto", "required", "none"},
                  "AIM symbology identifier (ISO/IEC 15424, e.g. ]C1, ]d2, ]Q3) at the start of "
                  "each frame: auto = strip it when present, required = a frame without one is a "
                  "read error, none = never strip (the scanner sends no prefix).")) {
    out.aim_prefix = aim == "required" ? AimPrefix::required
                     : aim == "none"   ? AimPrefix::none
                                       : AimPrefix::automatic;
  } else if (keys.has("aim_prefix")) {
    ok = false;
  }

  std::string gs = out.gs_substitute;
  if (keys.optional("gs_substitute", gs,
                    "Text the scanner sends instead of the GS character (0x1D, GS1 FNC1 "
                    "separator), e.g. \"~\" or \"<GS>\"; replaced by 0x1D in the data. Empty: "
                    "off.")) {
    if (gs.size() > kMaxGsSubstituteBytes) {
      keys.error("gs_substitute",
                 "must be at most " + std::to_string(kMaxGsSubstituteBytes) + " bytes long");
      ok = false;
    } else if (gs.find_first_of("\r\n") != std::string::npos) {
      keys.error("gs_substitute", "must not contain CR or LF (they end a frame)");
      ok = false;
    } else {
      out.gs_substitute = std::move(gs);
    }
  } else if (keys.has("gs_substitute")) {
    ok = false;
  }
  return ok;
}

}  // namespace dockgate::drivers
