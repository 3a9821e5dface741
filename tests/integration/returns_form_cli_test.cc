// District returns as the forms a district statistician fills (issue 16):
// `gzedu returns template` and `gzedu import returns FILE.yaml|.csv
// [--dry-run]` through the real binary against `gzedu serve`. A form's
// return is compared with the contract JSON's through the service itself:
// importing a form after the JSON it was written from changes nothing, and
// evaluates the same.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/subprocess.h"

namespace gzedu {
namespace {

using gzedu::testing::RunCommand;
using gzedu::testing::Subprocess;
using gzedu::testing::TempDir;

const std::string kSource = GZEDU_SOURCE_DIR;
const std::string kBundledReturns = kSource + "/data/guangzhou/district_returns.json";

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteText(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// The 1-based line of the first line of `text` containing `needle` (0 when
// none): tests locate problems in the files they write, never by a
// hard-coded number.
int LineOf(const std::string& text, const std::string& needle) {
  const size_t at = text.find(needle);
  if (at == std::string::npos) return 0;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

// Replaces the first line that starts with `prefix` by `line`.
std::string ReplaceLine(const std::string& text, const std::string& prefix, const std::string& line) {
  const size_t newline = text.find('\n' + prefix);
  EXPECT_NE(newline, std::string::npos) << prefix;
  if (newline == std::string::npos) return text;
  const size_t end = text.find('\n', newline + 1);
  return text.substr(0, newline + 1) + line + (end == std::string::npos ? "" : text.substr(end));
}

int Gzedu(std::vector<std::string> args, std::string* out, std::string* err) {
  args.insert(args.begin(), GZEDU_CLI_BINARY);
  return RunCommand(args, out, err);
}

// One `gzedu serve` on a fresh data directory.
class Serve {
 public:
  Serve()
      : process_({GZEDU_CLI_BINARY, "serve", "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0",
                  "--data-dir=" + dir_.path()}) {
    target_ = gzedu::testing::WordValue(process_.WaitForLine("listening "), "grpc");
    EXPECT_FALSE(target_.empty()) << process_.stderr_text();
  }
  ~Serve() { EXPECT_EQ(process_.Stop(SIGTERM), 0) << process_.stderr_text(); }
  std::string TargetFlag() const { return "--target=" + target_; }

  // The district-year's evaluation as JSON.
  nlohmann::json Evaluate(const std::string& district) {
    std::string out, err;
    EXPECT_EQ(Gzedu({"evaluate", TargetFlag(), "--district", district, "--format", "json"}, &out, &err), 0) << err;
    return nlohmann::json::parse(out, nullptr, false);
  }

 private:
  TempDir dir_;
  Subprocess process_;
  std::string target_;
};

// The indicator `id`'s result in an evaluation (null when absent).
nlohmann::json Indicator(const nlohmann::json& evaluation, const std::string& id) {
  if (!evaluation.contains("indicators")) return nullptr;
  for (const nlohmann::json& r : evaluation["indicators"]) {
    if (r.value("indicator_id", "") == id) return r;
  }
  return nullptr;
}

class ReturnsFormCliTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) const { return dir_.path() + "/" + name; }
  TempDir dir_;
};

TEST_F(ReturnsFormCliTest, TheExampleFormsOfHuaduAreTheBundledJsonReturnToTheFen) {
  Serve serve;
  std::string out, err;
  ASSERT_EQ(Gzedu({"import", "returns", kBundledReturns, serve.TargetFlag()}, &out, &err), 0) << err;
  EXPECT_NE(out.find("created 11"), std::string::npos) << out;
  // data/forms write money with thousands separators, ¥ and 元, the rate
  // as 10%, a date as 2024/10/15: the service still finds nothing changed.
  ASSERT_EQ(Gzedu({"import", "returns", kSource + "/data/forms/huadu_2024.yaml", serve.TargetFlag()}, &out, &err), 0)
      << err;
  EXPECT_NE(out.find("新增 0、更新 0、不变 1"), std::string::npos) << out;
  ASSERT_EQ(Gzedu({"import", "returns", kSource + "/data/forms/huadu_2024.csv", serve.TargetFlag()}, &out, &err), 0)
      << err;
  EXPECT_NE(out.find("不变 1"), std::string::npos) << out;
  ASSERT_EQ(Gzedu({"import", "returns", kSource + "/data/forms/liwan_2024_en.yaml", serve.TargetFlag()}, &out, &err), 0)
      << err;
  EXPECT_NE(out.find("created 0, updated 0, unchanged 1"), std::string::npos) << out;
}

TEST_F(ReturnsFormCliTest, ImportingAFormAgainAfterAnotherChangedTheReturnRestoresIt) {
  Serve serve;
  std::string out, err;
  const std::string original = kSource + "/data/forms/huadu_2024.yaml";
  ASSERT_EQ(Gzedu({"import", "returns", original, serve.TargetFlag()}, &out, &err), 0) << err;
  const double g14 = Indicator(serve.Evaluate("440114"), "G14")["value"].get<double>();
  std::string changed = ReadText(original);
  const std::string key = "分配到初中的名额: 2039";
  ASSERT_NE(changed.find(key), std::string::npos);
  changed.replace(changed.find(key), key.size(), "分配到初中的名额: 2200");
  WriteText(Path("changed.yaml"), changed);
  ASSERT_EQ(Gzedu({"import", "returns", Path("changed.yaml"), serve.TargetFlag()}, &out, &err), 0) << err;
  EXPECT_NE(out.find("更新 1"), std::string::npos) << out;
  EXPECT_NEAR(Indicator(serve.Evaluate("440114"), "G14")["value"].get<double>(), 100.0 * 2200 / 4228, 0.01);
  // The original again: a new request, which puts its figures back.
  ASSERT_EQ(Gzedu({"import", "returns", original, serve.TargetFlag()}, &out, &err), 0) << err;
  EXPECT_NE(out.find("更新 1"), std::string::npos) << out;
  EXPECT_EQ(out.find("此前已导入"), std::string::npos) << out;
  EXPECT_NEAR(Indicator(serve.Evaluate("440114"), "G14")["value"].get<double>(), g14, 1e-9);
}

TEST_F(ReturnsFormCliTest, EveryBundledReturnWrittenAsAFormInEitherLanguageChangesNothing) {
  Serve serve;
  std::string out, err;
  ASSERT_EQ(Gzedu({"import", "returns", kBundledReturns, serve.TargetFlag()}, &out, &err), 0) << err;
  const nlohmann::json bundled = nlohmann::json::parse(ReadText(kBundledReturns));
  ASSERT_EQ(bundled["returns"].size(), 11u);
  for (const nlohmann::json& r : bundled["returns"]) {
    const std::string district = r["district_code"];
    for (const auto& [format, language] :
         std::vector<std::pair<std::string, std::string>>{{"yaml", "zh"}, {"csv", "en"}}) {
      SCOPED_TRACE(district + " " + format + " " + language);
      ASSERT_EQ(Gzedu({"returns", "template", "--format", format, "--lang", language, "--district", district, "--from",
                       kBundledReturns},
                      &out, &err),
                0)
          << err;
      const std::string form = Path(district + "." + format);
      WriteText(form, out);
      ASSERT_EQ(Gzedu({"import", "returns", form, serve.TargetFlag()}, &out, &err), 0) << err;
      EXPECT_NE(out.find(language == "zh" ? "新增 0、更新 0、不变 1" : "created 0, updated 0, unchanged 1"),
                std::string::npos)
          << out;
    }
  }
}

TEST_F(ReturnsFormCliTest, TheHuaduFormEvaluatesAsTheHuaduJsonReturn) {
  nlohmann::json huadu_only;
  const nlohmann::json bundled = nlohmann::json::parse(ReadText(kBundledReturns));
  for (const nlohmann::json& r : bundled["returns"]) {
    if (r["district_code"] == "440114") huadu_only["returns"].push_back(r);
  }
  ASSERT_EQ(huadu_only["returns"].size(), 1u);
  WriteText(Path("huadu.json"), huadu_only.dump());

  std::string out, err;
  nlohmann::json from_json, from_yaml;
  {
    Serve serve;
    ASSERT_EQ(Gzedu({"import", "returns", Path("huadu.json"), serve.TargetFlag()}, &out, &err), 0) << err;
    from_json = serve.Evaluate("440114");
  }
  {
    Serve serve;
    ASSERT_EQ(Gzedu({"import", "returns", kSource + "/data/forms/huadu_2024.yaml", serve.TargetFlag()}, &out, &err), 0)
        << err;
    EXPECT_NE(out.find("新增 1"), std::string::npos) << out;
    from_yaml = serve.Evaluate("440114");
  }
  ASSERT_TRUE(from_json.contains("indicators")) << from_json.dump();
  EXPECT_EQ(from_yaml["indicators"], from_json["indicators"]);
  EXPECT_EQ(from_yaml["verdict"], from_json["verdict"]);
  // The returns decide these indicators: they are evaluated, not pending.
  for (const char* id : {"G13", "G14", "G15", "Q1", "Q2", "S1"}) {
    const nlohmann::json r = Indicator(from_yaml, id);
    ASSERT_FALSE(r.is_null()) << id;
    EXPECT_TRUE(r.contains("value")) << r.dump();
    EXPECT_NE(r.value("verdict", ""), "VERDICT_PENDING") << r.dump();
  }
}

TEST_F(ReturnsFormCliTest, MoneyWithMoreThanTwoDecimalsIsRefusedAtItsLineWithEveryOtherProblemAndNothingIsSent) {
  Serve serve;
  std::string out, err;
  ASSERT_EQ(Gzedu({"returns", "template", "--district", "440118", "--year", "2024"}, &out, &err), 0) << err;
  std::string form = out;
  form = ReplaceLine(form, "  小学生均公用经费基准定额（元）:", "  小学生均公用经费基准定额（元）: 1234.567");
  form = ReplaceLine(form, "  初中生均公用经费基准定额（元）:", "  初中生均公用经费基准定额（元）: 1234.560");
  form = ReplaceLine(form, "  其中入学人数:", "  其中入学人数: 六百");
  form = ReplaceLine(form, "  教师培训经费预算（元）:", "  教师培训经费预算（元）: 2000000000000");
  form = ReplaceLine(form, "  初中毕业生数:", "  初中毕业生数: 990");
  form = ReplaceLine(form, "  三年前初一入学人数:", "  三年前初一入学人数: 900");
  for (const char* zero : {"初中转入人数", "初中转出人数", "初中死亡人数"}) {
    form = ReplaceLine(form, std::string("  ") + zero + ":", std::string("  ") + zero + ": 0");
  }
  WriteText(Path("bad.yaml"), form);
  EXPECT_EQ(Gzedu({"import", "returns", Path("bad.yaml"), serve.TargetFlag()}, &out, &err), 2);
  const std::string file = Path("bad.yaml");
  EXPECT_NE(err.find(file + ":" + std::to_string(LineOf(form, "1234.567")) +
                     ": 小学生均公用经费基准定额（元）: “1234.567”超过两位小数"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find(file + ":" + std::to_string(LineOf(form, ": 六百")) + ": 其中入学人数: “六百”不是整数"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find(file + ":" + std::to_string(LineOf(form, "2000000000000")) +
                     ": 教师培训经费预算（元）: “2000000000000”超过上限 1000000000000 元"),
            std::string::npos)
      << err;
  // The service's own rule, run before anything is sent, at the line of
  // the field it concerns, in the form's language.
  EXPECT_NE(err.find(file + ":" + std::to_string(LineOf(form, ": 990")) +
                     ": 初中毕业生数: junior_graduates（990）大于留下的同届学生数"),
            std::string::npos)
      << err;
  // 1234.560 is exactly 1234.56 yuan: no problem of its own.
  EXPECT_EQ(err.find("1234.560"), std::string::npos) << err;
  EXPECT_NE(err.find("4 处问题；未发送任何数据"), std::string::npos) << err;

  // The same in a CSV form with English names.
  ASSERT_EQ(Gzedu({"returns", "template", "--format", "csv", "--lang", "en", "--district", "440118"}, &out, &err), 0);
  std::string csv =
      ReplaceLine(out, "operating_base_per_student_primary_yuan,", "operating_base_per_student_primary_yuan,,1234.567");
  csv = ReplaceLine(csv, "junior_graduates,", "junior_graduates,,1,000");
  WriteText(Path("bad.csv"), csv);
  EXPECT_EQ(Gzedu({"import", "returns", Path("bad.csv"), serve.TargetFlag()}, &out, &err), 2);
  EXPECT_NE(err.find(Path("bad.csv") + ":" + std::to_string(LineOf(csv, ",1234.567")) +
                     ": operating_base_per_student_primary_yuan: '1234.567' has more than two decimals"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find(Path("bad.csv") + ":" + std::to_string(LineOf(csv, ",1,000")) +
                     ": junior_graduates: 4 cells where the header has 3"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("2 problem(s); nothing was sent"), std::string::npos) << err;

  // Nothing reached the service: Zengcheng has no return yet.
  EXPECT_EQ(Indicator(serve.Evaluate("440118"), "Q1").value("verdict", ""), "VERDICT_PENDING");
}

TEST_F(ReturnsFormCliTest, ADryRunChecksWithTheServiceAndWritesNothing) {
  Serve serve;
  std::string out, err;
  const std::string form = kSource + "/data/forms/huadu_2024.yaml";
  for (int run = 0; run < 2; ++run) {
    ASSERT_EQ(Gzedu({"import", "returns", form, "--dry-run", serve.TargetFlag()}, &out, &err), 0) << err;
    EXPECT_NE(out.find("检查通过，1 份区县填报（将新增 1、更新 0、不变 0）；未写入任何数据"), std::string::npos) << out;
  }
  EXPECT_EQ(Indicator(serve.Evaluate("440114"), "G14").value("verdict", ""), "VERDICT_PENDING");
  // A contract JSON file takes --dry-run too.
  ASSERT_EQ(Gzedu({"import", "returns", kBundledReturns, "--dry-run", serve.TargetFlag()}, &out, &err), 0) << err;
  EXPECT_NE(out.find("would create 11"), std::string::npos) << out;
  EXPECT_EQ(Indicator(serve.Evaluate("440114"), "G14").value("verdict", ""), "VERDICT_PENDING");

  ASSERT_EQ(Gzedu({"import", "returns", form, serve.TargetFlag()}, &out, &err), 0) << err;
  EXPECT_NE(out.find("新增 1"), std::string::npos) << out;
  EXPECT_NE(Indicator(serve.Evaluate("440114"), "G14").value("verdict", ""), "VERDICT_PENDING");

  // Without a service a dry run says so, after checking the file.
  EXPECT_EQ(Gzedu({"import", "returns", form, "--dry-run",
                   "--target=127.0.0.1:" + std::to_string(gzedu::testing::FreeLoopbackPort())},
                  &out, &err),
            1);
  EXPECT_NE(err.find("本地检查通过"), std::string::npos) << err;
}

TEST_F(ReturnsFormCliTest, AFilledTemplateImportsAndAnUnfilledOneNamesWhatIsMissing) {
  Serve serve;
  std::string out, err;
  // A template without a district: the district code is what is missing.
  ASSERT_EQ(Gzedu({"returns", "template", "--format", "csv"}, &out, &err), 0) << err;
  const std::string blank = out;
  WriteText(Path("blank.csv"), blank);
  EXPECT_EQ(Gzedu({"import", "returns", Path("blank.csv"), serve.TargetFlag()}, &out, &err), 2);
  EXPECT_NE(err.find(Path("blank.csv") + ":" + std::to_string(LineOf(blank, "区县代码,")) +
                     ": 区县代码: 必须是广州市 11 个区的区代码之一"),
            std::string::npos)
      << err;

  // A blank template of a district would replace its return with nothing:
  // refused, nothing sent.
  ASSERT_EQ(Gzedu({"returns", "template", "--format", "yaml", "--district", "440105"}, &out, &err), 0) << err;
  WriteText(Path("blank.yaml"), out);
  EXPECT_EQ(Gzedu({"import", "returns", Path("blank.yaml"), serve.TargetFlag()}, &out, &err), 2);
  EXPECT_NE(err.find("区县 440105 的填报没有填写任何数据"), std::string::npos) << err;
  EXPECT_NE(err.find("未发送任何数据"), std::string::npos) << err;

  // Filled in by hand, as a statistician would: yuan, percentages, 是/否.
  ASSERT_EQ(Gzedu({"returns", "template", "--lang", "en", "--district", "440115", "--year", "2024"}, &out, &err), 0);
  std::string form = out;
  form = ReplaceLine(form, "  quota_total_places:", "  quota_total_places: 1,466");
  form = ReplaceLine(form, "  quota_allocated_places:", "  quota_allocated_places: 753");
  form = ReplaceLine(form, "  teacher_average_pay_yuan:", "  teacher_average_pay_yuan: 123456.78");
  form = ReplaceLine(form, "  civil_servant_average_pay_yuan:", "  civil_servant_average_pay_yuan: 120000");
  form = ReplaceLine(form, "  performance_pay_fully_approved:", "  performance_pay_fully_approved: yes");
  form = ReplaceLine(form, "  social_recognition_percent:", "  social_recognition_percent: 88.5%");
  const size_t g1 = form.find("\n  G1:\n");
  ASSERT_NE(g1, std::string::npos) << form;
  form.replace(form.find("    affirmed:", g1), std::string("    affirmed:").size(), "    affirmed: 是");
  form.replace(form.find("    document:", g1), std::string("    document:").size(), "    document: 南沙教育局文件");
  form += "  - kind: admission_by_examination\n    evidence: 市督导通报\n";
  WriteText(Path("filled.yaml"), form);
  ASSERT_EQ(Gzedu({"import", "returns", Path("filled.yaml"), serve.TargetFlag()}, &out, &err), 0) << err << form;
  EXPECT_NE(out.find("created 1"), std::string::npos) << out;

  const nlohmann::json evaluation = serve.Evaluate("440115");
  EXPECT_NEAR(Indicator(evaluation, "G14")["value"].get<double>(), 100.0 * 753 / 1466, 0.01) << evaluation.dump();
  EXPECT_EQ(Indicator(evaluation, "G8").value("verdict", ""), "VERDICT_MEETS") << evaluation.dump();
  EXPECT_NEAR(Indicator(evaluation, "S1")["value"].get<double>(), 88.5, 1e-9);
  EXPECT_EQ(Indicator(evaluation, "G1").value("verdict", ""), "VERDICT_MEETS");
  EXPECT_EQ(evaluation.value("verdict", ""), "OVERALL_VERDICT_DOES_NOT_MEET") << "the veto";

  // Imported again, it is the same return: nothing changes.
  ASSERT_EQ(Gzedu({"import", "returns", Path("filled.yaml"), serve.TargetFlag()}, &out, &err), 0) << err;
  EXPECT_NE(out.find("unchanged 1"), std::string::npos) << out;
}

TEST_F(ReturnsFormCliTest, ABundleDirectoryMayHoldItsReturnsAsAForm) {
  Serve serve;
  std::string out, err;
  WriteText(Path("district_returns.csv"), ReadText(kSource + "/data/forms/huadu_2024.csv"));
  ASSERT_EQ(Gzedu({"import", "bundle", dir_.path(), serve.TargetFlag(), "--quiet"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("district_returns.csv：已发送 1 份区县填报（新增 1"), std::string::npos) << out;
  EXPECT_NE(Indicator(serve.Evaluate("440114"), "G14").value("verdict", ""), "VERDICT_PENDING");
}

TEST_F(ReturnsFormCliTest, AFormSavedAsGbkIsReadAndAFileNoEncodingFitsIsRefusedBeforeAnythingIsSent) {
  Serve serve;
  std::string out, err;
  // The Huadu CSV form as a Chinese Excel saves it (GB18030, which GBK is
  // part of), made by the iconv program.
  std::string gb18030;
  ASSERT_EQ(
      RunCommand({"iconv", "-f", "UTF-8", "-t", "GB18030", kSource + "/data/forms/huadu_2024.csv"}, &gb18030, &err), 0)
      << err;
  ASSERT_EQ(gb18030.find("区县代码"), std::string::npos) << "iconv wrote the file unchanged";
  WriteText(Path("gbk.csv"), gb18030);
  ASSERT_EQ(Gzedu({"import", "returns", Path("gbk.csv"), serve.TargetFlag()}, &out, &err), 0) << err;
  EXPECT_NE(err.find(Path("gbk.csv") + ": read as GB18030 and converted to UTF-8"), std::string::npos) << err;
  EXPECT_NE(out.find("新增 1"), std::string::npos) << out;
  // The bundled JSON's Huadu return is the very return the form made: the
  // service finds nothing changed.
  const nlohmann::json bundled = nlohmann::json::parse(ReadText(kBundledReturns));
  nlohmann::json huadu_only;
  for (const nlohmann::json& r : bundled["returns"]) {
    if (r["district_code"] == "440114") huadu_only["returns"].push_back(r);
  }
  WriteText(Path("huadu.json"), huadu_only.dump());
  ASSERT_EQ(Gzedu({"import", "returns", Path("huadu.json"), serve.TargetFlag()}, &out, &err), 0) << err;
  EXPECT_NE(out.find("unchanged 1"), std::string::npos) << out;

  // JSON is UTF-8 or nothing.
  WriteText(Path("gbk.json"),
            "{\"returns\": [{\"district_code\": \"440114\",\n\"school_year\": 2024, "
            "\"vetoes\": [{\"kind\": \"\xC7\xF8\"}]}]}");
  EXPECT_EQ(Gzedu({"import", "returns", Path("gbk.json"), serve.TargetFlag()}, &out, &err), 2);
  EXPECT_NE(err.find(Path("gbk.json") + ":2: the file is not UTF-8"), std::string::npos) << err;
  WriteText(Path("returns.txt"), "district_code: 440114\n");
  EXPECT_EQ(Gzedu({"import", "returns", Path("returns.txt"), serve.TargetFlag()}, &out, &err), 2);
  EXPECT_NE(err.find(".yaml / .yml or .csv"), std::string::npos) << err;
  WriteText(Path("broken.yaml"), "district_code: 440114\nfacts: [unclosed\n");
  EXPECT_EQ(Gzedu({"import", "returns", Path("broken.yaml"), serve.TargetFlag()}, &out, &err), 2);
  EXPECT_NE(err.find(Path("broken.yaml") + ":"), std::string::npos) << err;
  EXPECT_EQ(Indicator(serve.Evaluate("440118"), "G14").value("verdict", ""), "VERDICT_PENDING");
}

}  // namespace
}  // namespace gzedu
