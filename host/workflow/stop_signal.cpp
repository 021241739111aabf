#include "host/workflow/stop_signal.hpp"

#include <csignal>

namespace vitra::workflow {

namespace {
volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void on_stop_signal(int signal) { g_stop_signal = signal; }
}  // namespace

StopSignalHandlers::StopSignalHandlers() {
  previous_int_ = std::signal(SIGINT, on_stop_signal);
  previous_term_ = std::signal(SIGTERM, on_stop_signal);
}

StopSignalHandlers::~StopSignalHandlers() {
  std::signal(SIGINT, previous_int_ == SIG_ERR ? SIG_DFL : previous_int_);
  std::signal(SIGTERM, previous_term_ == SIG_ERR ? SIG_DFL : previous_term_);
}

int stop_requested() { return g_stop_signal; }
void request_stop(int signal) { g_stop_signal = signal; }
void clear_stop_request() { g_stop_signal = 0; }

}  // namespace vitra::workflow
