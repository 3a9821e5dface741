// SqlArray, the way every batch statement carries a column of many rows, on
// both SQL dialects: whatever text goes in comes back out unchanged.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/storage/sql_database.h"
#include "tests/support/postgres_server.h"
#include "tests/support/subprocess.h"

namespace gzedu {
namespace {

struct SqliteDialect {
  gzedu::testing::TempDir dir;
  std::string Url() { return "sqlite:" + dir.path() + "/array.db"; }
  static constexpr const char* kUnnest = "SELECT value FROM json_each(?) ORDER BY key";
};

struct PostgresDialect {
  std::string Url() { return gzedu::testing::FreshPostgresDatabase(); }
  static constexpr const char* kUnnest =
      "SELECT v FROM UNNEST(CAST(? AS text[])) WITH ORDINALITY AS t (v, n) ORDER BY n";
};

template <typename Dialect>
class SqlArrayContractTest : public ::testing::Test {
 protected:
  Dialect dialect_;
};

using Dialects = ::testing::Types<SqliteDialect, PostgresDialect>;
TYPED_TEST_SUITE(SqlArrayContractTest, Dialects);

TYPED_TEST(SqlArrayContractTest, TextsComeBackExactly) {
  auto database = OpenSqlDatabase(this->dialect_.Url(), nullptr);
  ASSERT_TRUE(database.ok()) << database.status();
  const std::vector<std::string> texts = {
      "",
      "plain",
      "say \"hi\"",
      "back\\slash at the end\\",
      "\\\"",
      R"({"school_code":"4401140001","sizes":[42,43],"name":"广州市第一中学"})",
      "tab\there, newline\nthere, bell\x07",
      "braces {a,b} and commas, , and NULL",
      "NULL",
      "广州 天河区 ，全角，标点",
  };
  SqlArray array((*database)->dialect());
  for (const std::string& text : texts) array.Add(text);
  ASSERT_EQ(array.size(), texts.size());
  absl::StatusOr<SqlDatabase::Lease> reader = (*database)->Writer();
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto statement = (*reader)->Prepare("unnest_texts", TypeParam::kUnnest);
  ASSERT_TRUE(statement.ok()) << statement.status();
  (*statement)->Bind(1, array.Finish());
  std::vector<std::string> read;
  while (true) {
    absl::StatusOr<bool> row = (*statement)->Step();
    ASSERT_TRUE(row.ok()) << row.status();
    if (!*row) break;
    read.push_back((*statement)->ColumnText(0));
  }
  EXPECT_EQ(read, texts);
}

}  // namespace
}  // namespace gzedu
