# Detects nvcc. With it, the sources under cuda/ and kernels/ (*.cu) compile as
# CUDA and both backends exist; without it the same files compile as C++ and
# only the CPU backend exists.
include(CheckLanguage)
set(VITRA_HAVE_CUDA OFF)
if(VITRA_ENABLE_CUDA)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    enable_language(CUDA)
    find_package(CUDAToolkit REQUIRED)
    set(CMAKE_CUDA_STANDARD 17)
    set(CMAKE_CUDA_STANDARD_REQUIRED ON)
    set(VITRA_HAVE_CUDA ON)
  endif()
endif()

# vitra_cuda_sources(<target> <files...>): adds .cu files to a target, as CUDA
# when the CUDA backend is built and as C++ otherwise.
function(vitra_add_cu_sources target)
  target_sources(${target} PRIVATE ${ARGN})
  if(NOT VITRA_HAVE_CUDA)
    set_source_files_properties(${ARGN} TARGET_DIRECTORY ${target}
      PROPERTIES LANGUAGE CXX COMPILE_OPTIONS "-xc++")
  endif()
endfunction()

# Flags every vitra target gets.
function(vitra_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_17)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra>
    $<$<COMPILE_LANGUAGE:CUDA>:--extended-lambda --expt-relaxed-constexpr -Xcompiler=-Wall>)
  if(VITRA_HAVE_CUDA)
    target_compile_definitions(${target} PUBLIC VITRA_WITH_CUDA=1)
  endif()
endfunction()
