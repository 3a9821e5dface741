#ifndef GZEDU_COMMON_DOMAIN_DATE_H_
#define GZEDU_COMMON_DOMAIN_DATE_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace gzedu {

// A calendar date (no time, no zone), as the contracts write it:
// "YYYY-MM-DD".
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;

  // The date of a valid "YYYY-MM-DD" (a real calendar day, years 1900 to
  // 2200), or nullopt.
  static std::optional<Date> Parse(absl::string_view text);
  std::string ToString() const;

  // The first day of school year `school_year` (1 September).
  static Date SchoolYearStart(int school_year) { return {school_year, 9, 1}; }
  // The school year a date falls in: from 1 September to 31 August.
  int SchoolYear() const { return month >= 9 ? year : year - 1; }

  bool operator<(const Date& o) const {
    return year != o.year ? year < o.year : month != o.month ? month < o.month : day < o.day;
  }
  bool operator==(const Date& o) const { return year == o.year && month == o.month && day == o.day; }
  bool operator<=(const Date& o) const { return !(o < *this); }
};

// Whole years from `from` to `to` (negative when `to` is earlier): on the
// anniversary itself the year counts.
int WholeYearsBetween(const Date& from, const Date& to);

// Today's date, as a port: servers use the system clock (UTC+8, the
// bureau's day); tests set the date. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Date Today() const = 0;
};

// The real clock, in China Standard Time.
class SystemClock : public Clock {
 public:
  Date Today() const override;
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_DOMAIN_DATE_H_
