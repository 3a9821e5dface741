// The school registry's stored documents: what the codec writes reads back
// exactly, is the very text the registry wrote before (with nlohmann::json,
// kept here as the reference, so rows already stored read back alike), and
// text that is not such a document is named as corrupt.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "services/school_registry/storage/json_codec.h"

namespace gzedu::registry {
namespace {

using nlohmann::json;

// The encoding the registry used before this codec, field for field.
std::string ReferenceRecord(const SchoolYearRecord& r) {
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
              {"sections", sections},
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

std::string ReferenceSchool(const School& s) {
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

// Areas as districts report them (two decimals), and doubles that have no
// short decimal form at all.
rc::Gen<double> Area() {
  return rc::gen::oneOf(rc::gen::map(rc::gen::inRange(0, 100000000), [](int cents) { return cents / 100.0; }),
                        rc::gen::map(rc::gen::inRange(1, 1000000), [](int n) { return n / 3.0 + 0.1; }),
                        rc::gen::element(0.1 + 0.2, 1e20, 5e-324, 123456789.125));
}

rc::Gen<SchoolYearRecord> Records() {
  return rc::gen::exec([] {
    SchoolYearRecord r;
    r.school_code = *rc::gen::element<std::string>("4401140001", "4401181234", "2100000099");
    r.school_year = *rc::gen::inRange(2000, 2101);
    const int sections = *rc::gen::inRange(0, 3);
    for (int i = 0; i < sections; ++i) {
      SchoolSection s;
      s.stage = static_cast<Stage>(*rc::gen::inRange(1, 3));
      s.students = *rc::gen::inRange(0, 5000);
      s.classes = *rc::gen::inRange(0, 80);
      s.class_sizes = *rc::gen::container<std::vector<int32_t>>(rc::gen::inRange(0, 70));
      if (*rc::gen::arbitrary<bool>()) {
        s.facilities = SectionFacilities{*Area(), *Area(), *rc::gen::inRange<int64_t>(0, int64_t{1} << 50),
                                         *rc::gen::map(rc::gen::inRange(0, 400), [](int q) { return q / 4.0; })};
      }
      r.sections.push_back(std::move(s));
    }
    r.facilities.teaching_area_m2 = *Area();
    r.facilities.sports_area_m2 = *Area();
    r.facilities.equipment_value_fen = *rc::gen::inRange<int64_t>(0, int64_t{1} << 50);
    r.facilities.multimedia_rooms = *rc::gen::inRange(0, 500);
    r.facilities.music_room_areas_m2 = *rc::gen::container<std::vector<double>>(Area());
    r.facilities.art_room_areas_m2 = *rc::gen::container<std::vector<double>>(Area());
    r.special_education_students = *rc::gen::inRange(0, 3000);
    return r;
  });
}

// Exact both ways: what the codec writes reads back to the same record, so
// do rows written before it, and the reference reads the new text as the
// same document it wrote itself (the texts differ only where a double has
// two shortest-enough spellings, e.g. 0.30000000000000007 for 0.1 + 0.2).
RC_GTEST_PROP(RegistryJsonCodecTest, RecordsReadBackExactlyAndAsTheyWereWrittenBefore, ()) {
  const SchoolYearRecord record = *Records();
  const std::string text = EncodeRecord(record);
  const absl::StatusOr<SchoolYearRecord> read = DecodeRecord(text);
  RC_ASSERT(read.ok());
  RC_ASSERT(read->SameContent(record));
  const std::string before = ReferenceRecord(record);
  const absl::StatusOr<SchoolYearRecord> read_before = DecodeRecord(before);
  RC_ASSERT(read_before.ok());
  RC_ASSERT(read_before->SameContent(record));
  RC_ASSERT(json::parse(text) == json::parse(before));
}

TEST(RegistryJsonCodecTest, SchoolsReadBackExactlyAndAsTheyWereWrittenBefore) {
  School school;
  school.school_code = "4401140001";
  school.name = "广州市\"天河\"区\\第一小学\t(分校)";
  school.district_code = "440106";
  school.school_type = SchoolType::kNineYear;
  school.ownership = Ownership::kPrivate;
  school.locale = Locale::kRural;
  school.boarding = true;
  school.build_year = 1998;
  const std::string text = EncodeSchool(school);
  EXPECT_EQ(text, ReferenceSchool(school));
  const absl::StatusOr<School> read = DecodeSchool(text);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->SameContent(school));
}

TEST(RegistryJsonCodecTest, TextThatIsNotADocumentIsCorruptAndNamed) {
  const SchoolYearRecord good = *DecodeRecord(ReferenceRecord(SchoolYearRecord{}));
  const std::string text = EncodeRecord(good);
  struct Case {
    std::string text;
    std::string named;
  };
  const std::vector<Case> cases = {
      {"", "not JSON"},
      {"{\"school_code\":", "not JSON"},
      {"[]", "\"school_code\" is not inside an object"},
  };
  for (const Case& c : cases) {
    const absl::StatusOr<SchoolYearRecord> read = DecodeRecord(c.text);
    ASSERT_FALSE(read.ok()) << c.text;
    EXPECT_EQ(read.status().code(), absl::StatusCode::kInternal);
    EXPECT_NE(read.status().message().find(c.named), std::string::npos) << read.status();
  }
  json missing = json::parse(text);
  missing.erase("special_education_students");
  json wrong_type = json::parse(text);
  wrong_type["facilities"]["multimedia_rooms"] = 2.5;
  json wrong_element = json::parse(text);
  wrong_element["facilities"]["music_room_areas_m2"] = json::array({96.0, "big"});
  json too_large = json::parse(text);
  too_large["school_year"] = int64_t{1} << 40;
  for (const auto& [document, named] : std::vector<std::pair<json, std::string>>{
           {missing, "\"special_education_students\" is missing"},
           {wrong_type, "\"multimedia_rooms\" is not a whole number"},
           {wrong_element, "\"music_room_areas_m2\" holds something other than numbers"},
           {too_large, "\"school_year\" is not a whole number in range"}}) {
    const absl::StatusOr<SchoolYearRecord> read = DecodeRecord(document.dump());
    ASSERT_FALSE(read.ok()) << document.dump();
    EXPECT_EQ(read.status().code(), absl::StatusCode::kInternal);
    EXPECT_NE(read.status().message().find(named), std::string::npos) << read.status();
  }
}

}  // namespace
}  // namespace gzedu::registry
