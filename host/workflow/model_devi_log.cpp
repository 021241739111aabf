#include "host/workflow/model_devi_log.hpp"

#include <fmt/format.h>

#include "host/error.hpp"

namespace vitra::workflow {

std::string deviation_columns() {
  return "max_devi_v,min_devi_v,avg_devi_v,max_devi_f,min_devi_f,avg_devi_f,devi_e";
}

std::string format_deviation(const ModelDeviation& d) {
  return fmt::format("{},{},{},{},{},{},{}", d.max_devi_v, d.min_devi_v, d.avg_devi_v, d.max_devi_f,
                     d.min_devi_f, d.avg_devi_f, d.devi_e);
}

std::string ModelDeviLog::header() { return "step,time_ps," + deviation_columns(); }

ModelDeviLog::ModelDeviLog(std::string path, std::ios::openmode mode) : path_(std::move(path)), out_(path_, mode) {
  if (!out_) throw InputError(path_, 0, "cannot open the model deviation file for writing");
}

ModelDeviLog ModelDeviLog::create(const std::string& path) {
  ModelDeviLog log(path, std::ios::out | std::ios::trunc);
  log.out_ << header() << '\n';
  log.out_.flush();
  return log;
}

ModelDeviLog ModelDeviLog::append(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot read the model deviation file of the run being resumed");
  std::string h;
  std::getline(in, h);
  if (h != header())
    throw InputError(path, 1, "the header is not vitra's model_devi header; found \"" + h + "\"");
  in.close();
  return ModelDeviLog(path, std::ios::out | std::ios::app);
}

void ModelDeviLog::write(long long step, double time_ps, const ModelDeviation& d) {
  out_ << fmt::format("{},{},", step, time_ps) << format_deviation(d) << '\n';
}

void ModelDeviLog::flush() { out_.flush(); }

}  // namespace vitra::workflow
