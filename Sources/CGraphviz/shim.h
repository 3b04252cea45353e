// Graphviz's C interface; Debian installs it under <graphviz/> (libgraphviz-dev).
#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>

// The DOT scanner is a non-reentrant flex scanner whose state outlives a read:
// text after the first graph stays buffered for the next agmemread, and input
// ending inside a /* comment, "string" or <html> string leaves the scanner in
// that start condition, so every later read fails. flex's yylex_destroy
// (prefixed aag by cgraph) is the only full reset; libcgraph exports it
// without declaring it in a public header.
extern int aaglex_destroy(void);
