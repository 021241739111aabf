# Third-party dependencies: Debian packages (toml++, nlohmann-json, CLI11, fmt,
# GoogleTest, Google Benchmark, Random123), or, on machines without packages,
# headers and GoogleTest sources carried under VITRA_DEPS_PREFIX.
if(VITRA_DEPS_PREFIX)
  list(PREPEND CMAKE_PREFIX_PATH "${VITRA_DEPS_PREFIX}")
endif()

find_package(OpenMP REQUIRED COMPONENTS CXX)

# Header-only libraries: a CMake package when installed, else the carried headers.
function(vitra_header_lib name pkg target header)
  find_package(${pkg} CONFIG QUIET)
  if(TARGET ${target})
    add_library(vitra_dep_${name} INTERFACE)
    target_link_libraries(vitra_dep_${name} INTERFACE ${target})
    return()
  endif()
  find_path(${name}_INCLUDE_DIR ${header}
    HINTS "${VITRA_DEPS_PREFIX}/include" PATHS /usr/include /usr/local/include)
  if(NOT ${name}_INCLUDE_DIR)
    message(FATAL_ERROR "vitra needs ${name} (header ${header}): install the Debian package "
                        "or carry it under VITRA_DEPS_PREFIX/include")
  endif()
  add_library(vitra_dep_${name} INTERFACE)
  target_include_directories(vitra_dep_${name} SYSTEM INTERFACE "${${name}_INCLUDE_DIR}")
endfunction()

vitra_header_lib(tomlplusplus tomlplusplus tomlplusplus::tomlplusplus toml++/toml.h)
vitra_header_lib(json nlohmann_json nlohmann_json::nlohmann_json nlohmann/json.hpp)
vitra_header_lib(cli11 CLI11 CLI11::CLI11 CLI/CLI.hpp)
find_path(RANDOM123_INCLUDE_DIR Random123/philox.h
  HINTS "${VITRA_DEPS_PREFIX}/include" PATHS /usr/include /usr/local/include)
if(NOT RANDOM123_INCLUDE_DIR)
  message(FATAL_ERROR "vitra needs Random123 (Debian: librandom123-dev) or its headers under VITRA_DEPS_PREFIX/include")
endif()
add_library(vitra_dep_random123 INTERFACE)
target_include_directories(vitra_dep_random123 SYSTEM INTERFACE "${RANDOM123_INCLUDE_DIR}")

# fmt: the compiled library when installed, else header-only from carried headers.
find_package(fmt CONFIG QUIET)
add_library(vitra_dep_fmt INTERFACE)
if(TARGET fmt::fmt)
  target_link_libraries(vitra_dep_fmt INTERFACE fmt::fmt)
  set(VITRA_FMT_MODE "library")
else()
  find_path(FMT_INCLUDE_DIR fmt/format.h HINTS "${VITRA_DEPS_PREFIX}/include")
  if(NOT FMT_INCLUDE_DIR)
    message(FATAL_ERROR "vitra needs fmt (Debian: libfmt-dev) or its headers under VITRA_DEPS_PREFIX/include")
  endif()
  target_include_directories(vitra_dep_fmt SYSTEM INTERFACE "${FMT_INCLUDE_DIR}")
  target_compile_definitions(vitra_dep_fmt INTERFACE FMT_HEADER_ONLY=1)
  set(VITRA_FMT_MODE "header-only")
endif()

# yaml-cpp reads and writes DeePMD-kit .yaml models: the CMake package when
# installed (target yaml-cpp, or yaml-cpp::yaml-cpp from 0.8 on), else headers
# and library carried under VITRA_DEPS_PREFIX (tools/pack-devdeps.sh).
find_package(yaml-cpp CONFIG QUIET)
add_library(vitra_dep_yaml_cpp INTERFACE)
if(TARGET yaml-cpp::yaml-cpp)
  target_link_libraries(vitra_dep_yaml_cpp INTERFACE yaml-cpp::yaml-cpp)
elseif(TARGET yaml-cpp)
  target_link_libraries(vitra_dep_yaml_cpp INTERFACE yaml-cpp)
else()
  find_path(YAML_CPP_CARRIED_INCLUDE_DIR yaml-cpp/yaml.h HINTS "${VITRA_DEPS_PREFIX}/include")
  find_library(YAML_CPP_CARRIED_LIB yaml-cpp HINTS "${VITRA_DEPS_PREFIX}/lib")
  if(NOT YAML_CPP_CARRIED_INCLUDE_DIR OR NOT YAML_CPP_CARRIED_LIB)
    message(FATAL_ERROR "vitra needs yaml-cpp (Debian: libyaml-cpp-dev) or its headers and library "
                        "under VITRA_DEPS_PREFIX/include and VITRA_DEPS_PREFIX/lib")
  endif()
  target_include_directories(vitra_dep_yaml_cpp SYSTEM INTERFACE "${YAML_CPP_CARRIED_INCLUDE_DIR}")
  target_link_libraries(vitra_dep_yaml_cpp INTERFACE "${YAML_CPP_CARRIED_LIB}")
endif()

# Optional components: reported in the summary.
# HDF5's C library reads and writes DeePMD-kit .dp models; without it vitra
# still reads .yaml and .vdp models and says so when given a .dp file.
enable_language(C)  # FindHDF5 probes its C wrapper with a C compile
find_package(HDF5 QUIET COMPONENTS C)
set(VITRA_HAVE_HDF5 OFF)
add_library(vitra_dep_hdf5 INTERFACE)
if(HDF5_FOUND)
  set(VITRA_HAVE_HDF5 ON)
  if(TARGET hdf5::hdf5)
    target_link_libraries(vitra_dep_hdf5 INTERFACE hdf5::hdf5)
  else()
    target_include_directories(vitra_dep_hdf5 SYSTEM INTERFACE ${HDF5_C_INCLUDE_DIRS} ${HDF5_INCLUDE_DIRS})
    target_link_libraries(vitra_dep_hdf5 INTERFACE ${HDF5_C_LIBRARIES})
    target_compile_definitions(vitra_dep_hdf5 INTERFACE ${HDF5_DEFINITIONS})
  endif()
endif()
find_package(Torch QUIET)
set(VITRA_HAVE_TORCH ${Torch_FOUND})
