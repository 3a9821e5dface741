#ifndef GZEDU_TOOLS_GZEDU_ROTATION_SUMMARY_H_
#define GZEDU_TOOLS_GZEDU_ROTATION_SUMMARY_H_

#include <string>

namespace gzedu::cli {

// `gzedu rotation summary`: each district's G11 figures for `school_year`
// from the rotation service at `target` (one GetRotationSummary per
// district; `district` limits it to one). Returns 0, or 1 when the service
// failed.
int PrintRotationSummary(const std::string& target, const std::string& district, int school_year);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_ROTATION_SUMMARY_H_
