#include "services/indicator_evaluation/engine/json_codec.h"

#include <cmath>
#include <functional>
#include <set>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"

namespace gzedu::engine {
namespace {

using nlohmann::json;

// Reads one JSON object, recording every problem with its path. Each Get
// marks its key as known; Finish() reports the keys nobody asked for.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string path, std::vector<InputProblem>* problems)
      : object_(object), path_(std::move(path)), problems_(problems) {
    if (!object_.is_object()) Problem(path_, "must be an object");
  }

  ~ObjectReader() {
    if (!object_.is_object()) return;
    for (auto it = object_.begin(); it != object_.end(); ++it) {
      if (known_.count(it.key()) == 0) Problem(Path(it.key()), "is not a known field");
    }
  }

  std::string Path(const std::string& key) const { return path_ + "." + key; }
  void Problem(const std::string& path, const std::string& description) const {
    problems_->push_back({path, description});
  }

  // The value at `key`, or nullptr when absent (a problem if `required`).
  const json* Find(const std::string& key, bool required) {
    known_.insert(key);
    if (!object_.is_object()) return nullptr;
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) {
      if (required) Problem(Path(key), "is required");
      return nullptr;
    }
    return &*it;
  }

  void String(const std::string& key, std::string* out, bool required = false) {
    const json* value = Find(key, required);
    if (value == nullptr) return;
    if (!value->is_string()) return Problem(Path(key), "must be a string");
    *out = value->get<std::string>();
  }

  void Bool(const std::string& key, bool* out) {
    const json* value = Find(key, false);
    if (value == nullptr) return;
    if (!value->is_boolean()) return Problem(Path(key), "must be true or false");
    *out = value->get<bool>();
  }

  void Bool(const std::string& key, std::optional<bool>* out) {
    const json* value = Find(key, false);
    if (value == nullptr) return;
    if (!value->is_boolean()) return Problem(Path(key), "must be true or false");
    *out = value->get<bool>();
  }

  void Int(const std::string& key, int32_t* out, int64_t min = 0, int64_t max = INT32_MAX, bool required = false) {
    const json* value = Find(key, required);
    if (value == nullptr) return;
    if (!value->is_number_integer()) return Problem(Path(key), "must be a whole number");
    const int64_t number = value->get<int64_t>();
    if (number < min || number > max) {
      return Problem(Path(key), absl::StrCat("must be between ", min, " and ", max));
    }
    *out = static_cast<int32_t>(number);
  }

  void Int(const std::string& key, std::optional<int32_t>* out, int64_t min = 0, int64_t max = INT32_MAX) {
    if (Find(key, false) == nullptr) return;
    int32_t value = 0;
    const size_t before = problems_->size();
    Int(key, &value, min, max);
    if (problems_->size() == before) *out = value;
  }

  void Number(const std::string& key, double* out, double min = 0) {
    const json* value = Find(key, false);
    if (value == nullptr) return;
    if (!value->is_number()) return Problem(Path(key), "must be a number");
    const double number = value->get<double>();
    if (!std::isfinite(number) || number < min) return Problem(Path(key), absl::StrCat("must be a number >= ", min));
    *out = number;
  }

  void Number(const std::string& key, std::optional<double>* out, double min = 0) {
    if (Find(key, false) == nullptr) return;
    double value = 0;
    const size_t before = problems_->size();
    Number(key, &value, min);
    if (problems_->size() == before) *out = value;
  }

  // An amount of yuan, to fen exactly.
  void Yuan(const std::string& key, std::optional<int64_t>* out) {
    const json* value = Find(key, false);
    if (value == nullptr) return;
    if (!value->is_number()) return Problem(Path(key), "must be an amount in yuan");
    const double yuan = value->get<double>();
    const double fen = std::round(yuan * 100);
    if (!std::isfinite(yuan) || yuan < 0 || fen > 9e15) return Problem(Path(key), "must be an amount >= 0");
    if (std::fabs(yuan * 100 - fen) > 1e-6 * std::max(1.0, std::fabs(fen))) {
      return Problem(Path(key), "has more than two decimals (fen)");
    }
    *out = static_cast<int64_t>(fen);
  }

  template <typename Enum>
  void Word(const std::string& key, Enum* out, const std::vector<std::pair<const char*, Enum>>& words,
            bool required = false) {
    const json* value = Find(key, required);
    if (value == nullptr) return;
    std::string allowed;
    for (const auto& [word, e] : words) absl::StrAppend(&allowed, allowed.empty() ? "" : ", ", word);
    if (!value->is_string()) return Problem(Path(key), "must be one of " + allowed);
    for (const auto& [word, e] : words) {
      if (value->get<std::string>() == word) {
        *out = e;
        return;
      }
    }
    Problem(Path(key), absl::StrCat("'", value->get<std::string>(), "' is not one of ", allowed));
  }

  // Calls `read` for each element of the array at `key`.
  void Array(const std::string& key, const std::function<void(const json&, const std::string&)>& read) {
    const json* value = Find(key, false);
    if (value == nullptr) return;
    if (!value->is_array()) return Problem(Path(key), "must be an array");
    for (size_t i = 0; i < value->size(); ++i) read((*value)[i], absl::StrCat(Path(key), "[", i, "]"));
  }

  void Numbers(const std::string& key, std::vector<double>* out, double min_exclusive) {
    Array(key, [&](const json& item, const std::string& path) {
      if (!item.is_number() || !std::isfinite(item.get<double>()) || item.get<double>() <= min_exclusive) {
        Problem(path, absl::StrCat("must be a number > ", min_exclusive));
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

void ReadSection(const json& value, const std::string& path, SectionInput* out, std::vector<InputProblem>* problems) {
  ObjectReader r(value, path, problems);
  r.Word("stage", &out->stage, kStages, /*required=*/true);
  r.Int("students", &out->students, 0, INT32_MAX, /*required=*/true);
  r.Int("classes", &out->classes);
  r.Array("class_sizes", [&](const json& item, const std::string& item_path) {
    if (!item.is_number_integer() || item.get<int64_t>() < 1 || item.get<int64_t>() > 200) {
      r.Problem(item_path, "must be a whole number from 1 to 200");
      return;
    }
    out->class_sizes.push_back(item.get<int32_t>());
  });
  if (!out->class_sizes.empty() && static_cast<int32_t>(out->class_sizes.size()) != out->classes) {
    r.Problem(r.Path("class_sizes"),
              absl::StrCat("has ", out->class_sizes.size(), " entries but classes is ", out->classes));
  }
  out->teachers.reset();  // absent: not reported, the indicators needing it pending
  if (const json* teachers = r.Find("teachers", false)) {
    ObjectReader t(*teachers, r.Path("teachers"), problems);
    TeacherCounts& c = out->teachers.emplace();
    t.Int("full_time", &c.full_time);
    t.Int("above_required_qualification", &c.above_required_qualification);
    t.Int("backbone_county_or_above", &c.backbone_county_or_above);
    t.Int("pe_music_art", &c.pe_music_art);
    t.Int("certified", &c.certified);
    t.Int("training_complete", &c.training_complete);
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
  std::set<Stage> stages;
  for (size_t i = 0; i < out->sections.size(); ++i) {
    if (!stages.insert(out->sections[i].stage).second) {
      r.Problem(absl::StrCat(r.Path("sections"), "[", i, "].stage"), "a school has at most one section per stage");
    }
  }
  out->shared_facilities.reset();  // absent: not reported
  if (const json* facilities = r.Find("shared_facilities", false)) {
    ReadFacilities(*facilities, r.Path("shared_facilities"), &out->shared_facilities.emplace(), problems);
  }
  r.Int("senior_students", &out->senior_students);
  r.Numbers("music_room_areas_m2", &out->music_room_areas_m2, 0);
  r.Numbers("art_room_areas_m2", &out->art_room_areas_m2, 0);
  r.Int("special_education_students", &out->special_education_students);
  if (const json* funding = r.Find("funding", false)) {
    ObjectReader f(*funding, r.Path("funding"), problems);
    f.Yuan("operating_budget_yuan", &out->funding.operating_budget_fen);
    f.Yuan("training_budget_yuan", &out->funding.training_budget_fen);
    f.Yuan("operating_funds_yuan", &out->funding.operating_funds_fen);
  }
}

void ReadFacts(const json& value, const std::string& path, DistrictFacts* f, std::vector<InputProblem>* problems) {
  ObjectReader r(value, path, problems);
  r.Yuan("operating_base_per_student_primary_yuan", &f->operating_base_per_student_primary_fen);
  r.Yuan("operating_base_per_student_junior_yuan", &f->operating_base_per_student_junior_fen);
  r.Number("teacher_average_pay_yuan", &f->teacher_average_pay_yuan);
  r.Number("civil_servant_average_pay_yuan", &f->civil_servant_average_pay_yuan);
  r.Bool("performance_pay_fully_approved", &f->performance_pay_fully_approved);
  r.Int("rotation_eligible_teachers", &f->rotation_eligible_teachers);
  r.Int("rotated_teachers", &f->rotated_teachers);
  r.Int("rotated_backbone_teachers", &f->rotated_backbone_teachers);
  r.Int("zoned_admission_primary", &f->zoned_admission_primary);
  r.Int("admission_primary_total", &f->admission_primary_total);
  r.Int("zoned_admission_junior", &f->zoned_admission_junior);
  r.Int("admission_junior_total", &f->admission_junior_total);
  r.Int("quota_total_places", &f->quota_total_places);
  r.Int("quota_hk_macao_class_places", &f->quota_hk_macao_class_places);
  r.Int("quota_allocated_places", &f->quota_allocated_places);
  r.Bool("left_behind_care_system", &f->left_behind_care_system);
  r.Int("migrant_children_eligible", &f->migrant_children_eligible);
  r.Int("migrant_children_in_public_schools", &f->migrant_children_in_public_schools);
  r.Int("migrant_children_in_purchased_places", &f->migrant_children_in_purchased_places);
  r.Int("junior_graduates", &f->junior_graduates);
  r.Int("junior_cohort_enrolled", &f->junior_cohort_enrolled);
  r.Int("junior_transferred_in", &f->junior_transferred_in);
  r.Int("junior_transferred_out", &f->junior_transferred_out);
  r.Int("junior_deaths", &f->junior_deaths);
  r.Int("junior_dropouts", &f->junior_dropouts);
  r.Int("disabled_school_age_children", &f->disabled_school_age_children);
  r.Int("disabled_deferred", &f->disabled_deferred);
  r.Int("disabled_enrolled", &f->disabled_enrolled);
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
  r.Int("teaching_point_min_students", &c->teaching_point_min_students);
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

void ParseDistrictInput(const std::string& text, DistrictInput* input, std::vector<InputProblem>* problems) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    problems->push_back({"$", absl::StrCat("is not valid JSON: ", e.what())});
    return;
  }
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
      r.Problem("$.attestations", "must be an object keyed by indicator id");
    } else {
      for (auto it = attestations->begin(); it != attestations->end(); ++it) {
        const std::string path = "$.attestations." + it.key();
        static const std::set<std::string> kAttested = {"G1", "G2", "G10", "Q3", "Q5", "Q6", "Q7", "Q8"};
        if (kAttested.count(it.key()) == 0) {
          r.Problem(path, "is not an attested indicator (G1, G2, G10, Q3, Q5, Q6, Q7, Q8)");
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
      const bool decided = s.students > 0 && s.sections_missing_input[k].empty();
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
