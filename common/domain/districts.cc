#include "common/domain/districts.h"

namespace gzedu {

const District* FindDistrict(absl::string_view code) {
  for (const District& district : kDistricts) {
    if (district.code == code) return &district;
  }
  return nullptr;
}

}  // namespace gzedu
