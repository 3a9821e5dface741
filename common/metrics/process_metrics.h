#ifndef GZEDU_COMMON_METRICS_PROCESS_METRICS_H_
#define GZEDU_COMMON_METRICS_PROCESS_METRICS_H_

#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gzedu {

// What Linux says of the running process, for the process metrics every
// Prometheus client library exports.
struct ProcessStats {
  double cpu_seconds = 0;  // user + system time
  double resident_memory_bytes = 0;
  double virtual_memory_bytes = 0;
  double start_time_seconds = 0;  // since the Unix epoch
  double open_fds = 0;
  double max_fds = 0;  // the soft RLIMIT_NOFILE
};

// Reads the CPU time, memory sizes and start time from the text of
// /proc/self/stat (proc(5): utime, stime, starttime, vsize, rss), given the
// clock ticks per second, the page size and the boot time (btime of
// /proc/stat, seconds since the epoch). InvalidArgument when the text does
// not have those fields.
absl::Status ParseProcStat(absl::string_view stat, double ticks_per_second, double page_size_bytes,
                           double boot_time_seconds, ProcessStats* stats);

// The process's stats from /proc/self/stat, /proc/stat, /proc/self/fd and
// getrlimit. Unavailable when /proc cannot be read.
absl::StatusOr<ProcessStats> ReadProcessStats();

// The standard process metrics, read from /proc at every scrape:
// process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_start_time_seconds,
// process_open_fds and process_max_fds (prometheus-cpp has no process
// collector). A scrape when /proc cannot be read has none of them.
// Thread-safe (it holds nothing).
class ProcessCollector : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_METRICS_PROCESS_METRICS_H_
