#include "services/indicator_evaluation/engine/indicator_definitions.h"

namespace gzedu::engine {

const std::vector<IndicatorDefinition>& IndicatorDefinitions() {
  // Texts and thresholds of 教督〔2017〕6号 as quoted identically by the Liwan
  // and Huadu self-evaluation reports (section 三); "item k" is the k-th
  // indicator of its area there.
  static const std::vector<IndicatorDefinition> kDefinitions = {
      {"R1", "每百名学生拥有高于规定学历教师数", "Teachers above the required qualification per 100 students",
       Area::kResourceAllocation, 4.2, 5.3, "per 100 students", "教督〔2017〕6号, 资源配置 item 1"},
      {"R2", "每百名学生拥有县级以上骨干教师数", "County-level-or-above backbone teachers per 100 students",
       Area::kResourceAllocation, 1.0, 1.0, "per 100 students", "教督〔2017〕6号, 资源配置 item 2"},
      {"R3", "每百名学生拥有体育、艺术（美术、音乐）专任教师数",
       "Full-time PE, music and fine-art teachers per 100 students", Area::kResourceAllocation, 0.9, 0.9,
       "per 100 students", "教督〔2017〕6号, 资源配置 item 3"},
      {"R4", "生均教学及辅助用房面积", "Teaching and auxiliary floor area per student", Area::kResourceAllocation, 4.5,
       5.8, "m2 per student", "教督〔2017〕6号, 资源配置 item 4"},
      {"R5", "生均体育运动场馆面积", "Sports ground and hall area per student", Area::kResourceAllocation, 7.5, 10.2,
       "m2 per student", "教督〔2017〕6号, 资源配置 item 5"},
      {"R6", "生均教学仪器设备值", "Teaching equipment value per student", Area::kResourceAllocation, 2000, 2500,
       "yuan per student", "教督〔2017〕6号, 资源配置 item 6"},
      {"R7", "每百名学生拥有网络多媒体教室数", "Networked multimedia classrooms per 100 students",
       Area::kResourceAllocation, 2.3, 2.4, "per 100 students", "教督〔2017〕6号, 资源配置 item 7"},
      {"G1", "县级人民政府制定义务教育学校布局规划，学校布局合理", "School-network planning is reasonable",
       Area::kGovernmentGuarantee, std::nullopt, std::nullopt, "attestation", "教督〔2017〕6号, 政府保障程度 item 1"},
      {"G2", "县域内义务教育学校建设、教师编制、生均公用经费基准定额、基本装备配置标准统一",
       "Unified urban and rural standards", Area::kGovernmentGuarantee, std::nullopt, std::nullopt, "attestation",
       "教督〔2017〕6号, 政府保障程度 item 2"},
      {"G3", "每12个班级配备音乐、美术专用教室1间以上，每间面积分别不小于96、90平方米",
       "Music and fine-art rooms: one per 12 classes, at least 96 and 90 m2", Area::kGovernmentGuarantee, 100,
       std::nullopt, "percent of schools", "教督〔2017〕6号, 政府保障程度 item 3"},
      {"G4", "小学、初中规模不超过2000人，九年一贯制学校、十二年一贯制学校义务教育阶段规模不超过2500人",
       "School size at most 2000 (primary, junior) or 2500 (nine- and twelve-year)", Area::kGovernmentGuarantee, 0,
       std::nullopt, "oversize schools", "教督〔2017〕6号, 政府保障程度 item 4"},
      {"G5", "小学、初中所有班级学生数分别不超过45人、50人", "Class size at most 45 (primary) and 50 (junior)",
       Area::kGovernmentGuarantee, 0, std::nullopt, "oversize classes", "教督〔2017〕6号, 政府保障程度 item 5"},
      {"G6", "不足100名学生的村小学和教学点按100名学生核定公用经费", "Village schools under 100 students funded as 100",
       Area::kGovernmentGuarantee, std::nullopt, std::nullopt, "schools funded short",
       "教督〔2017〕6号, 政府保障程度 item 6"},
      {"G7", "特殊教育学校生均公用经费不低于6000元", "Special-education operating funds at least 6000 yuan per student",
       Area::kGovernmentGuarantee, 6000, std::nullopt, "yuan per student", "教督〔2017〕6号, 政府保障程度 item 7"},
      {"G8", "教师平均工资收入水平不低于当地公务员平均工资收入水平，按规定足额核定教师绩效工资总量",
       "Average teacher pay at least the civil servants' average", Area::kGovernmentGuarantee, 100, std::nullopt,
       "percent of civil-servant pay", "教督〔2017〕6号, 政府保障程度 item 8"},
      {"G9", "教师5年360学时培训完成率达到100%", "Teachers completing 360 training hours in 5 years",
       Area::kGovernmentGuarantee, 100, std::nullopt, "percent", "教督〔2017〕6号, 政府保障程度 item 9"},
      {"G10", "县级教育行政部门在核定的编制总额内统筹分配各校教职工编制和岗位数量",
       "Staffing quotas allocated by the county education bureau", Area::kGovernmentGuarantee, std::nullopt,
       std::nullopt, "attestation", "教督〔2017〕6号, 政府保障程度 item 10"},
      {"G11", "每年交流轮岗教师比例不低于符合交流条件教师总数的10%，其中骨干教师不低于交流轮岗教师总数的20%",
       "Rotated teachers at least 10% of eligible, backbone at least 20% of rotated", Area::kGovernmentGuarantee, 10,
       std::nullopt, "percent of eligible teachers", "教督〔2017〕6号, 政府保障程度 item 11"},
      {"G12", "专任教师持有教师资格证上岗率达到100%", "Full-time teachers holding a teacher certificate",
       Area::kGovernmentGuarantee, 100, std::nullopt, "percent", "教督〔2017〕6号, 政府保障程度 item 12"},
      {"G13", "城区和镇区公办小学、初中（不含寄宿制学校）就近划片入学比例分别达到100%、95%以上",
       "Nearby zoned admission: 100% primary, at least 95% junior", Area::kGovernmentGuarantee, 100, 95, "percent",
       "教督〔2017〕6号, 政府保障程度 item 13"},
      {"G14", "优质高中招生名额分配比例不低于50%，并向农村初中倾斜",
       "Quality senior-high places allocated to junior schools at least 50%", Area::kGovernmentGuarantee, 50,
       std::nullopt, "percent", "教督〔2017〕6号, 政府保障程度 item 14"},
      {"G15",
       "留守儿童关爱体系健全，全面落实进城务工人员随迁子女就读政策，在公办学校和政府购买服务的民办学校就读的比例不低于8"
       "5%",
       "Left-behind children cared for; migrant children in public or purchased places at least 85%",
       Area::kGovernmentGuarantee, 85, std::nullopt, "percent", "教督〔2017〕6号, 政府保障程度 item 15"},
      {"Q1", "全县初中三年巩固率达到95%以上", "Junior three-year retention at least 95%", Area::kEducationQuality, 95,
       std::nullopt, "percent", "教督〔2017〕6号, 教育质量 item 1"},
      {"Q2", "全县残疾儿童少年入学率达到95%以上", "Enrolment of disabled children at least 95%",
       Area::kEducationQuality, 95, std::nullopt, "percent", "教督〔2017〕6号, 教育质量 item 2"},
      {"Q3", "所有学校制定章程，实现学校管理与教学信息化", "Every school has a charter; management digitised",
       Area::kEducationQuality, std::nullopt, std::nullopt, "attestation", "教督〔2017〕6号, 教育质量 item 3"},
      {"Q4", "所有学校按照不低于学校年度公用经费预算总额的5%安排教师培训经费",
       "Every school budgets at least 5% of operating funds for teacher training", Area::kEducationQuality, 5,
       std::nullopt, "percent", "教督〔2017〕6号, 教育质量 item 4"},
      {"Q5", "教师能熟练运用信息化手段组织教学，设施设备利用率达到较高水平", "ICT used proficiently in teaching",
       Area::kEducationQuality, std::nullopt, std::nullopt, "attestation", "教督〔2017〕6号, 教育质量 item 5"},
      {"Q6", "所有学校德育工作、校园文化建设水平达到良好以上", "Moral education and school culture good or better",
       Area::kEducationQuality, std::nullopt, std::nullopt, "attestation", "教督〔2017〕6号, 教育质量 item 6"},
      {"Q7", "课程开齐开足，教学秩序规范，综合实践活动有效开展", "Full curriculum, orderly teaching",
       Area::kEducationQuality, std::nullopt, std::nullopt, "attestation", "教督〔2017〕6号, 教育质量 item 7"},
      {"Q8", "无过重课业负担", "No excessive academic burden", Area::kEducationQuality, std::nullopt, std::nullopt,
       "attestation", "教督〔2017〕6号, 教育质量 item 8"},
      {"Q9", "国家义务教育质量监测相关科目学生学业水平达到Ⅲ级以上，且校际差异率低于0.15",
       "National quality monitoring level III or above, inter-school difference below 0.15", Area::kEducationQuality,
       0.15, std::nullopt, "difference rate", "教督〔2017〕6号, 教育质量 item 9"},
      {"S1", "社会认可度达到85%以上", "Social recognition at least 85%", Area::kSocialRecognition, 85, std::nullopt,
       "percent", "教督〔2017〕6号, 社会认可度"},
  };
  return kDefinitions;
}

const IndicatorDefinition* FindIndicator(std::string_view id) {
  for (const IndicatorDefinition& definition : IndicatorDefinitions()) {
    if (definition.id == id) return &definition;
  }
  return nullptr;
}

}  // namespace gzedu::engine
