#include "tools/gzedu/rotation_csv.h"

#include <cstdio>

#include "absl/strings/str_cat.h"

namespace gzedu::cli {
namespace {

namespace v1 = rotation::v1;

const std::vector<ColumnSpec>& TeacherColumns() {
  static const std::vector<ColumnSpec> kColumns = {
      {"teacher_id", {"教师编号"}, true},
      {"district_code", {"区县代码", "行政区划代码"}, true},
      {"school_code", {"学校标识码", "学校代码"}, true},
      {"stage", {"任教学段", "学段"}, true},
      {"full_time", {"是否专任教师"}, true},
      {"subject", {"任教学科"}, true},
      {"highest_degree", {"最高学历"}, true},
      {"backbone_level", {"骨干教师级别"}, false},
      {"certified", {"是否持有教师资格证"}, true},
      {"training_hours_current_cycle", {"本周期培训学时"}, false},
      {"at_current_school_since", {"到校时间", "来校时间"}, true},
      {"rotation_exempt", {"是否免于交流"}, false},
      {"school_ownership", {"办学性质"}, true},
  };
  return kColumns;
}

const std::vector<ColumnSpec>& RotationColumns() {
  static const std::vector<ColumnSpec> kColumns = {
      {"teacher_id", {"教师编号"}, true},
      {"from_school_code", {"原学校标识码"}, true},
      {"to_school_code", {"交流学校标识码"}, true},
      {"kind", {"交流形式"}, true},
      {"effective_date", {"生效日期"}, true},
      {"end_date", {"结束日期"}, false},
      {"state", {"状态"}, false},
      {"actor", {"经办人"}, true},
  };
  return kColumns;
}

// A date cell as YYYY-MM-DD (ParseDate reads the forms spreadsheets
// write); empty stays empty, for the service to say whether it is needed.
std::string DateCell(const std::string& text, const std::string& column, RowErrors& errors) {
  if (text.empty()) return "";
  if (std::optional<std::string> date = ParseDate(text)) return *date;
  // Written as a date but naming no day of the calendar (2015/2/29)?
  int year = 0, month = 0, day = 0;
  char a = 0, b = 0;
  if (std::sscanf(text.c_str(), "%d%c%d%c%d", &year, &a, &month, &b, &day) == 5 && a == b &&
      (a == '-' || a == '/' || a == '.') && month >= 1 && month <= 12 && day >= 1 && day <= 31) {
    errors.Add(column, absl::StrCat("'", text, "' is no day of the calendar (", year, " has no such date)"));
    return "";
  }
  errors.Add(column, absl::StrCat("'", text,
                                  "' is not a date (2015-09-01, 2015/9/1, 2015年9月1日 or an Excel date "
                                  "number)"));
  return "";
}

template <typename Enum>
void SetEnum(const std::string& text, const std::string& column, const std::string& allowed,
             const std::optional<Enum>& value, RowErrors& errors, Enum* out) {
  if (value) {
    *out = *value;
  } else {
    errors.Add(column, absl::StrCat("'", text, "' is not one of ", allowed));
  }
}

}  // namespace

ParsedTeachers ParseTeachersCsv(const CsvTable& table, const std::string& file) {
  ParsedTeachers parsed;
  Columns columns(TeacherColumns(), table.header, file, parsed.problems, parsed.warnings);
  parsed.header_ok = parsed.problems.empty();
  parsed.labels = columns.labels();
  if (!parsed.header_ok) return parsed;
  for (const CsvRow& row : table.rows) {
    if (!columns.CheckWidth(row, parsed.problems)) continue;
    RowErrors errors(row.line, parsed.problems);
    v1::Teacher t;
    t.set_teacher_id(columns.Get(row, "teacher_id"));
    t.set_district_code(columns.Get(row, "district_code"));
    t.set_school_code(columns.Get(row, "school_code"));
    const std::string stage = columns.Get(row, "stage");
    common::v1::Stage stage_value = common::v1::STAGE_UNSPECIFIED;
    SetEnum(stage, "stage", "小学, 初中, primary, junior",
            ParseEnum<common::v1::Stage>(
                stage, "STAGE_",
                {{{"primary", "小学"}, common::v1::STAGE_PRIMARY}, {{"junior", "初中"}, common::v1::STAGE_JUNIOR}}),
            errors, &stage_value);
    t.set_stage(stage_value);
    for (const auto& [column, setter] : std::vector<std::pair<std::string, void (v1::Teacher::*)(bool)>>{
             {"full_time", &v1::Teacher::set_full_time},
             {"certified", &v1::Teacher::set_certified},
             {"rotation_exempt", &v1::Teacher::set_rotation_exempt}}) {
      const std::string text = columns.Get(row, column);
      if (std::optional<bool> value = ParseBool(text)) {
        (t.*setter)(*value);
      } else {
        errors.Add(column, absl::StrCat("'", text, "' is not 是/否, yes/no, true/false or 1/0"));
      }
    }
    // Subjects other than PE, music and fine art all count as "other".
    const std::string subject = columns.Get(row, "subject");
    std::optional<v1::Subject> subject_value =
        ParseEnum<v1::Subject>(subject, "SUBJECT_",
                               {{{"pe", "体育", "体育与健康"}, v1::SUBJECT_PE},
                                {{"music", "音乐"}, v1::SUBJECT_MUSIC},
                                {{"fine_art", "art", "美术"}, v1::SUBJECT_FINE_ART},
                                {{"other", "其他"}, v1::SUBJECT_OTHER}});
    if (!subject_value && !subject.empty()) subject_value = v1::SUBJECT_OTHER;
    v1::Subject subject_out = v1::SUBJECT_UNSPECIFIED;
    SetEnum(subject, "subject", "a subject (体育, 音乐, 美术, or any other)", subject_value, errors, &subject_out);
    t.set_subject(subject_out);
    const std::string degree = columns.Get(row, "highest_degree");
    v1::Degree degree_out = v1::DEGREE_UNSPECIFIED;
    SetEnum(degree, "highest_degree", "中专及以下, 专科, 本科, 硕士, 博士 (or secondary, associate, ...)",
            ParseEnum<v1::Degree>(degree, "DEGREE_",
                                  {{{"secondary", "中专及以下", "中专", "高中", "高中及以下"}, v1::DEGREE_SECONDARY},
                                   {{"associate", "专科", "大专"}, v1::DEGREE_ASSOCIATE},
                                   {{"bachelor", "本科"}, v1::DEGREE_BACHELOR},
                                   {{"master", "硕士", "硕士研究生"}, v1::DEGREE_MASTER},
                                   {{"doctorate", "博士", "博士研究生"}, v1::DEGREE_DOCTORATE}}),
            errors, &degree_out);
    t.set_highest_degree(degree_out);
    const std::string backbone = columns.Get(row, "backbone_level");
    v1::BackboneLevel backbone_out = v1::BACKBONE_LEVEL_UNSPECIFIED;
    SetEnum(backbone, "backbone_level", "无, 校级, 县级 (区级), 市级, 省级, 国家级",
            backbone.empty()
                ? std::optional<v1::BackboneLevel>(v1::BACKBONE_LEVEL_NONE)
                : ParseEnum<v1::BackboneLevel>(backbone, "BACKBONE_LEVEL_",
                                               {{{"none", "无", "否"}, v1::BACKBONE_LEVEL_NONE},
                                                {{"school", "校级"}, v1::BACKBONE_LEVEL_SCHOOL},
                                                {{"county", "district", "县级", "区级"}, v1::BACKBONE_LEVEL_COUNTY},
                                                {{"city", "市级"}, v1::BACKBONE_LEVEL_CITY},
                                                {{"province", "省级"}, v1::BACKBONE_LEVEL_PROVINCE},
                                                {{"national", "国家级"}, v1::BACKBONE_LEVEL_NATIONAL}}),
            errors, &backbone_out);
    t.set_backbone_level(backbone_out);
    int32_t hours = 0;
    if (ParseInt(columns.Get(row, "training_hours_current_cycle"), "training_hours_current_cycle", 0, &hours, errors)) {
      t.set_training_hours_current_cycle(hours);
    }
    t.set_at_current_school_since(
        DateCell(columns.Get(row, "at_current_school_since"), "at_current_school_since", errors));
    const std::string ownership = columns.Get(row, "school_ownership");
    v1::SchoolOwnership ownership_out = v1::SCHOOL_OWNERSHIP_UNSPECIFIED;
    SetEnum(ownership, "school_ownership", "公办/public or 民办/private",
            ParseEnum<v1::SchoolOwnership>(ownership, "SCHOOL_OWNERSHIP_",
                                           {{{"public", "公办"}, v1::SCHOOL_OWNERSHIP_PUBLIC},
                                            {{"private", "民办"}, v1::SCHOOL_OWNERSHIP_PRIVATE}}),
            errors, &ownership_out);
    t.set_school_ownership(ownership_out);
    parsed.teachers.push_back(std::move(t));
    parsed.origins.push_back({row.line, {}});
  }
  return parsed;
}

ParsedRotations ParseRotationsCsv(const CsvTable& table, const std::string& file) {
  ParsedRotations parsed;
  Columns columns(RotationColumns(), table.header, file, parsed.problems, parsed.warnings);
  parsed.header_ok = parsed.problems.empty();
  parsed.labels = columns.labels();
  if (!parsed.header_ok) return parsed;
  for (const CsvRow& row : table.rows) {
    if (!columns.CheckWidth(row, parsed.problems)) continue;
    RowErrors errors(row.line, parsed.problems);
    RotationRow out;
    v1::Rotation& r = out.rotation;
    r.set_teacher_id(columns.Get(row, "teacher_id"));
    r.set_from_school_code(columns.Get(row, "from_school_code"));
    r.set_to_school_code(columns.Get(row, "to_school_code"));
    const std::string kind = columns.Get(row, "kind");
    v1::RotationKind kind_out = v1::ROTATION_KIND_UNSPECIFIED;
    SetEnum(kind, "kind", "交流, 轮岗, 支教, 走教 (or exchange, rotation, support_teaching, itinerant)",
            ParseEnum<v1::RotationKind>(kind, "ROTATION_KIND_",
                                        {{{"exchange", "交流"}, v1::ROTATION_KIND_EXCHANGE},
                                         {{"rotation", "轮岗"}, v1::ROTATION_KIND_ROTATION},
                                         {{"support_teaching", "支教"}, v1::ROTATION_KIND_SUPPORT_TEACHING},
                                         {{"itinerant", "走教"}, v1::ROTATION_KIND_ITINERANT}}),
            errors, &kind_out);
    r.set_kind(kind_out);
    r.set_effective_date(DateCell(columns.Get(row, "effective_date"), "effective_date", errors));
    r.set_end_date(DateCell(columns.Get(row, "end_date"), "end_date", errors));
    const std::string state = columns.Get(row, "state");
    SetEnum(state, "state", "proposed/拟交流 or approved/已批准",
            state.empty() ? std::optional<bool>(false)
                          : ParseEnum<bool>(
                                state, "ROTATION_STATE_",
                                {{{"proposed", "拟交流", "待审批"}, false}, {{"approved", "已批准", "已审批"}, true}}),
            errors, &out.approve);
    out.actor = columns.Get(row, "actor");
    parsed.rows.push_back(std::move(out));
    parsed.origins.push_back({row.line, {}});
  }
  return parsed;
}

}  // namespace gzedu::cli
