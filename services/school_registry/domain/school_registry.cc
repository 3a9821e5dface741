#include "services/school_registry/domain/school_registry.h"

#include <memory>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/domain/fingerprint.h"
#include "common/domain/requests.h"
#include "common/domain/text.h"
#include "common/status/field_violations.h"
#include "common/status/macros.h"
#include "common/status/texts.h"
#include "services/school_registry/domain/validation.h"

namespace gzedu::registry {
namespace {

void AddSchool(Fingerprint& fp, const School& s) {
  fp.Add(s.school_code).Add(s.name).Add(s.district_code);
  fp.Add(static_cast<int64_t>(s.school_type)).Add(static_cast<int64_t>(s.ownership));
  fp.Add(static_cast<int64_t>(s.locale)).Add(s.boarding).Add(static_cast<int64_t>(s.build_year));
}

void AddRecord(Fingerprint& fp, const SchoolYearRecord& r) {
  fp.Add(r.school_code).Add(static_cast<int64_t>(r.school_year));
  fp.Add(static_cast<int64_t>(r.sections.size()));
  for (const SchoolSection& s : r.sections) {
    fp.Add(static_cast<int64_t>(s.stage)).Add(static_cast<int64_t>(s.students)).Add(static_cast<int64_t>(s.classes));
    fp.Add(static_cast<int64_t>(s.class_sizes.size()));
    for (int32_t size : s.class_sizes) fp.Add(static_cast<int64_t>(size));
    fp.Add(s.facilities.has_value());
    if (s.facilities) {
      fp.Add(s.facilities->teaching_area_m2).Add(s.facilities->sports_area_m2);
      fp.Add(s.facilities->equipment_value_fen).Add(s.facilities->multimedia_rooms);
    }
  }
  const SchoolFacilities& f = r.facilities;
  fp.Add(f.teaching_area_m2).Add(f.sports_area_m2).Add(f.equipment_value_fen);
  fp.Add(static_cast<int64_t>(f.multimedia_rooms));
  fp.Add(static_cast<int64_t>(f.music_room_areas_m2.size()));
  for (double a : f.music_room_areas_m2) fp.Add(a);
  fp.Add(static_cast<int64_t>(f.art_room_areas_m2.size()));
  for (double a : f.art_room_areas_m2) fp.Add(a);
  fp.Add(static_cast<int64_t>(r.special_education_students));
}

// The stored answer to a repeated request, nullopt for a new one.
absl::StatusOr<std::optional<WriteSummary>> CheckReplay(RegistryWriteTransaction& txn, const std::string& request_id,
                                                        const std::string& fingerprint) {
  ASSIGN_OR_RETURN(std::optional<RequestRecord> previous, gzedu::CheckReplay(txn, request_id, fingerprint));
  if (!previous.has_value()) return std::optional<WriteSummary>();
  return std::optional<WriteSummary>(previous->summary);
}

// Counts a change in the summary and returns its version.
absl::StatusOr<int64_t> Record(RegistryWriteTransaction& txn, const Change& change, WriteSummary& summary,
                               ChangeEventBuilder& event) {
  ASSIGN_OR_RETURN(int64_t version, txn.AppendChange(change));
  event.Add(change.district_code, version);
  if (summary.first_change_version == 0) summary.first_change_version = version;
  summary.last_change_version = version;
  return version;
}

absl::StatusOr<WriteSummary> Finish(RegistryWriteTransaction& txn, const std::string& request_id,
                                    const std::string& fingerprint, const WriteSummary& summary,
                                    const ChangeEventBuilder& event, EventPublisher* publisher) {
  RETURN_IF_ERROR(txn.PutRequest({request_id, fingerprint, summary, ""}));
  RETURN_IF_ERROR(txn.Commit());
  event.PublishTo(publisher);
  return summary;
}

// Page tokens: the last key of the previous page.
std::string SchoolToken(const std::string& last_code) { return EncodePageToken("s1", last_code); }

std::string RecordToken(const SchoolYearKey& last) {
  return EncodePageToken("r1", absl::StrCat(last.school_code, ":", last.school_year));
}

std::optional<std::string> ParseSchoolToken(const std::string& token) { return DecodePageToken("s1", token); }

std::optional<SchoolYearKey> ParseRecordToken(const std::string& token) {
  std::optional<std::string> raw = DecodePageToken("r1", token);
  if (!raw.has_value()) return std::nullopt;
  std::vector<std::string> parts = absl::StrSplit(*raw, ':');
  SchoolYearKey key;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[1], &key.school_year)) return std::nullopt;
  key.school_code = parts[0];
  return key;
}

}  // namespace

absl::StatusOr<WriteSummary> SchoolRegistry::UpsertSchools(const std::string& request_id,
                                                           const std::vector<School>& schools, bool dry_run,
                                                           const AccessScope& scope) {
  FieldViolations violations;
  ValidateRequestId(request_id, violations);
  ValidateSchoolBatch(schools, violations);
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("UpsertSchools", "写入学校")));

  Fingerprint fp;
  fp.Add(absl::string_view("UpsertSchools")).Add(static_cast<int64_t>(schools.size()));
  for (const School& school : schools) AddSchool(fp, school);
  const std::string fingerprint = fp.Hex();

  ASSIGN_OR_RETURN(std::unique_ptr<RegistryWriteTransaction> txn, repository_->BeginWrite());
  {
    std::vector<std::string> codes;
    for (const School& school : schools) codes.push_back(school.school_code);
    RETURN_IF_ERROR(txn->PrefetchSchools(codes));
  }
  if (!scope.whole_city) {
    FieldViolations outside;
    for (size_t i = 0; i < schools.size(); ++i) {
      const std::string path = absl::StrCat("schools[", i, "]");
      const LocalizedText what{absl::StrCat("school ", schools[i].school_code),
                               absl::StrCat("学校 ", schools[i].school_code)};
      scope.Check(schools[i].district_code, path + ".district_code", what, outside);
      ASSIGN_OR_RETURN(std::optional<School> existing, txn->FindSchool(schools[i].school_code));
      if (existing.has_value() && existing->district_code != schools[i].district_code) {
        scope.Check(existing->district_code, path, {what.en + " (registered)", what.zh + "（已登记）"}, outside);
      }
    }
    RETURN_IF_ERROR(outside.ToPermissionDenied(texts::OutsideScope("UpsertSchools", "写入学校")));
  }
  if (!dry_run) {
    ASSIGN_OR_RETURN(std::optional<WriteSummary> replay, CheckReplay(*txn, request_id, fingerprint));
    if (replay.has_value()) return *replay;
  }
  // A school's new type must fit the school-year records it already has (a
  // primary section under a junior school is a record no evaluation can
  // take, and would stop the city's): such a change is refused until those
  // records are changed or deleted.
  for (size_t i = 0; i < schools.size(); ++i) {
    ASSIGN_OR_RETURN(std::optional<School> existing, txn->FindSchool(schools[i].school_code));
    if (!existing.has_value() || existing->school_type == schools[i].school_type) continue;
    ASSIGN_OR_RETURN(std::vector<int32_t> years, txn->ListSchoolYears(schools[i].school_code));
    for (int32_t year : years) {
      ASSIGN_OR_RETURN(std::optional<SchoolYearRecord> record,
                       txn->FindSchoolYearRecord({schools[i].school_code, year}));
      if (!record.has_value()) continue;
      FieldViolations misfits;
      ValidateRecordFitsSchoolType(*record, schools[i].school_type, "record", misfits);
      if (misfits.empty()) continue;
      const FieldViolation& first = misfits.list().front();
      violations.Add(
          absl::StrCat("schools[", i, "].school_type"),
          absl::StrCat("school ", schools[i].school_code, "'s ", year, " record does not fit this type (", first.field,
                       ": ", first.description, "); change or delete its school-year records first"),
          absl::StrCat("学校 ", schools[i].school_code, " 的 ", year, " 学年记录与此学校类型不符（", first.field, "：",
                       first.description_zh, "）；请先修改或删除其学年记录"));
      break;
    }
  }
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("UpsertSchools", "写入学校")));
  WriteSummary summary;
  ChangeEventBuilder event("registry");
  summary.dry_run = dry_run;
  for (const School& incoming : schools) {
    ASSIGN_OR_RETURN(std::optional<School> existing, txn->FindSchool(incoming.school_code));
    if (existing.has_value() && existing->SameContent(incoming)) {
      ++summary.unchanged_count;
      continue;
    }
    ++(existing.has_value() ? summary.updated_count : summary.created_count);
    if (dry_run) continue;
    const bool moved = existing.has_value() && existing->district_code != incoming.district_code;
    std::vector<int32_t> years;
    if (moved) {
      // A consumer routing the feed by district must drop its copies in
      // the old district: tombstones there (records first, as DeleteSchool
      // does), then the school and its records again under the new one.
      ASSIGN_OR_RETURN(years, txn->ListSchoolYears(incoming.school_code));
      for (int32_t year : years) {
        const SchoolYearKey key{incoming.school_code, year};
        RETURN_IF_ERROR(
            Record(*txn, Change{0, ChangeKind::kDelete, request_id, existing->district_code, key}, summary, event)
                .status());
      }
      RETURN_IF_ERROR(Record(*txn,
                             Change{0, ChangeKind::kDelete, request_id, existing->district_code, incoming.school_code},
                             summary, event)
                          .status());
    }
    School school = incoming;
    ASSIGN_OR_RETURN(
        school.change_version,
        Record(*txn, Change{0, ChangeKind::kUpsert, request_id, school.district_code, school}, summary, event));
    RETURN_IF_ERROR(txn->PutSchool(school));
    for (int32_t year : years) {
      ASSIGN_OR_RETURN(std::optional<SchoolYearRecord> record,
                       txn->FindSchoolYearRecord(SchoolYearKey{school.school_code, year}));
      if (!record.has_value()) continue;
      ASSIGN_OR_RETURN(
          record->change_version,
          Record(*txn, Change{0, ChangeKind::kUpsert, request_id, school.district_code, *record}, summary, event));
      RETURN_IF_ERROR(txn->PutSchoolYearRecord(*record));
    }
  }
  if (dry_run) return summary;  // the transaction rolls back unwritten
  return Finish(*txn, request_id, fingerprint, summary, event, publisher_);
}

absl::Status SchoolRegistry::CheckGetSchool(const std::string& school_code) {
  FieldViolations violations;
  ValidateSchoolCode(school_code, "", violations);
  return violations.ToStatus(texts::InvalidRequest("GetSchool", "查询学校"));
}

absl::Status SchoolRegistry::SchoolNotFound(const std::string& school_code) {
  return LocalizedError(absl::StatusCode::kNotFound, {absl::StrCat("school ", school_code, " is not registered"),
                                                      absl::StrCat("学校 ", school_code, " 未登记")});
}

absl::StatusOr<School> SchoolRegistry::GetSchool(const std::string& school_code) {
  RETURN_IF_ERROR(CheckGetSchool(school_code));
  ASSIGN_OR_RETURN(std::optional<School> school, repository_->GetSchool(school_code));
  if (!school.has_value()) return SchoolNotFound(school_code);
  return *school;
}

absl::StatusOr<SchoolPageQuery> SchoolRegistry::ParseListSchools(const std::string& district_code, int32_t page_size,
                                                                 const std::string& page_token) {
  FieldViolations violations;
  if (!district_code.empty()) ValidateDistrictCode(district_code, "", violations);
  const int32_t limit = EffectivePageSize(page_size, violations);
  std::string after;
  if (!page_token.empty()) {
    std::optional<std::string> parsed = ParseSchoolToken(page_token);
    if (!parsed.has_value()) {
      violations.Add("page_token", texts::InvalidPageToken());
    } else {
      after = *parsed;
    }
  }
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("ListSchools", "列出学校")));
  return SchoolPageQuery{district_code, std::move(after), limit};
}

std::string SchoolRegistry::SchoolPageToken(const std::string& last_school_code) {
  return SchoolToken(last_school_code);
}

absl::StatusOr<SchoolPage> SchoolRegistry::ListSchools(const std::string& district_code, int32_t page_size,
                                                       const std::string& page_token) {
  ASSIGN_OR_RETURN(const SchoolPageQuery query, ParseListSchools(district_code, page_size, page_token));
  const int32_t limit = query.limit;
  // One extra row tells whether another page follows.
  ASSIGN_OR_RETURN(std::vector<School> schools, repository_->ListSchools(district_code, query.after_code, limit + 1));
  SchoolPage page;
  if (static_cast<int32_t>(schools.size()) > limit) {
    schools.resize(limit);
    page.next_page_token = SchoolToken(schools.back().school_code);
  }
  page.schools = std::move(schools);
  return page;
}

absl::StatusOr<WriteSummary> SchoolRegistry::DeleteSchool(const std::string& request_id, const std::string& school_code,
                                                          const AccessScope& scope) {
  FieldViolations violations;
  ValidateRequestId(request_id, violations);
  ValidateSchoolCode(school_code, "", violations);
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("DeleteSchool", "删除学校")));
  Fingerprint fp;
  fp.Add(absl::string_view("DeleteSchool")).Add(school_code);
  const std::string fingerprint = fp.Hex();

  ASSIGN_OR_RETURN(std::unique_ptr<RegistryWriteTransaction> txn, repository_->BeginWrite());
  ASSIGN_OR_RETURN(std::optional<School> school, txn->FindSchool(school_code));
  if (school.has_value()) {
    FieldViolations outside;
    scope.Check(school->district_code, "school_code",
                {absl::StrCat("school ", school_code), absl::StrCat("学校 ", school_code)}, outside);
    RETURN_IF_ERROR(outside.ToPermissionDenied(texts::OutsideScope("DeleteSchool", "删除学校")));
  }
  ASSIGN_OR_RETURN(std::optional<WriteSummary> replay, CheckReplay(*txn, request_id, fingerprint));
  if (replay.has_value()) return *replay;
  if (!school.has_value()) {
    return LocalizedError(absl::StatusCode::kNotFound, {absl::StrCat("school ", school_code, " is not registered"),
                                                        absl::StrCat("学校 ", school_code, " 未登记")});
  }

  WriteSummary summary;
  ChangeEventBuilder event("registry");
  // The records go first, so a mirror replaying the feed never holds a record
  // whose school it has already dropped.
  ASSIGN_OR_RETURN(std::vector<int32_t> years, txn->ListSchoolYears(school_code));
  for (int32_t year : years) {
    const SchoolYearKey key{school_code, year};
    RETURN_IF_ERROR(
        Record(*txn, Change{0, ChangeKind::kDelete, request_id, school->district_code, key}, summary, event).status());
    RETURN_IF_ERROR(txn->DeleteSchoolYearRecord(key));
    ++summary.updated_count;
  }
  RETURN_IF_ERROR(
      Record(*txn, Change{0, ChangeKind::kDelete, request_id, school->district_code, school_code}, summary, event)
          .status());
  RETURN_IF_ERROR(txn->DeleteSchool(school_code));
  ++summary.updated_count;
  return Finish(*txn, request_id, fingerprint, summary, event, publisher_);
}

absl::StatusOr<WriteSummary> SchoolRegistry::UpsertSchoolYearRecords(const std::string& request_id,
                                                                     const std::vector<SchoolYearRecord>& records,
                                                                     bool dry_run, const AccessScope& scope) {
  FieldViolations violations;
  ValidateRequestId(request_id, violations);
  ValidateRecordBatch(records, violations);
  if (records.size() > static_cast<size_t>(kMaxBatchSize)) {
    return violations.ToStatus(texts::InvalidRequest("UpsertSchoolYearRecords", "写入学年记录"));
  }

  Fingerprint fp;
  fp.Add(absl::string_view("UpsertSchoolYearRecords")).Add(static_cast<int64_t>(records.size()));
  for (const SchoolYearRecord& record : records) AddRecord(fp, record);
  const std::string fingerprint = fp.Hex();

  ASSIGN_OR_RETURN(std::unique_ptr<RegistryWriteTransaction> txn, repository_->BeginWrite());
  {
    std::vector<std::string> codes;
    std::vector<SchoolYearKey> keys;
    for (const SchoolYearRecord& record : records) {
      codes.push_back(record.school_code);
      keys.push_back(record.key());
    }
    RETURN_IF_ERROR(txn->PrefetchSchools(codes));
    RETURN_IF_ERROR(txn->PrefetchSchoolYearRecords(keys));
  }
  if (!dry_run && violations.empty()) {
    ASSIGN_OR_RETURN(std::optional<WriteSummary> replay, CheckReplay(*txn, request_id, fingerprint));
    if (replay.has_value()) return *replay;
  }
  // Every record's school must be registered and of a type that has the
  // record's sections. These problems are reported together with those of
  // the records' own content, so a district fixes its file in one pass.
  std::vector<std::string> districts(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    const std::string path = absl::StrCat("records[", i, "]");
    if (!IsDigits(records[i].school_code, 10)) continue;  // already reported
    ASSIGN_OR_RETURN(std::optional<School> school, txn->FindSchool(records[i].school_code));
    if (!school.has_value()) {
      violations.Add(path + ".school_code",
                     absl::StrCat("school ", records[i].school_code, " is not registered; upsert it first"),
                     absl::StrCat("学校 ", records[i].school_code, " 未登记；请先写入该学校"));
      continue;
    }
    districts[i] = school->district_code;
    ValidateRecordFitsSchoolType(records[i], school->school_type, path, violations);
  }
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("UpsertSchoolYearRecords", "写入学年记录")));
  FieldViolations outside;
  for (size_t i = 0; i < records.size(); ++i) {
    scope.Check(districts[i], absl::StrCat("records[", i, "].school_code"),
                {absl::StrCat("school ", records[i].school_code), absl::StrCat("学校 ", records[i].school_code)},
                outside);
  }
  RETURN_IF_ERROR(outside.ToPermissionDenied(texts::OutsideScope("UpsertSchoolYearRecords", "写入学年记录")));

  WriteSummary summary;
  ChangeEventBuilder event("registry");
  summary.dry_run = dry_run;
  for (size_t i = 0; i < records.size(); ++i) {
    ASSIGN_OR_RETURN(std::optional<SchoolYearRecord> existing, txn->FindSchoolYearRecord(records[i].key()));
    if (existing.has_value() && existing->SameContent(records[i])) {
      ++summary.unchanged_count;
      continue;
    }
    ++(existing.has_value() ? summary.updated_count : summary.created_count);
    if (dry_run) continue;
    SchoolYearRecord record = records[i];
    ASSIGN_OR_RETURN(record.change_version,
                     Record(*txn, Change{0, ChangeKind::kUpsert, request_id, districts[i], record}, summary, event));
    RETURN_IF_ERROR(txn->PutSchoolYearRecord(record));
  }
  if (dry_run) return summary;
  return Finish(*txn, request_id, fingerprint, summary, event, publisher_);
}

absl::StatusOr<SchoolYearRecordPage> SchoolRegistry::ListSchoolYearRecords(const std::string& district_code,
                                                                           int32_t school_year, int32_t page_size,
                                                                           const std::string& page_token) {
  FieldViolations violations;
  if (!district_code.empty()) ValidateDistrictCode(district_code, "", violations);
  if (school_year != 0 && (school_year < kMinSchoolYear || school_year > kMaxSchoolYear)) {
    violations.Add("school_year",
                   absl::StrCat("must be 0 (every year) or between ", kMinSchoolYear, " and ", kMaxSchoolYear),
                   absl::StrCat("必须为 0（所有学年）或在 ", kMinSchoolYear, " 到 ", kMaxSchoolYear, " 之间"));
  }
  RecordQuery query;
  query.district_code = district_code;
  query.school_year = school_year;
  query.limit = EffectivePageSize(page_size, violations);
  if (!page_token.empty()) {
    query.after = ParseRecordToken(page_token);
    if (!query.after.has_value()) violations.Add("page_token", texts::InvalidPageToken());
  }
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("ListSchoolYearRecords", "列出学年记录")));
  const int32_t limit = query.limit;
  query.limit = limit + 1;
  ASSIGN_OR_RETURN(std::vector<SchoolYearRecord> records, repository_->ListSchoolYearRecords(query));
  SchoolYearRecordPage page;
  if (static_cast<int32_t>(records.size()) > limit) {
    records.resize(limit);
    page.next_page_token = RecordToken(records.back().key());
  }
  page.records = std::move(records);
  return page;
}

absl::StatusOr<ChangePage> SchoolRegistry::ListChanges(int64_t since_version, int32_t page_size) {
  FieldViolations violations;
  if (since_version < 0) violations.Add("since_version", texts::MustBeNonNegative());
  const int32_t limit = EffectivePageSize(page_size, violations);
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("ListChanges", "读取变更")));
  ChangePage page;
  ASSIGN_OR_RETURN(page.changes, repository_->ListChanges(since_version, limit));
  // Read after the page, so latest_version is never below the page's last
  // version: a client that has not reached it knows to ask again.
  ASSIGN_OR_RETURN(page.latest_version, repository_->LatestChangeVersion());
  return page;
}

}  // namespace gzedu::registry
