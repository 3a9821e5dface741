// `gzedu import` end to end: the real CLI against the real registry binary.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/support/server_process.h"

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

TEST_F(ImportCliTest, EveryProblemOfALargeBadFileIsReportedThoughOneResponseCannotHoldThemAll) {
  std::string text = "school_code,name,district_code,school_type,ownership,locale\n";
  for (int i = 0; i < 400; ++i) text += "21440" + std::to_string(10000 + i) + ",School,440199,primary,public,urban\n";
  const std::string file = Write("many.csv", text);
  std::string out;
  std::string err;
  EXPECT_EQ(Gzedu({"import", "schools", file, "--quiet"}, &out, &err), 2);
  EXPECT_NE(err.find("400 problem(s); nothing was written"), std::string::npos) << err.substr(err.size() - 300);
  // All alike: the first few, then the rest counted down to the last line.
  EXPECT_NE(err.find(file + ":6: district_code: '440199'"), std::string::npos) << err;
  EXPECT_NE(err.find(file + ": … and 395 more rows with the same problem as line 2 (district_code): lines 7 to 401"),
            std::string::npos)
      << err;
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
  // Named as the service's trouble, not blamed on rows.
  EXPECT_NE(err.find("cannot reach the service at 127.0.0.1:1 (UNAVAILABLE"), std::string::npos) << err;
  EXPECT_EQ(err.find("failed on rows"), std::string::npos) << err;
}

}  // namespace
}  // namespace gzedu::cli

namespace gzedu::cli {
namespace {

// `gzedu import teachers` and `gzedu import rotations` against the real
// rotation service.
class ImportRotationCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<gzedu::testing::ServerProcess>(GZEDU_ROTATION_BINARY, dir_.path() + "/rotation.db");
    address_ = server_->grpc_address();
    ASSERT_FALSE(address_.empty());
  }

  int Gzedu(std::vector<std::string> args, std::string* out, std::string* err) {
    args.insert(args.begin(), GZEDU_CLI_BINARY);
    args.push_back("--target=" + address_);
    return gzedu::testing::RunCommand(args, out, err);
  }

  gzedu::testing::TempDir dir_;
  std::unique_ptr<gzedu::testing::ServerProcess> server_;
  std::string address_;
};

TEST_F(ImportRotationCliTest, ImportsTheRosterAndRotationsAndIsSafeToRunTwice) {
  const std::string samples = std::string(GZEDU_SOURCE_DIR) + "/data/sample/";
  std::string out;
  std::string err;
  ASSERT_EQ(Gzedu({"import", "teachers", samples + "teachers.csv"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("60 teachers imported: 60 created"), std::string::npos) << out;
  ASSERT_EQ(Gzedu({"import", "rotations", samples + "rotations.csv"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("8 rotations proposed (6 approved), 0 already there, 0 refused"), std::string::npos) << out;
  // Again: the same request ids, so the service answers from its memory and
  // the tool says nothing new was proposed.
  ASSERT_EQ(Gzedu({"import", "rotations", samples + "rotations.csv"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("0 rotations proposed (0 approved), 8 already there, 0 refused"), std::string::npos) << out;
  ASSERT_EQ(Gzedu({"import", "teachers", samples + "teachers.csv"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("0 created, 0 updated, 60 unchanged"), std::string::npos) << out;
}

TEST_F(ImportRotationCliTest, AResidentIdNamesItsLineAndNothingIsWritten) {
  const std::string file = dir_.path() + "/teachers.csv";
  std::ofstream(file) << "teacher_id,district_code,school_code,stage,full_time,subject,highest_degree,certified,"
                         "at_current_school_since,school_ownership\n"
                         "HD-1,440114,2144011401,primary,yes,语文,本科,yes,2015-09-01,公办\n"
                         "44011419800101123X,440114,2144011401,小学,是,数学,本科,是,2015/09/01,公办\n"
                         "HD-3,440114,2144011401,高中,是,数学,学士,是,2015-09-01,公办\n";
  std::string out;
  std::string err;
  EXPECT_EQ(Gzedu({"import", "teachers", file}, &out, &err), 2);
  EXPECT_NE(err.find(file + ":3: teacher_id: looks like a resident ID number"), std::string::npos) << err;
  EXPECT_NE(err.find(file + ":4: stage: '高中' is not one of"), std::string::npos) << err;
  EXPECT_NE(err.find(file + ":4: highest_degree: '学士' is not one of"), std::string::npos) << err;
  EXPECT_NE(err.find("3 problem(s); nothing was written"), std::string::npos) << err;
}

TEST_F(ImportRotationCliTest, RotationsOfUnknownTeachersAreRefusedRowByRow) {
  const std::string file = dir_.path() + "/rotations.csv";
  std::ofstream(file) << "teacher_id,from_school_code,to_school_code,kind,effective_date,actor\n"
                         "HD-404,2144011401,2144011402,交流,2024-09-02,hr\n";
  std::string out;
  std::string err;
  EXPECT_EQ(Gzedu({"import", "rotations", file}, &out, &err), 2);
  EXPECT_NE(err.find(file + ":2: teacher_id: teacher HD-404 is not on the roster"), std::string::npos) << err;
  EXPECT_NE(out.find("0 rotations proposed (0 approved), 0 already there, 1 refused"), std::string::npos) << out;
}

}  // namespace
}  // namespace gzedu::cli
