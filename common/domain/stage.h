#ifndef GZEDU_COMMON_DOMAIN_STAGE_H_
#define GZEDU_COMMON_DOMAIN_STAGE_H_

#include "absl/strings/string_view.h"

namespace gzedu {

// A school section's stage (学段). Values match gzedu.common.v1.Stage.
enum class Stage { kUnspecified = 0, kPrimary = 1, kJunior = 2 };

inline bool IsKnownStage(Stage stage) { return stage == Stage::kPrimary || stage == Stage::kJunior; }

inline absl::string_view StageName(Stage stage) {
  switch (stage) {
    case Stage::kPrimary:
      return "primary";
    case Stage::kJunior:
      return "junior";
    case Stage::kUnspecified:
      break;
  }
  return "unspecified";
}

// The stage as the Chinese reports name it: 小学, 初中.
inline absl::string_view StageNameInChinese(Stage stage) {
  switch (stage) {
    case Stage::kPrimary:
      return "小学";
    case Stage::kJunior:
      return "初中";
    case Stage::kUnspecified:
      break;
  }
  return "未指定";
}

// What a change-feed entry did. Values match gzedu.common.v1.ChangeKind.
enum class ChangeKind { kUnspecified = 0, kUpsert = 1, kDelete = 2 };

}  // namespace gzedu

#endif  // GZEDU_COMMON_DOMAIN_STAGE_H_
