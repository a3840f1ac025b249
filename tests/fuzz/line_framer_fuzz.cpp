// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the line framer shared by the serial and TCP scanner drivers. Input: a few
// bytes choose the options (max_frame_bytes 16..300, aim_prefix, gs_substitute) and the
// chunk sizes; the rest is the byte stream as the port or socket delivers it.
// Invariants: never crashes; memory stays bounded (pending_bytes() <= max_frame_bytes);
// no read holds CR or LF or exceeds max_frame_bytes; a frame_too_long sample is at most
// kErrorSampleBytes; and the outputs do not depend on how the stream is split into chunks
// (except how much of an over-long frame the error sample holds, see same()).
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <variant>
#include <vector>

#include "drivers/framing/line_framer.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using dockgate::ReadError;
using dockgate::ScanRead;
using dockgate::drivers::FramerOutput;

bool same(const FramerOutput& a, const FramerOutput& b, std::size_t max_frame) {
  if (a.index() != b.index()) return false;
  if (const auto* ra = std::get_if<ScanRead>(&a)) {
    const auto& rb = std::get<ScanRead>(b);
    return ra->symbology_id == rb.symbology_id && ra->data == rb.data;
  }
  const auto& ea = std::get<ReadError>(a);
  const auto& eb = std::get<ReadError>(b);
  if (ea.kind != eb.kind || ea.message != eb.message) return false;
  if (ea.kind != "frame_too_long") return ea.data == eb.data;
  // The sample holds the bytes of the frame received up to the chunk that crossed the limit
  // (at most kErrorSampleBytes); later chunks are skipped unseen. With max_frame_bytes below
  // kErrorSampleBytes it is therefore shorter when the frame arrives in small chunks: only
  // the first max_frame_bytes + 1 bytes are certain, and both samples agree on what they hold.
  const std::size_t common = std::min(ea.data.size(), eb.data.size());
  return common >= std::min(max_frame + 1, dockgate::drivers::kErrorSampleBytes) &&
         ea.data.compare(0, common, eb.data, 0, common) == 0;
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

  if (std::getenv("FUZZ_DEBUG") != nullptr) {
    for (const auto* outs : {&one, &many}) {
      std::fprintf(stderr, "--- %zu outputs (chunk %zu, max %zu, gs_substitute %zu bytes)\n",
                   outs->size(), chunk, options.max_frame_bytes, options.gs_substitute.size());
      for (const auto& o : *outs) {
        const auto* r = std::get_if<ScanRead>(&o);
        const std::string& d = r != nullptr ? r->data : std::get<ReadError>(o).data;
        std::fprintf(stderr, "%s %zu bytes\n",
                     r != nullptr ? "read" : std::get<ReadError>(o).kind.c_str(), d.size());
      }
    }
  }
  FUZZ_CHECK(one.size() == many.size(), "same number of outputs whatever the chunking");
  for (std::size_t i = 0; i < one.size(); ++i) {
    FUZZ_CHECK(same(one[i], many[i], options.max_frame_bytes),
               "same outputs whatever the chunking");
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
