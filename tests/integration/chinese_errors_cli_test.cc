// Chinese first, through the real `gzedu` binary against `gzedu serve`: a
// command that fails under --lang zh says everything in Chinese (the call,
// the service's headline, every violation; ids, field paths, codes and units
// aside), and under --lang en exactly what it said before.
#include <gtest/gtest.h>

#include <csignal>

#include "tests/support/chinese_text.h"
#include "tests/support/subprocess.h"

namespace gzedu {
namespace {

using gzedu::testing::EnglishWordsIn;
using gzedu::testing::HasChinese;
using gzedu::testing::RunCommand;
using gzedu::testing::Subprocess;
using gzedu::testing::TempDir;

class ChineseErrorsCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    serve_ = new Subprocess(std::vector<std::string>{GZEDU_CLI_BINARY, "serve", "--listen=127.0.0.1:0",
                                                     "--metrics-listen=127.0.0.1:0", "--data-dir=" + dir_->path()});
    target_ = new std::string(gzedu::testing::WordValue(serve_->WaitForLine("listening "), "grpc"));
  }
  static void TearDownTestSuite() {
    serve_->Stop(SIGTERM);
    delete serve_;
    delete dir_;
    delete target_;
  }
  void SetUp() override { ASSERT_FALSE(target_->empty()); }

  // Runs gzedu with the target; returns its exit status.
  static int Gzedu(std::vector<std::string> args, std::string* out, std::string* err) {
    args.insert(args.begin(), GZEDU_CLI_BINARY);
    args.push_back("--target=" + *target_);
    return RunCommand(args, out, err);
  }

  static TempDir* dir_;
  static Subprocess* serve_;
  static std::string* target_;
};

TempDir* ChineseErrorsCliTest::dir_ = nullptr;
Subprocess* ChineseErrorsCliTest::serve_ = nullptr;
std::string* ChineseErrorsCliTest::target_ = nullptr;

TEST_F(ChineseErrorsCliTest, AFailingCommandSaysEverythingInChineseUnderLangZh) {
  struct Case {
    std::vector<std::string> args;
    int exit_status;
    std::string expected;  // a line the output must hold
    std::set<std::string> ids;
  };
  const std::vector<Case> cases = {
      {{"evaluate", "--district", "999999", "--lang", "zh"},
       2,
       "评估失败：INVALID_ARGUMENT: 评估区的请求有误\n  district_code: 必须是广州市 11 个区的区代码之一（440103 … "
       "440118）\n",
       {}},
      {{"evaluate", "--district", "440114", "--year", "1999", "--lang", "zh"},
       2,
       "  school_year: 必须在 2000 到 2100 之间\n",
       {}},
      {{"report", "--district", "999999", "--format", "text", "--lang", "zh"}, 2, "生成评估报告失败：", {}},
      {{"watch", "--district", "999999", "--lang", "zh"}, 2, "  district_codes[0]: 必须是广州市", {}},
      {{"plan", "--district", "440114", "--year", "1999", "--lang", "zh"}, 2, "  school_year: 必须在", {}},
      {{"ledger", "balance", "nope", "--lang", "zh"}, 2, "nope: NOT_FOUND: 账户 nope 不存在\n", {"nope"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args[0] + " " + c.args[1] + " " + c.args[2]);
    std::string out, err;
    EXPECT_EQ(Gzedu(c.args, &out, &err), c.exit_status) << err;
    const std::string text = out + err;
    EXPECT_NE(text.find(c.expected), std::string::npos) << text;
    EXPECT_TRUE(HasChinese(text)) << text;
    EXPECT_EQ(EnglishWordsIn(text, c.ids), std::vector<std::string>()) << text;
  }
}

TEST_F(ChineseErrorsCliTest, UnderLangEnTheSameFailuresReadAsBefore) {
  std::string out, err;
  EXPECT_EQ(Gzedu({"evaluate", "--district", "999999", "--lang", "en"}, &out, &err), 2);
  EXPECT_EQ(err,
            "EvaluateDistrict failed: INVALID_ARGUMENT: invalid EvaluateDistrict request\n"
            "  district_code: must be one of the 11 Guangzhou district codes (440103 ... 440118)\n");
  EXPECT_EQ(Gzedu({"ledger", "balance", "nope"}, &out, &err), 2);
  EXPECT_EQ(err, "nope: NOT_FOUND: no account nope\n");
  EXPECT_EQ(Gzedu({"report", "--district", "999999", "--format", "text", "--lang", "en"}, &out, &err), 2);
  EXPECT_EQ(err.rfind("RenderEvaluationReport failed: INVALID_ARGUMENT: invalid report request\n", 0), 0u) << err;
}

}  // namespace
}  // namespace gzedu
