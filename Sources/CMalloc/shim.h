// glibc's malloc tuning (mallopt); the executable raises its thresholds.
#include <malloc.h>
