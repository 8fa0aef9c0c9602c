// libedit through its readline-compatible API, for psn's interactive shell (Sources/psn/LineEditor.swift).
//
// Always libedit's header: GNU readline's <readline/readline.h> may also be installed and would
// silently be used while linking libedit (../shared/notes/swift-feasibility.md §1).
//
// Swift 6 refuses to touch mutable C globals ("not concurrency-safe"), so every libedit global
// psn reads or sets goes through one of the static inline accessors below. They are called only
// from the thread that runs readline().
#include <stdio.h>
#include <editline/readline.h>

/// The function libedit calls on Tab with (text, start, end) of the word before the cursor.
static inline void psn_rl_set_attempted_completion(rl_completion_func_t *function) {
  rl_attempted_completion_function = function;
}

/// 1 = the attempted-completion function's answer is final: no filename completion after it.
static inline void psn_rl_set_attempted_completion_over(int over) {
  rl_attempted_completion_over = over;
}

/// The character libedit appends after a single completion (0 appends nothing: `key=`, `dir/`).
static inline void psn_rl_set_completion_append_character(int c) {
  rl_completion_append_character = c;
}

/// The line being edited (NUL-terminated) and the cursor's byte offset in it.
static inline const char *psn_rl_line_buffer(void) { return rl_line_buffer; }
static inline int psn_rl_point(void) { return rl_point; }

/// The application name libedit's ~/.editrc sections match (`psn:bind ...`).
static inline void psn_rl_set_readline_name(const char *name) { rl_readline_name = name; }

/// Whether libedit catches SIGINT while reading (it restores the terminal, then re-raises the
/// signal to psn's own handler, and readline() returns NULL).
static inline void psn_rl_set_catch_signals(int on) { rl_catch_signals = on; }

/// Number of entries in the history list.
static inline int psn_history_length(void) { return history_length; }
