#include "services/school_registry/storage/json_codec.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace gzedu::registry {
namespace {

using nlohmann::json;

template <typename T, typename Fn>
absl::StatusOr<T> Decode(const std::string& text, absl::string_view what, Fn fn) {
  try {
    return fn(json::parse(text));
  } catch (const json::exception& e) {
    return absl::InternalError(absl::StrCat("corrupt stored ", what, ": ", e.what()));
  }
}

}  // namespace

std::string EncodeSchool(const School& s) {
  return json{{"school_code", s.school_code},
              {"name", s.name},
              {"district_code", s.district_code},
              {"school_type", static_cast<int>(s.school_type)},
              {"ownership", static_cast<int>(s.ownership)},
              {"locale", static_cast<int>(s.locale)},
              {"boarding", s.boarding},
              {"build_year", s.build_year}}
      .dump();
}

absl::StatusOr<School> DecodeSchool(const std::string& text) {
  return Decode<School>(text, "school", [](const json& j) {
    School s;
    s.school_code = j.at("school_code").get<std::string>();
    s.name = j.at("name").get<std::string>();
    s.district_code = j.at("district_code").get<std::string>();
    s.school_type = static_cast<SchoolType>(j.at("school_type").get<int>());
    s.ownership = static_cast<Ownership>(j.at("ownership").get<int>());
    s.locale = static_cast<Locale>(j.at("locale").get<int>());
    s.boarding = j.at("boarding").get<bool>();
    s.build_year = j.at("build_year").get<int32_t>();
    return s;
  });
}

std::string EncodeRecord(const SchoolYearRecord& r) {
  json sections = json::array();
  for (const SchoolSection& s : r.sections) {
    json section = {{"stage", static_cast<int>(s.stage)},
                    {"students", s.students},
                    {"classes", s.classes},
                    {"class_sizes", s.class_sizes}};
    if (s.facilities) {
      section["facilities"] = {{"teaching_area_m2", s.facilities->teaching_area_m2},
                               {"sports_area_m2", s.facilities->sports_area_m2},
                               {"equipment_value_fen", s.facilities->equipment_value_fen},
                               {"multimedia_rooms", s.facilities->multimedia_rooms}};
    }
    sections.push_back(std::move(section));
  }
  const SchoolFacilities& f = r.facilities;
  return json{{"school_code", r.school_code},
              {"school_year", r.school_year},
              {"sections", std::move(sections)},
              {"facilities",
               {{"teaching_area_m2", f.teaching_area_m2},
                {"sports_area_m2", f.sports_area_m2},
                {"equipment_value_fen", f.equipment_value_fen},
                {"multimedia_rooms", f.multimedia_rooms},
                {"music_room_areas_m2", f.music_room_areas_m2},
                {"art_room_areas_m2", f.art_room_areas_m2}}},
              {"special_education_students", r.special_education_students}}
      .dump();
}

absl::StatusOr<SchoolYearRecord> DecodeRecord(const std::string& text) {
  return Decode<SchoolYearRecord>(text, "school-year record", [](const json& j) {
    SchoolYearRecord r;
    r.school_code = j.at("school_code").get<std::string>();
    r.school_year = j.at("school_year").get<int32_t>();
    for (const json& s : j.at("sections")) {
      SchoolSection section;
      section.stage = static_cast<Stage>(s.at("stage").get<int>());
      section.students = s.at("students").get<int32_t>();
      section.classes = s.at("classes").get<int32_t>();
      section.class_sizes = s.at("class_sizes").get<std::vector<int32_t>>();
      if (s.contains("facilities")) {
        const json& f = s.at("facilities");
        section.facilities =
            SectionFacilities{f.at("teaching_area_m2").get<double>(), f.at("sports_area_m2").get<double>(),
                              f.at("equipment_value_fen").get<int64_t>(), f.at("multimedia_rooms").get<double>()};
      }
      r.sections.push_back(std::move(section));
    }
    const json& f = j.at("facilities");
    r.facilities.teaching_area_m2 = f.at("teaching_area_m2").get<double>();
    r.facilities.sports_area_m2 = f.at("sports_area_m2").get<double>();
    r.facilities.equipment_value_fen = f.at("equipment_value_fen").get<int64_t>();
    r.facilities.multimedia_rooms = f.at("multimedia_rooms").get<int32_t>();
    r.facilities.music_room_areas_m2 = f.at("music_room_areas_m2").get<std::vector<double>>();
    r.facilities.art_room_areas_m2 = f.at("art_room_areas_m2").get<std::vector<double>>();
    r.special_education_students = j.at("special_education_students").get<int32_t>();
    return r;
  });
}

}  // namespace gzedu::registry
