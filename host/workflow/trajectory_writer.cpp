#include "host/workflow/trajectory_writer.hpp"

#include <fmt/format.h>

#include "host/io/extxyz.hpp"
#include "host/io/lammps_dump.hpp"
#include "host/structure.hpp"

namespace vitra::workflow {

struct TrajectoryWriter::Impl {
  std::unique_ptr<ExtxyzWriter> xyz;
  std::unique_ptr<LammpsDumpWriter> dump;
};

TrajectoryWriter::TrajectoryWriter(std::string path, StructureFormat format, bool append,
                                   const std::vector<std::string>& type_names)
    : path_(std::move(path)), impl_(std::make_unique<Impl>()) {
  if (format == StructureFormat::Auto) format = format_from_path(path_);
  if (format == StructureFormat::LammpsDump)
    impl_->dump = std::make_unique<LammpsDumpWriter>(path_, append, type_names);
  else
    impl_->xyz = std::make_unique<ExtxyzWriter>(path_, append);
}

TrajectoryWriter::~TrajectoryWriter() = default;

void TrajectoryWriter::write(const System& s, const std::string& stage, long long step, double time_ps) {
  Structure st = from_system(s);
  st.info["stage"] = stage;
  st.info["step"] = std::to_string(step);
  st.info["time_ps"] = fmt::format("{}", time_ps);
  if (impl_->dump)
    impl_->dump->write(st, static_cast<long>(step));
  else
    impl_->xyz->write(st);
}

void TrajectoryWriter::flush() {
  if (impl_->dump) impl_->dump->flush();
  if (impl_->xyz) impl_->xyz->flush();
}

}  // namespace vitra::workflow
