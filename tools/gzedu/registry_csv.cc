#include "tools/gzedu/registry_csv.h"

#include "tools/gzedu/csv_columns.h"

#include <cmath>
#include <map>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace gzedu::cli {
namespace {

namespace v1 = registry::v1;

const std::vector<ColumnSpec>& SchoolColumns() {
  static const std::vector<ColumnSpec> kColumns = {
      {"school_code", {"学校标识码", "学校代码"}, true},
      {"name", {"学校名称"}, true},
      {"district_code", {"区县代码", "行政区划代码", "所属区县代码"}, true},
      {"school_type", {"办学类型", "学校类型"}, true},
      {"ownership", {"办学性质", "举办者类型"}, true},
      {"locale", {"城乡分类"}, true},
      {"boarding", {"是否寄宿制学校", "是否寄宿制"}, false},
      {"build_year", {"建校年份"}, false},
  };
  return kColumns;
}

const std::vector<ColumnSpec>& SchoolYearColumns() {
  static const std::vector<ColumnSpec> kColumns = {
      {"school_code", {"学校标识码", "学校代码"}, true},
      {"school_year", {"学年"}, true},
      {"primary_students", {"小学在校生数"}, false},
      {"primary_classes", {"小学班数"}, false},
      {"primary_class_sizes", {"小学各班人数"}, false},
      {"junior_students", {"初中在校生数"}, false},
      {"junior_classes", {"初中班数"}, false},
      {"junior_class_sizes", {"初中各班人数"}, false},
      {"primary_teaching_area_m2", {"小学教学及辅助用房面积"}, false},
      {"primary_sports_area_m2", {"小学体育运动场馆面积"}, false},
      {"primary_equipment_value_yuan", {"小学教学仪器设备值"}, false},
      {"primary_multimedia_rooms", {"小学网络多媒体教室数"}, false},
      {"junior_teaching_area_m2", {"初中教学及辅助用房面积"}, false},
      {"junior_sports_area_m2", {"初中体育运动场馆面积"}, false},
      {"junior_equipment_value_yuan", {"初中教学仪器设备值"}, false},
      {"junior_multimedia_rooms", {"初中网络多媒体教室数"}, false},
      {"teaching_area_m2", {"教学及辅助用房面积"}, false},
      {"sports_area_m2", {"体育运动场馆面积"}, false},
      {"equipment_value_yuan", {"教学仪器设备值"}, false},
      {"multimedia_rooms", {"网络多媒体教室数"}, false},
      {"music_room_areas_m2", {"音乐专用教室面积"}, false},
      {"art_room_areas_m2", {"美术专用教室面积"}, false},
      {"special_education_students", {"特殊教育在校生数"}, false},
  };
  return kColumns;
}

std::optional<v1::SchoolType> ParseSchoolType(const std::string& text) {
  return ParseEnum<v1::SchoolType>(text, "SCHOOL_TYPE_",
                                   {{{"primary", "小学"}, v1::SCHOOL_TYPE_PRIMARY},
                                    {{"junior", "初中", "初级中学"}, v1::SCHOOL_TYPE_JUNIOR},
                                    {{"nine_year", "九年一贯制学校", "九年一贯制"}, v1::SCHOOL_TYPE_NINE_YEAR},
                                    {{"twelve_year", "十二年一贯制学校", "十二年一贯制"}, v1::SCHOOL_TYPE_TWELVE_YEAR},
                                    {{"complete_middle", "完全中学"}, v1::SCHOOL_TYPE_COMPLETE_MIDDLE},
                                    {{"teaching_point", "教学点", "小学教学点"}, v1::SCHOOL_TYPE_TEACHING_POINT},
                                    {{"special_education", "特殊教育学校"}, v1::SCHOOL_TYPE_SPECIAL_EDUCATION}});
}

std::optional<v1::Ownership> ParseOwnership(const std::string& text) {
  return ParseEnum<v1::Ownership>(
      text, "OWNERSHIP_", {{{"public", "公办"}, v1::OWNERSHIP_PUBLIC}, {{"private", "民办"}, v1::OWNERSHIP_PRIVATE}});
}

std::optional<v1::Locale> ParseLocale(const std::string& text) {
  return ParseEnum<v1::Locale>(text, "LOCALE_",
                               {{{"urban", "城区"}, v1::LOCALE_URBAN},
                                {{"town", "镇区"}, v1::LOCALE_TOWN},
                                {{"rural", "乡村"}, v1::LOCALE_RURAL}});
}

}  // namespace

ParsedSchools ParseSchoolsCsv(const CsvTable& table, const std::string& file) {
  ParsedSchools parsed;
  Columns columns(SchoolColumns(), table.header, file, parsed.problems, parsed.warnings);
  parsed.header_ok = parsed.problems.empty();
  parsed.labels = columns.labels();
  if (!parsed.header_ok) return parsed;
  for (const CsvRow& row : table.rows) {
    if (!columns.CheckWidth(row, parsed.problems)) continue;
    RowErrors errors(row.line, parsed.problems);
    v1::School school;
    school.set_school_code(columns.Get(row, "school_code"));
    school.set_name(columns.Get(row, "name"));
    school.set_district_code(columns.Get(row, "district_code"));
    const std::string type = columns.Get(row, "school_type");
    if (auto value = ParseSchoolType(type)) {
      school.set_school_type(*value);
    } else {
      errors.Add("school_type", absl::StrCat("'", type,
                                             "' is not a school type (小学, 初中, 九年一贯制, 十二年一贯制, "
                                             "完全中学, 教学点, 特殊教育学校 or primary, junior, ...)"));
    }
    const std::string ownership = columns.Get(row, "ownership");
    if (auto value = ParseOwnership(ownership)) {
      school.set_ownership(*value);
    } else {
      errors.Add("ownership", absl::StrCat("'", ownership, "' is not 公办/public or 民办/private"));
    }
    const std::string locale = columns.Get(row, "locale");
    if (auto value = ParseLocale(locale)) {
      school.set_locale(*value);
    } else {
      errors.Add("locale", absl::StrCat("'", locale, "' is not 城区/urban, 镇区/town or 乡村/rural"));
    }
    const std::string boarding = columns.Get(row, "boarding");
    if (auto value = ParseBool(boarding)) {
      school.set_boarding(*value);
    } else {
      errors.Add("boarding", absl::StrCat("'", boarding, "' is not 是/否, yes/no, true/false or 1/0"));
    }
    int32_t build_year = 0;
    ParseInt(columns.Get(row, "build_year"), "build_year", 0, &build_year, errors);
    school.set_build_year(build_year);
    parsed.schools.push_back(std::move(school));
    parsed.origins.push_back({row.line, {}});
  }
  return parsed;
}

namespace {

// The optional per-section facility columns (`primary_teaching_area_m2` ...):
// when any is filled, the section carries its own facilities.
void ParseSectionFacilities(const Columns& columns, const CsvRow& row, const std::string& prefix,
                            const std::string& path, RowErrors& errors, v1::SchoolSection* section, RowOrigin& origin) {
  const std::string teaching = columns.Get(row, prefix + "_teaching_area_m2");
  const std::string sports = columns.Get(row, prefix + "_sports_area_m2");
  const std::string equipment = columns.Get(row, prefix + "_equipment_value_yuan");
  const std::string rooms = columns.Get(row, prefix + "_multimedia_rooms");
  if (teaching.empty() && sports.empty() && equipment.empty() && rooms.empty()) return;
  v1::SectionFacilities* facilities = section->mutable_facilities();
  double number = 0;
  if (ParseNumber(teaching, prefix + "_teaching_area_m2", &number, errors)) facilities->set_teaching_area_m2(number);
  if (ParseNumber(sports, prefix + "_sports_area_m2", &number, errors)) facilities->set_sports_area_m2(number);
  if (ParseNumber(rooms, prefix + "_multimedia_rooms", &number, errors)) facilities->set_multimedia_rooms(number);
  int64_t fen = 0;
  if (!equipment.empty() && !ParseYuanToFen(equipment, &fen)) {
    errors.Add(prefix + "_equipment_value_yuan",
               absl::StrCat("'", equipment, "' is not an amount in yuan with at most two decimals"));
  }
  facilities->set_equipment_value_fen(fen);
  for (const char* field : {"teaching_area_m2", "sports_area_m2", "multimedia_rooms"}) {
    origin.field_columns.push_back({absl::StrCat(path, ".facilities.", field), absl::StrCat(prefix, "_", field)});
  }
  origin.field_columns.push_back({path + ".facilities.equipment_value_fen", prefix + "_equipment_value_yuan"});
}

}  // namespace

ParsedSchoolYears ParseSchoolYearsCsv(const CsvTable& table, const std::string& file) {
  ParsedSchoolYears parsed;
  Columns columns(SchoolYearColumns(), table.header, file, parsed.problems, parsed.warnings);
  parsed.header_ok = parsed.problems.empty();
  parsed.labels = columns.labels();
  if (!parsed.header_ok) return parsed;
  for (const CsvRow& row : table.rows) {
    if (!columns.CheckWidth(row, parsed.problems)) continue;
    RowErrors errors(row.line, parsed.problems);
    v1::SchoolYearRecord record;
    RowOrigin origin{row.line, {}};
    record.set_school_code(columns.Get(row, "school_code"));
    int32_t year = 0;
    ParseInt(columns.Get(row, "school_year"), "school_year", 0, &year, errors);
    record.set_school_year(year);

    for (const auto& [prefix, stage] :
         {std::pair<std::string, common::v1::Stage>{"primary", common::v1::STAGE_PRIMARY},
          std::pair<std::string, common::v1::Stage>{"junior", common::v1::STAGE_JUNIOR}}) {
      const std::string students = columns.Get(row, prefix + "_students");
      const std::string classes = columns.Get(row, prefix + "_classes");
      const std::string sizes = columns.Get(row, prefix + "_class_sizes");
      if (students.empty() && classes.empty() && sizes.empty()) continue;
      const std::string path = absl::StrCat("sections[", record.sections_size(), "]");
      v1::SchoolSection* section = record.add_sections();
      section->set_stage(stage);
      int32_t value = 0;
      if (ParseInt(students, prefix + "_students", 0, &value, errors)) section->set_students(value);
      if (ParseInt(classes, prefix + "_classes", 0, &value, errors)) section->set_classes(value);
      for (const std::string& item : SplitList(sizes)) {
        int32_t size = 0;
        if (!absl::SimpleAtoi(item, &size)) {
          errors.Add(prefix + "_class_sizes", absl::StrCat("'", item, "' is not a whole number"));
        }
        section->add_class_sizes(size);
      }
      origin.field_columns.push_back({path + ".students", prefix + "_students"});
      origin.field_columns.push_back({path + ".classes", prefix + "_classes"});
      origin.field_columns.push_back({path + ".class_sizes", prefix + "_class_sizes"});
      origin.field_columns.push_back({path + ".stage", prefix + "_students"});
      ParseSectionFacilities(columns, row, prefix, path, errors, section, origin);
    }

    v1::SchoolFacilities* facilities = record.mutable_facilities();
    double area = 0;
    if (ParseNumber(columns.Get(row, "teaching_area_m2"), "teaching_area_m2", &area, errors)) {
      facilities->set_teaching_area_m2(area);
    }
    if (ParseNumber(columns.Get(row, "sports_area_m2"), "sports_area_m2", &area, errors)) {
      facilities->set_sports_area_m2(area);
    }
    const std::string equipment = columns.Get(row, "equipment_value_yuan");
    int64_t fen = 0;
    if (!equipment.empty() && !ParseYuanToFen(equipment, &fen)) {
      errors.Add("equipment_value_yuan", absl::StrCat("'", equipment,
                                                      "' is not an amount in yuan with at most "
                                                      "two decimals"));
    }
    facilities->set_equipment_value_fen(fen);
    int32_t rooms = 0;
    ParseInt(columns.Get(row, "multimedia_rooms"), "multimedia_rooms", 0, &rooms, errors);
    facilities->set_multimedia_rooms(rooms);
    for (const char* column : {"music_room_areas_m2", "art_room_areas_m2"}) {
      for (const std::string& item : SplitList(columns.Get(row, column))) {
        double room = 0;
        if (!absl::SimpleAtod(item, &room) || !std::isfinite(room)) {
          errors.Add(column, absl::StrCat("'", item, "' is not a number"));
        }
        if (std::string(column) == "music_room_areas_m2") {
          facilities->add_music_room_areas_m2(room);
        } else {
          facilities->add_art_room_areas_m2(room);
        }
      }
    }
    origin.field_columns.push_back({"facilities.equipment_value_fen", "equipment_value_yuan"});
    int32_t special = 0;
    ParseInt(columns.Get(row, "special_education_students"), "special_education_students", 0, &special, errors);
    record.set_special_education_students(special);
    parsed.records.push_back(std::move(record));
    parsed.origins.push_back(std::move(origin));
  }
  return parsed;
}

}  // namespace gzedu::cli
