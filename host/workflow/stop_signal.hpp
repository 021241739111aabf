#pragma once
// Clean stops: SIGINT and SIGTERM only set a flag (a volatile sig_atomic_t,
// the one thing a signal handler may safely write); the runner checks it
// after every step, writes a checkpoint, flushes its outputs and returns, and
// the CLI exits with 128 + the signal (130 for SIGINT, 143 for SIGTERM).
namespace vitra::workflow {

// Installs the handlers for its lifetime and restores the previous ones after.
class StopSignalHandlers {
 public:
  StopSignalHandlers();
  ~StopSignalHandlers();
  StopSignalHandlers(const StopSignalHandlers&) = delete;
  StopSignalHandlers& operator=(const StopSignalHandlers&) = delete;

 private:
  void (*previous_int_)(int) = nullptr;
  void (*previous_term_)(int) = nullptr;
};

// The signal number of a pending stop request, 0 when none.
int stop_requested();
// Requests a stop as if `signal` had arrived (tests, other front ends).
void request_stop(int signal);
void clear_stop_request();

}  // namespace vitra::workflow
