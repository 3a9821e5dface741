// `gzedu import` end to end: the real CLI against the real registry binary.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/support/subprocess.h"

namespace gzedu::cli {
namespace {

using gzedu::testing::RunCommand;
using gzedu::testing::Subprocess;
using gzedu::testing::TempDir;

class ImportCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Subprocess>(
        std::vector<std::string>{GZEDU_REGISTRY_BINARY, "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0",
                                 "--database=sqlite://" + dir_.path() + "/registry.db"});
    address_ = gzedu::testing::WordValue(server_->WaitForLine("listening "), "grpc");
    ASSERT_FALSE(address_.empty()) << server_->stderr_text();
  }

  int Gzedu(std::vector<std::string> args, std::string* out, std::string* err) {
    args.insert(args.begin(), GZEDU_CLI_BINARY);
    args.push_back("--registry=" + address_);
    return RunCommand(args, out, err);
  }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_.path() + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  TempDir dir_;
  std::unique_ptr<Subprocess> server_;
  std::string address_;
};

// True when the summary has a row for `code` whose school count is `schools`.
bool HasSummaryRow(const std::string& summary, const std::string& code, int schools) {
  std::istringstream lines(summary);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string first;
    std::string name;
    int count = -1;
    if (words >> first >> name >> count && first == code) return count == schools;
  }
  return false;
}

const std::string kSamples = std::string(GZEDU_SOURCE_DIR) + "/data/sample/";

TEST_F(ImportCliTest, ImportsTheSampleFilesAndIsSafeToRunTwice) {
  std::string out;
  std::string err;
  ASSERT_EQ(Gzedu({"import", "schools", kSamples + "schools.csv"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("24 schools imported: 24 created"), std::string::npos) << out;
  EXPECT_NE(err.find("24/24 schools sent"), std::string::npos) << err;
  ASSERT_EQ(Gzedu({"import", "school-years", kSamples + "school_years.csv"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("24 school-year records imported: 24 created"), std::string::npos) << out;

  ASSERT_EQ(Gzedu({"import", "schools", kSamples + "schools.csv"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("0 created, 0 updated, 24 unchanged"), std::string::npos) << out;

  ASSERT_EQ(Gzedu({"registry", "summary", "--year=2024"}, &out, &err), 0) << err;
  EXPECT_TRUE(HasSummaryRow(out, "440114", 10)) << out;
  EXPECT_TRUE(HasSummaryRow(out, "440100", 24)) << out;
}

TEST_F(ImportCliTest, AFileWithProblemsNamesEachLineAndWritesNothing) {
  const std::string file = Write("bad.csv",
                                 "school_code,name,district_code,school_type,ownership,locale\n"
                                 "2144019999,Good school,440103,primary,public,urban\n"
                                 "21440,Bad code,440199,primary,public,urban\n"
                                 "2144019998,,440103,小学,公办,乡村\n"
                                 "2144019997,x,440103,castle,public,urban\n");
  std::string out;
  std::string err;
  EXPECT_EQ(Gzedu({"import", "schools", file}, &out, &err), 2);
  EXPECT_NE(err.find(file + ":3: school_code: must be the 10-digit"), std::string::npos) << err;
  EXPECT_NE(err.find(file + ":3: district_code: '440199' is not one of"), std::string::npos) << err;
  EXPECT_NE(err.find(file + ":4: name: must have 1 to 100 characters"), std::string::npos) << err;
  EXPECT_NE(err.find(file + ":5: school_type: 'castle' is not a school type"), std::string::npos) << err;
  EXPECT_NE(err.find("4 problem(s); nothing was written"), std::string::npos) << err;

  // Nothing of the good row was written either.
  ASSERT_EQ(Gzedu({"registry", "summary"}, &out, &err), 0);
  EXPECT_TRUE(HasSummaryRow(out, "440100", 0)) << out;
}

TEST_F(ImportCliTest, SchoolYearProblemsNameTheirCsvColumns) {
  std::string out;
  std::string err;
  ASSERT_EQ(Gzedu({"import", "schools", kSamples + "schools.csv", "--quiet"}, &out, &err), 0) << err;
  const std::string file = Write("years.csv",
                                 "school_code,school_year,primary_students,primary_classes,primary_class_sizes,"
                                 "junior_students,teaching_area_m2\n"
                                 "2144010301,2024,100,2,50;49,,-5\n"
                                 "2144010304,2024,100,2,,,\n"
                                 "2144000000,2024,1,,,,\n");
  EXPECT_EQ(Gzedu({"import", "school-years", file}, &out, &err), 2);
  EXPECT_NE(err.find(file + ":2: primary_class_sizes: add up to 99 but students is 100"), std::string::npos) << err;
  EXPECT_NE(err.find(file + ":2: teaching_area_m2: must be >= 0"), std::string::npos) << err;
  EXPECT_NE(err.find(file + ":3: primary_students: this school's type has no primary section"), std::string::npos)
      << err;
  EXPECT_NE(err.find(file + ":4: school_code: school 2144000000 is not registered"), std::string::npos) << err;
}

TEST_F(ImportCliTest, DryRunReportsWhatWouldHappenAndWritesNothing) {
  std::string out;
  std::string err;
  ASSERT_EQ(Gzedu({"import", "schools", kSamples + "schools.csv", "--dry-run"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("dry run, 24 schools valid: would create 24"), std::string::npos) << out;
  ASSERT_EQ(Gzedu({"registry", "summary"}, &out, &err), 0);
  EXPECT_TRUE(HasSummaryRow(out, "440100", 0)) << out;
}

TEST_F(ImportCliTest, UnreachableRegistryIsAClearFailure) {
  std::string out;
  std::string err;
  const int code =
      RunCommand({GZEDU_CLI_BINARY, "import", "schools", kSamples + "schools.csv", "--registry=127.0.0.1:1", "--quiet"},
                 &out, &err);
  EXPECT_EQ(code, 1);
  EXPECT_NE(err.find("the registry at 127.0.0.1:1 failed"), std::string::npos) << err;
}

}  // namespace
}  // namespace gzedu::cli
