#include "common/build_info/build_info.h"

#include "absl/strings/str_cat.h"

namespace gzedu {
namespace internal {
// Defined in the generated build_revision.cc (cmake/WriteRevision.cmake), so
// a new commit recompiles that one file only.
extern const char kBuildRevision[];
}  // namespace internal

absl::string_view BuildVersion() { return GZEDU_VERSION; }

absl::string_view BuildRevision() { return internal::kBuildRevision; }

std::string VersionLine(absl::string_view program) {
  return absl::StrCat(program, " ", BuildVersion(), " (revision ", BuildRevision(), ")");
}

}  // namespace gzedu
