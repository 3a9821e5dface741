#include "services/indicator_evaluation/domain/district_return.h"

#include <cmath>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/domain/date.h"
#include "common/domain/districts.h"
#include "common/status/texts.h"
#include "services/indicator_evaluation/engine/input_validation.h"

namespace gzedu::indicators {
namespace {

// School years the service accepts: the method dates from 2017; returns
// older than 2000 or far ahead are typing mistakes.
constexpr int32_t kFirstSchoolYear = 2000;
constexpr int32_t kLastSchoolYear = 2100;

std::string Field(const std::string& path, absl::string_view name) { return absl::StrCat(path, ".", name); }

template <typename T>
void AddOptional(Fingerprint& fp, const std::optional<T>& value) {
  fp.Add(value.has_value());
  if (!value) return;
  if constexpr (std::is_same_v<T, bool>) {
    fp.Add(*value);
  } else if constexpr (std::is_same_v<T, double>) {
    fp.Add(*value);
  } else {
    fp.Add(static_cast<int64_t>(*value));
  }
}

}  // namespace

const std::vector<std::string>& AttestedIndicators() {
  static const std::vector<std::string> kIds = {"G1", "G2", "G10", "Q3", "Q5", "Q6", "Q7", "Q8"};
  return kIds;
}

bool DistrictReturn::SameContent(const DistrictReturn& other) const {
  Fingerprint a, b;
  AddToFingerprint(a, *this);
  AddToFingerprint(b, other);
  return a.Hex() == b.Hex();
}

void ValidateDistrictReturn(const DistrictReturn& r, const std::string& path, FieldViolations& violations) {
  if (FindDistrict(r.district_code) == nullptr) {
    violations.Add(Field(path, "district_code"), texts::NotAGuangzhouDistrict());
  }
  if (r.school_year < kFirstSchoolYear || r.school_year > kLastSchoolYear) {
    violations.Add(Field(path, "school_year"), texts::MustBeBetween(kFirstSchoolYear, kLastSchoolYear));
  }
  // The same checks as every engine input's (bounds, ranges, parts within
  // their wholes), named as the contract names them: the average pays are
  // fen on the wire.
  std::vector<engine::InputProblem> problems;
  engine::ValidateDistrictFacts(r.facts, Field(path, "facts"), &problems);
  for (engine::InputProblem& problem : problems) {
    violations.Add(absl::StrReplaceAll(problem.path, {{"average_pay_yuan", "average_pay_fen"}}),
                   std::move(problem.description), std::move(problem.description_zh));
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < r.attestations.size(); ++i) {
    const auto& [id, attestation] = r.attestations[i];
    const std::string at = absl::StrCat(path, ".attestations[", i, "]");
    bool known = false;
    for (const std::string& attested : AttestedIndicators()) known = known || attested == id;
    if (!known) {
      violations.Add(Field(at, "indicator_id"), "must be one of G1, G2, G10, Q3, Q5, Q6, Q7, Q8",
                     "必须是 G1、G2、G10、Q3、Q5、Q6、Q7、Q8 之一");
    } else if (!seen.insert(id).second) {
      violations.Add(Field(at, "indicator_id"), absl::StrCat(id, " is attested twice; give one attestation each"),
                     absl::StrCat(id, " 认定了两次；每个指标只填一份认定"));
    }
    if (!attestation.date.empty() && !Date::Parse(attestation.date)) {
      violations.Add(Field(at, "date"), texts::InvalidDate());
    }
    if (attestation.affirmed && attestation.document.empty()) {
      violations.Add(Field(at, "document"), "must name the evidence when the requirement is affirmed",
                     "认定达到要求时必须写明佐证材料");
    }
  }
  for (size_t v = 0; v < r.vetoes.size(); ++v) {
    if (r.vetoes[v].kind.empty()) violations.Add(absl::StrCat(path, ".vetoes[", v, "].kind"), texts::MustNotBeEmpty());
    // A veto blocks recognition whatever the indicators say: never on no
    // evidence.
    if (r.vetoes[v].evidence.empty()) {
      violations.Add(absl::StrCat(path, ".vetoes[", v, "].evidence"),
                     "must name the evidence (a document, an inspection report)",
                     "必须写明佐证材料（文件、督导报告等）");
    }
  }
}

void AddToFingerprint(Fingerprint& fp, const DistrictReturn& r) {
  fp.Add(r.district_code).Add(static_cast<int64_t>(r.school_year));
  const engine::DistrictFacts& f = r.facts;
#define GZEDU_FINGERPRINT_FACT(kind, name) AddOptional(fp, f.name);
  GZEDU_DISTRICT_FACT_FIELDS(GZEDU_FINGERPRINT_FACT)
#undef GZEDU_FINGERPRINT_FACT
  AddOptional(fp, f.teacher_average_pay_yuan);
  AddOptional(fp, f.civil_servant_average_pay_yuan);
  fp.Add(static_cast<int64_t>(r.attestations.size()));
  for (const auto& [id, a] : r.attestations) {
    fp.Add(id).Add(a.affirmed).Add(a.document).Add(a.url).Add(a.date).Add(a.attested_by);
  }
  fp.Add(static_cast<int64_t>(r.vetoes.size()));
  for (const engine::Veto& v : r.vetoes) fp.Add(v.kind).Add(v.evidence);
}

void ApplyReturn(const DistrictReturn& r, engine::DistrictInput* input) {
  engine::DistrictFacts facts = r.facts;
  facts.rotation_eligible_teachers = input->facts.rotation_eligible_teachers;
  facts.rotated_teachers = input->facts.rotated_teachers;
  facts.rotated_backbone_teachers = input->facts.rotated_backbone_teachers;
  // The ledger's payroll average stands in when the district reports none.
  if (!facts.teacher_average_pay_yuan) facts.teacher_average_pay_yuan = input->facts.teacher_average_pay_yuan;
  input->facts = facts;
  input->attestations.clear();
  for (const auto& [id, attestation] : r.attestations) input->attestations[id] = attestation;
  input->vetoes = r.vetoes;
}

}  // namespace gzedu::indicators
