import Foundation
import Synchronization

/// Set by the SIGINT handler; the interpreter polls it at batch boundaries and between loop
/// iterations, the REPL when libedit returns no line.
let interruptFlag = Atomic<Bool>(false)
/// When Ctrl-C was last pressed (CLOCK_MONOTONIC, nanoseconds).
let lastInterruptNanoseconds = Atomic<Int64>(0)

/// Ctrl-C handling (docs/shell.md "Ctrl-C").
///
/// SIGINT only sets `interruptFlag`: training stops at the next batch boundary, a loop before its
/// next pass, and a line being typed is dropped. A second Ctrl-C within a second, while the first
/// is still waiting to be noticed (psn is in a step that cannot stop midway, such as loading a
/// dataset), quits psn at once with status 130: the way out of a long step, and never taken by a
/// single press.
enum Interrupts {
  /// Installs the handler, without SA_RESTART so a blocking read returns EINTR (libedit then
  /// returns no line, and the REPL tells Ctrl-C from Ctrl-D by the flag).
  static func install() {
    // Touch the atomics first: the handler must not be the one to initialise them.
    _ = interruptFlag.load(ordering: .relaxed)
    _ = lastInterruptNanoseconds.load(ordering: .relaxed)
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in
      // Only async-signal-safe calls here: clock_gettime, atomics, write, _exit.
      var now = timespec()
      clock_gettime(CLOCK_MONOTONIC, &now)
      let t = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
      let pending = interruptFlag.exchange(true, ordering: .relaxed)
      let previous = lastInterruptNanoseconds.exchange(t, ordering: .relaxed)
      if pending && t - previous < 1_000_000_000 {  // within a second
        let message: StaticString = "\npsn: Ctrl-C twice while busy: quitting\n"
        _ = write(STDERR_FILENO, message.utf8Start, message.utf8CodeUnitCount)
        _exit(130)
      }
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
    // A program started from a thread that blocks SIGINT (a test harness, some launchers)
    // inherits the block; psn wants its Ctrl-C.
    var interrupt = sigset_t()
    sigemptyset(&interrupt)
    sigaddset(&interrupt, SIGINT)
    sigprocmask(SIG_UNBLOCK, &interrupt, nil)
  }

  /// Whether Ctrl-C was pressed since the last call (and forget it).
  static func consume() -> Bool { interruptFlag.exchange(false, ordering: .relaxed) }

  /// Forgets a Ctrl-C that nothing noticed (pressed while a command was finishing).
  static func clear() { interruptFlag.store(false, ordering: .relaxed) }
}
