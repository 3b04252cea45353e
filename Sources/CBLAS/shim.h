// OpenBLAS's C interface; Debian installs it as <cblas.h> (libopenblas-dev).
#include <cblas.h>
