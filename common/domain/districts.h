#ifndef GZEDU_COMMON_DOMAIN_DISTRICTS_H_
#define GZEDU_COMMON_DOMAIN_DISTRICTS_H_

#include <array>
#include "absl/strings/string_view.h"

namespace gzedu {

// One of Guangzhou's eleven county-level districts: each is one unit of
// evaluation (县域) under the 2017 method.
struct District {
  absl::string_view code;     // 6-digit administrative division code
  absl::string_view name_zh;  // official Chinese name
  absl::string_view name_en;  // English name
};

// The city the platform serves (广州市).
inline constexpr absl::string_view kCityCode = "440100";

// The eleven districts, in code order (indicators.md section 1).
inline constexpr std::array<District, 11> kDistricts = {{
    {"440103", "荔湾区", "Liwan"},
    {"440104", "越秀区", "Yuexiu"},
    {"440105", "海珠区", "Haizhu"},
    {"440106", "天河区", "Tianhe"},
    {"440111", "白云区", "Baiyun"},
    {"440112", "黄埔区", "Huangpu"},
    {"440113", "番禺区", "Panyu"},
    {"440114", "花都区", "Huadu"},
    {"440115", "南沙区", "Nansha"},
    {"440117", "从化区", "Conghua"},
    {"440118", "增城区", "Zengcheng"},
}};

// The district with this code, or nullptr when the code is not one of the
// eleven.
const District* FindDistrict(absl::string_view code);

}  // namespace gzedu

#endif  // GZEDU_COMMON_DOMAIN_DISTRICTS_H_
