#include "services/school_registry/grpc/conversions.h"

namespace gzedu::registry {

School FromProto(const v1::School& p) {
  School s;
  s.school_code = p.school_code();
  s.name = p.name();
  s.district_code = p.district_code();
  s.school_type = static_cast<SchoolType>(p.school_type());
  s.ownership = static_cast<Ownership>(p.ownership());
  s.locale = static_cast<Locale>(p.locale());
  s.boarding = p.boarding();
  s.build_year = p.build_year();
  return s;
}

SchoolYearRecord FromProto(const v1::SchoolYearRecord& p) {
  SchoolYearRecord r;
  r.school_code = p.school_code();
  r.school_year = p.school_year();
  for (const v1::SchoolSection& ps : p.sections()) {
    SchoolSection s;
    s.stage = static_cast<Stage>(ps.stage());
    s.students = ps.students();
    s.classes = ps.classes();
    s.class_sizes.assign(ps.class_sizes().begin(), ps.class_sizes().end());
    if (ps.has_facilities()) {
      const v1::SectionFacilities& f = ps.facilities();
      s.facilities =
          SectionFacilities{f.teaching_area_m2(), f.sports_area_m2(), f.equipment_value_fen(), f.multimedia_rooms()};
    }
    r.sections.push_back(std::move(s));
  }
  const v1::SchoolFacilities& pf = p.facilities();
  r.facilities.teaching_area_m2 = pf.teaching_area_m2();
  r.facilities.sports_area_m2 = pf.sports_area_m2();
  r.facilities.equipment_value_fen = pf.equipment_value_fen();
  r.facilities.multimedia_rooms = pf.multimedia_rooms();
  r.facilities.music_room_areas_m2.assign(pf.music_room_areas_m2().begin(), pf.music_room_areas_m2().end());
  r.facilities.art_room_areas_m2.assign(pf.art_room_areas_m2().begin(), pf.art_room_areas_m2().end());
  r.special_education_students = p.special_education_students();
  return r;
}

void ToProto(const School& s, v1::School* p) {
  p->set_school_code(s.school_code);
  p->set_name(s.name);
  p->set_district_code(s.district_code);
  p->set_school_type(static_cast<v1::SchoolType>(s.school_type));
  p->set_ownership(static_cast<v1::Ownership>(s.ownership));
  p->set_locale(static_cast<v1::Locale>(s.locale));
  p->set_boarding(s.boarding);
  p->set_build_year(s.build_year);
  p->set_change_version(s.change_version);
}

void ToProto(const SchoolYearRecord& r, v1::SchoolYearRecord* p) {
  p->set_school_code(r.school_code);
  p->set_school_year(r.school_year);
  for (const SchoolSection& s : r.sections) {
    v1::SchoolSection* ps = p->add_sections();
    ps->set_stage(static_cast<common::v1::Stage>(s.stage));
    ps->set_students(s.students);
    ps->set_classes(s.classes);
    ps->mutable_class_sizes()->Add(s.class_sizes.begin(), s.class_sizes.end());
    if (s.facilities) {
      v1::SectionFacilities* f = ps->mutable_facilities();
      f->set_teaching_area_m2(s.facilities->teaching_area_m2);
      f->set_sports_area_m2(s.facilities->sports_area_m2);
      f->set_equipment_value_fen(s.facilities->equipment_value_fen);
      f->set_multimedia_rooms(s.facilities->multimedia_rooms);
    }
  }
  v1::SchoolFacilities* pf = p->mutable_facilities();
  pf->set_teaching_area_m2(r.facilities.teaching_area_m2);
  pf->set_sports_area_m2(r.facilities.sports_area_m2);
  pf->set_equipment_value_fen(r.facilities.equipment_value_fen);
  pf->set_multimedia_rooms(r.facilities.multimedia_rooms);
  pf->mutable_music_room_areas_m2()->Add(r.facilities.music_room_areas_m2.begin(),
                                         r.facilities.music_room_areas_m2.end());
  pf->mutable_art_room_areas_m2()->Add(r.facilities.art_room_areas_m2.begin(), r.facilities.art_room_areas_m2.end());
  p->set_special_education_students(r.special_education_students);
  p->set_change_version(r.change_version);
}

void ToProto(const Change& c, v1::Change* p) {
  p->set_change_version(c.change_version);
  p->set_kind(static_cast<common::v1::ChangeKind>(c.kind));
  p->set_request_id(c.request_id);
  p->set_district_code(c.district_code);
  if (const auto* school = std::get_if<School>(&c.entity)) {
    ToProto(*school, p->mutable_school());
  } else if (const auto* record = std::get_if<SchoolYearRecord>(&c.entity)) {
    ToProto(*record, p->mutable_school_year_record());
  } else if (const auto* code = std::get_if<std::string>(&c.entity)) {
    p->set_deleted_school_code(*code);
  } else {
    const auto& key = std::get<SchoolYearKey>(c.entity);
    p->mutable_deleted_school_year()->set_school_code(key.school_code);
    p->mutable_deleted_school_year()->set_school_year(key.school_year);
  }
}

}  // namespace gzedu::registry
