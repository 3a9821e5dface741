#ifndef GZEDU_SERVICES_SCHOOL_REGISTRY_GRPC_ENCODED_SCHOOLS_H_
#define GZEDU_SERVICES_SCHOOL_REGISTRY_GRPC_ENCODED_SCHOOLS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include <grpcpp/support/slice.h>

#include "services/school_registry/domain/observed_school_repository.h"

namespace gzedu::registry {

// Every registered school in its wire form, for GetSchool and ListSchools
// answered from memory: each school as ToProto would fill a v1::School,
// serialized as field 1 of a message (tag, length, message), which is the
// whole of a GetSchoolResponse and one entry of a ListSchoolsResponse's
// `schools`; and, per district, the schools in school_code order. Kept
// exact by an ObservedSchoolRepository (Load, then Committed before every
// write is acknowledged); empty and not loaded until then. Thread-safe:
// reads share a lock, writes take it alone.
class EncodedSchools : public SchoolWriteObserver {
 public:
  // A school held: its district (for the caller's scope) and its field.
  struct Held {
    std::string district_code;
    grpc::Slice field;
  };
  // A page of ListSchools: the fields of its schools, in order, and the
  // school_code of its last one when another page follows (empty when not).
  struct Page {
    std::vector<grpc::Slice> fields;
    std::string more_after_code;
  };

  void Load(std::vector<School> schools, int64_t as_of_version) override;
  void Committed(const std::vector<SchoolWrite>& writes) override;

  // True once Load has run: from then on the answers below are exact.
  bool loaded() const { return loaded_.load(std::memory_order_acquire); }
  // The school `school_code`, nullopt when it is not registered. Call only
  // once loaded().
  std::optional<Held> Find(const std::string& school_code) const;
  // Up to `limit` schools of `district_code` (every district when empty)
  // after `after_code` (exclusive), as ListSchools pages them. Call only
  // once loaded().
  Page List(const std::string& district_code, const std::string& after_code, int32_t limit) const;

 private:
  using Fields = std::map<std::string, grpc::Slice, std::less<>>;
  struct Entry {
    Held held;
    int64_t change_version = 0;
  };

  // Applies one write newer than what is held. Under the lock, alone.
  void ApplyLocked(const SchoolWrite& write, grpc::Slice field);

  std::atomic<bool> loaded_{false};
  mutable std::shared_mutex mutex_;
  int64_t loaded_version_ = 0;
  std::map<std::string, Entry, std::less<>> by_code_;
  std::map<std::string, Fields, std::less<>> by_district_;
  // The version of each deletion since the load, so that a write that
  // commits before it but is told after it changes nothing.
  std::map<std::string, int64_t, std::less<>> deleted_at_;
};

}  // namespace gzedu::registry

#endif  // GZEDU_SERVICES_SCHOOL_REGISTRY_GRPC_ENCODED_SCHOOLS_H_
