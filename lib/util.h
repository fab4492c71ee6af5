/* Small things every part of kvmbench uses. */
#ifndef KVMBENCH_UTIL_H
#define KVMBENCH_UTIL_H

/* The number of elements of an array (not of a pointer). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
