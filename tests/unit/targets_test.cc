// The CLI's target rule (tools/gzedu/targets.h): a service's own flag, then
// its variable, then --target, then GZEDU_TARGET, then where `gzedu serve`
// listens.
#include "tools/gzedu/targets.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "tools/gzedu/serve_command.h"

namespace gzedu::cli {
namespace {

class TargetRuleTest : public ::testing::Test {
 protected:
  std::string Resolve(Service service) {
    return ResolveTarget(flags_, service, [this](const char* name) -> const char* {
      auto it = environment_.find(name);
      return it == environment_.end() ? nullptr : it->second.c_str();
    });
  }

  TargetFlags flags_;
  std::map<std::string, std::string> environment_;
};

TEST_F(TargetRuleTest, DefaultsToWhereServeListens) {
  EXPECT_EQ(Resolve(Service::kRegistry), ServeOptions().listen);
  EXPECT_EQ(Resolve(Service::kEvaluation), ServeOptions().listen);
}

TEST_F(TargetRuleTest, TakesGzeduTargetThenTheTargetFlag) {
  environment_["GZEDU_TARGET"] = "env:1";
  EXPECT_EQ(Resolve(Service::kLedger), "env:1");
  flags_.target = "flag:2";
  EXPECT_EQ(Resolve(Service::kLedger), "flag:2");
}

TEST_F(TargetRuleTest, AServiceVariableOrFlagWinsForThatServiceOnly) {
  flags_.target = "flag:2";
  environment_["GZEDU_ROTATION"] = "rotation-env:3";
  EXPECT_EQ(Resolve(Service::kRotation), "rotation-env:3");
  EXPECT_EQ(Resolve(Service::kRegistry), "flag:2");
  flags_.rotation = "rotation-flag:4";
  EXPECT_EQ(Resolve(Service::kRotation), "rotation-flag:4");
  environment_["GZEDU_EVALUATION"] = "";  // set but empty: as if unset
  EXPECT_EQ(Resolve(Service::kEvaluation), "flag:2");
}

}  // namespace
}  // namespace gzedu::cli
