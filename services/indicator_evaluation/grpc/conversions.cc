#include "services/indicator_evaluation/grpc/conversions.h"

#include <cmath>
#include <ctime>

#include "absl/strings/str_format.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"

namespace gzedu::indicators {
namespace {

common::v1::Stage StageToProto(Stage stage) { return static_cast<common::v1::Stage>(stage); }

v1::Verdict VerdictToProto(engine::Verdict verdict) { return static_cast<v1::Verdict>(static_cast<int>(verdict) + 1); }
engine::Verdict VerdictFromProto(v1::Verdict verdict) {
  return verdict == v1::VERDICT_UNSPECIFIED ? engine::Verdict::kPending
                                            : static_cast<engine::Verdict>(static_cast<int>(verdict) - 1);
}
v1::OverallVerdict OverallToProto(engine::OverallVerdict verdict) {
  return static_cast<v1::OverallVerdict>(static_cast<int>(verdict) + 1);
}
engine::OverallVerdict OverallFromProto(v1::OverallVerdict verdict) {
  return verdict == v1::OVERALL_VERDICT_UNSPECIFIED
             ? engine::OverallVerdict::kIncomplete
             : static_cast<engine::OverallVerdict>(static_cast<int>(verdict) - 1);
}

template <typename Repeated>
std::vector<std::string> Strings(const Repeated& repeated) {
  return {repeated.begin(), repeated.end()};
}

template <typename Repeated>
void AddStrings(const std::vector<std::string>& values, Repeated* repeated) {
  for (const std::string& value : values) repeated->Add(std::string(value));
}

// Money on the wire is fen; the engine's G8 pay figures are yuan.
std::optional<double> FenToYuan(bool has, int64_t fen) {
  return has ? std::optional<double>(static_cast<double>(fen) / 100) : std::nullopt;
}

}  // namespace

engine::Conventions FromProto(const v1::Conventions& p) {
  engine::Conventions c;
  c.quota_excludes_hk_macao_classes = p.quota_excludes_hk_macao_classes();
  c.disabled_enrolment_excludes_deferred = p.disabled_enrolment_excludes_deferred();
  c.retention_formula = p.retention_formula() == v1::RETENTION_FORMULA_ANNUAL_LOSS
                            ? engine::RetentionFormula::kAnnualLoss
                            : engine::RetentionFormula::kCohort;
  c.room_size_rule_applies_from_build_year = p.room_size_rule_applies_from_build_year();
  c.teaching_point_min_students = p.teaching_point_min_students();
  c.shared_resource_apportionment = p.shared_resource_apportionment() == v1::APPORTIONMENT_LEGACY_WEIGHTS
                                        ? engine::Apportionment::kLegacyWeights
                                        : engine::Apportionment::kEnrolmentShare;
  return c;
}

void ToProto(const engine::Conventions& c, v1::Conventions* p) {
  p->set_quota_excludes_hk_macao_classes(c.quota_excludes_hk_macao_classes);
  p->set_disabled_enrolment_excludes_deferred(c.disabled_enrolment_excludes_deferred);
  p->set_retention_formula(c.retention_formula == engine::RetentionFormula::kAnnualLoss
                               ? v1::RETENTION_FORMULA_ANNUAL_LOSS
                               : v1::RETENTION_FORMULA_COHORT);
  p->set_room_size_rule_applies_from_build_year(c.room_size_rule_applies_from_build_year);
  p->set_teaching_point_min_students(c.teaching_point_min_students);
  p->set_shared_resource_apportionment(c.shared_resource_apportionment == engine::Apportionment::kLegacyWeights
                                           ? v1::APPORTIONMENT_LEGACY_WEIGHTS
                                           : v1::APPORTIONMENT_ENROLMENT_SHARE);
}

DistrictReturn FromProto(const v1::DistrictReturn& p) {
  DistrictReturn r;
  r.district_code = p.district_code();
  r.school_year = p.school_year();
  r.change_version = p.change_version();
  const v1::DistrictFacts& pf = p.facts();
  engine::DistrictFacts& f = r.facts;
#define GZEDU_FACT_FROM_PROTO(kind, name) \
  if (pf.has_##name()) f.name = pf.name();
  GZEDU_DISTRICT_FACT_FIELDS(GZEDU_FACT_FROM_PROTO)
#undef GZEDU_FACT_FROM_PROTO
  f.teacher_average_pay_yuan = FenToYuan(pf.has_teacher_average_pay_fen(), pf.teacher_average_pay_fen());
  f.civil_servant_average_pay_yuan =
      FenToYuan(pf.has_civil_servant_average_pay_fen(), pf.civil_servant_average_pay_fen());
  for (const v1::Attestation& a : p.attestations()) {
    r.attestations.push_back({a.indicator_id(), {a.affirmed(), a.document(), a.url(), a.date(), a.attested_by()}});
  }
  for (const v1::Veto& v : p.vetoes()) r.vetoes.push_back({v.kind(), v.evidence()});
  return r;
}

void ToProto(const DistrictReturn& r, v1::DistrictReturn* p) {
  p->set_district_code(r.district_code);
  p->set_school_year(r.school_year);
  p->set_change_version(r.change_version);
  v1::DistrictFacts* pf = p->mutable_facts();
  const engine::DistrictFacts& f = r.facts;
#define GZEDU_FACT_TO_PROTO(kind, name) \
  if (f.name) pf->set_##name(*f.name);
  GZEDU_DISTRICT_FACT_FIELDS(GZEDU_FACT_TO_PROTO)
#undef GZEDU_FACT_TO_PROTO
  if (f.teacher_average_pay_yuan) pf->set_teacher_average_pay_fen(std::llround(*f.teacher_average_pay_yuan * 100));
  if (f.civil_servant_average_pay_yuan) {
    pf->set_civil_servant_average_pay_fen(std::llround(*f.civil_servant_average_pay_yuan * 100));
  }
  for (const auto& [id, a] : r.attestations) {
    v1::Attestation* pa = p->add_attestations();
    pa->set_indicator_id(id);
    pa->set_affirmed(a.affirmed);
    pa->set_document(a.document);
    pa->set_url(a.url);
    pa->set_date(a.date);
    pa->set_attested_by(a.attested_by);
  }
  for (const engine::Veto& v : r.vetoes) {
    v1::Veto* pv = p->add_vetoes();
    pv->set_kind(v.kind);
    pv->set_evidence(v.evidence);
  }
}

void ToProto(const engine::IndicatorResult& r, v1::IndicatorResult* p) {
  p->set_indicator_id(r.indicator_id);
  if (r.stage) p->set_stage(StageToProto(*r.stage));
  if (r.value) p->set_value(*r.value);
  if (r.threshold) p->set_threshold(*r.threshold);
  p->set_verdict(VerdictToProto(r.verdict));
  if (r.cv_actual) p->set_cv_actual(*r.cv_actual);
  if (r.cv_max) p->set_cv_max(*r.cv_max);
  p->set_unit(r.unit);
  if (r.numerator) p->set_numerator(*r.numerator);
  if (r.denominator) p->set_denominator(*r.denominator);
  AddStrings(r.failing, p->mutable_failing());
  AddStrings(r.notes, p->mutable_notes());
  AddStrings(r.notes_zh, p->mutable_notes_zh());
  for (const engine::AlternativeResult& a : r.alternatives) {
    v1::AlternativeResult* pa = p->add_alternatives();
    pa->set_convention(a.convention);
    pa->set_setting(a.setting);
    if (a.value) pa->set_value(*a.value);
    pa->set_verdict(VerdictToProto(a.verdict));
  }
}

engine::IndicatorResult FromProto(const v1::IndicatorResult& p) {
  engine::IndicatorResult r;
  r.indicator_id = p.indicator_id();
  if (p.stage() != common::v1::STAGE_UNSPECIFIED) r.stage = static_cast<Stage>(p.stage());
  if (p.has_value()) r.value = p.value();
  if (p.has_threshold()) r.threshold = p.threshold();
  r.verdict = VerdictFromProto(p.verdict());
  if (p.has_cv_actual()) r.cv_actual = p.cv_actual();
  if (p.has_cv_max()) r.cv_max = p.cv_max();
  r.unit = p.unit();
  if (p.has_numerator()) r.numerator = p.numerator();
  if (p.has_denominator()) r.denominator = p.denominator();
  r.failing = Strings(p.failing());
  r.notes = Strings(p.notes());
  r.notes_zh = Strings(p.notes_zh());
  for (const v1::AlternativeResult& a : p.alternatives()) {
    engine::AlternativeResult alt;
    alt.convention = a.convention();
    alt.setting = a.setting();
    if (a.has_value()) alt.value = a.value();
    alt.verdict = VerdictFromProto(a.verdict());
    r.alternatives.push_back(std::move(alt));
  }
  return r;
}

void ToProto(const InputVersions& v, v1::InputVersions* p) {
  p->set_registry_version(v.registry_version);
  p->set_rotation_version(v.rotation_version);
  p->set_ledger_version(v.ledger_version);
  p->set_returns_version(v.returns_version);
}

InputVersions FromProto(const v1::InputVersions& p) {
  return {p.registry_version(), p.rotation_version(), p.ledger_version(), p.returns_version()};
}

void ToProto(const Snapshot& s, v1::ReportLanguage language, v1::DistrictEvaluation* p) {
  const engine::DistrictEvaluation& e = s.evaluation;
  p->set_district_code(s.district_code);
  p->set_school_year(s.school_year);
  p->set_verdict(OverallToProto(e.verdict));
  for (const engine::IndicatorResult& r : e.indicators) ToProto(r, p->add_indicators());
  AddStrings(e.failing_indicators, p->mutable_failing_indicators());
  AddStrings(e.failing_indicators_zh, p->mutable_failing_indicators_zh());
  AddStrings(e.missing_inputs, p->mutable_missing_inputs());
  AddStrings(e.missing_inputs_zh, p->mutable_missing_inputs_zh());
  for (const engine::StageResult& stage : e.stages) {
    v1::StageSummary* ps = p->add_stages();
    ps->set_stage(StageToProto(stage.stage));
    ps->set_sections(stage.sections);
    ps->set_students(stage.students);
    ps->set_sections_meeting_all(stage.sections_meeting_all);
    ps->set_sections_with_one_at_85(stage.sections_with_one_at_85);
    ps->set_sections_failing(stage.sections_failing);
    double worst = 0;
    for (double cv : stage.cv) worst = std::max(worst, cv);
    ps->set_cv_max_actual(worst);
    ps->set_cv_limit(stage.cv_max);
  }
  for (const engine::RemediationPlan& plan : e.plans) {
    v1::RemediationPlan* pp = p->add_plans();
    pp->set_school_code(plan.school_code);
    pp->set_school_name(plan.school_name);
    pp->set_stage(StageToProto(plan.stage));
    pp->set_students(plan.students);
    pp->set_relaxed_indicator_id(plan.relaxed_indicator_id);
    for (const engine::RemediationStep& step : plan.steps) {
      v1::RemediationStep* pstep = pp->add_steps();
      pstep->set_indicator_id(step.indicator_id);
      pstep->set_current_value(step.current_value);
      pstep->set_target_value(step.target_value);
      pstep->set_addition(step.addition);
      pstep->set_unit(step.unit);
    }
    if (plan.enrolment_reduction) pp->set_enrolment_reduction(*plan.enrolment_reduction);
  }
  for (const engine::DistrictRemediationStep& step : e.district_plan) {
    v1::DistrictRemediationStep* ps = p->add_district_plan();
    ps->set_indicator_id(step.indicator_id);
    if (step.stage) ps->set_stage(StageToProto(*step.stage));
    ps->set_kind(step.kind);
    ps->set_computable(step.computable);
    if (step.amount) ps->set_amount(*step.amount);
    ps->set_unit(step.unit);
    ps->set_unit_zh(step.unit_zh);
    ps->set_summary(step.summary);
    ps->set_summary_zh(step.summary_zh);
    for (const engine::RemediationTarget& target : step.targets) {
      v1::RemediationTarget* pt = ps->add_targets();
      pt->set_label(target.label);
      if (target.stage) pt->set_stage(StageToProto(*target.stage));
      if (target.amount) pt->set_amount(*target.amount);
      pt->set_note(target.note);
      pt->set_note_zh(target.note_zh);
    }
  }
  for (const engine::Veto& v : e.vetoes) {
    v1::Veto* pv = p->add_vetoes();
    pv->set_kind(v.kind);
    pv->set_evidence(v.evidence);
  }
  p->set_prerequisites(VerdictToProto(e.prerequisites));
  ToProto(e.conventions, p->mutable_conventions());
  ToProto(s.input_versions, p->mutable_input_versions());
  p->set_snapshot_version(s.version);
  p->set_evaluated_at(FormatTimestamp(s.evaluated_at_unix_ms));
  if (language == v1::REPORT_LANGUAGE_ZH) p->set_report(s.report_zh);
  if (language == v1::REPORT_LANGUAGE_EN) p->set_report(s.report_en);
}

void BasicView(v1::DistrictEvaluation* evaluation) {
  evaluation->clear_indicators();
  evaluation->clear_plans();
  evaluation->clear_district_plan();
}

Snapshot FromProto(const v1::DistrictEvaluation& p) {
  Snapshot s;
  s.district_code = p.district_code();
  s.school_year = p.school_year();
  s.input_versions = FromProto(p.input_versions());
  s.version = p.snapshot_version();
  engine::DistrictEvaluation& e = s.evaluation;
  e.district_code = p.district_code();
  e.school_year = p.school_year();
  e.conventions = FromProto(p.conventions());
  s.conventions_key = ConventionsKey(e.conventions);
  e.verdict = OverallFromProto(p.verdict());
  for (const v1::IndicatorResult& r : p.indicators()) e.indicators.push_back(FromProto(r));
  e.failing_indicators = Strings(p.failing_indicators());
  e.failing_indicators_zh = Strings(p.failing_indicators_zh());
  e.missing_inputs = Strings(p.missing_inputs());
  e.missing_inputs_zh = Strings(p.missing_inputs_zh());
  for (const v1::StageSummary& ps : p.stages()) {
    engine::StageResult stage;
    stage.stage = static_cast<Stage>(ps.stage());
    stage.sections = ps.sections();
    stage.students = ps.students();
    stage.sections_meeting_all = ps.sections_meeting_all();
    stage.sections_with_one_at_85 = ps.sections_with_one_at_85();
    stage.sections_failing = ps.sections_failing();
    stage.cv_max = ps.cv_limit();
    for (const engine::IndicatorResult& r : e.indicators) {
      if (!r.stage || *r.stage != stage.stage || !r.cv_actual) continue;
      for (int k = 0; k < engine::kResourceIndicatorCount; ++k) {
        if (engine::IndicatorDefinitions()[k].id == r.indicator_id) stage.cv[k] = *r.cv_actual;
      }
      for (int k = 0; k < engine::kResourceIndicatorCount; ++k) {
        if (engine::IndicatorDefinitions()[k].id == r.indicator_id && r.value) stage.district_values[k] = *r.value;
      }
    }
    if (stage.stage == Stage::kPrimary) e.primary_sections = stage.sections;
    if (stage.stage == Stage::kJunior) e.junior_sections = stage.sections;
    e.stages.push_back(std::move(stage));
  }
  for (const v1::RemediationPlan& pp : p.plans()) {
    engine::RemediationPlan plan;
    plan.school_code = pp.school_code();
    plan.school_name = pp.school_name();
    plan.stage = static_cast<Stage>(pp.stage());
    plan.students = pp.students();
    plan.relaxed_indicator_id = pp.relaxed_indicator_id();
    for (const v1::RemediationStep& ps : pp.steps()) {
      plan.steps.push_back({ps.indicator_id(), ps.current_value(), ps.target_value(), ps.addition(), ps.unit()});
    }
    if (pp.has_enrolment_reduction()) plan.enrolment_reduction = pp.enrolment_reduction();
    e.plans.push_back(std::move(plan));
  }
  for (const v1::DistrictRemediationStep& ps : p.district_plan()) {
    engine::DistrictRemediationStep step;
    step.indicator_id = ps.indicator_id();
    if (ps.stage() != common::v1::STAGE_UNSPECIFIED) step.stage = static_cast<Stage>(ps.stage());
    step.kind = ps.kind();
    step.computable = ps.computable();
    if (ps.has_amount()) step.amount = ps.amount();
    step.unit = ps.unit();
    step.unit_zh = ps.unit_zh();
    step.summary = ps.summary();
    step.summary_zh = ps.summary_zh();
    for (const v1::RemediationTarget& pt : ps.targets()) {
      engine::RemediationTarget target;
      target.label = pt.label();
      if (pt.stage() != common::v1::STAGE_UNSPECIFIED) target.stage = static_cast<Stage>(pt.stage());
      if (pt.has_amount()) target.amount = pt.amount();
      target.note = pt.note();
      target.note_zh = pt.note_zh();
      step.targets.push_back(std::move(target));
    }
    e.district_plan.push_back(std::move(step));
  }
  for (const v1::Veto& v : p.vetoes()) e.vetoes.push_back({v.kind(), v.evidence()});
  e.prerequisites = VerdictFromProto(p.prerequisites());
  return s;
}

void ToProto(const IndicatorUpdate& u, v1::IndicatorUpdate* p) {
  p->set_version(u.version);
  p->set_district_code(u.district_code);
  p->set_school_year(u.school_year);
  for (const engine::IndicatorResult& r : u.indicators) ToProto(r, p->add_indicators());
  p->set_verdict(OverallToProto(u.verdict));
  ToProto(u.input_versions, p->mutable_input_versions());
  p->set_evaluated_at(FormatTimestamp(u.evaluated_at_unix_ms));
}

IndicatorUpdate FromProto(const v1::IndicatorUpdate& p) {
  IndicatorUpdate u;
  u.version = p.version();
  u.district_code = p.district_code();
  u.school_year = p.school_year();
  for (const v1::IndicatorResult& r : p.indicators()) u.indicators.push_back(FromProto(r));
  u.verdict = OverallFromProto(p.verdict());
  u.input_versions = FromProto(p.input_versions());
  return u;
}

ScenarioChange FromProto(const v1::ScenarioChange& p) {
  switch (p.change_case()) {
    case v1::ScenarioChange::kEnrolment: {
      EnrolmentChange c;
      c.percent = p.enrolment().percent();
      if (p.enrolment().stage() != common::v1::STAGE_UNSPECIFIED) c.stage = static_cast<Stage>(p.enrolment().stage());
      c.school_code = p.enrolment().school_code();
      return c;
    }
    case v1::ScenarioChange::kNewSchool: {
      const v1::NewSchool& n = p.new_school();
      NewSchool c;
      c.school_code = n.school_code();
      c.name = n.name();
      c.stage = n.stage() == common::v1::STAGE_JUNIOR ? Stage::kJunior : Stage::kPrimary;
      c.students = n.students();
      c.classes = n.classes();
      c.teachers.full_time = n.full_time_teachers();
      c.teachers.above_required_qualification = n.above_required_qualification();
      c.teachers.backbone_county_or_above = n.backbone_county_or_above();
      c.teachers.pe_music_art = n.pe_music_art();
      c.facilities = {n.teaching_area_m2(), n.sports_area_m2(), n.equipment_value_fen(), n.multimedia_rooms()};
      return c;
    }
    case v1::ScenarioChange::kTeachers: {
      const v1::TeacherChange& t = p.teachers();
      TeacherChange c;
      c.school_code = t.school_code();
      c.stage = t.stage() == common::v1::STAGE_JUNIOR ? Stage::kJunior : Stage::kPrimary;
      c.delta.full_time = t.full_time_teachers();
      c.delta.above_required_qualification = t.above_required_qualification();
      c.delta.backbone_county_or_above = t.backbone_county_or_above();
      c.delta.pe_music_art = t.pe_music_art();
      return c;
    }
    case v1::ScenarioChange::kFacilities: {
      const v1::FacilityChange& f = p.facilities();
      FacilityChange c;
      c.school_code = f.school_code();
      c.delta = {f.teaching_area_m2(), f.sports_area_m2(), f.equipment_value_fen(), f.multimedia_rooms()};
      return c;
    }
    case v1::ScenarioChange::CHANGE_NOT_SET:
      break;
  }
  return EnrolmentChange{};  // rejected by validation in the service adapter
}

std::string FormatTimestamp(int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                         utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(unix_ms % 1000));
}

}  // namespace gzedu::indicators
