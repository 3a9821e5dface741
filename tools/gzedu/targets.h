#ifndef GZEDU_TOOLS_GZEDU_TARGETS_H_
#define GZEDU_TOOLS_GZEDU_TARGETS_H_

#include <functional>
#include <initializer_list>
#include <string>

namespace CLI {
class App;
}  // namespace CLI

namespace gzedu::cli {

// Where the CLI sends its calls, one rule for every command:
//
//   --registry / --rotation / --ledger / --evaluation (the service's own flag)
//   > --target
//   > GZEDU_REGISTRY / GZEDU_ROTATION / GZEDU_LEDGER / GZEDU_EVALUATION
//   > GZEDU_TARGET > kDefaultTarget
//
// (the command line before the environment, one service before all).
//
// The default is where `gzedu serve` listens (all four services on one
// port). The flags are accepted anywhere on the command line: before or after
// the subcommands and their positional arguments.

// `gzedu serve`'s default --listen, and so the CLI's default target.
inline constexpr char kDefaultTarget[] = "127.0.0.1:50060";

// The four services a command may call.
enum class Service { kRegistry, kRotation, kLedger, kEvaluation };

// The target flags as given on the command line (empty: not given). Plain
// value type.
struct TargetFlags {
  std::string target;
  std::string registry;
  std::string rotation;
  std::string ledger;
  std::string evaluation;
};

// The HOST:PORT `service` is called at, by the rule above; `getenv` reads
// the environment (std::getenv outside tests; it returns null for unset).
std::string ResolveTarget(const TargetFlags& flags, Service service,
                          const std::function<const char*(const char*)>& getenv);
// The same with the process's environment.
std::string ResolveTarget(const TargetFlags& flags, Service service);

// Declares --target and the flags of `services` on `command` and on every
// command above it (up to the root), all bound to `flags`, so they may be
// given at any level; a flag already declared at a level is not declared
// again; the --help of each of them but the root ends with TargetRuleHelp
// (give the root its footer after adding every command). `flags` must
// outlive parsing.
void AddTargetOptions(CLI::App* command, TargetFlags* flags, std::initializer_list<Service> services);

// The rule above in words, for `gzedu --help`.
std::string TargetRuleHelp();

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_TARGETS_H_
