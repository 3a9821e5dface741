// EncodedSchools holds what the last write of each school says, whatever
// order the commits are told in (a store's group commit tells the
// transactions of one group in any order, and a commit may be told after a
// load that already holds it).
#include "services/school_registry/grpc/encoded_schools.h"

#include <gtest/gtest.h>

#include "gzedu/registry/v1/registry.pb.h"

namespace gzedu::registry {
namespace {

School Make(const std::string& code, const std::string& district, const std::string& name, int64_t version) {
  School school;
  school.school_code = code;
  school.district_code = district;
  school.name = name;
  school.school_type = SchoolType::kPrimary;
  school.change_version = version;
  return school;
}

SchoolWrite Put(const School& school) { return SchoolWrite{school.school_code, school, school.change_version}; }
SchoolWrite Deleted(const std::string& code, int64_t version) { return SchoolWrite{code, std::nullopt, version}; }

// The name the held bytes carry, or "(none)".
std::string NameHeld(const EncodedSchools& schools, const std::string& code) {
  std::optional<EncodedSchools::Held> held = schools.Find(code);
  if (!held.has_value()) return "(none)";
  v1::GetSchoolResponse response;  // the field is a whole GetSchoolResponse
  const std::string bytes(reinterpret_cast<const char*>(held->field.begin()), held->field.size());
  EXPECT_TRUE(response.ParseFromString(bytes));
  return response.school().name();
}

TEST(EncodedSchoolsTest, AWriteToldLateNeverUndoesALaterOne) {
  EncodedSchools schools;
  EXPECT_FALSE(schools.loaded());
  schools.Load({Make("4400000001", "440103", "loaded", 10)}, 10);
  ASSERT_TRUE(schools.loaded());

  schools.Committed({Put(Make("4400000001", "440103", "already in the load", 9))});
  EXPECT_EQ(NameHeld(schools, "4400000001"), "loaded");

  schools.Committed({Put(Make("4400000001", "440103", "twelve", 12))});
  schools.Committed({Put(Make("4400000001", "440103", "eleven, told late", 11))});
  EXPECT_EQ(NameHeld(schools, "4400000001"), "twelve");

  schools.Committed({Deleted("4400000001", 14)});
  schools.Committed({Put(Make("4400000001", "440103", "thirteen, told after the deletion", 13))});
  EXPECT_EQ(NameHeld(schools, "4400000001"), "(none)");
  EXPECT_TRUE(schools.List("440103", "", 10).fields.empty());

  schools.Committed({Put(Make("4400000001", "440114", "registered again", 15))});
  EXPECT_EQ(NameHeld(schools, "4400000001"), "registered again");
  EXPECT_EQ(schools.Find("4400000001")->district_code, "440114");
  EXPECT_TRUE(schools.List("440103", "", 10).fields.empty());
  EXPECT_EQ(schools.List("440114", "", 10).fields.size(), 1u);
}

TEST(EncodedSchoolsTest, PagesFollowSchoolCodeOrderAndSayWhereTheNextStarts) {
  EncodedSchools schools;
  std::vector<School> loaded;
  for (int i = 1; i <= 5; ++i)
    loaded.push_back(Make("440000000" + std::to_string(i), i % 2 ? "440103" : "440114", "s", i));
  schools.Load(loaded, 5);
  EncodedSchools::Page first = schools.List("", "", 2);
  EXPECT_EQ(first.fields.size(), 2u);
  EXPECT_EQ(first.more_after_code, "4400000002");
  EncodedSchools::Page last = schools.List("", "4400000004", 2);
  EXPECT_EQ(last.fields.size(), 1u);
  EXPECT_EQ(last.more_after_code, "");
  EncodedSchools::Page liwan = schools.List("440103", "", 3);
  EXPECT_EQ(liwan.fields.size(), 3u);  // 1, 3, 5: exactly one page
  EXPECT_EQ(liwan.more_after_code, "");
}

}  // namespace
}  // namespace gzedu::registry
