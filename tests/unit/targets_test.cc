// The CLI's target rule (tools/gzedu/targets.h): a service's own flag, then
// --target, then the service's variable, then GZEDU_TARGET, then where `gzedu
// serve` listens: the command line before the environment.
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

TEST_F(TargetRuleTest, TheCommandLineWinsOverTheEnvironmentAndAServiceOverAll) {
  environment_["GZEDU_ROTATION"] = "rotation-env:3";
  EXPECT_EQ(Resolve(Service::kRotation), "rotation-env:3");
  EXPECT_EQ(Resolve(Service::kRegistry), ServeOptions().listen);
  flags_.target = "flag:2";  // the command line over the variable
  EXPECT_EQ(Resolve(Service::kRotation), "flag:2");
  EXPECT_EQ(Resolve(Service::kRegistry), "flag:2");
  flags_.rotation = "rotation-flag:4";
  EXPECT_EQ(Resolve(Service::kRotation), "rotation-flag:4");
  EXPECT_EQ(Resolve(Service::kRegistry), "flag:2");
  flags_.target.clear();
  environment_["GZEDU_TARGET"] = "env:1";  // the service's variable over the general one
  EXPECT_EQ(Resolve(Service::kRotation), "rotation-flag:4");
  flags_.rotation.clear();
  EXPECT_EQ(Resolve(Service::kRotation), "rotation-env:3");
  environment_["GZEDU_EVALUATION"] = "";  // set but empty: as if unset
  EXPECT_EQ(Resolve(Service::kEvaluation), "env:1");
}

}  // namespace
}  // namespace gzedu::cli
