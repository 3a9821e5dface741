// A full disk (issue 15): writes fail with RESOURCE_EXHAUSTED, not a
// retryable UNAVAILABLE, and readiness (Ping) reports it.
#include <gtest/gtest.h>

#include "common/storage/sql_database.h"
#include "tests/support/subprocess.h"

namespace gzedu {
namespace {

TEST(StorageFullTest, AFullSqliteDatabaseAnswersResourceExhaustedAndPingReportsIt) {
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<SqlDatabase>> database =
      OpenSqlDatabase("sqlite://" + dir.path() + "/full.db", nullptr);
  ASSERT_TRUE(database.ok()) << database.status();
  ASSERT_TRUE((*database)->Ping().ok());
  absl::Status failed;
  {
    absl::StatusOr<SqlDatabase::Lease> leased = (*database)->Writer();
    ASSERT_TRUE(leased.ok()) << leased.status();
    SqlDatabase::Lease& writer = *leased;
    ASSERT_TRUE(writer->Exec("CREATE TABLE filler (bytes BLOB)").ok());
    // What a full disk does, without filling one: SQLite may not grow the
    // file beyond its current pages.
    ASSERT_TRUE(writer->Exec("PRAGMA max_page_count = 4").ok());
    for (int i = 0; i < 100 && failed.ok(); ++i) {
      failed = writer->Exec("INSERT INTO filler VALUES (zeroblob(4000))");
    }
  }
  EXPECT_EQ(failed.code(), absl::StatusCode::kResourceExhausted) << failed;
  EXPECT_EQ((*database)->Ping().code(), absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace gzedu
