// A database a server uses while it still opens and migrates it (issue 15):
// Unavailable until then, what it waits for in Ping, and a wait that ends on
// Cancel.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/storage/deferred_sql_database.h"
#include "tests/support/subprocess.h"

namespace gzedu {
namespace {

const std::vector<Migration> kMigrations = {{1, "a table", "CREATE TABLE things (id INTEGER PRIMARY KEY) STRICT"}};

TEST(DeferredSqlDatabaseTest, AnswersUnavailableUntilOpenedAndMigratedThenIsTheDatabase) {
  testing::TempDir dir;
  DeferredSqlDatabase database("sqlite://" + dir.path() + "/deferred.db", kMigrations, nullptr);
  const absl::Status before = database.Ping();
  EXPECT_EQ(before.code(), absl::StatusCode::kUnavailable) << before;
  EXPECT_NE(before.message().find("starting"), absl::string_view::npos) << before;
  {
    SqlDatabase::Lease reader = database.Reader();
    EXPECT_EQ(reader->Prepare("count", "SELECT COUNT(*) FROM things").status().code(), absl::StatusCode::kUnavailable);
    absl::StatusOr<SqlDatabase::Lease> writer = database.Writer();
    ASSERT_TRUE(writer.ok()) << writer.status();
    EXPECT_EQ((*writer)->Exec(database.BeginWriteSql()).code(), absl::StatusCode::kUnavailable);
  }

  ASSERT_TRUE(database.OpenAndMigrate(nullptr).ok());
  // Ping is now the database's (which may still report a full disk another
  // test in this process met: that note is process-wide).
  EXPECT_EQ(database.Ping().message().find("starting"), absl::string_view::npos);
  {
    SqlDatabase::Lease reader = database.Reader();
    absl::StatusOr<std::unique_ptr<SqlStatement>> count = reader->Prepare("count", "SELECT COUNT(*) FROM things");
    ASSERT_TRUE(count.ok()) << count.status();
    EXPECT_TRUE((*count)->Step().ok());
  }
  absl::StatusOr<SqlDatabase::Lease> writer = database.Writer();
  ASSERT_TRUE(writer.ok()) << writer.status();
  ASSERT_TRUE((*writer)->Exec(database.BeginWriteSql()).ok());
  EXPECT_TRUE((*writer)->Exec("INSERT INTO things (id) VALUES (1)").ok());
  EXPECT_TRUE((*writer)->Exec("COMMIT").ok());
}

TEST(DeferredSqlDatabaseTest, ASqliteFileThatCannotBeOpenedFailsAtOnceRatherThanWaiting) {
  testing::TempDir dir;
  DeferredSqlDatabase database("sqlite://" + dir.path() + "/no/such/dir/deferred.db", kMigrations, nullptr);
  bool waited = false;
  const absl::Status status = database.OpenAndMigrate([&waited] { waited = true; });
  EXPECT_FALSE(status.ok());
  EXPECT_FALSE(waited);
  EXPECT_EQ(database.Ping().code(), absl::StatusCode::kUnavailable);
}

TEST(DeferredSqlDatabaseTest, WaitsForAPostgresThatDoesNotAnswerUntilCancelled) {
  const int port = testing::FreeLoopbackPort();  // nothing listens there
  DeferredSqlDatabase database("postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/gzedu", kMigrations,
                               nullptr);
  std::atomic<bool> waiting{false};
  absl::Status status;
  std::thread opening([&] { status = database.OpenAndMigrate([&waiting] { waiting = true; }); });
  for (int i = 0; i < 200 && !waiting; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(waiting);
  const absl::Status ping = database.Ping();
  EXPECT_EQ(ping.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(ping.message().find("the database to answer"), absl::string_view::npos) << ping;
  database.Cancel();
  opening.join();
  EXPECT_EQ(status.code(), absl::StatusCode::kCancelled) << status;
}

}  // namespace
}  // namespace gzedu
