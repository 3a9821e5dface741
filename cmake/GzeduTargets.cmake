# Compile options for the project's own code: strict warnings, treated as
# errors. Generated protobuf code is compiled without them (see proto/).
function(gzedu_strict target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Werror -Wshadow -Wnon-virtual-dtor
    -Wno-unused-parameter)
endfunction()

# gzedu_library(NAME alias-suffix SOURCES ... DEPS ...): a static library
# with a gzedu:: alias and strict warnings.
function(gzedu_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PUBLIC_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  add_library(gzedu::${name} ALIAS ${name})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_DEPS})
  gzedu_strict(${name})
endfunction()
