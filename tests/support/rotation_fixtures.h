#ifndef GZEDU_TESTS_SUPPORT_ROTATION_FIXTURES_H_
#define GZEDU_TESTS_SUPPORT_ROTATION_FIXTURES_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "common/domain/date.h"
#include "services/teacher_rotation/domain/teacher.h"

namespace gzedu::testing {

// A clock that says what the test tells it.
class FakeClock : public Clock {
 public:
  explicit FakeClock(Date today) : today_(today) {}
  Date Today() const override { return today_; }
  void Set(Date today) { today_ = today; }

 private:
  Date today_;
};

// A full-time, certified, public-school primary teacher of Huadu at
// `school_code` since `since`, eligible for rotation from 6 years on.
inline rotation::Teacher MakeTeacher(int n, const std::string& since = "2010-08-01",
                                     const std::string& school_code = "2144011401") {
  rotation::Teacher t;
  t.teacher_id = absl::StrCat("HD-T", n);
  t.district_code = "440114";
  t.school_code = school_code;
  t.stage = Stage::kPrimary;
  t.full_time = true;
  t.subject = rotation::Subject::kOther;
  t.highest_degree = rotation::Degree::kBachelor;
  t.backbone_level = rotation::BackboneLevel::kNone;
  t.certified = true;
  t.training_hours_current_cycle = 360;
  t.at_current_school_since = since;
  t.school_ownership = rotation::SchoolOwnership::kPublic;
  return t;
}

inline rotation::Rotation MakeRotation(const std::string& teacher_id, const std::string& effective_date,
                                       const std::string& end_date = "", const std::string& from = "2144011401",
                                       const std::string& to = "2144011402") {
  rotation::Rotation r;
  r.teacher_id = teacher_id;
  r.from_school_code = from;
  r.to_school_code = to;
  r.kind = rotation::RotationKind::kExchange;
  r.effective_date = effective_date;
  r.end_date = end_date;
  return r;
}

}  // namespace gzedu::testing

#endif  // GZEDU_TESTS_SUPPORT_ROTATION_FIXTURES_H_
