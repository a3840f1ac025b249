// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the line framer shared by the serial and TCP scanner drivers. Input: a few
// bytes choose the options (max_frame_bytes 16..300, aim_prefix, gs_substitute) and the
// chunk sizes; the rest is the byte stream as the port or socket delivers it.
// Invariants: never crashes; memory stays bounded (pending_bytes() <= max_frame_bytes);
// no read holds CR or LF or exceeds max_frame_bytes; a frame_too_long sample is at most
// kErrorSampleBytes; and the outputs do not depend on how the stream is split into chunks.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "drivers/framing/line_framer.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using dockgate::ReadError;
using dockgate::ScanRead;
using dockgate::drivers::FramerOutput;

bool same(const FramerOutput& a, const FramerOutput& b) {
  if (a.index() != b.index()) return false;
  if (const auto* ra = std::get_if<ScanRead>(&a)) {
    const auto& rb = std::get<ScanRead>(b);
    return ra->symbology_id == rb.symbology_id && ra->data == rb.data;
  }
  const auto& ea = std::get<ReadError>(a);
  const auto& eb = std::get<ReadError>(b);
  return ea.kind == eb.kind && ea.data == eb.data && ea.message == eb.message;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace drv = dockgate::drivers;
  FuzzedDataProvider in(data, size);
  drv::FramingOptions options;
  options.max_frame_bytes = in.ConsumeIntegralInRange<std::size_t>(drv::kMinFrameBytes, 300);
  options.aim_prefix = in.PickValueInArray(
      {drv::AimPrefix::automatic, drv::AimPrefix::required, drv::AimPrefix::none});
  options.gs_substitute = in.ConsumeRandomLengthString(drv::kMaxGsSubstituteBytes);
  const std::size_t chunk = in.ConsumeIntegralInRange<std::size_t>(1, 64);
  const std::string stream = in.ConsumeRemainingBytesAsString();

  // The whole stream in one feed.
  drv::LineFramer whole(options);
  std::vector<FramerOutput> one;
  whole.feed(stream, 1, one);
  FUZZ_CHECK(whole.pending_bytes() <= options.max_frame_bytes, "bounded buffer");

  // The same stream in fixed-size chunks.
  drv::LineFramer split(options);
  std::vector<FramerOutput> many;
  for (std::size_t pos = 0; pos < stream.size(); pos += chunk) {
    split.feed(std::string_view(stream).substr(pos, chunk), 1, many);
    FUZZ_CHECK(split.pending_bytes() <= options.max_frame_bytes, "bounded buffer (chunks)");
  }

  FUZZ_CHECK(one.size() == many.size(), "same number of outputs whatever the chunking");
  for (std::size_t i = 0; i < one.size(); ++i) {
    FUZZ_CHECK(same(one[i], many[i]), "same outputs whatever the chunking");
    if (const auto* r = std::get_if<ScanRead>(&one[i])) {
      FUZZ_CHECK(!r->data.empty(), "no empty read");
      FUZZ_CHECK(r->data.size() <= options.max_frame_bytes, "read within max_frame_bytes");
      FUZZ_CHECK(r->data.find_first_of("\r\n") == std::string::npos, "no terminator in a read");
    } else {
      const auto& e = std::get<ReadError>(one[i]);
      if (e.kind == "frame_too_long") {
        FUZZ_CHECK(e.data.size() <= drv::kErrorSampleBytes, "bounded error sample");
      }
    }
  }
  return 0;
}
