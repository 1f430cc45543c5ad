/*
 * double_common.c -- see double_common.h. Compiled into every test double with hidden
 * visibility, so each double keeps its own private copy and nothing here is exported.
 */
#include <stdio.h>
#include <string.h>

#include "double_common.h"

void double_count_call(double_count_t *counts, int capacity, const char *function)
{
    for (int i = 0; i < capacity; i++)
    {
        if (counts[i].function == NULL)
        {
            counts[i].function = function;
        }
        if (strcmp(counts[i].function, function) == 0)
        {
            counts[i].count++;
            return;
        }
    }
}

long double_count_of(const double_count_t *counts, int capacity, const char *function)
{
    for (int i = 0; i < capacity && counts[i].function != NULL; i++)
    {
        if (strcmp(counts[i].function, function) == 0)
        {
            return counts[i].count;
        }
    }
    return 0;
}

double_fail_t *double_fail_slot(double_fail_t *fails, int capacity, const char *function, int times)
{
    for (int i = 0; i < capacity; i++)
    {
        if (fails[i].remaining == 0 || strcmp(fails[i].function, function) == 0)
        {
            snprintf(fails[i].function, sizeof(fails[i].function), "%s", function);
            fails[i].remaining = times;
            return &fails[i];
        }
    }
    return NULL;
}

const double_fail_t *double_fail_take(double_fail_t *fails, int capacity, const char *function)
{
    for (int i = 0; i < capacity; i++)
    {
        double_fail_t *f = &fails[i];
        if (f->remaining != 0 && strcmp(f->function, function) == 0)
        {
            if (f->remaining > 0)
            {
                f->remaining--;
            }
            return f;
        }
    }
    return NULL;
}
