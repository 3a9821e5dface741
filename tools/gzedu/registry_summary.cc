#include "tools/gzedu/registry_summary.h"

#include <cstdio>
#include <map>

#include <grpcpp/grpcpp.h>

#include "common/domain/districts.h"
#include "common/grpc/status_conversion.h"
#include "common/grpc/tls.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "tools/gzedu/error_text.h"

namespace gzedu::cli {
namespace {

namespace v1 = registry::v1;

struct DistrictRow {
  int schools = 0;
  int primary_sections = 0;
  int64_t primary_students = 0;
  int64_t primary_classes = 0;
  int junior_sections = 0;
  int64_t junior_students = 0;
  int64_t junior_classes = 0;
};

int Failed(const char* call, const char* call_zh, const grpc::Status& status) {
  if (ErrorsInChinese()) {
    std::fprintf(stderr, "%s失败：%s\n", call_zh, ErrorText(status).c_str());
  } else {
    std::fprintf(stderr, "%s failed: %s\n", call, ErrorText(status).c_str());
  }
  return 1;
}

}  // namespace

int PrintRegistrySummary(const std::string& registry, int school_year) {
  auto stub = v1::SchoolRegistryService::NewStub(gzedu::OpenChannel(registry));
  std::map<std::string, DistrictRow> rows;
  std::map<std::string, std::string> district_of_school;

  v1::ListSchoolsRequest schools_request;
  schools_request.set_page_size(1000);
  do {
    grpc::ClientContext context;
    v1::ListSchoolsResponse response;
    grpc::Status status = stub->ListSchools(&context, schools_request, &response);
    if (!status.ok()) return Failed("ListSchools", "列出学校", status);
    for (const v1::School& school : response.schools()) {
      ++rows[school.district_code()].schools;
      district_of_school[school.school_code()] = school.district_code();
    }
    schools_request.set_page_token(response.next_page_token());
  } while (!schools_request.page_token().empty());

  v1::ListSchoolYearRecordsRequest records_request;
  records_request.set_school_year(school_year);
  records_request.set_page_size(1000);
  do {
    grpc::ClientContext context;
    v1::ListSchoolYearRecordsResponse response;
    grpc::Status status = stub->ListSchoolYearRecords(&context, records_request, &response);
    if (!status.ok()) return Failed("ListSchoolYearRecords", "列出学年记录", status);
    for (const v1::SchoolYearRecord& record : response.records()) {
      DistrictRow& row = rows[district_of_school[record.school_code()]];
      for (const v1::SchoolSection& section : record.sections()) {
        if (section.stage() == common::v1::STAGE_PRIMARY) {
          ++row.primary_sections;
          row.primary_students += section.students();
          row.primary_classes += section.classes();
        } else {
          ++row.junior_sections;
          row.junior_students += section.students();
          row.junior_classes += section.classes();
        }
      }
    }
    records_request.set_page_token(response.next_page_token());
  } while (!records_request.page_token().empty());

  std::printf("School registry at %s, school year %d\n\n", registry.c_str(), school_year);
  std::printf("%-8s %-11s %8s %9s %9s %8s %9s %9s %8s\n", "district", "", "schools", "prim.sec", "prim.stud",
              "prim.cls", "jun.sec", "jun.stud", "jun.cls");
  DistrictRow total;
  for (const District& district : kDistricts) {
    const DistrictRow& row = rows[std::string(district.code)];
    std::printf("%-8s %-11s %8d %9d %9lld %8lld %9d %9lld %8lld\n", std::string(district.code).c_str(),
                std::string(district.name_en).c_str(), row.schools, row.primary_sections,
                static_cast<long long>(row.primary_students), static_cast<long long>(row.primary_classes),
                row.junior_sections, static_cast<long long>(row.junior_students),
                static_cast<long long>(row.junior_classes));
    total.schools += row.schools;
    total.primary_sections += row.primary_sections;
    total.primary_students += row.primary_students;
    total.primary_classes += row.primary_classes;
    total.junior_sections += row.junior_sections;
    total.junior_students += row.junior_students;
    total.junior_classes += row.junior_classes;
  }
  std::printf("%-8s %-11s %8d %9d %9lld %8lld %9d %9lld %8lld\n", "440100", "city", total.schools,
              total.primary_sections, static_cast<long long>(total.primary_students),
              static_cast<long long>(total.primary_classes), total.junior_sections,
              static_cast<long long>(total.junior_students), static_cast<long long>(total.junior_classes));
  return 0;
}

}  // namespace gzedu::cli
