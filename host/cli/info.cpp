// `vitra info`: what this build contains and which device it finds.
#include <omp.h>

#include <iostream>

#include "cuda/backend.hpp"
#include "host/cli/commands.hpp"
#include "host/model/deepmd_model_io.hpp"
#include "host/version.hpp"

namespace vitra::cli {

void activate_backend(const GlobalOptions& g) {
  if (g.threads > 0) omp_set_num_threads(g.threads);
  select_backend(g.device, g.device_id);
}

void add_info_command(CLI::App& app, GlobalOptions& g) {
  auto* cmd = app.add_subcommand("info", "Show the build, its backends and the device found");
  cmd->callback([&g]() {
    std::cout << "vitra " << VITRA_VERSION << " (commit " << VITRA_GIT_COMMIT << ")\n";
    std::cout << "backends:  cpu (OpenMP, " << omp_get_max_threads() << " threads)";
    if (cuda_compiled()) std::cout << ", cuda (architectures " << VITRA_CUDA_ARCHITECTURES << ")";
    std::cout << "\n";
    std::cout << "model files: .yaml/.yml (DeePMD-kit), .vdp (vitra), .dp (DeePMD-kit HDF5: "
              << (hdf5_available() ? "on" : "off, built without HDF5") << ")\n";
    const int ngpu = cuda_device_count();
    std::cout << "CUDA devices: " << ngpu;
    if (ngpu == 0) std::cout << " (" << cuda_unavailable_reason() << ")";
    std::cout << "\n";
    activate_backend(g);
    const DeviceInfo d = device_info();
    std::cout << "active backend: " << backend_name(active_backend()) << " - " << d.name;
    if (active_backend() == Backend::Cuda)
      std::cout << ", compute " << d.compute_major << "." << d.compute_minor << ", " << d.memory_gib
                << " GiB, " << d.multiprocessors << " SMs";
    std::cout << "\n";
  });
}

}  // namespace vitra::cli
