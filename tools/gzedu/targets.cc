#include "tools/gzedu/targets.h"

#include <cstdlib>

#include <CLI/CLI.hpp>

namespace gzedu::cli {
namespace {

struct ServiceFlag {
  const char* flag;  // without the dashes
  const char* env;
  const char* what;
  std::string TargetFlags::*field;
};

ServiceFlag FlagOf(Service service) {
  switch (service) {
    case Service::kRegistry:
      return {"registry", "GZEDU_REGISTRY", "the school registry", &TargetFlags::registry};
    case Service::kRotation:
      return {"rotation", "GZEDU_ROTATION", "the teacher rotation service", &TargetFlags::rotation};
    case Service::kLedger:
      return {"ledger", "GZEDU_LEDGER", "the funding ledger", &TargetFlags::ledger};
    case Service::kEvaluation:
      return {"evaluation", "GZEDU_EVALUATION", "the indicator evaluation service", &TargetFlags::evaluation};
  }
  std::abort();  // every enumerator is handled above
}

}  // namespace

std::string ResolveTarget(const TargetFlags& flags, Service service,
                          const std::function<const char*(const char*)>& getenv) {
  const ServiceFlag own = FlagOf(service);
  // The command line before the environment, the one service before all.
  if (!(flags.*own.field).empty()) return flags.*own.field;
  if (!flags.target.empty()) return flags.target;
  if (const char* value = getenv(own.env); value != nullptr && *value != '\0') return value;
  if (const char* value = getenv("GZEDU_TARGET"); value != nullptr && *value != '\0') return value;
  return kDefaultTarget;
}

std::string ResolveTarget(const TargetFlags& flags, Service service) {
  return ResolveTarget(flags, service, [](const char* name) { return std::getenv(name); });
}

void AddTargetOptions(CLI::App* command, TargetFlags* flags, std::initializer_list<Service> services) {
  for (CLI::App* level = command; level != nullptr; level = level->get_parent()) {
    // Not on the root: the commands added after this would copy its footer.
    if (level->get_parent() != nullptr) level->footer(TargetRuleHelp());
    if (level->get_option_no_throw("--target") == nullptr) {
      level
          ->add_option("--target", flags->target,
                       std::string("HOST:PORT of `gzedu serve` or of every service called (else GZEDU_TARGET, else ") +
                           kDefaultTarget + ")")
          ->type_name("HOST:PORT");
    }
    for (Service service : services) {
      const ServiceFlag own = FlagOf(service);
      const std::string name = std::string("--") + own.flag;
      if (level->get_option_no_throw(name) != nullptr) continue;
      level
          ->add_option(name, flags->*own.field,
                       std::string("HOST:PORT of ") + own.what + " alone (else --target, else " + own.env + ")")
          ->type_name("HOST:PORT");
    }
  }
}

std::string TargetRuleHelp() {
  return std::string(
             "Where commands send their calls (every command, flags anywhere on the line):\n"
             "  --registry, --rotation, --ledger, --evaluation   one service's address, else\n"
             "  --target                                         every service's address, else\n"
             "  GZEDU_REGISTRY, GZEDU_ROTATION, GZEDU_LEDGER, GZEDU_EVALUATION, else\n"
             "  GZEDU_TARGET, else\n"
             "  ") +
         kDefaultTarget + "                                  where `gzedu serve` listens by default\n";
}

}  // namespace gzedu::cli
