#ifndef GZEDU_COMMON_DOMAIN_INPUT_BOUNDS_H_
#define GZEDU_COMMON_DOMAIN_INPUT_BOUNDS_H_

// The documented, realistic upper bounds of every quantity that enters an
// evaluation, whether through a JSON file (gzedu evaluate-file) or through a
// service (registry, rotation, district returns, ledger). A value beyond its
// bound is refused with a message naming the bound; within the bounds every
// sum and product the engine forms fits in 64-bit integers (and the engine's
// comparisons are exact rationals, docs/indicators.md "Exact arithmetic").
//
// Precision of inputs: counts are whole numbers; areas (m²) and multimedia
// rooms have at most two decimals (they are held as hundredths); money has at
// most two decimals of yuan (held as integer fen).

#include <cstdint>

namespace gzedu::bounds {

// Students of one school section (学段单元), or of one school. The largest
// schools in China have about 20,000 students.
inline constexpr int64_t kMaxStudents = 100'000;
// Classes of one section.
inline constexpr int64_t kMaxClasses = 2'000;
// Students in one class (class sizes are recorded 1..200).
inline constexpr int64_t kMaxClassSize = 200;
// Teachers counted in one section.
inline constexpr int64_t kMaxTeachers = 20'000;
// Schools of one district.
inline constexpr int64_t kMaxSchools = 20'000;
// Floor or ground area of one school or section, m² (100 km²).
inline constexpr double kMaxAreaM2 = 100'000'000.0;
// Rooms of one school or section (multimedia classrooms, music and art rooms).
inline constexpr double kMaxRooms = 100'000.0;
// Area of one music or art room, m².
inline constexpr double kMaxRoomAreaM2 = 100'000.0;
// Any one amount of money, in fen: 10^12 yuan (1 万亿元), more than any
// district's yearly budget. Sums over a district's schools stay far below
// INT64_MAX.
inline constexpr int64_t kMaxAmountFen = 100'000'000'000'000;
// Headcounts a district return reports (children, admissions, places,
// teachers): a district's whole population at most.
inline constexpr int64_t kMaxDistrictCount = 50'000'000;
// Average pay, yuan (per month or per year, the same basis on both sides).
inline constexpr double kMaxAveragePayYuan = 100'000'000.0;

}  // namespace gzedu::bounds

#endif  // GZEDU_COMMON_DOMAIN_INPUT_BOUNDS_H_
