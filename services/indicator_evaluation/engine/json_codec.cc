#include "services/indicator_evaluation/engine/json_codec.h"

#include <cmath>
#include <functional>
#include <set>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/domain/bound_messages.h"
#include "common/domain/input_bounds.h"
#include "common/status/texts.h"
#include "services/indicator_evaluation/engine/engine.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"

namespace gzedu::engine {
namespace {

using nlohmann::json;

const LocalizedText kTrueOrFalse{"must be true or false", "必须是 true 或 false"};
const LocalizedText kWholeNumber{"must be a whole number", "必须是整数"};
const LocalizedText kStudentsPerSchool{"students per school", "每所学校的在校生数"};

// Reads one JSON object, recording every problem with its path. Each Get
// marks its key as known; Finish() reports the keys nobody asked for.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string path, std::vector<InputProblem>* problems)
      : object_(object), path_(std::move(path)), problems_(problems) {
    if (!object_.is_object()) Problem(path_, {"must be an object", "必须是对象（{...}）"});
  }

  ~ObjectReader() {
    if (!object_.is_object()) return;
    for (auto it = object_.begin(); it != object_.end(); ++it) {
      if (known_.count(it.key()) == 0) Problem(Path(it.key()), {"is not a known field", "不是已知的字段"});
    }
  }

  std::string Path(const std::string& key) const { return path_ + "." + key; }
  void Problem(const std::string& path, const LocalizedText& description) const {
    problems_->emplace_back(path, description);
  }

  // The value at `key`, or nullptr when absent (a problem if `required`).
  const json* Find(const std::string& key, bool required) {
    known_.insert(key);
    if (!object_.is_object()) return nullptr;
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) {
      if (required) Problem(Path(key), texts::IsRequired());
      return nullptr;
    }
    return &*it;
  }

  void String(const std::string& key, std::string* out, bool required = false) {
    const json* value = Find(key, required);
    if (value == nullptr) return;
    if (!value->is_string()) return Problem(Path(key), {"must be a string", "必须是字符串"});
    *out = value->get<std::string>();
  }

  void Bool(const std::string& key, bool* out) {
    const json* value = Find(key, false);
    if (value == nullptr) return;
    if (!value->is_boolean()) return Problem(Path(key), kTrueOrFalse);
    *out = value->get<bool>();
  }

  void Bool(const std::string& key, std::optional<bool>* out) {
    const json* value = Find(key, false);
    if (value == nullptr) return;
    if (!value->is_boolean()) return Problem(Path(key), kTrueOrFalse);
    *out = value->get<bool>();
  }

  void Int(const std::string& key, int32_t* out, int64_t min = 0, int64_t max = INT32_MAX, bool required = false) {
    const json* value = Find(key, required);
    if (value == nullptr) return;
    if (!value->is_number_integer()) return Problem(Path(key), kWholeNumber);
    const int64_t number = value->get<int64_t>();
    if (number < min || number > max) return Problem(Path(key), texts::MustBeBetween(min, max));
    *out = static_cast<int32_t>(number);
  }

  void Int(const std::string& key, std::optional<int32_t>* out, int64_t min = 0, int64_t max = INT32_MAX) {
    if (Find(key, false) == nullptr) return;
    int32_t value = 0;
    const size_t before = problems_->size();
    Int(key, &value, min, max);
    if (problems_->size() == before) *out = value;
  }

  // A count: any whole number the model holds is read (ValidateDistrictInput
  // checks it against `limit`); one beyond int32 is refused here, naming the
  // limit.
  void Count(const std::string& key, int32_t* out, int64_t limit, const LocalizedText& what, bool required = false) {
    const json* value = Find(key, required);
    if (value == nullptr) return;
    if (value->is_number_float()) {
      // A whole number too long for 64 bits arrives as a double.
      const double number = value->get<double>();
      if (std::isfinite(number) && number == std::floor(number) && std::fabs(number) > INT32_MAX) {
        return Problem(
            Path(key),
            number < 0 ? LocalizedText{absl::StrCat(bounds::FormatNumber(number), " must be >= 0"),
                                       absl::StrCat(bounds::FormatNumber(number), " 不能为负数")}
                       : LocalizedText{
                             absl::StrCat(bounds::FormatNumber(number), " is above the limit of ", limit, " ", what.en),
                             absl::StrCat(bounds::FormatNumber(number), " 超过上限 ", limit, "（", what.zh, "）")});
      }
    }
    if (!value->is_number_integer()) return Problem(Path(key), kWholeNumber);
    if (value->is_number_unsigned() && value->get<uint64_t>() > static_cast<uint64_t>(INT32_MAX)) {
      return Problem(Path(key), {absl::StrCat(value->get<uint64_t>(), " is above the limit of ", limit, " ", what.en),
                                 absl::StrCat(value->get<uint64_t>(), " 超过上限 ", limit, "（", what.zh, "）")});
    }
    const int64_t number = value->get<int64_t>();
    if (number < INT32_MIN) {
      return Problem(Path(key), {absl::StrCat(number, " must be >= 0"), absl::StrCat(number, " 不能为负数")});
    }
    if (number > INT32_MAX) return Problem(Path(key), bounds::AboveLimit(number, limit, what));
    *out = static_cast<int32_t>(number);
  }

  void Count(const std::string& key, std::optional<int32_t>* out, int64_t limit, const LocalizedText& what) {
    if (Find(key, false) == nullptr) return;
    int32_t value = 0;
    const size_t before = problems_->size();
    Count(key, &value, limit, what);
    if (problems_->size() == before) *out = value;
  }

  // Any finite number; its range is ValidateDistrictInput's.
  void Number(const std::string& key, double* out) {
    const json* value = Find(key, false);
    if (value == nullptr) return;
    if (!value->is_number()) return Problem(Path(key), {"must be a number", "必须是数值"});
    const double number = value->get<double>();
    if (!std::isfinite(number)) return Problem(Path(key), texts::MustBeFinite());
    *out = number;
  }

  void Number(const std::string& key, std::optional<double>* out) {
    if (Find(key, false) == nullptr) return;
    double value = 0;
    const size_t before = problems_->size();
    Number(key, &value);
    if (problems_->size() == before) *out = value;
  }

  // An amount of yuan, to fen exactly (at most two decimals). The range is
  // ValidateDistrictInput's; an amount too large to hold in fen exactly is
  // refused here with the same limit.
  void Yuan(const std::string& key, std::optional<int64_t>* out) {
    const json* value = Find(key, false);
    if (value == nullptr) return;
    if (!value->is_number()) return Problem(Path(key), {"must be an amount in yuan", "必须是以元为单位的金额"});
    const double yuan = value->get<double>();
    if (!std::isfinite(yuan)) return Problem(Path(key), {"must be a finite amount in yuan", "必须是有限的金额（元）"});
    if (std::fabs(yuan) > static_cast<double>(bounds::kMaxAmountFen) / 100 * 1000) {
      return Problem(Path(key), yuan < 0 ? LocalizedText{absl::StrCat(bounds::FormatNumber(yuan), " yuan must be >= 0"),
                                                         absl::StrCat(bounds::FormatNumber(yuan), " 元不能为负数")}
                                         : bounds::AmountAboveLimit(bounds::FormatNumber(yuan), bounds::kMaxAmountFen));
    }
    if (!bounds::HasAtMostTwoDecimals(yuan)) {
      return Problem(Path(key), bounds::TooManyDecimals(yuan, {"yuan", "金额"}));
    }
    *out = static_cast<int64_t>(std::round(yuan * 100));
  }

  template <typename Enum>
  void Word(const std::string& key, Enum* out, const std::vector<std::pair<const char*, Enum>>& words,
            bool required = false) {
    const json* value = Find(key, required);
    if (value == nullptr) return;
    std::string allowed;
    for (const auto& [word, e] : words) absl::StrAppend(&allowed, allowed.empty() ? "" : ", ", word);
    if (!value->is_string()) return Problem(Path(key), {"must be one of " + allowed, "必须是以下之一：" + allowed});
    for (const auto& [word, e] : words) {
      if (value->get<std::string>() == word) {
        *out = e;
        return;
      }
    }
    Problem(Path(key), {absl::StrCat("'", value->get<std::string>(), "' is not one of ", allowed),
                        absl::StrCat("“", value->get<std::string>(), "”不是以下之一：", allowed)});
  }

  // Calls `read` for each element of the array at `key`.
  void Array(const std::string& key, const std::function<void(const json&, const std::string&)>& read) {
    const json* value = Find(key, false);
    if (value == nullptr) return;
    if (!value->is_array()) return Problem(Path(key), {"must be an array", "必须是数组（[...]）"});
    for (size_t i = 0; i < value->size(); ++i) read((*value)[i], absl::StrCat(Path(key), "[", i, "]"));
  }

  void Numbers(const std::string& key, std::vector<double>* out) {
    Array(key, [&](const json& item, const std::string& path) {
      if (!item.is_number() || !std::isfinite(item.get<double>())) {
        Problem(path, texts::MustBeFinite());
        out->push_back(0);  // keeps the indexes of the entries after it
        return;
      }
      out->push_back(item.get<double>());
    });
  }

 private:
  const json& object_;
  std::string path_;
  std::vector<InputProblem>* problems_;
  std::set<std::string> known_;
};

const std::vector<std::pair<const char*, Stage>> kStages = {{"primary", Stage::kPrimary}, {"junior", Stage::kJunior}};

void ReadFacilities(const json& value, const std::string& path, Facilities* out, std::vector<InputProblem>* problems) {
  ObjectReader r(value, path, problems);
  r.Number("teaching_area_m2", &out->teaching_area_m2);
  r.Number("sports_area_m2", &out->sports_area_m2);
  std::optional<int64_t> equipment;
  r.Yuan("equipment_value_yuan", &equipment);
  out->equipment_value_fen = equipment.value_or(0);
  r.Number("multimedia_rooms", &out->multimedia_rooms);
}

const LocalizedText kTeachers{"teachers per section", "每个学段单元的教师数"};

void ReadSection(const json& value, const std::string& path, SectionInput* out, std::vector<InputProblem>* problems) {
  ObjectReader r(value, path, problems);
  r.Word("stage", &out->stage, kStages, /*required=*/true);
  r.Count("students", &out->students, bounds::kMaxStudents, {"students per section", "每个学段单元的在校生数"},
          /*required=*/true);
  r.Count("classes", &out->classes, bounds::kMaxClasses, {"classes per section", "每个学段单元的班级数"});
  r.Array("class_sizes", [&](const json& item, const std::string& item_path) {
    if (!item.is_number_integer()) {
      r.Problem(item_path, kWholeNumber);
      return;
    }
    const int64_t size = item.is_number_unsigned() && item.get<uint64_t>() > static_cast<uint64_t>(INT32_MAX)
                             ? int64_t{INT32_MAX} + 1
                             : item.get<int64_t>();
    if (size < INT32_MIN || size > INT32_MAX) {
      r.Problem(item_path, size < 0
                               ? LocalizedText{absl::StrCat(size, " must be at least 1 (a class has students)"),
                                               absl::StrCat(size, " 不能小于 1（每个班都有学生）")}
                               : bounds::AboveLimit(size, bounds::kMaxClassSize, {"students per class", "每班人数"}));
      return;
    }
    out->class_sizes.push_back(static_cast<int32_t>(size));
  });
  out->teachers.reset();
  if (const json* teachers = r.Find("teachers", false)) {
    ObjectReader t(*teachers, r.Path("teachers"), problems);
    TeacherCounts& c = out->teachers.emplace();
    t.Count("full_time", &c.full_time, bounds::kMaxTeachers, kTeachers);
    t.Count("above_required_qualification", &c.above_required_qualification, bounds::kMaxTeachers, kTeachers);
    t.Count("backbone_county_or_above", &c.backbone_county_or_above, bounds::kMaxTeachers, kTeachers);
    t.Count("pe_music_art", &c.pe_music_art, bounds::kMaxTeachers, kTeachers);
    t.Count("certified", &c.certified, bounds::kMaxTeachers, kTeachers);
    t.Count("training_complete", &c.training_complete, bounds::kMaxTeachers, kTeachers);
  }
  if (const json* facilities = r.Find("facilities", false)) {
    out->facilities.emplace();
    ReadFacilities(*facilities, r.Path("facilities"), &*out->facilities, problems);
  }
}

void ReadSchool(const json& value, const std::string& path, SchoolInput* out, std::vector<InputProblem>* problems) {
  ObjectReader r(value, path, problems);
  r.String("school_code", &out->school_code, /*required=*/true);
  r.String("name", &out->name);
  r.Word("type", &out->type,
         {{"primary", SchoolType::kPrimary},
          {"junior", SchoolType::kJunior},
          {"nine_year", SchoolType::kNineYear},
          {"twelve_year", SchoolType::kTwelveYear},
          {"complete_middle", SchoolType::kCompleteMiddle},
          {"teaching_point", SchoolType::kTeachingPoint},
          {"special_education", SchoolType::kSpecialEducation}},
         /*required=*/true);
  r.Word("ownership", &out->ownership, {{"public", Ownership::kPublic}, {"private", Ownership::kPrivate}});
  r.Word("locale", &out->locale, {{"urban", Locale::kUrban}, {"town", Locale::kTown}, {"rural", Locale::kRural}});
  r.Bool("boarding", &out->boarding);
  r.Int("build_year", &out->build_year, 0, 2100);
  r.Array("sections", [&](const json& item, const std::string& item_path) {
    out->sections.emplace_back();
    ReadSection(item, item_path, &out->sections.back(), problems);
  });
  out->shared_facilities.reset();
  if (const json* facilities = r.Find("shared_facilities", false)) {
    ReadFacilities(*facilities, r.Path("shared_facilities"), &out->shared_facilities.emplace(), problems);
  }
  r.Count("senior_students", &out->senior_students, bounds::kMaxStudents, kStudentsPerSchool);
  r.Numbers("music_room_areas_m2", &out->music_room_areas_m2);
  r.Numbers("art_room_areas_m2", &out->art_room_areas_m2);
  r.Count("special_education_students", &out->special_education_students, bounds::kMaxStudents, kStudentsPerSchool);
  if (const json* funding = r.Find("funding", false)) {
    ObjectReader f(*funding, r.Path("funding"), problems);
    f.Yuan("operating_budget_yuan", &out->funding.operating_budget_fen);
    f.Yuan("training_budget_yuan", &out->funding.training_budget_fen);
    f.Yuan("operating_funds_yuan", &out->funding.operating_funds_fen);
  }
}

const LocalizedText kPeople{"people (a district's whole population)", "人（全区人口）"};

void ReadFacts(const json& value, const std::string& path, DistrictFacts* f, std::vector<InputProblem>* problems) {
  ObjectReader r(value, path, problems);
  r.Yuan("operating_base_per_student_primary_yuan", &f->operating_base_per_student_primary_fen);
  r.Yuan("operating_base_per_student_junior_yuan", &f->operating_base_per_student_junior_fen);
  r.Number("teacher_average_pay_yuan", &f->teacher_average_pay_yuan);
  r.Number("civil_servant_average_pay_yuan", &f->civil_servant_average_pay_yuan);
  r.Bool("performance_pay_fully_approved", &f->performance_pay_fully_approved);
  r.Count("rotation_eligible_teachers", &f->rotation_eligible_teachers, bounds::kMaxDistrictCount, kPeople);
  r.Count("rotated_teachers", &f->rotated_teachers, bounds::kMaxDistrictCount, kPeople);
  r.Count("rotated_backbone_teachers", &f->rotated_backbone_teachers, bounds::kMaxDistrictCount, kPeople);
  r.Count("zoned_admission_primary", &f->zoned_admission_primary, bounds::kMaxDistrictCount, kPeople);
  r.Count("admission_primary_total", &f->admission_primary_total, bounds::kMaxDistrictCount, kPeople);
  r.Count("zoned_admission_junior", &f->zoned_admission_junior, bounds::kMaxDistrictCount, kPeople);
  r.Count("admission_junior_total", &f->admission_junior_total, bounds::kMaxDistrictCount, kPeople);
  r.Count("quota_total_places", &f->quota_total_places, bounds::kMaxDistrictCount, kPeople);
  r.Count("quota_hk_macao_class_places", &f->quota_hk_macao_class_places, bounds::kMaxDistrictCount, kPeople);
  r.Count("quota_allocated_places", &f->quota_allocated_places, bounds::kMaxDistrictCount, kPeople);
  r.Bool("left_behind_care_system", &f->left_behind_care_system);
  r.Count("migrant_children_eligible", &f->migrant_children_eligible, bounds::kMaxDistrictCount, kPeople);
  r.Count("migrant_children_in_public_schools", &f->migrant_children_in_public_schools, bounds::kMaxDistrictCount,
          kPeople);
  r.Count("migrant_children_in_purchased_places", &f->migrant_children_in_purchased_places, bounds::kMaxDistrictCount,
          kPeople);
  r.Count("junior_graduates", &f->junior_graduates, bounds::kMaxDistrictCount, kPeople);
  r.Count("junior_cohort_enrolled", &f->junior_cohort_enrolled, bounds::kMaxDistrictCount, kPeople);
  r.Count("junior_transferred_in", &f->junior_transferred_in, bounds::kMaxDistrictCount, kPeople);
  r.Count("junior_transferred_out", &f->junior_transferred_out, bounds::kMaxDistrictCount, kPeople);
  r.Count("junior_deaths", &f->junior_deaths, bounds::kMaxDistrictCount, kPeople);
  r.Count("junior_dropouts", &f->junior_dropouts, bounds::kMaxDistrictCount, kPeople);
  r.Count("disabled_school_age_children", &f->disabled_school_age_children, bounds::kMaxDistrictCount, kPeople);
  r.Count("disabled_deferred", &f->disabled_deferred, bounds::kMaxDistrictCount, kPeople);
  r.Count("disabled_enrolled", &f->disabled_enrolled, bounds::kMaxDistrictCount, kPeople);
  r.Yuan("operating_budget_yuan", &f->operating_budget_fen);
  r.Yuan("training_budget_yuan", &f->training_budget_fen);
  r.Bool("monitoring_level_iii_or_above", &f->monitoring_level_iii_or_above);
  r.Number("monitoring_difference_rate", &f->monitoring_difference_rate);
  r.Number("social_recognition_percent", &f->social_recognition_percent);
  r.Int("basic_balanced_recognised_year", &f->basic_balanced_recognised_year, 1990, 2100);
  r.Bool("monitoring_kept_high", &f->monitoring_kept_high);
}

void ReadConventions(const json& value, const std::string& path, Conventions* c, std::vector<InputProblem>* problems) {
  ObjectReader r(value, path, problems);
  r.Bool("quota_excludes_hk_macao_classes", &c->quota_excludes_hk_macao_classes);
  r.Bool("disabled_enrolment_excludes_deferred", &c->disabled_enrolment_excludes_deferred);
  r.Word("retention_formula", &c->retention_formula,
         {{"cohort", RetentionFormula::kCohort}, {"annual_loss", RetentionFormula::kAnnualLoss}});
  r.Int("room_size_rule_applies_from_build_year", &c->room_size_rule_applies_from_build_year, 0, 2100);
  r.Count("teaching_point_min_students", &c->teaching_point_min_students, bounds::kMaxStudents,
          {"students per section", "每个学段单元的在校生数"});
  r.Word("shared_resource_apportionment", &c->shared_resource_apportionment,
         {{"enrolment_share", Apportionment::kEnrolmentShare}, {"legacy_weights", Apportionment::kLegacyWeights}});
  r.Int("rotation_min_years_at_school", &c->rotation_min_years_at_school, 0, 60);
}

json Optional(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

}  // namespace

std::string VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kMeets:
      return "VERDICT_MEETS";
    case Verdict::kDoesNotMeet:
      return "VERDICT_DOES_NOT_MEET";
    case Verdict::kPending:
      return "VERDICT_PENDING";
    case Verdict::kNotApplicable:
      return "VERDICT_NOT_APPLICABLE";
  }
  return "VERDICT_UNSPECIFIED";
}

std::string OverallVerdictName(OverallVerdict verdict) {
  switch (verdict) {
    case OverallVerdict::kMeets:
      return "VERDICT_MEETS";
    case OverallVerdict::kDoesNotMeet:
      return "VERDICT_DOES_NOT_MEET";
    case OverallVerdict::kIncomplete:
      return "VERDICT_INCOMPLETE";
  }
  return "VERDICT_UNSPECIFIED";
}

std::string StageEnumName(Stage stage) { return stage == Stage::kPrimary ? "STAGE_PRIMARY" : "STAGE_JUNIOR"; }

namespace {

// Reads the document into `input`, recording the problems of reading.
void ReadDocument(const json& document, DistrictInput* input, std::vector<InputProblem>* problems) {
  ObjectReader r(document, "$", problems);
  r.String("district_code", &input->district_code, /*required=*/true);
  r.Int("school_year", &input->school_year, 2000, 2100, /*required=*/true);
  if (const json* conventions = r.Find("conventions", false)) {
    ReadConventions(*conventions, "$.conventions", &input->conventions, problems);
  }
  r.Array("schools", [&](const json& item, const std::string& path) {
    input->schools.emplace_back();
    ReadSchool(item, path, &input->schools.back(), problems);
  });
  if (r.Find("schools", true) == nullptr) return;
  if (const json* facts = r.Find("facts", false)) ReadFacts(*facts, "$.facts", &input->facts, problems);
  if (const json* attestations = r.Find("attestations", false)) {
    if (!attestations->is_object()) {
      r.Problem("$.attestations", {"must be an object keyed by indicator id", "必须是以指标编号为键的对象"});
    } else {
      for (auto it = attestations->begin(); it != attestations->end(); ++it) {
        const std::string path = "$.attestations." + it.key();
        static const std::set<std::string> kAttested = {"G1", "G2", "G10", "Q3", "Q5", "Q6", "Q7", "Q8"};
        if (kAttested.count(it.key()) == 0) {
          r.Problem(path, {"is not an attested indicator (G1, G2, G10, Q3, Q5, Q6, Q7, Q8)",
                           "不是以佐证材料认定的指标（G1、G2、G10、Q3、Q5、Q6、Q7、Q8）"});
          continue;
        }
        Attestation attestation;
        ObjectReader a(it.value(), path, problems);
        if (a.Find("affirmed", true) != nullptr) a.Bool("affirmed", &attestation.affirmed);
        a.String("document", &attestation.document);
        a.String("url", &attestation.url);
        a.String("date", &attestation.date);
        a.String("attested_by", &attestation.attested_by);
        input->attestations[it.key()] = attestation;
      }
    }
  }
  r.Array("vetoes", [&](const json& item, const std::string& path) {
    Veto veto;
    ObjectReader v(item, path, problems);
    v.String("kind", &veto.kind, /*required=*/true);
    v.String("evidence", &veto.evidence);
    input->vetoes.push_back(veto);
  });
}

// How ValidateDistrictInput words a repeated stage (which needs no type).
constexpr const char* kOneSectionPerStage = "at most one section per stage";

// Whether `path` is `prefix` or below it.
bool Within(const std::string& path, const std::string& prefix) {
  return path.compare(0, prefix.size(), prefix) == 0 &&
         (path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[');
}

// The consistency problems that would only follow from a value that could
// not be read (and so is missing from the input): the same field's; a
// section's class sizes and class counts when its students or classes are
// unread, its teacher counts when its full-time teachers are; the stage
// checks of a school when a stage or its type is unread (and its senior and
// special-education checks when its type is); everything of a school or
// section that is not an object; the funding's or the facts' relations when
// one of their values is unread.
class Unread {
 public:
  void Add(const InputProblem& reading) {
    const std::string& path = reading.path;
    if (reading.description == "is not a known field") return;
    exact_.insert(path);
    static const std::string kSchools = "$.schools[";
    if (path.compare(0, kSchools.size(), kSchools) != 0) {
      if (Within(path, "$.facts")) prefixes_.push_back("$.facts");
      if (Within(path, "$.schools")) prefixes_.push_back("$.schools");
      return;
    }
    const size_t close = path.find(']', kSchools.size());
    if (close == std::string::npos) return;
    const std::string school = path.substr(0, close + 1);
    const std::string rest = path.substr(close + 1);
    if (rest.empty() || rest == ".sections") {
      prefixes_.push_back(school);
    } else if (rest == ".type") {
      typeless_.insert(school);
    } else if (rest.compare(0, 10, ".sections[") == 0) {
      const size_t section_close = path.find(']', close + 10);
      const std::string section = path.substr(0, section_close + 1);
      const std::string field = path.substr(section_close + 1);
      if (field.empty()) {
        prefixes_.push_back(section);
        stageless_.insert(school);
        exact_.insert(school + ".sections");
      } else if (field == ".stage") {
        stageless_.insert(school);
      } else if (field == ".students" || field == ".classes") {
        // The class sizes, the classes and students compared, the school's
        // total.
        for (const char* related : {".class_sizes", ".classes", ".students"}) exact_.insert(section + related);
        exact_.insert(school + ".sections");
      } else if (field.compare(0, 12, ".class_sizes") == 0) {
        exact_.insert(section + ".class_sizes");
      } else if (field == ".teachers" || field == ".teachers.full_time") {
        prefixes_.push_back(section + ".teachers");
      }
    } else if (rest.compare(0, 8, ".funding") == 0) {
      prefixes_.push_back(school + ".funding");
    }
  }

  bool Covers(const InputProblem& problem) const {
    const std::string& path = problem.path;
    if (exact_.count(path) != 0) return true;
    for (const std::string& prefix : prefixes_) {
      if (Within(path, prefix)) return true;
    }
    const auto is_stage = [](const std::string& rest) {
      return rest.compare(0, 10, ".sections[") == 0 && rest.size() > 6 && rest.substr(rest.size() - 6) == ".stage";
    };
    for (const std::string& school : typeless_) {
      if (!Within(path, school)) continue;
      const std::string rest = path.substr(school.size());
      if (rest == ".senior_students" || rest == ".special_education_students" ||
          (is_stage(rest) && problem.description.find(kOneSectionPerStage) == std::string::npos)) {
        return true;
      }
    }
    for (const std::string& school : stageless_) {
      if (Within(path, school) && is_stage(path.substr(school.size()))) return true;
    }
    return false;
  }

 private:
  std::set<std::string> exact_;
  std::vector<std::string> prefixes_;
  std::set<std::string> typeless_;   // schools whose type is unread
  std::set<std::string> stageless_;  // schools with a section whose stage is unread
};

}  // namespace

void ParseDistrictInput(const std::string& text, DistrictInput* input, std::vector<InputProblem>* problems) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::exception& e) {
    // A syntax error, or a number beyond what a double holds (1e400).
    problems->emplace_back(
        "$", LocalizedText{absl::StrCat("is not valid JSON: ", e.what()), absl::StrCat("不是有效的 JSON：", e.what())});
    return;
  }
  const size_t first = problems->size();
  ReadDocument(document, input, problems);
  if (!document.is_object()) return;
  // A value that could not be read is missing from `input`: the checks that
  // compare it with others would only report its absence.
  Unread unread;
  for (size_t i = first; i < problems->size(); ++i) unread.Add((*problems)[i]);
  std::vector<InputProblem> found;
  ValidateDistrictInput(*input, "$", &found);
  for (InputProblem& problem : found) {
    // The model holds money in fen; the document names it in yuan.
    problem.path = absl::StrReplaceAll(problem.path, {{"_fen", "_yuan"}});
    if (unread.Covers(problem)) continue;
    problem.description = absl::StrReplaceAll(problem.description, {{"_fen", "_yuan"}});
    problem.description_zh = absl::StrReplaceAll(problem.description_zh, {{"_fen", "_yuan"}});
    problems->push_back(std::move(problem));
  }
}

std::string EvaluationToJson(const DistrictEvaluation& e, int indent) {
  json indicators = json::array();
  for (const IndicatorResult& r : e.indicators) {
    json alternatives = json::array();
    for (const AlternativeResult& a : r.alternatives) {
      alternatives.push_back({{"convention", a.convention},
                              {"setting", a.setting},
                              {"value", Optional(a.value)},
                              {"verdict", VerdictName(a.verdict)}});
    }
    json item = {{"indicator_id", r.indicator_id},
                 {"stage", r.stage ? json(StageEnumName(*r.stage)) : json(nullptr)},
                 {"value", Optional(r.value)},
                 {"threshold", Optional(r.threshold)},
                 {"unit", r.unit},
                 {"verdict", VerdictName(r.verdict)},
                 {"cv_actual", Optional(r.cv_actual)},
                 {"cv_max", Optional(r.cv_max)},
                 {"numerator", Optional(r.numerator)},
                 {"denominator", Optional(r.denominator)},
                 {"failing", r.failing},
                 {"notes", r.notes},
                 {"notes_zh", r.notes_zh},
                 {"alternatives", alternatives}};
    indicators.push_back(std::move(item));
  }
  json stages = json::array();
  for (const StageResult& s : e.stages) {
    json per_indicator = json::array();
    for (int k = 0; k < kResourceIndicatorCount; ++k) {
      // Undecided (no students, or a section's input absent): null.
      const bool decided = ResourceIndicatorDecided(s, k);
      per_indicator.push_back({{"indicator_id", std::string(IndicatorDefinitions()[k].id)},
                               {"district_value", decided ? json(s.district_values[k]) : json(nullptr)},
                               {"cv", decided && s.cv_defined[k] ? json(s.cv[k]) : json(nullptr)},
                               {"sections_meeting", s.sections_meeting[k]},
                               {"sections_missing_input", s.sections_missing_input[k]}});
    }
    json sections = json::array();
    for (const SectionResult& section : s.section_results) {
      sections.push_back({{"school_code", section.school_code},
                          {"students", section.students},
                          {"values", section.values},
                          {"variance_contributions", section.variance_contributions},
                          {"outcome", section.outcome == SectionOutcome::kMeetsAll         ? "meets_all"
                                      : section.outcome == SectionOutcome::kMeetsWithOne85 ? "meets_with_one_at_85"
                                      : section.outcome == SectionOutcome::kIncomplete     ? "incomplete"
                                                                                           : "fails"}});
    }
    stages.push_back({{"stage", StageEnumName(s.stage)},
                      {"sections", s.sections},
                      {"students", s.students},
                      {"cv_max", s.cv_max},
                      {"composite_cv", s.composite_cv},
                      {"sections_meeting_all", s.sections_meeting_all},
                      {"sections_with_one_at_85", s.sections_with_one_at_85},
                      {"sections_failing", s.sections_failing},
                      {"sections_incomplete", s.sections_incomplete},
                      {"indicators", per_indicator},
                      {"section_results", sections},
                      {"invalid_sections", s.invalid_sections},
                      {"excluded_sections", s.excluded_sections}});
  }
  json plans = json::array();
  for (const RemediationPlan& p : e.plans) {
    json steps = json::array();
    for (const RemediationStep& step : p.steps) {
      steps.push_back({{"indicator_id", step.indicator_id},
                       {"current_value", step.current_value},
                       {"target_value", step.target_value},
                       {"addition", step.addition},
                       {"unit", step.unit}});
    }
    plans.push_back({{"school_code", p.school_code},
                     {"stage", StageEnumName(p.stage)},
                     {"students", p.students},
                     {"relaxed_indicator_id", p.relaxed_indicator_id},
                     {"steps", steps},
                     {"enrolment_reduction", p.enrolment_reduction ? json(*p.enrolment_reduction) : json(nullptr)}});
  }
  json drivers = json::array();
  for (const CvDriver& d : e.cv_drivers) {
    json top = json::array();
    for (const auto& [section, share] : d.top_sections) top.push_back({{"section", section}, {"share", share}});
    drivers.push_back({{"stage", StageEnumName(d.stage)}, {"indicator_id", d.indicator_id}, {"top_sections", top}});
  }
  json vetoes = json::array();
  for (const Veto& v : e.vetoes) vetoes.push_back({{"kind", v.kind}, {"evidence", v.evidence}});
  const Conventions& c = e.conventions;
  json document = {
      {"district_code", e.district_code},
      {"school_year", e.school_year},
      {"verdict", OverallVerdictName(e.verdict)},
      {"failing_indicators", e.failing_indicators},
      {"failing_indicators_zh", e.failing_indicators_zh},
      {"missing_inputs", e.missing_inputs},
      {"missing_inputs_zh", e.missing_inputs_zh},
      {"units", {{"primary_sections", e.primary_sections}, {"junior_sections", e.junior_sections}}},
      {"conventions",
       {{"quota_excludes_hk_macao_classes", c.quota_excludes_hk_macao_classes},
        {"disabled_enrolment_excludes_deferred", c.disabled_enrolment_excludes_deferred},
        {"retention_formula", c.retention_formula == RetentionFormula::kCohort ? "cohort" : "annual_loss"},
        {"room_size_rule_applies_from_build_year", c.room_size_rule_applies_from_build_year},
        {"teaching_point_min_students", c.teaching_point_min_students},
        {"shared_resource_apportionment",
         c.shared_resource_apportionment == Apportionment::kEnrolmentShare ? "enrolment_share" : "legacy_weights"},
        {"rotation_min_years_at_school", c.rotation_min_years_at_school}}},
      {"indicators", indicators},
      {"stages", stages},
      {"vetoes", vetoes},
      {"prerequisites",
       {{"verdict", VerdictName(e.prerequisites)},
        {"notes", e.prerequisite_notes},
        {"notes_zh", e.prerequisite_notes_zh}}},
      {"remediation_plans", plans},
      {"cv_drivers", drivers}};
  return document.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace gzedu::engine
