// `gzedu import` with files as districts have them (issue 16): saved by a
// Chinese Excel in GBK, rows cut short, Excel's dates, one mistake on 50,000
// rows, a terminal, a token for another district, teachers at schools the
// registry does not know. The real CLI against a real `gzedu serve`.
#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "gzedu/rotation/v1/rotation.grpc.pb.h"
#include "tests/support/subprocess.h"

namespace gzedu {
namespace {

using gzedu::testing::RunCommand;
using gzedu::testing::Subprocess;
using gzedu::testing::TempDir;
namespace rv1 = registry::v1;

const std::string kSamples = std::string(GZEDU_SOURCE_DIR) + "/data/sample/";
// The header of a school-years file with the columns these tests fill.
const std::string kSchoolYearsHeader =
    "school_code,school_year,primary_students,primary_classes,primary_class_sizes,junior_students,"
    "junior_classes,junior_class_sizes,teaching_area_m2,sports_area_m2,equipment_value_yuan,multimedia_rooms,"
    "music_room_areas_m2,art_room_areas_m2\n";

const char kTeacherHeader[] =
    "teacher_id,district_code,school_code,stage,full_time,subject,highest_degree,certified,"
    "at_current_school_since,school_ownership\n";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

size_t CountLines(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }

class ImportFilesCliTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }
  void TearDown() override {
    if (serve_) {
      EXPECT_EQ(serve_->Stop(SIGTERM), 0) << serve_->stderr_text();
    }
  }

  void Start(const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {GZEDU_CLI_BINARY, "serve", "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0",
                                     "--data-dir=" + dir_.path()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    serve_ = std::make_unique<Subprocess>(argv);
    target_ = gzedu::testing::WordValue(serve_->WaitForLine("listening "), "grpc");
    ASSERT_FALSE(target_.empty()) << serve_->stderr_text();
  }

  int Gzedu(std::vector<std::string> args, std::string* out, std::string* err) {
    args.insert(args.begin(), GZEDU_CLI_BINARY);
    return RunCommand(args, out, err);
  }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_.path() + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // `utf8_path` converted to `encoding` by the iconv program, as a Chinese
  // Excel saves "CSV (comma delimited)".
  std::string Convert(const std::string& utf8_path, const std::string& name, const std::string& encoding) {
    std::string bytes, err;
    EXPECT_EQ(RunCommand({"iconv", "-f", "UTF-8", "-t", encoding, utf8_path}, &bytes, &err), 0) << err;
    return Write(name, bytes);
  }

  rv1::School GetSchool(const std::string& code) {
    auto stub = rv1::SchoolRegistryService::NewStub(grpc::CreateChannel(target_, grpc::InsecureChannelCredentials()));
    rv1::GetSchoolRequest request;
    request.set_school_code(code);
    rv1::GetSchoolResponse response;
    grpc::ClientContext context;
    const grpc::Status status = stub->GetSchool(&context, request, &response);
    EXPECT_TRUE(status.ok()) << code << ": " << status.error_message();
    return response.school();
  }

  int CountSchoolYearRecords() {
    auto stub = rv1::SchoolRegistryService::NewStub(grpc::CreateChannel(target_, grpc::InsecureChannelCredentials()));
    rv1::ListSchoolYearRecordsRequest request;
    request.set_page_size(1000);
    rv1::ListSchoolYearRecordsResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(stub->ListSchoolYearRecords(&context, request, &response).ok());
    return response.records_size();
  }

  int CountSchools() {
    auto stub = rv1::SchoolRegistryService::NewStub(grpc::CreateChannel(target_, grpc::InsecureChannelCredentials()));
    rv1::ListSchoolsRequest request;
    request.set_page_size(1000);
    rv1::ListSchoolsResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(stub->ListSchools(&context, request, &response).ok());
    return response.schools_size();
  }

  std::vector<rotation::v1::Teacher> Teachers(const std::string& district) {
    auto stub =
        rotation::v1::TeacherRotationService::NewStub(grpc::CreateChannel(target_, grpc::InsecureChannelCredentials()));
    rotation::v1::ListTeachersRequest request;
    request.set_district_code(district);
    request.set_page_size(1000);
    rotation::v1::ListTeachersResponse response;
    grpc::ClientContext context;
    const grpc::Status status = stub->ListTeachers(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.teachers().begin(), response.teachers().end()};
  }

  TempDir dir_;
  std::unique_ptr<Subprocess> serve_;
  std::string target_;
};

// A directory holding none of a bundle's files (a wrong path, say) is
// refused, not "imported" with nothing in it.
TEST(ImportBundleCliTest, ADirectoryWithNoDatasetFileIsRefused) {
  TempDir empty;
  std::string out, err;
  EXPECT_EQ(RunCommand({GZEDU_CLI_BINARY, "import", "bundle", empty.path(), "--target=127.0.0.1:1"}, &out, &err), 2);
  EXPECT_NE(err.find(empty.path() + ": no dataset file here; a bundle holds some of schools.csv"), std::string::npos)
      << err;
}

// A district code that is none of the city's is refused before any call.
TEST(ImportBundleCliTest, ARotationSummaryOfAnUnknownDistrictIsRefused) {
  std::string out, err;
  EXPECT_EQ(
      RunCommand({GZEDU_CLI_BINARY, "rotation", "summary", "--district", "449999", "--target=127.0.0.1:1"}, &out, &err),
      2);
  EXPECT_NE(err.find("--district 449999: not one of Guangzhou's 11 district codes"), std::string::npos) << err;
}

// A file with a header and no rows is said to be empty.
TEST(ImportBundleCliTest, AHeaderWithoutRowsIsSaidToBeEmpty) {
  TempDir dir;
  std::ifstream sample(kSamples + "schools.csv");
  std::string header;
  std::getline(sample, header);
  const std::string file = dir.path() + "/schools.csv";
  std::ofstream(file) << header << "\n";
  std::string out, err;
  EXPECT_EQ(RunCommand({GZEDU_CLI_BINARY, "import", "schools", file, "--dry-run", "--target=127.0.0.1:1"}, &out, &err),
            0);
  EXPECT_NE(err.find("warning: " + file + ": no schools below the header; nothing to import"), std::string::npos)
      << err;
}

TEST_F(ImportFilesCliTest, AGbkFileWithChineseHeadersImportsAsItsUtf8Original) {
  const std::string file = Convert(kSamples + "schools.csv", "schools_gbk.csv", "GBK");
  ASSERT_NE(ReadFile(file), ReadFile(kSamples + "schools.csv")) << "iconv wrote the file unchanged";
  std::string out, err;
  ASSERT_EQ(Gzedu({"import", "schools", file, "--target=" + target_}, &out, &err), 0) << err;
  EXPECT_NE(out.find("24 schools imported: 24 created"), std::string::npos) << out;
  EXPECT_NE(err.find(file + ": read as GB18030 and converted to UTF-8"), std::string::npos) << err;
  EXPECT_EQ(GetSchool("2144010301").name(), "广州市荔湾区芳村小学");

  // The same file in GB18030 (what WPS writes) is the same data: nothing
  // changes.
  const std::string gb18030 = Convert(kSamples + "schools.csv", "schools_gb18030.csv", "GB18030");
  ASSERT_EQ(Gzedu({"import", "schools", gb18030, "--target=" + target_}, &out, &err), 0) << err;
  EXPECT_NE(out.find("0 created, 0 updated, 24 unchanged"), std::string::npos) << out;
}

TEST_F(ImportFilesCliTest, AGbkFileWithEnglishHeadersSendsItsChineseAsUtf8) {
  const std::string utf8 = Write("schools.csv",
                                 "school_code,name,district_code,school_type,ownership,locale\n"
                                 "2144011499,花都区狮岭镇第九小学,440114,小学,公办,乡村\n");
  const std::string file = Convert(utf8, "schools_gbk.csv", "GBK");
  std::string out, err;
  ASSERT_EQ(Gzedu({"import", "schools", file, "--target=" + target_}, &out, &err), 0) << err;
  EXPECT_NE(out.find("1 schools imported: 1 created"), std::string::npos) << out;
  EXPECT_EQ(err.find("INTERNAL"), std::string::npos) << err;
  EXPECT_EQ(GetSchool("2144011499").name(), "花都区狮岭镇第九小学");
}

TEST_F(ImportFilesCliTest, ProblemsOfAGbkFileNameItsColumnsInItsOwnChineseHeaders) {
  const std::string utf8 = Write("schools.csv",
                                 "学校标识码,学校名称,区县代码,办学类型,办学性质,城乡分类\n"
                                 "2144011499,花都区狮岭镇第九小学,440199,小学,公办,乡村\n");
  const std::string file = Convert(utf8, "schools_gbk.csv", "GBK");
  std::string out, err;
  EXPECT_EQ(Gzedu({"import", "schools", file, "--target=" + target_}, &out, &err), 2);
  EXPECT_NE(err.find(file + ":2: 区县代码: '440199' is not one of"), std::string::npos) << err;
  EXPECT_EQ(err.find("district_code"), std::string::npos) << err;
  EXPECT_EQ(err.find("missing"), std::string::npos) << err;
}

TEST_F(ImportFilesCliTest, AFileInNeitherEncodingIsRefusedNamingTheLineAndNothingIsSent) {
  const std::string file = Write("broken.csv",
                                 "school_code,name,district_code,school_type,ownership,locale\n"
                                 "2144011498,Good,440114,primary,public,urban\n"
                                 "2144011499,\xFF\xFF,440114,primary,public,urban\n");
  std::string out, err;
  EXPECT_EQ(Gzedu({"import", "schools", file, "--target=" + target_}, &out, &err), 2);
  EXPECT_NE(err.find(file + ":3: the file is neither UTF-8"), std::string::npos) << err;
  EXPECT_NE(err.find("GB18030"), std::string::npos) << err;
  EXPECT_NE(err.find("nothing was sent"), std::string::npos) << err;
  EXPECT_EQ(CountSchools(), 0);
}

TEST_F(ImportFilesCliTest, ATruncatedRowAndExtraCellsAreRefusedAndNothingIsWritten) {
  std::string out, err;
  ASSERT_EQ(Gzedu({"import", "schools", kSamples + "schools.csv", "--target=" + target_, "--quiet"}, &out, &err), 0)
      << err;
  const std::string file = Write("years.csv", kSchoolYearsHeader +
                                                  "2144010301,2024,80,2,,,,,800,900,100000,2,,\n"
                                                  "2144010302,2024,80,2,\n"
                                                  "2144010304,2024,80,2,,,,,800,900,100000,2,,,42\n"
                                                  ",,,,,,,,,,,,,\n\n");
  for (const bool dry_run : {true, false}) {
    std::vector<std::string> args = {"import", "school-years", file, "--target=" + target_};
    if (dry_run) args.push_back("--dry-run");
    EXPECT_EQ(Gzedu(args, &out, &err), 2) << out;
    EXPECT_NE(err.find(file + ":3: has 5 cells, the header has 14"), std::string::npos) << err;
    EXPECT_NE(err.find(file + ":4: has 15 cells, the header has 14"), std::string::npos) << err;
    EXPECT_EQ(err.find(file + ":5:"), std::string::npos) << "a row of empty cells is a blank line: " << err;
    EXPECT_NE(err.find("2 problem(s); nothing was written"), std::string::npos) << err;
  }
  // Not even the whole row 2 was written.
  EXPECT_EQ(CountSchoolYearRecords(), 0);
}

// The service sees one batch at a time; the file is checked whole, so a row
// that repeats another's key in another batch is refused at its line too
// (not written over the earlier one), and a repeat is named by its line.
TEST_F(ImportFilesCliTest, ARowRepeatingAnotherRowsKeyAnywhereInTheFileIsRefusedByLine) {
  std::string out, err;
  ASSERT_EQ(Gzedu({"import", "schools", kSamples + "schools.csv", "--target=" + target_, "--quiet"}, &out, &err), 0)
      << err;
  const std::string file = Write("repeats.csv", kSchoolYearsHeader +
                                                    "2144010301,2024,80,2,,,,,800,900,100000,2,,\n"
                                                    "2144010302,2024,80,2,,,,,800,900,100000,2,,\n"
                                                    "2144010301,2023,80,2,,,,,800,900,100000,2,,\n"
                                                    "2144010301,2024,80,2,,,,,800,950,100000,2,,\n");
  for (const char* batch_size : {"--batch-size=1", "--batch-size=500"}) {
    EXPECT_EQ(Gzedu({"import", "school-years", file, "--target=" + target_, batch_size, "--quiet"}, &out, &err), 2)
        << batch_size << ": " << out;
    EXPECT_NE(err.find(file + ":5: school_year: repeats line 2 (the same school_code and school_year)"),
              std::string::npos)
        << batch_size << ": " << err;
    EXPECT_EQ(err.find("records["), std::string::npos) << "named by its line, not its index in a batch: " << err;
    EXPECT_NE(err.find("1 problem(s); nothing was written"), std::string::npos) << batch_size << ": " << err;
  }
  EXPECT_EQ(CountSchoolYearRecords(), 0);

  const std::string schools =
      Write("schools-repeat.csv",
            ReadFile(kSamples + "schools.csv") +
                ReadFile(kSamples + "schools.csv").substr(ReadFile(kSamples + "schools.csv").find('\n') + 1));
  EXPECT_EQ(Gzedu({"import", "schools", schools, "--target=" + target_, "--batch-size=1", "--quiet"}, &out, &err), 2);
  EXPECT_NE(err.find("repeats line 2 (the same school_code)"), std::string::npos) << err;
}

TEST_F(ImportFilesCliTest, ExcelDatesAreReadInEveryFormExcelWrites) {
  std::string out, err;
  ASSERT_EQ(Gzedu({"import", "schools", kSamples + "schools.csv", "--target=" + target_, "--quiet"}, &out, &err), 0)
      << err;
  std::string text = kTeacherHeader;
  const std::vector<std::string> dates = {"2015/9/1",     "2015/09/01", "2015-9-1",
                                          "2015年9月1日", "42248",      "2015/9/1 0:00"};
  for (size_t i = 0; i < dates.size(); ++i) {
    text += "HD-" + std::to_string(i) + ",440114,2144011401,小学,是,语文,本科,是," + dates[i] + ",公办\n";
  }
  ASSERT_EQ(Gzedu({"import", "teachers", Write("teachers.csv", text), "--target=" + target_}, &out, &err), 0) << err;
  EXPECT_NE(out.find("6 teachers imported: 6 created"), std::string::npos) << out;
  const std::vector<rotation::v1::Teacher> teachers = Teachers("440114");
  ASSERT_EQ(teachers.size(), dates.size());
  for (const rotation::v1::Teacher& teacher : teachers) {
    EXPECT_EQ(teacher.at_current_school_since(), "2015-09-01") << teacher.teacher_id();
  }

  const std::string bad =
      Write("bad.csv", std::string(kTeacherHeader) + "HD-9,440114,2144011401,小学,是,语文,本科,是,2015/2/29,公办\n");
  EXPECT_EQ(Gzedu({"import", "teachers", bad, "--target=" + target_}, &out, &err), 2);
  EXPECT_NE(err.find(bad + ":2: at_current_school_since: '2015/2/29' is no day of the calendar"), std::string::npos)
      << err;
}

TEST_F(ImportFilesCliTest, FiftyThousandIdenticalProblemsPrintAScreenfulAndWriteNothing) {
  std::string text = "school_code,name,district_code,school_type,ownership,locale\n";
  for (int i = 0; i < 50000; ++i) text += "21" + std::to_string(40000000 + i) + ",School,440199,primary,public,urban\n";
  const std::string file = Write("many.csv", text);
  std::string out, err;
  EXPECT_EQ(Gzedu({"import", "schools", file, "--target=" + target_, "--quiet"}, &out, &err), 2);
  EXPECT_LE(CountLines(err), 10u) << err.substr(0, 2000);
  for (int line = 2; line <= 6; ++line) {
    EXPECT_NE(err.find(file + ":" + std::to_string(line) + ": district_code: '440199'"), std::string::npos) << err;
  }
  EXPECT_EQ(err.find(file + ":7: district_code"), std::string::npos) << err;
  EXPECT_NE(err.find(file + ": … and 49995 more rows with the same problem as line 2 (district_code): lines 7 to "
                            "50001"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find(file + ": 50000 problem(s); nothing was written"), std::string::npos) << err;
  EXPECT_EQ(CountSchools(), 0);
}

// Runs `argv` with its stderr on a new pseudo-terminal, as in a terminal
// window (raw: no translation of '\n'), stdout to /dev/null; returns what
// it wrote to the terminal and sets its exit code.
std::string RunOnTerminal(const std::vector<std::string>& argv, int* exit_code) {
  int master = -1;
  int terminal = -1;
  if (openpty(&master, &terminal, nullptr, nullptr, nullptr) != 0) {
    ADD_FAILURE() << "openpty failed";
    return "";
  }
  termios mode{};
  tcgetattr(terminal, &mode);
  cfmakeraw(&mode);
  tcsetattr(terminal, TCSANOW, &mode);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(terminal, STDERR_FILENO);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    close(master);
    execv(args[0], args.data());
    _exit(127);
  }
  close(terminal);
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(master, buffer, sizeof buffer);
    if (n <= 0) break;  // EIO once the child's side is closed
    text.append(buffer, static_cast<size_t>(n));
  }
  close(master);
  int status = 0;
  waitpid(pid, &status, 0);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return text;
}

TEST_F(ImportFilesCliTest, ProgressIsOneUpdatingLineOnATerminalAndSeparateLinesInALog) {
  const std::string file = kSamples + "schools.csv";
  int code = -1;
  const std::string screen =
      RunOnTerminal({GZEDU_CLI_BINARY, "import", "schools", file, "--target=" + target_, "--batch-size=5"}, &code);
  ASSERT_EQ(code, 0) << screen;
  const size_t first = screen.find("\r" + file + ": checked 5/24 rows");
  const size_t last = screen.find("\r" + file + ": checked 24/24 rows");
  ASSERT_NE(first, std::string::npos) << screen;
  ASSERT_NE(last, std::string::npos) << screen;
  EXPECT_EQ(screen.substr(first, last - first).find('\n'), std::string::npos) << "a new line between updates";
  EXPECT_NE(screen.find("\r" + file + ": 24/24 schools sent (created 24, updated 0, unchanged 0)"), std::string::npos)
      << screen;
  EXPECT_EQ(CountLines(screen), 2u) << screen;  // the checking line and the sending line, each ended once

  // Into a file (a log), each update is a line of its own.
  std::string out, err;
  ASSERT_EQ(Gzedu({"import", "schools", file, "--target=" + target_, "--batch-size=5"}, &out, &err), 0) << err;
  EXPECT_EQ(err.find('\r'), std::string::npos) << err;
  EXPECT_NE(err.find(file + ": checked 5/24 rows\n" + file + ": checked 10/24 rows\n"), std::string::npos) << err;
}

TEST_F(ImportFilesCliTest, TeachersAtSchoolsTheRegistryDoesNotKnowAreRefusedByLine) {
  std::string out, err;
  ASSERT_EQ(Gzedu({"import", "schools", kSamples + "schools.csv", "--target=" + target_, "--quiet"}, &out, &err), 0)
      << err;
  const std::string file = Write("teachers.csv", std::string(kTeacherHeader) +
                                                     "HD-1,440114,2144011401,小学,是,语文,本科,是,2015-09-01,公办\n"
                                                     "HD-2,440114,2144019999,小学,是,语文,本科,是,2015-09-01,公办\n"
                                                     "HD-3,440114,2144010301,小学,是,语文,本科,是,2015-09-01,公办\n");
  EXPECT_EQ(Gzedu({"import", "teachers", file, "--target=" + target_}, &out, &err), 2);
  EXPECT_NE(err.find(file + ":3: school_code: school 2144019999 is not registered in the school registry"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find(file + ":4: school_code: school 2144010301 is in district 440103"), std::string::npos) << err;
  EXPECT_NE(err.find("2 problem(s); nothing was written"), std::string::npos) << err;
  EXPECT_TRUE(Teachers("440114").empty());

  // With no registry to ask, the import says the schools were not checked.
  const std::string nowhere = "127.0.0.1:" + std::to_string(gzedu::testing::FreeLoopbackPort());
  EXPECT_EQ(
      Gzedu({"import", "teachers", file, "--target=" + target_, "--registry=" + nowhere, "--dry-run"}, &out, &err), 0)
      << err;
  EXPECT_NE(err.find("warning: " + file + ": the teachers' schools were NOT checked (the school registry at " +
                     nowhere + ": UNAVAILABLE"),
            std::string::npos)
      << err;
}

TEST_F(ImportFilesCliTest, TheBundleChecksTeachersSchoolsToo) {
  const std::string bundle = dir_.path() + "/bundle";
  std::filesystem::create_directory(bundle);
  std::filesystem::copy_file(kSamples + "schools.csv", bundle + "/schools.csv");
  std::ofstream(bundle + "/teachers.csv")
      << kTeacherHeader << "HD-2,440114,2144019999,小学,是,语文,本科,是,2015-09-01,公办\n";
  std::string out, err;
  EXPECT_EQ(Gzedu({"import", "bundle", bundle, "--target=" + target_, "--quiet"}, &out, &err), 2);
  EXPECT_NE(err.find(bundle + "/teachers.csv:2: school_code: school 2144019999 is not registered"), std::string::npos)
      << err;
}

class ImportFilesAuthCliTest : public ImportFilesCliTest {
 protected:
  void SetUp() override {
    key_file_ = Write("signing.key", "0123456789abcdef0123456789abcdef0123456789abcdef\n");
    Start({"--auth-key-file=" + key_file_});
  }
  void TearDown() override {
    unsetenv("GZEDU_TOKEN");
    ImportFilesCliTest::TearDown();
  }

  std::string Token(const std::string& role, const std::string& districts) {
    std::string token, err;
    EXPECT_EQ(RunCommand({GZEDU_CLI_BINARY, "token", "issue", "--key-file", key_file_, "--role", role, "--districts",
                          districts, "--ttl", "10m"},
                         &token, &err),
              0)
        << err;
    while (!token.empty() && token.back() == '\n') token.pop_back();
    return token;
  }

  std::string key_file_;
};

TEST_F(ImportFilesAuthCliTest, RowsOutsideTheTokensDistrictAreNamedByLineAndNothingIsWritten) {
  // A Huadu writer imports the city's schools: the Liwan rows are refused
  // by the registry (PERMISSION_DENIED) and named by their lines.
  setenv("GZEDU_TOKEN", Token("district-writer", "440114").c_str(), 1);
  const std::string file = kSamples + "schools.csv";
  std::string out, err;
  EXPECT_EQ(Gzedu({"import", "schools", file, "--target=" + target_, "--quiet"}, &out, &err), 2);
  EXPECT_NE(err.find(file + ":2: 区县代码: school 2144010301 is in district 440103, outside the caller's scope"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("problem(s); nothing was written"), std::string::npos) << err;
  EXPECT_EQ(err.find("failed"), std::string::npos) << "the service is not to blame: " << err;

  // Nothing was written, the Huadu rows neither.
  setenv("GZEDU_TOKEN", Token("admin", "*").c_str(), 1);
  ASSERT_EQ(Gzedu({"registry", "summary", "--registry=" + target_}, &out, &err), 0) << err;
  EXPECT_NE(out.find("440100"), std::string::npos) << out;
  std::istringstream lines(out);
  std::string line;
  bool city_row = false;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string code, name;
    int schools = -1;
    if (words >> code >> name >> schools && code == "440100") {
      city_row = true;
      EXPECT_EQ(schools, 0) << out;
    }
  }
  EXPECT_TRUE(city_row) << out;
}

}  // namespace
}  // namespace gzedu
