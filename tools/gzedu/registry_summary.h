#ifndef GZEDU_TOOLS_GZEDU_REGISTRY_SUMMARY_H_
#define GZEDU_TOOLS_GZEDU_REGISTRY_SUMMARY_H_

#include <string>

namespace gzedu::cli {

// `gzedu registry summary`: reads every school and the school-year records of
// `school_year` from the registry at `registry` through the public API (page
// by page) and prints one row per district: schools, primary and junior
// sections with their students and classes. Returns the exit status: 0, or 1
// when the registry failed.
int PrintRegistrySummary(const std::string& registry, int school_year);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_REGISTRY_SUMMARY_H_
