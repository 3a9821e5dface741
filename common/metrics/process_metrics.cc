#include "common/metrics/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace gzedu {
namespace {

absl::StatusOr<std::string> ReadFile(const char* path) {
  std::ifstream in(path);
  if (!in) return absl::UnavailableError(std::string("cannot read ") + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// btime of /proc/stat: when the machine booted, in seconds since the epoch.
absl::StatusOr<double> BootTimeSeconds() {
  absl::StatusOr<std::string> stat = ReadFile("/proc/stat");
  if (!stat.ok()) return stat.status();
  for (absl::string_view line : absl::StrSplit(*stat, '\n')) {
    if (line.substr(0, 6) != "btime ") continue;
    double seconds = 0;
    if (absl::SimpleAtod(line.substr(6), &seconds)) return seconds;
  }
  return absl::UnavailableError("/proc/stat has no btime line");
}

prometheus::MetricFamily Family(const char* name, const char* help, prometheus::MetricType type, double value) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(metric);
  return family;
}

}  // namespace

absl::Status ParseProcStat(absl::string_view stat, double ticks_per_second, double page_size_bytes,
                           double boot_time_seconds, ProcessStats* stats) {
  // The command name (field 2) is in parentheses and may hold spaces or
  // parentheses itself: the fields that follow start after the last ')'.
  const size_t close = stat.rfind(')');
  if (close == absl::string_view::npos) return absl::InvalidArgumentError("no command name in /proc/self/stat");
  const std::vector<absl::string_view> fields = absl::StrSplit(stat.substr(close + 1), ' ', absl::SkipWhitespace());
  // fields[0] is field 3 (state): utime is field 14, stime 15, starttime 22,
  // vsize 23, rss 24.
  constexpr size_t kUtime = 14 - 3, kStime = 15 - 3, kStartTime = 22 - 3, kVsize = 23 - 3, kRss = 24 - 3;
  if (fields.size() <= kRss) return absl::InvalidArgumentError("/proc/self/stat has too few fields");
  double utime = 0, stime = 0, start_ticks = 0, vsize = 0, rss_pages = 0;
  if (!absl::SimpleAtod(fields[kUtime], &utime) || !absl::SimpleAtod(fields[kStime], &stime) ||
      !absl::SimpleAtod(fields[kStartTime], &start_ticks) || !absl::SimpleAtod(fields[kVsize], &vsize) ||
      !absl::SimpleAtod(fields[kRss], &rss_pages)) {
    return absl::InvalidArgumentError("/proc/self/stat has a field that is not a number");
  }
  stats->cpu_seconds = (utime + stime) / ticks_per_second;
  stats->start_time_seconds = boot_time_seconds + start_ticks / ticks_per_second;
  stats->virtual_memory_bytes = vsize;
  stats->resident_memory_bytes = rss_pages * page_size_bytes;
  return absl::OkStatus();
}

absl::StatusOr<ProcessStats> ReadProcessStats() {
  ProcessStats stats;
  absl::StatusOr<std::string> stat = ReadFile("/proc/self/stat");
  if (!stat.ok()) return stat.status();
  absl::StatusOr<double> boot_time = BootTimeSeconds();
  if (!boot_time.ok()) return boot_time.status();
  const double ticks_per_second = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page_size = static_cast<double>(sysconf(_SC_PAGESIZE));
  if (absl::Status status = ParseProcStat(*stat, ticks_per_second, page_size, *boot_time, &stats); !status.ok()) {
    return status;
  }
  std::error_code error;
  double open_fds = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end; it.increment(error)) {
    ++open_fds;
  }
  if (error) return absl::UnavailableError("cannot list /proc/self/fd: " + error.message());
  stats.open_fds = open_fds;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    stats.max_fds = static_cast<double>(limit.rlim_cur);
  }
  return stats;
}

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  absl::StatusOr<ProcessStats> stats = ReadProcessStats();
  if (!stats.ok()) return {};
  using prometheus::MetricType;
  return {
      Family("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", MetricType::Counter,
             stats->cpu_seconds),
      Family("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::Gauge,
             stats->resident_memory_bytes),
      Family("process_virtual_memory_bytes", "Virtual memory size in bytes.", MetricType::Gauge,
             stats->virtual_memory_bytes),
      Family("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", MetricType::Gauge,
             stats->start_time_seconds),
      Family("process_open_fds", "Number of open file descriptors.", MetricType::Gauge, stats->open_fds),
      Family("process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge, stats->max_fds),
  };
}

}  // namespace gzedu
