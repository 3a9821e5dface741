#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_INDICATOR_DEFINITIONS_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_INDICATOR_DEFINITIONS_H_

#include <optional>
#include <string_view>
#include <vector>

namespace gzedu::engine {

// The four areas of the 2017 method, in the order the districts' reports
// present them (section 三).
enum class Area {
  kResourceAllocation,   // 资源配置
  kGovernmentGuarantee,  // 政府保障程度
  kEducationQuality,     // 教育质量
  kSocialRecognition,    // 社会认可度
};

// One indicator of the 2017 method as data: used by the engine for
// thresholds and by the reports for names and order. Thresholds are
// inclusive ("以上" includes the bound) unless `at_most`.
struct IndicatorDefinition {
  std::string_view id;       // R1..R7, G1..G15, Q1..Q9, S1
  std::string_view name_zh;  // the official text, shortened where long
  std::string_view name_en;
  Area area;
  std::optional<double> threshold_primary;  // R1-R7: per stage; others: the one threshold
  std::optional<double> threshold_junior;
  std::string_view unit;  // of the value
  std::string_view source;
};

// Every indicator, in report order.
const std::vector<IndicatorDefinition>& IndicatorDefinitions();

// The definition of `id`, or nullptr.
const IndicatorDefinition* FindIndicator(std::string_view id);

// 校际差异系数 limits: 教督〔2017〕6号, 资源配置: "所有指标校际差异系数，小学均小于或
// 等于0.50，初中均小于或等于0.45".
inline constexpr double kCvMaxPrimary = 0.50;
inline constexpr double kCvMaxJunior = 0.45;

// 教督〔2017〕6号, 资源配置: a section meets when at least six indicators reach
// the standard and the remaining one reaches 85% of it.
inline constexpr double kSectionRelaxedShare = 0.85;

// The limits of the government-guarantee area (政府保障程度), one place for the
// engine and the remediation plans.
// G3, item 3: one music and one art room per 12 classes; music rooms at
// least 96 m², art rooms at least 90 m².
inline constexpr int32_t kClassesPerArtsRoom = 12;
inline constexpr double kMinMusicRoomM2 = 96;
inline constexpr double kMinArtRoomM2 = 90;
// G4, item 4: at most 2000 students per school, 2500 for nine- and
// twelve-year schools (compulsory stages).
inline constexpr int32_t kMaxSchoolSize = 2000;
inline constexpr int32_t kMaxThroughSchoolSize = 2500;
// G5, item 5: at most 45 per primary class, 50 per junior class.
inline constexpr int32_t kMaxPrimaryClassSize = 45;
inline constexpr int32_t kMaxJuniorClassSize = 50;
// G6, item 6: small village schools and teaching points are funded as if
// they had 100 students.
inline constexpr int32_t kSmallSchoolFundedStudents = 100;
// G7, item 7: special-education schools get at least 6000 yuan (600,000 fen)
// per student.
inline constexpr int64_t kSpecialEducationFundsPerStudentFen = 600000;
// G11, item 11: backbone teachers at least 20% of those rotated (the 10%
// rotation ratio is the definition's threshold).
inline constexpr double kMinBackboneSharePercent = 20;

}  // namespace gzedu::engine

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_INDICATOR_DEFINITIONS_H_
