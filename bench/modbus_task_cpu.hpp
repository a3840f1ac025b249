// SPDX-License-Identifier: Apache-2.0
// CPU time of a whole process in nanoseconds, from the scheduler's per-thread accounting
// (/proc/<pid>/task/*/schedstat, first field: time on a CPU, ns). /proc/<pid>/stat counts in
// clock ticks (10 ms here), too coarse for a poller that uses a few ms per second; this is
// exact. Threads that ended before the reading are not in the sum, so take both readings
// while the process's thread set is stable (steady polling).
#pragma once

#include <sys/types.h>

namespace dockgate::bench {

/// Sum over the process's live threads; -1 when the process is gone or schedstat is missing
/// (a kernel without CONFIG_SCHED_INFO).
double task_cpu_seconds(pid_t pid);

}  // namespace dockgate::bench
