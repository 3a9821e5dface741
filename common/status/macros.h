#ifndef GZEDU_COMMON_STATUS_MACROS_H_
#define GZEDU_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// RETURN_IF_ERROR(expr): returns the absl::Status of `expr` when it is not OK.
#define RETURN_IF_ERROR(expr)                      \
  do {                                             \
    const absl::Status gzedu_status_ = (expr);     \
    if (!gzedu_status_.ok()) return gzedu_status_; \
  } while (false)

// ASSIGN_OR_RETURN(lhs, expr): evaluates the absl::StatusOr `expr`; returns
// its status when it is not OK, otherwise moves its value into `lhs` (which
// may be a declaration).
#define ASSIGN_OR_RETURN(lhs, expr) \
  GZEDU_ASSIGN_OR_RETURN_IMPL(GZEDU_STATUS_CONCAT(gzedu_status_or_, __LINE__), lhs, expr)

#define GZEDU_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(*tmp)
#define GZEDU_STATUS_CONCAT_INNER(a, b) a##b
#define GZEDU_STATUS_CONCAT(a, b) GZEDU_STATUS_CONCAT_INNER(a, b)

#endif  // GZEDU_COMMON_STATUS_MACROS_H_
