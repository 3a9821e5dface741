#include "services/school_registry/grpc/encoded_schools.h"

#include <mutex>
#include <utility>

#include "common/grpc/unary_reactions.h"
#include "gzedu/registry/v1/registry.pb.h"
#include "services/school_registry/grpc/conversions.h"

namespace gzedu::registry {
namespace {

// `school` as field 1 of an enclosing message: the tag (field 1, length
// delimited), the length, the v1::School.
grpc::Slice EncodeField1(const School& school) {
  v1::School message;
  ToProto(school, &message);
  return grpc::Slice(EncodeAsField1(message));
}

}  // namespace

void EncodedSchools::Load(std::vector<School> schools, int64_t as_of_version) {
  std::vector<grpc::Slice> fields;
  fields.reserve(schools.size());
  for (const School& school : schools) fields.push_back(EncodeField1(school));
  std::unique_lock<std::shared_mutex> lock(mutex_);
  by_code_.clear();
  by_district_.clear();
  deleted_at_.clear();
  loaded_version_ = as_of_version;
  for (size_t i = 0; i < schools.size(); ++i) {
    by_district_[schools[i].district_code][schools[i].school_code] = fields[i];
    by_code_[schools[i].school_code] =
        Entry{Held{schools[i].district_code, std::move(fields[i])}, schools[i].change_version};
  }
  loaded_.store(true, std::memory_order_release);
}

void EncodedSchools::Committed(const std::vector<SchoolWrite>& writes) {
  // Encoded before the lock is taken, so readers wait only for the swap.
  std::vector<grpc::Slice> fields(writes.size());
  for (size_t i = 0; i < writes.size(); ++i) {
    if (writes[i].school.has_value()) fields[i] = EncodeField1(*writes[i].school);
  }
  std::unique_lock<std::shared_mutex> lock(mutex_);
  for (size_t i = 0; i < writes.size(); ++i) ApplyLocked(writes[i], std::move(fields[i]));
}

void EncodedSchools::ApplyLocked(const SchoolWrite& write, grpc::Slice field) {
  if (write.change_version <= loaded_version_) return;  // the load holds it already
  auto held = by_code_.find(write.school_code);
  if (held != by_code_.end()) {
    if (held->second.change_version >= write.change_version) return;  // a later write is held
  } else if (auto deleted = deleted_at_.find(write.school_code);
             deleted != deleted_at_.end() && deleted->second >= write.change_version) {
    return;  // deleted later
  }
  if (held != by_code_.end()) {
    auto district = by_district_.find(held->second.held.district_code);
    district->second.erase(write.school_code);
    if (district->second.empty()) by_district_.erase(district);
    by_code_.erase(held);
  }
  if (!write.school.has_value()) {
    deleted_at_[write.school_code] = write.change_version;
    return;
  }
  deleted_at_.erase(write.school_code);
  const School& school = *write.school;
  by_district_[school.district_code][school.school_code] = field;
  by_code_[school.school_code] = Entry{Held{school.district_code, std::move(field)}, write.change_version};
}

std::optional<EncodedSchools::Held> EncodedSchools::Find(const std::string& school_code) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  auto it = by_code_.find(school_code);
  if (it == by_code_.end()) return std::nullopt;
  return it->second.held;
}

EncodedSchools::Page EncodedSchools::List(const std::string& district_code, const std::string& after_code,
                                          int32_t limit) const {
  Page page;
  page.fields.reserve(static_cast<size_t>(limit));
  std::shared_lock<std::shared_mutex> lock(mutex_);
  // Walks one ordered map: the district's, or every school's.
  const auto walk = [&](const auto& map, const auto& field_of) {
    for (auto it = map.upper_bound(after_code); it != map.end(); ++it) {
      if (static_cast<int32_t>(page.fields.size()) == limit) {
        page.more_after_code = std::prev(it)->first;
        return;
      }
      page.fields.push_back(field_of(it->second));
    }
  };
  if (district_code.empty()) {
    walk(by_code_, [](const Entry& entry) { return entry.held.field; });
  } else if (auto district = by_district_.find(district_code); district != by_district_.end()) {
    walk(district->second, [](const grpc::Slice& field) { return field; });
  }
  return page;
}

}  // namespace gzedu::registry
