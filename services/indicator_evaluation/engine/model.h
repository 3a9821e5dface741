#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_MODEL_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_MODEL_H_

// The indicator engine's input and output: plain values describing one
// district-year and its evaluation against 县域义务教育优质均衡发展督导评估办法
// (教督〔2017〕6号). Money is integer fen throughout. Optional inputs that are
// absent make the indicators that need them "pending", never a guess.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/domain/stage.h"

namespace gzedu::engine {

// ---------------------------------------------------------------- inputs --

// The kind of school (办学类型); indicators.md section 2 maps it to sections.
enum class SchoolType {
  kPrimary,           // 小学
  kJunior,            // 初中
  kNineYear,          // 九年一贯制
  kTwelveYear,        // 十二年一贯制
  kCompleteMiddle,    // 完全中学
  kTeachingPoint,     // 教学点
  kSpecialEducation,  // 特殊教育学校
};

enum class Ownership { kPublic, kPrivate };
enum class Locale { kUrban, kTown, kRural };

// Facilities of a whole school, or the part apportioned to one section
// (multimedia rooms may then be fractional: Huadu reports 5628.6).
struct Facilities {
  double teaching_area_m2 = 0;
  double sports_area_m2 = 0;
  int64_t equipment_value_fen = 0;
  double multimedia_rooms = 0;
};

// Teachers counted in the section they teach, as a district system reports
// them.
struct TeacherCounts {
  int32_t full_time = 0;
  int32_t above_required_qualification = 0;  // R1: 专科+ (primary), 本科+ (junior)
  int32_t backbone_county_or_above = 0;      // R2: 县级以上骨干教师
  int32_t pe_music_art = 0;                  // R3: 体育、艺术（美术、音乐）专任教师
  int32_t certified = 0;                     // G12: 教师资格证
  int32_t training_complete = 0;             // G9: 360 hours in the current 5-year cycle
};

// One stage of one school (学段单元).
struct SectionInput {
  Stage stage = Stage::kPrimary;
  int32_t students = 0;
  int32_t classes = 0;
  std::vector<int32_t> class_sizes;  // one per class; empty when not reported
  // Absent (nullopt) when the district reported no teacher counts for this
  // section: R1-R3, G9 and G12 are then pending, never computed from zero.
  std::optional<TeacherCounts> teachers = TeacherCounts{};
  // Set when the district reports this section's own facilities; otherwise
  // the school's shared facilities are apportioned (convention
  // shared_resource_apportionment).
  std::optional<Facilities> facilities;
};

// Funding facts of one school for the school year, from the ledger.
struct SchoolFunding {
  std::optional<int64_t> operating_budget_fen;  // Q4 denominator: 年度公用经费预算
  std::optional<int64_t> training_budget_fen;   // Q4 numerator: 教师培训经费预算
  std::optional<int64_t> operating_funds_fen;   // G6, G7: operating funds received
};

struct SchoolInput {
  std::string school_code;
  std::string name;
  SchoolType type = SchoolType::kPrimary;
  Ownership ownership = Ownership::kPublic;
  Locale locale = Locale::kUrban;
  bool boarding = false;
  int32_t build_year = 0;  // 0 when unknown
  std::vector<SectionInput> sections;
  // The whole school's, apportioned to sections without their own. Absent
  // (nullopt) when not reported: sections without facilities of their own
  // then leave R4-R7 pending.
  std::optional<Facilities> shared_facilities = Facilities{};
  int32_t senior_students = 0;  // senior part of twelve-year and complete middle schools (apportionment only)
  std::vector<double> music_room_areas_m2;
  std::vector<double> art_room_areas_m2;
  int32_t special_education_students = 0;  // special-education schools only
  SchoolFunding funding;
};

// A statement with evidence (G1, G2, G10, Q3, Q5-Q8).
struct Attestation {
  bool affirmed = false;  // false: the district states the requirement is not met
  std::string document;   // document number or title
  std::string url;
  std::string date;         // YYYY-MM-DD
  std::string attested_by;  // who attests
};

// A veto (一票否决) recorded with its evidence.
struct Veto {
  std::string kind;  // e.g. "admission_by_examination", "falsified_data"
  std::string evidence;
};

// District-level statistics of the district return. Every field is
// optional: absent means not reported.
struct DistrictFacts {
  // G2 evidence and G6: per-student operating-fund base (生均公用经费基准定额).
  std::optional<int64_t> operating_base_per_student_primary_fen;
  std::optional<int64_t> operating_base_per_student_junior_fen;
  // G8: average pay, same basis for both (per month or per year).
  std::optional<double> teacher_average_pay_yuan;
  std::optional<double> civil_servant_average_pay_yuan;
  std::optional<bool> performance_pay_fully_approved;
  // G11, as counted by the rotation service.
  std::optional<int32_t> rotation_eligible_teachers;
  std::optional<int32_t> rotated_teachers;
  std::optional<int32_t> rotated_backbone_teachers;
  // G13: nearby zoned admission in urban and town public schools (boarding excluded).
  std::optional<int32_t> zoned_admission_primary;
  std::optional<int32_t> admission_primary_total;
  std::optional<int32_t> zoned_admission_junior;
  std::optional<int32_t> admission_junior_total;
  // G14: quality senior-high places allocated to junior schools.
  std::optional<int32_t> quota_total_places;
  std::optional<int32_t> quota_hk_macao_class_places;
  std::optional<int32_t> quota_allocated_places;
  // G15.
  std::optional<bool> left_behind_care_system;
  std::optional<int32_t> migrant_children_eligible;
  std::optional<int32_t> migrant_children_in_public_schools;
  std::optional<int32_t> migrant_children_in_purchased_places;
  // Q1: the junior cohort.
  std::optional<int32_t> junior_graduates;
  std::optional<int32_t> junior_cohort_enrolled;  // three years earlier
  std::optional<int32_t> junior_transferred_in;
  std::optional<int32_t> junior_transferred_out;
  std::optional<int32_t> junior_deaths;
  std::optional<int32_t> junior_dropouts;
  // Q2.
  std::optional<int32_t> disabled_school_age_children;
  std::optional<int32_t> disabled_deferred;
  std::optional<int32_t> disabled_enrolled;
  // Q4 district totals, used when schools' own budgets are not supplied.
  std::optional<int64_t> operating_budget_fen;
  std::optional<int64_t> training_budget_fen;
  // Q9: national quality monitoring, imported.
  std::optional<bool> monitoring_level_iii_or_above;
  std::optional<double> monitoring_difference_rate;
  // S1: social recognition survey, percent.
  std::optional<double> social_recognition_percent;
  // Prerequisites.
  std::optional<int32_t> basic_balanced_recognised_year;
  std::optional<bool> monitoring_kept_high;
};

// How the 1:1.1:1.32 legacy weights or plain enrolment share apportion
// shared facilities.
enum class Apportionment { kEnrolmentShare, kLegacyWeights };
enum class RetentionFormula { kCohort, kAnnualLoss };

// The named conventions of indicators.md section 7; defaults are the strict
// national reading.
struct Conventions {
  bool quota_excludes_hk_macao_classes = false;
  bool disabled_enrolment_excludes_deferred = false;
  RetentionFormula retention_formula = RetentionFormula::kCohort;
  int32_t room_size_rule_applies_from_build_year = 0;
  int32_t teaching_point_min_students = 0;
  Apportionment shared_resource_apportionment = Apportionment::kEnrolmentShare;
  int32_t rotation_min_years_at_school = 6;  // applied by the rotation service; recorded here
};

// Everything the engine needs about one district in one school year.
struct DistrictInput {
  std::string district_code;
  int32_t school_year = 0;
  std::vector<SchoolInput> schools;
  DistrictFacts facts;
  std::map<std::string, Attestation> attestations;  // by indicator id: G1, G2, G10, Q3, Q5..Q8
  std::vector<Veto> vetoes;
  Conventions conventions;
};

// --------------------------------------------------------------- outputs --

enum class Verdict { kMeets, kDoesNotMeet, kPending, kNotApplicable };
enum class OverallVerdict { kMeets, kDoesNotMeet, kIncomplete };

// The value and verdict of an indicator under a convention's other setting.
struct AlternativeResult {
  std::string convention;  // e.g. "quota_excludes_hk_macao_classes"
  std::string setting;     // e.g. "on"
  std::optional<double> value;
  Verdict verdict = Verdict::kPending;
};

// One indicator's result (R1-R7 once per stage).
struct IndicatorResult {
  std::string indicator_id;
  std::optional<Stage> stage;  // R1-R7 only
  std::optional<double> value;
  std::optional<double> threshold;
  std::string unit;  // e.g. "per 100 students", "m2 per student", "percent"
  Verdict verdict = Verdict::kPending;
  std::optional<double> cv_actual;  // R1-R7
  std::optional<double> cv_max;
  // Evidence.
  std::optional<double> numerator;
  std::optional<double> denominator;
  std::vector<std::string> failing;   // schools, classes or sections that fail, readable
  std::vector<std::string> notes;     // why it failed, what is missing, how it was computed
  std::vector<std::string> notes_zh;  // the same notes in Chinese, one for one
  std::vector<AlternativeResult> alternatives;
};

// The seven resource indicators, in order R1..R7.
inline constexpr int kResourceIndicatorCount = 7;

// How a section fares under the per-section rule (indicators.md 3.1).
enum class SectionOutcome {
  kMeetsAll,        // all seven thresholds reached
  kMeetsWithOne85,  // six reached, the seventh at >= 85%
  kFails,
  kInvalid,     // no students: no values
  kIncomplete,  // an input of one of the seven is absent: undecided
};

struct SectionResult {
  std::string school_code;
  std::string school_name;
  Stage stage = Stage::kPrimary;
  int32_t students = 0;
  std::array<double, kResourceIndicatorCount> values{};
  // (P_i / P)(X_i − X̄)² per indicator: this section's part of S².
  std::array<double, kResourceIndicatorCount> variance_contributions{};
  // Whether the inputs of each indicator were reported (teacher counts for
  // R1-R3, facilities for R4-R7); a value whose input is absent is 0 and
  // decides nothing.
  std::array<bool, kResourceIndicatorCount> known{true, true, true, true, true, true, true};
  // Whether each value reaches its threshold, decided exactly on the inputs.
  std::array<bool, kResourceIndicatorCount> reaches{};
  SectionOutcome outcome = SectionOutcome::kInvalid;
};

// The resource area of one stage.
struct StageResult {
  Stage stage = Stage::kPrimary;
  int32_t sections = 0;  // valid sections evaluated
  int64_t students = 0;
  std::array<double, kResourceIndicatorCount> district_values{};
  std::array<double, kResourceIndicatorCount> cv{};
  double cv_max = 0;
  // Exact verdict parts per indicator (docs/indicators.md, exact
  // arithmetic): the district value reaches the threshold; the CV is defined
  // (X̄ > 0) and within cv_max. Meaningful only when the indicator's inputs
  // are complete (sections_missing_input[k] empty) and students > 0.
  std::array<bool, kResourceIndicatorCount> value_reaches{};
  std::array<bool, kResourceIndicatorCount> cv_defined{};
  std::array<bool, kResourceIndicatorCount> cv_within{};
  // Sections whose input for indicator k is absent ("CODE NAME"): the
  // indicator's district value and CV are then undecided (pending).
  std::array<std::vector<std::string>, kResourceIndicatorCount> sections_missing_input;
  double composite_cv = 0;                                          // plain mean of the seven CVs; decides nothing
  std::array<int32_t, kResourceIndicatorCount> sections_meeting{};  // per indicator
  int32_t sections_meeting_all = 0;
  int32_t sections_with_one_at_85 = 0;
  int32_t sections_failing = 0;
  int32_t sections_incomplete = 0;  // an input absent: the per-section rule is undecided for them
  std::vector<SectionResult> section_results;
  std::vector<std::string> invalid_sections;   // no students
  std::vector<std::string> excluded_sections;  // below teaching_point_min_students
};

// What one failing section needs (一校一案), in each resource's own unit.
struct RemediationStep {
  std::string indicator_id;
  double current_value = 0;
  double target_value = 0;  // the threshold, or 85% of it for the relaxed one
  double addition = 0;      // in `unit`
  std::string unit;         // "teachers", "m2", "yuan", "rooms"
};

struct RemediationPlan {
  std::string school_code;
  std::string school_name;
  Stage stage = Stage::kPrimary;
  int32_t students = 0;
  std::string relaxed_indicator_id;  // the one allowed at >= 85%
  std::vector<RemediationStep> steps;
  // Reducing enrolment by this many students alone makes the section pass;
  // set when it does, whether or not it is the smaller change.
  std::optional<int32_t> enrolment_reduction;
};

// For a stage and indicator whose CV fails: the sections driving it.
struct CvDriver {
  Stage stage = Stage::kPrimary;
  std::string indicator_id;
  std::vector<std::pair<std::string, double>> top_sections;  // school code, share of variance (0..1)
};

struct DistrictEvaluation {
  std::string district_code;
  int32_t school_year = 0;
  Conventions conventions;
  std::vector<IndicatorResult> indicators;  // R1..R7 (primary, junior), G1..G15, Q1..Q9, S1
  std::vector<StageResult> stages;          // primary, junior
  std::vector<RemediationPlan> plans;
  std::vector<CvDriver> cv_drivers;
  std::vector<Veto> vetoes;
  Verdict prerequisites = Verdict::kPending;
  std::vector<std::string> prerequisite_notes;
  std::vector<std::string> prerequisite_notes_zh;  // the same in Chinese
  OverallVerdict verdict = OverallVerdict::kIncomplete;
  std::vector<std::string> failing_indicators;     // e.g. "R4 primary", "G5"
  std::vector<std::string> failing_indicators_zh;  // the same in Chinese
  std::vector<std::string> missing_inputs;
  std::vector<std::string> missing_inputs_zh;  // the same in Chinese
  int32_t primary_sections = 0;                // units of evaluation (学段单元)
  int32_t junior_sections = 0;
};

}  // namespace gzedu::engine

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_MODEL_H_
