#ifndef GZEDU_COMMON_GRPC_COMMON_CONVERSIONS_H_
#define GZEDU_COMMON_GRPC_COMMON_CONVERSIONS_H_

#include "common/domain/requests.h"
#include "gzedu/common/v1/common.pb.h"

namespace gzedu {

// The domain's WriteSummary as the contracts' gzedu.common.v1.WriteSummary.
void ToProto(const WriteSummary& summary, common::v1::WriteSummary* proto);

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_COMMON_CONVERSIONS_H_
