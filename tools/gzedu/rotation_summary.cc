#include "tools/gzedu/rotation_summary.h"

#include <grpcpp/grpcpp.h>

#include <cstdio>

#include "common/domain/districts.h"
#include "common/grpc/status_conversion.h"
#include "common/grpc/tls.h"
#include "gzedu/rotation/v1/rotation.grpc.pb.h"
#include "tools/gzedu/error_text.h"

namespace gzedu::cli {

int PrintRotationSummary(const std::string& target, const std::string& district, int school_year) {
  if (!district.empty() && FindDistrict(district) == nullptr) {
    std::fprintf(stderr, "--district %s: not one of Guangzhou's 11 district codes (440103 ... 440118)\n",
                 district.c_str());
    return 2;
  }
  auto stub = rotation::v1::TeacherRotationService::NewStub(gzedu::OpenChannel(target));
  std::printf(
      "Teacher rotation (G11) at %s, school year %d: at least 10%% of eligible teachers, 20%% of them backbone\n\n",
      target.c_str(), school_year);
  std::printf("%-8s %-11s %9s %8s %9s %8s %9s  %s\n", "district", "", "eligible", "rotated", "backbone", "ratio",
              "backbone%", "verdict");
  for (const District& d : kDistricts) {
    if (!district.empty() && district != d.code) continue;
    rotation::v1::GetRotationSummaryRequest request;
    request.set_district_code(std::string(d.code));
    request.set_school_year(school_year);
    rotation::v1::GetRotationSummaryResponse r;
    grpc::ClientContext context;
    const grpc::Status status = stub->GetRotationSummary(&context, request, &r);
    if (!status.ok()) {
      std::fprintf(stderr, ErrorsInChinese() ? "查询区 %s 的轮岗汇总失败：%s\n" : "GetRotationSummary %s failed: %s\n",
                   std::string(d.code).c_str(), ErrorText(status).c_str());
      return 1;
    }
    std::string verdict = "-";
    if (r.eligible_teachers() > 0) {
      verdict = r.meets_standard() ? "meets"
                                   : "needs " + std::to_string(r.additional_rotations_needed()) + " more (" +
                                         std::to_string(r.additional_backbone_rotations_needed()) + " backbone)";
    }
    std::printf("%-8s %-11s %9d %8d %9d %7.2f%% %8.2f%%  %s\n", std::string(d.code).c_str(),
                std::string(d.name_en).c_str(), r.eligible_teachers(), r.rotated_teachers(),
                r.rotated_backbone_teachers(), r.rotation_ratio(), r.backbone_share(), verdict.c_str());
  }
  return 0;
}

}  // namespace gzedu::cli
