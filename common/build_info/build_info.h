#ifndef GZEDU_COMMON_BUILD_INFO_BUILD_INFO_H_
#define GZEDU_COMMON_BUILD_INFO_BUILD_INFO_H_

#include <string>

#include "absl/strings/string_view.h"

namespace gzedu {

// What a binary was built from, for `--version` and the gzedu_build_info
// metric. Thread-safe (constants).

// The version of CMake's project() (e.g. "0.1.0").
absl::string_view BuildVersion();

// The git revision the binary was built from: 12 hex digits, with "-dirty"
// when tracked files differed from that commit; the -DGZEDU_REVISION= given
// to CMake (builds without .git); "unknown" when neither is known.
absl::string_view BuildRevision();

// The line `--version` prints: "PROGRAM VERSION (revision REVISION)".
std::string VersionLine(absl::string_view program);

}  // namespace gzedu

#endif  // GZEDU_COMMON_BUILD_INFO_BUILD_INFO_H_
