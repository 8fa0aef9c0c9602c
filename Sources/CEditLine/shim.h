// Always libedit's header: GNU readline's <readline/readline.h> may also be installed and would
// silently be used while linking libedit (../shared/notes/swift-feasibility.md §1).
#include <stdio.h>
#include <editline/readline.h>
