#include "common/grpc/common_conversions.h"

namespace gzedu {

void ToProto(const WriteSummary& s, common::v1::WriteSummary* p) {
  p->set_created_count(s.created_count);
  p->set_updated_count(s.updated_count);
  p->set_unchanged_count(s.unchanged_count);
  p->set_first_change_version(s.first_change_version);
  p->set_last_change_version(s.last_change_version);
  p->set_replayed(s.replayed);
  p->set_dry_run(s.dry_run);
}

}  // namespace gzedu
