/*
 * double_common.h -- plumbing shared by the TEST DOUBLES (cuda_double.c, cudart_double.c,
 * cufile_double.c): the per-function call counters the coverage test reads, and the table of
 * injected failures. Test-only, compiled into each double (build-doubles.sh), never shipped.
 *
 * None of these functions lock: each double guards its tables with its own mutex, because the
 * CUDA double counts with its global lock already held while the others lock per call.
 */
#ifndef CONDUIT_DOUBLE_COMMON_H
#define CONDUIT_DOUBLE_COMMON_H

/* Lifetime count of one entry point (never reset): the coverage test reads them at the end. */
typedef struct double_count
{
    const char *function; /* a __func__ string: static storage */
    long count;
} double_count_t;

/*
 * One injected failure. The meaning of the codes belongs to the double: the CUDA doubles use
 * code (a CUresult); cuFile uses code (CUfileOpError), detail (CUresult) and errno_value.
 */
typedef struct double_fail
{
    char function[64];
    int code;
    int detail;
    int errno_value;
    int remaining; /* -1: until reset */
} double_fail_t;

/* Counts one call of function; a full table silently stops counting new names. */
void double_count_call(double_count_t *counts, int capacity, const char *function);

/* How often function has been called, 0 if never. */
long double_count_of(const double_count_t *counts, int capacity, const char *function);

/* The slot to fill for function: its existing one, else a free one; NULL when the table is full. */
double_fail_t *double_fail_slot(double_fail_t *fails, int capacity, const char *function, int times);

/* The armed failure for function, used up by one when it is limited; NULL when none is armed. */
const double_fail_t *double_fail_take(double_fail_t *fails, int capacity, const char *function);

#endif /* CONDUIT_DOUBLE_COMMON_H */
