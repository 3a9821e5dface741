#ifndef GZEDU_TOOLS_GZEDU_EVALUATION_COMMANDS_H_
#define GZEDU_TOOLS_GZEDU_EVALUATION_COMMANDS_H_

#include <string>
#include <vector>

#include "tools/gzedu/targets.h"

namespace gzedu::indicators::v1 {
class Conventions;
}  // namespace gzedu::indicators::v1

namespace gzedu::cli {

// What the evaluation commands share.
struct EvaluationTarget {
  std::string target = kDefaultTarget;  // the evaluation service (or `gzedu serve`); see targets.h
  int school_year = 2024;
  // Conventions as "name" (a boolean turned on) or "name=value", e.g.
  // "quota_excludes_hk_macao_classes", "retention_formula=annual_loss".
  std::vector<std::string> conventions;
};

// `gzedu evaluate --district CODE`: evaluates a district-year and prints its
// report (--lang zh|en) or the evaluation as JSON (--format json). With
// `district` "all": every district, as the city table. Returns 0, 2 for bad
// arguments (the service's violations are printed), 1 when the service
// fails.
int Evaluate(const EvaluationTarget& target, const std::string& district, const std::string& language,
             const std::string& format);

// `gzedu plan --district CODE`: the district's whole remediation plan: one
// step per failing indicator in its own unit (district-value shortfalls and
// where they are cheapest, CV drivers, schools and students over, classes,
// rotations, places, children, yuan; the ones no amount can be computed
// for, marked so), then the plan of every failing section (一校一案).
// Returns as Evaluate.
int Plan(const EvaluationTarget& target, const std::string& district, const std::string& language);

// `gzedu watch`: prints every indicator update of the matching districts
// and indicators, one line each, until interrupted (SIGINT or SIGTERM) or
// told to resynchronise (then resumes by itself from its last version).
// `max_updates` > 0 stops after that many updates, the initial state not
// counted (for scripts). `school_year` 0: every year. `language` "zh"
// (Chinese, the default) or "en".
int Watch(const std::string& target, const std::vector<std::string>& districts,
          const std::vector<std::string>& indicators, int64_t resume_after, bool initial_state, int max_updates,
          int school_year, const std::string& language = "zh");

// The hypothetical changes of `gzedu scenario`.
struct ScenarioOptions {
  double enrolment_percent = 0;  // 0: none
  std::string enrolment_stage;   // primary, junior or empty
  std::string enrolment_school;  // a school code or empty
  // "SCHOOL:STAGE:N[:BACKBONE]" more (or fewer) full-time teachers.
  std::vector<std::string> add_teachers;
  // "SCHOOL:TEACHING_M2[:SPORTS_M2]" more floor area.
  std::vector<std::string> add_area;
  // "CODE:primary|junior:STUDENTS:CLASSES[:key=value,...]" a new school,
  // keys teachers, qualified, backbone, pe_music_art, teaching_m2,
  // sports_m2, equipment_yuan, multimedia_rooms, name.
  std::vector<std::string> new_schools;
};

// `gzedu scenario --district CODE ...`: what the evaluation would be with
// the changes; prints the overall verdict, the per-section rule per stage
// and every indicator whose verdict changes (then those whose value alone
// changes), before and after, and the failing indicators gained and lost.
// Returns 0, 2 for bad arguments, 1 when the service fails.
// With `format` "json": the whole response (baseline, scenario, changed)
// as JSON instead.
int Scenario(const EvaluationTarget& target, const std::string& district, const ScenarioOptions& options,
             const std::string& language, const std::string& format = "text");

// `gzedu import returns FILE`: district returns through
// UpsertDistrictReturns, as ImportReturnsFile (returns_command.h) without
// a dry run: the contract's JSON form (violations printed as FILE: field:
// problem) or a YAML / CSV form (FILE:LINE: field: problem).
int ImportReturns(const std::string& file, const std::string& target);

// `gzedu import bundle DIR`: a whole dataset through the public APIs, as
// district systems would send it: schools.csv, school_years.csv,
// teachers.csv, rotations.csv, accounts.csv, transfers.csv and
// district_returns.json (or .yaml, .yml, .csv: the first present), each
// when present, with progress on stderr.
// Everything goes to `target` (`gzedu serve`) unless the per-service
// addresses are set.
struct BundleTargets {
  std::string registry;
  std::string rotation;
  std::string ledger;
  std::string evaluation;
};
int ImportBundle(const std::string& dir, const BundleTargets& targets, bool quiet);

// Parses --convention values ("name" or "name=value") into `out`. Returns
// false, after printing why on stderr, for an unknown name or value.
bool ParseConventionFlags(const std::vector<std::string>& items, indicators::v1::Conventions* out);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_EVALUATION_COMMANDS_H_
