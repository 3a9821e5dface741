// The pieces behind the operations features: the /proc parser of the process
// metrics, the service name of a gRPC method, generated request ids.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "common/grpc/request_id.h"
#include "common/metrics/process_metrics.h"

namespace gzedu {
namespace {

// A /proc/self/stat line (proc(5)) whose command name holds a space and a
// parenthesis: utime 250, stime 50, starttime 1000, vsize 1048576, rss 300.
constexpr char kStat[] =
    "4242 (gzedu (x) y) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 50 0 0 20 0 7 0 1000 1048576 300 "
    "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

TEST(ProcStatTest, ReadsCpuMemoryAndStartTimeAfterACommandNameWithSpacesAndParentheses) {
  ProcessStats stats;
  ASSERT_TRUE(ParseProcStat(kStat, /*ticks_per_second=*/100, /*page_size_bytes=*/4096,
                            /*boot_time_seconds=*/1'700'000'000, &stats)
                  .ok());
  EXPECT_DOUBLE_EQ(stats.cpu_seconds, 3.0);
  EXPECT_DOUBLE_EQ(stats.start_time_seconds, 1'700'000'010.0);
  EXPECT_DOUBLE_EQ(stats.virtual_memory_bytes, 1048576.0);
  EXPECT_DOUBLE_EQ(stats.resident_memory_bytes, 300.0 * 4096);
}

TEST(ProcStatTest, RefusesTextWithoutTheFields) {
  ProcessStats stats;
  EXPECT_FALSE(ParseProcStat("", 100, 4096, 0, &stats).ok());
  EXPECT_FALSE(ParseProcStat("1 (x) S 1 2 3", 100, 4096, 0, &stats).ok());
  EXPECT_FALSE(ParseProcStat("1 x S 1 2 3", 100, 4096, 0, &stats).ok());
}

TEST(ProcStatTest, ThisProcessReadsAsRunningAndHoldingFiles) {
  absl::StatusOr<ProcessStats> stats = ReadProcessStats();
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_GT(stats->resident_memory_bytes, 0);
  EXPECT_GE(stats->open_fds, 3);  // stdin, stdout, stderr
  EXPECT_GE(stats->max_fds, stats->open_fds);
  EXPECT_GT(stats->start_time_seconds, 1'600'000'000);
}

TEST(LogServiceOfMethodTest, NamesGzeduServicesInKebabCaseAndNoOtherPackage) {
  EXPECT_EQ(LogServiceOfMethod("/gzedu.registry.v1.SchoolRegistryService/GetSchool"), "school-registry");
  EXPECT_EQ(LogServiceOfMethod("/gzedu.rotation.v1.TeacherRotationService/ListChanges"), "teacher-rotation");
  EXPECT_EQ(LogServiceOfMethod("/gzedu.funding.v1.FundingLedgerService/PostTransfers"), "funding-ledger");
  EXPECT_EQ(LogServiceOfMethod("/gzedu.indicators.v1.IndicatorEvaluationService/WatchIndicators"),
            "indicator-evaluation");
  EXPECT_EQ(LogServiceOfMethod("/grpc.health.v1.Health/Check"), "");
  EXPECT_EQ(LogServiceOfMethod("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"), "");
  EXPECT_EQ(LogServiceOfMethod(""), "");
}

TEST(NewRequestIdTest, Is128BitsOfHexAndDiffersEachTime) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewRequestId();
    EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{32}"))) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 1000u);
}

}  // namespace
}  // namespace gzedu
