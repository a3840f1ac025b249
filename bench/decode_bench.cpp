// SPDX-License-Identifier: Apache-2.0
// Camera decoding (drivers/camera BarcodeDecoder, ZXing-cpp 1.4) on a set made by
// bench/make-decode-set, side by side with zbarimg (zbar-tools) on the same files:
//   - throughput: decode_file() (PNG load + decode, what the camera driver does per frame) on
//     one thread, frame by frame, then on --threads threads sharing one decoder; images/s and
//     ms/frame per frame size and per single-/multi-code frames;
//   - recall: fraction of the manifest's codes found, overall and per symbology. GS1 and
//     numeric codes compare by digits only (zbar and ZXing differ in FNC1/GS rendering);
//     the Digital Link URL compares exactly. An EAN-13 starting with 0 is bar for bar a
//     UPC-A: ZXing reports it as UPC-A (12 digits, ]E0), zbar as EAN-13 (13 digits); both are
//     the same GTIN (the agent pads either to 14 digits), so EAN-13 compares as a GTIN
//     (leading zeros ignored). "ean-13 (13 digits)" also reports the strict count;
//   - CPU time per frame (the decoding thread's CPUTIME clock): frames per CPU-second is the
//     "frames/s per core" figure, and unlike wall time it holds on a shared, busy machine;
//   - zbarimg: one `zbarimg -q --raw FILE` per frame, one at a time; its time includes the
//     process start (a few ms), so its images/s is a lower bound. zbar 0.23 reads no
//     DataMatrix: compare per symbology.
#include <sys/wait.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "bench/summary.hpp"
#include "drivers/camera/barcode_decoder.hpp"

namespace dockgate::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;

struct Options {
  std::string set_dir;
  unsigned threads = 0;  // 0 = nproc
  bool skip_zbar = false;
  std::string zbar = "zbarimg";
  std::string misses;  // file for the codes dockgate missed (empty = none written)
};

struct Expected {
  std::string symbology;  // make-decode-set name: gs1-128, gs1-datamatrix, ...
  std::string text;
};

struct Frame {
  std::string path;
  std::string size;  // "1920x1080"
  std::string kind;  // "single" or "multi"
  std::vector<Expected> codes;
};

/// Frames of `dir`/manifest.tsv in file order; throws std::runtime_error on a bad row.
std::vector<Frame> read_manifest(const std::string& dir) {
  const std::string path = dir + "/manifest.tsv";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path + " (run bench/make-decode-set)");
  std::vector<Frame> frames;
  std::string line;
  int row = 0;
  while (std::getline(in, line)) {
    ++row;
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, '\t');) f.push_back(cell);
    if (f.size() != 5) {
      throw std::runtime_error(path + ":" + std::to_string(row) +
                               ": expected 5 tab-separated fields");
    }
    if (frames.empty() || frames.back().path != dir + "/" + f[0]) {
      frames.push_back({dir + "/" + f[0], f[1], f[2], {}});
    }
    frames.back().codes.push_back({f[3], f[4]});
  }
  if (frames.empty()) throw std::runtime_error(path + ": no rows");
  return frames;
}

std::string digits_only(const std::string& s) {
  std::string d;
  for (const char c : s) {
    if (c >= '0' && c <= '9') d += c;
  }
  return d;
}

/// True when decoded text `got` is the expected code (see the file comment for the rule).
bool matches(const Expected& want, const std::string& got) {
  if (want.symbology == "qr-digital-link") return got == want.text;
  const std::string digits = digits_only(got);
  if (want.symbology == "ean-13" && digits.size() == 12 && want.text.size() == 13 &&
      want.text.front() == '0') {
    return digits == want.text.substr(1);  // UPC-A read of a 0-prefixed EAN-13: same GTIN
  }
  return digits == want.text;
}

/// Per-symbology found/total counts.
struct Recall {
  std::map<std::string, std::pair<int, int>> by_symbology;  // found, total
  int extra = 0;  // decoded texts that match no expected code (misreads or partial reads)

  std::pair<int, int> ean13_strict;  // EAN-13 found with all 13 digits, total
  std::vector<std::string> misses;   // "file<TAB>symbology<TAB>expected"

  void add(const Frame& frame, const std::vector<std::string>& texts) {
    for (const auto& want : frame.codes) {
      auto& [found, total] = by_symbology[want.symbology];
      ++total;
      if (std::any_of(texts.begin(), texts.end(),
                      [&](const std::string& t) { return matches(want, t); })) {
        ++found;
      } else {
        misses.push_back(frame.path + "\t" + want.symbology + "\t" + want.text);
      }
      if (want.symbology == "ean-13") {
        ++ean13_strict.second;
        if (std::any_of(texts.begin(), texts.end(),
                        [&](const std::string& t) { return digits_only(t) == want.text; })) {
          ++ean13_strict.first;
        }
      }
    }
    for (const auto& t : texts) {
      if (std::none_of(frame.codes.begin(), frame.codes.end(),
                       [&](const Expected& w) { return matches(w, t); })) {
        ++extra;
      }
    }
  }

  [[nodiscard]] Json to_json() const {
    Json j;
    int found_all = 0;
    int total_all = 0;
    for (const auto& [sym, ft] : by_symbology) {
      j[sym] = {{"found", ft.first},
                {"total", ft.second},
                {"recall", round_to(ft.second ? ft.first / double(ft.second) : 0, 4)}};
      found_all += ft.first;
      total_all += ft.second;
    }
    if (ean13_strict.second > 0) {
      j["ean-13 (13 digits)"] = {
          {"found", ean13_strict.first},
          {"total", ean13_strict.second},
          {"recall", round_to(ean13_strict.first / double(ean13_strict.second), 4)}};
    }
    j["all"] = {{"found", found_all},
                {"total", total_all},
                {"recall", round_to(total_all ? found_all / double(total_all) : 0, 4)}};
    j["extra_reads"] = extra;
    return j;
  }
};

std::vector<std::string> texts_of(const drivers::DecodeResult& r) {
  std::vector<std::string> t;
  for (const auto& c : r.codes) t.push_back(c.text);
  return t;
}

/// Output of `zbarimg -q --raw path`, one decoded text per line.
std::vector<std::string> run_zbar(const std::string& zbar, const std::string& path) {
  // Paths come from our own manifest (digits and ".png"), but quote them anyway.
  std::string quoted = "'";
  for (const char c : path) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  quoted += "'";
  const std::string cmd = zbar + " -q --raw " + quoted + " 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("cannot run " + zbar);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int status = ::pclose(p);
  // zbarimg exits 4 when it found nothing; 127 from the shell means it is not installed.
  if (status == -1 || (WIFEXITED(status) && WEXITSTATUS(status) == 127)) {
    throw std::runtime_error(zbar + " not found (apt install zbar-tools) or --skip-zbar");
  }
  std::vector<std::string> lines;
  std::stringstream ss(out);
  for (std::string l; std::getline(ss, l);) {
    if (!l.empty()) lines.push_back(l);
  }
  return lines;
}

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

/// CPU time of the calling thread in ms.
double thread_cpu_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1000.0 + double(ts.tv_nsec) / 1e6;
}

/// {"frames", "images_per_s", "ms_p50", "ms_p95", "ms_max"} of per-frame times in ms.
Json timing_json(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  double sum = 0;
  for (const double m : ms) sum += m;
  return {{"frames", ms.size()},
          {"images_per_s", round_to(sum > 0 ? double(ms.size()) * 1000.0 / sum : 0, 2)},
          {"ms_p50", round_to(percentile(ms, 50), 2)},
          {"ms_p95", round_to(percentile(ms, 95), 2)},
          {"ms_max", round_to(ms.empty() ? 0 : ms.back(), 2)}};
}

/// Decodes `frames` on `threads` threads sharing `decoder`; returns images/s (wall clock).
double pool_rate(const drivers::BarcodeDecoder& decoder, const std::vector<const Frame*>& frames,
                 unsigned threads) {
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> codes{0};  // keeps the work observable
  const auto t0 = Clock::now();
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (std::size_t i; (i = next.fetch_add(1)) < frames.size();) {
        codes += decoder.decode_file(frames[i]->path).codes.size();
      }
    });
  }
  for (auto& th : pool) th.join();
  const double s = ms_since(t0) / 1000.0;
  return s > 0 ? double(frames.size()) / s : 0;
}

int run(const Options& o) {
  const auto frames = read_manifest(o.set_dir);
  const unsigned threads =
      o.threads ? o.threads : std::max(1U, static_cast<unsigned>(::sysconf(_SC_NPROCESSORS_ONLN)));
  const drivers::BarcodeDecoder decoder;
  Json summary = summary_header("decode");
  summary["set"] = o.set_dir;
  summary["frames"] = frames.size();
  summary["threads"] = threads;

  // Groups: "1920x1080 single" etc.
  std::map<std::string, std::vector<const Frame*>> groups;
  for (const auto& f : frames) groups[f.size + " " + f.kind].push_back(&f);

  // One thread, frame by frame: per-frame times and recall.
  std::cerr << "decode_bench: dockgate, 1 thread, " << frames.size() << " frames\n";
  Recall recall;
  std::map<std::string, std::vector<double>> group_ms;
  std::map<std::string, std::vector<double>> group_cpu_ms;
  int errors = 0;
  for (const auto& f : frames) {
    const auto t0 = Clock::now();
    const double cpu0 = thread_cpu_ms();
    const auto r = decoder.decode_file(f.path);
    group_cpu_ms[f.size + " " + f.kind].push_back(thread_cpu_ms() - cpu0);
    group_ms[f.size + " " + f.kind].push_back(ms_since(t0));
    if (r.error) {
      ++errors;
      std::cerr << "decode_bench: " << f.path << ": " << *r.error << "\n";
    }
    recall.add(f, texts_of(r));
  }
  Json dg;
  dg["recall"] = recall.to_json();
  dg["file_errors"] = errors;
  for (const auto& [name, list] : groups) {
    std::cerr << "decode_bench: dockgate, " << threads << " threads, " << name << "\n";
    Json g = timing_json(group_ms[name]);
    const Json cpu = timing_json(group_cpu_ms[name]);
    g["images_per_cpu_s"] = cpu["images_per_s"];
    g["cpu_ms_p50"] = cpu["ms_p50"];
    g["cpu_ms_p95"] = cpu["ms_p95"];
    g["pool_images_per_s"] = round_to(pool_rate(decoder, list, threads), 2);
    dg["throughput"][name] = g;
  }
  summary["dockgate"] = dg;
  if (!o.misses.empty()) {
    std::ofstream out(o.misses);
    for (const auto& m : recall.misses) out << m << "\n";
    if (!out) throw std::runtime_error("cannot write " + o.misses);
  }

  if (!o.skip_zbar) {
    std::cerr << "decode_bench: zbarimg, 1 process at a time\n";
    Recall zrecall;
    std::map<std::string, std::vector<double>> zms;
    for (const auto& f : frames) {
      const auto t0 = Clock::now();
      const auto texts = run_zbar(o.zbar, f.path);
      zms[f.size + " " + f.kind].push_back(ms_since(t0));
      zrecall.add(f, texts);
    }
    Json z;
    z["recall"] = zrecall.to_json();
    for (const auto& [name, ms] : zms) z["throughput"][name] = timing_json(ms);
    summary["zbarimg"] = z;
  }

  // Human-readable table, then the machine-readable line.
  std::cout << "recall by symbology (found/total):\n";
  for (const auto& [sym, r] : summary["dockgate"]["recall"].items()) {
    if (sym == "extra_reads") continue;
    std::cout << "  " << sym << ": dockgate " << r["found"] << "/" << r["total"];
    if (summary.contains("zbarimg")) {
      const auto& z = summary["zbarimg"]["recall"][sym];
      std::cout << ", zbarimg " << z["found"] << "/" << z["total"];
    }
    std::cout << "\n";
  }
  std::cout << "throughput (1 thread images/s, ms p50/p95; images per CPU-second, CPU ms "
               "p50/p95; pool images/s):\n";
  for (const auto& [name, g] : summary["dockgate"]["throughput"].items()) {
    std::cout << "  " << name << ": " << g["images_per_s"] << "/s, " << g["ms_p50"] << "/"
              << g["ms_p95"] << " ms; " << g["images_per_cpu_s"] << "/cpu-s, " << g["cpu_ms_p50"]
              << "/" << g["cpu_ms_p95"] << " cpu-ms; pool " << g["pool_images_per_s"] << "/s";
    if (summary.contains("zbarimg")) {
      const auto& z = summary["zbarimg"]["throughput"][name];
      std::cout << "; zbarimg " << z["images_per_s"] << "/s, " << z["ms_p50"] << " ms p50";
    }
    std::cout << "\n";
  }
  print_summary(summary);
  return 0;
}

}  // namespace
}  // namespace dockgate::bench

int main(int argc, char** argv) {
  dockgate::bench::Options o;
  CLI::App app{"dockgate camera decoding benchmark (ZXing via BarcodeDecoder vs zbarimg)"};
  app.add_option("--set", o.set_dir, "directory made by bench/make-decode-set")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_option("--threads", o.threads, "pool size (0 = number of cores)")
      ->check(CLI::Range(0, 256));
  app.add_flag("--skip-zbar", o.skip_zbar, "do not run zbarimg");
  app.add_option("--zbar", o.zbar, "zbarimg command");
  app.add_option("--misses", o.misses, "write the codes dockgate missed (file, symbology, text)");
  CLI11_PARSE(app, argc, argv);
  try {
    return dockgate::bench::run(o);
  } catch (const std::exception& e) {
    std::cerr << "decode_bench: " << e.what() << "\n";
    return 1;
  }
}
