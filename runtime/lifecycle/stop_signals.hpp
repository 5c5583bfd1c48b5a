// Process-wide signal policy. SIGPIPE is ignored: a peer that closes a socket
// (Redis killed mid-write) is an error value to handle, never a silent death.
// SIGINT/SIGTERM: the first asks for a stop; each one is also written to a
// pipe that a watchdog thread reads (handlers may do almost nothing else).
// With no watchdog listening, a second signal exits at once from the handler.
#pragma once

namespace rtfeat {

/// Ignores SIGPIPE. Call first thing in main, for every subcommand.
void ignore_sigpipe();

/// Installs the SIGINT/SIGTERM handlers (idempotent).
void install_stop_signals();

/// The first stop signal received, 0 = none yet. Thread- and signal-safe.
int stop_signal();
/// Stop signals received so far.
int stop_signal_count();
/// Read end of the pipe that gets one byte (the signal number) per signal.
int stop_signal_fd();
/// While true, a second signal is the watchdog's to handle; a third one still
/// exits from the handler (the watchdog may be stuck).
void set_watchdog_listening(bool listening);

}  // namespace rtfeat
