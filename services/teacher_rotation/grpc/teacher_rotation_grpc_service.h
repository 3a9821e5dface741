#ifndef GZEDU_SERVICES_TEACHER_ROTATION_GRPC_TEACHER_ROTATION_GRPC_SERVICE_H_
#define GZEDU_SERVICES_TEACHER_ROTATION_GRPC_TEACHER_ROTATION_GRPC_SERVICE_H_

#include "gzedu/rotation/v1/rotation.grpc.pb.h"
#include "services/teacher_rotation/domain/teacher_rotation.h"

namespace gzedu::rotation {

// Proto <-> domain conversions. Enum values outside the known sets pass
// through so that validation names them.
Teacher FromProto(const v1::Teacher& proto);
Rotation FromProto(const v1::Rotation& proto);
void ToProto(const Teacher& teacher, v1::Teacher* proto);
void ToProto(const Rotation& rotation, v1::Rotation* proto);

// The gRPC face of TeacherRotation: one domain call per method, the status
// converted once, the call logged with its request id. Thread-safe; does not
// own the use cases.
class TeacherRotationGrpcService final : public v1::TeacherRotationService::Service {
 public:
  explicit TeacherRotationGrpcService(TeacherRotation* rotation) : rotation_(rotation) {}

  grpc::Status UpsertTeachers(grpc::ServerContext* context, const v1::UpsertTeachersRequest* request,
                              v1::UpsertTeachersResponse* response) override;
  grpc::Status ListTeachers(grpc::ServerContext* context, const v1::ListTeachersRequest* request,
                            v1::ListTeachersResponse* response) override;
  grpc::Status ProposeRotation(grpc::ServerContext* context, const v1::ProposeRotationRequest* request,
                               v1::ProposeRotationResponse* response) override;
  grpc::Status ApproveRotation(grpc::ServerContext* context, const v1::ApproveRotationRequest* request,
                               v1::ApproveRotationResponse* response) override;
  grpc::Status CancelRotation(grpc::ServerContext* context, const v1::CancelRotationRequest* request,
                              v1::CancelRotationResponse* response) override;
  grpc::Status ListRotations(grpc::ServerContext* context, const v1::ListRotationsRequest* request,
                             v1::ListRotationsResponse* response) override;
  grpc::Status GetSectionStaffing(grpc::ServerContext* context, const v1::GetSectionStaffingRequest* request,
                                  v1::GetSectionStaffingResponse* response) override;
  grpc::Status GetRotationSummary(grpc::ServerContext* context, const v1::GetRotationSummaryRequest* request,
                                  v1::GetRotationSummaryResponse* response) override;
  grpc::Status ListChanges(grpc::ServerContext* context, const v1::ListChangesRequest* request,
                           v1::ListChangesResponse* response) override;

 private:
  TeacherRotation* rotation_;
};

}  // namespace gzedu::rotation

#endif  // GZEDU_SERVICES_TEACHER_ROTATION_GRPC_TEACHER_ROTATION_GRPC_SERVICE_H_
