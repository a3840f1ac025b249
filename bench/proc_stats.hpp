// SPDX-License-Identifier: Apache-2.0
// What the kernel says about a process (memory, CPU time) and the machine (load), from
// /proc (proc(5)). Benchmarks sample these next to their own timings.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace dockgate::bench {

/// Resident memory of a process, KiB (/proc/<pid>/status VmRSS and its peak VmHWM).
/// Both 0 when the process is gone or the file cannot be read.
struct MemorySample {
  std::uint64_t rss_kib = 0;
  std::uint64_t hwm_kib = 0;
};
MemorySample memory_of(pid_t pid);

/// CPU seconds (user + system) used so far by `pid` (/proc/<pid>/stat fields 14 and 15);
/// -1 when unreadable. For the calling process pass ::getpid().
double cpu_seconds(pid_t pid);

/// CPU seconds all cores spent busy since boot (/proc/stat "cpu" line: user + nice + system
/// + irq + softirq + steal); -1 when unreadable. The difference over a phase, minus what the
/// benchmark's own processes used, is what other work on a shared machine took.
double machine_busy_seconds();

/// The first process whose command line (/proc/<pid>/cmdline, NULs read as spaces) contains
/// `needle`, other than the caller; -1 when none.
pid_t find_process(std::string_view needle);

/// The 1-, 5- and 15-minute load averages, "0.52 0.40 0.33" (/proc/loadavg).
std::string load_average();

}  // namespace dockgate::bench
