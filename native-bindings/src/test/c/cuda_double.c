/*
 * cuda_double.c -- libcuda_double.so, a TEST DOUBLE of the CUDA driver API subset that Conduit
 * binds. Never shipped, never a fallback: tests point CONDUIT_CUDA_LIB at it.
 *
 * It implements the documented semantics over host memory:
 *   - every call but cuDriverGetVersion/cuGetError* needs cuInit(0) first (CUDA_ERROR_NOT_INITIALIZED);
 *     cuInit fails with CUDA_ERROR_NO_DEVICE when the double has no devices;
 *   - a "device pointer" is an address-space reservation (mmap PROT_NONE) from cuMemAlloc_v2, which
 *     needs a current context (CUDA_ERROR_INVALID_CONTEXT otherwise); the bytes live in a separate
 *     backing store, so host code that dereferences a device pointer (or hands it to the kernel)
 *     faults or gets EFAULT, as on a real GPU; copies are range-checked against allocations and go
 *     through the backing store (double_cuda_backing, which the cuFile double uses as its "DMA");
 *   - memory an async copy or a cuFile batch entry still uses is "busy": freeing or unregistering it
 *     then fails with CUDA_ERROR_INVALID_VALUE and counts a violation (double_cuda_violations);
 *   - cuIpcGetMemHandle exports only the base of an allocation; cuIpcOpenMemHandle_v2 maps it at a
 *     new reservation that shares the backing store; freeing an exported allocation while a mapping
 *     is open counts a violation;
 *   - every entry point (of this and the cuFile double) is appended to a trace with a timestamp,
 *     and each async copy logs its start and end (CLOCK_MONOTONIC, as System.nanoTime); copies can
 *     be slowed to a chosen bandwidth so overlap with reads is measurable;
 *   - each stream is a FIFO executed by its own worker thread, so async copies, host functions and
 *     event records complete in order and asynchronously; cuStreamSynchronize/cuEventSynchronize
 *     wait for them, cuStreamQuery/cuEventQuery report CUDA_ERROR_NOT_READY until then;
 *   - double_cuda_fail() makes any entry point return a chosen CUresult, so every error branch of
 *     the Java bindings can be reached; double_cuda_hold_streams() keeps queued work pending.
 *
 * One global mutex and one condition variable guard everything: this is a test double, clarity
 * beats throughput.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_test.h"
#include "double_common.h"

#define API __attribute__((visibility("default")))
#define MAX_DEVICES 8
#define MAX_FAILS 16
#define MAX_COUNTED 64
#define DEVICE_MEMORY_BYTES (1ULL << 30)
#define DEVICE_ALIGNMENT 4096

typedef struct alloc
{
    uintptr_t base;       /* device: the PROT_NONE reservation; host registration: the host address */
    size_t size;
    char *backing;        /* device: where the bytes are; NULL for host registrations */
    int busy;             /* async copies / cuFile entries still using it */
    int mappings;         /* open IPC mappings of this allocation */
    struct alloc *origin; /* an IPC mapping: the allocation it maps */
    struct alloc *next;
} alloc_t;

#define LOG_CAPACITY 65536
#define TRACE_CAPACITY 65536
#define IPC_MAGIC 0x434f4e4455495443ULL /* "CONDUITC" */

typedef enum { OP_COPY, OP_HOST_FN, OP_EVENT } op_kind_t;

struct CUevent_st
{
    unsigned int flags;
    unsigned long recorded;   /* generation of the latest cuEventRecord */
    unsigned long completed;  /* generation the stream has reached */
    int pending_ops;
    int destroyed;
    struct CUevent_st *next;
};

typedef struct op
{
    op_kind_t kind;
    void *dst;
    const void *src;
    size_t bytes;
    int to_device;
    alloc_t *device;      /* busy while queued */
    alloc_t *host;        /* the registration of the host side, if any; busy while queued */
    CUhostFn fn;
    void *user_data;
    struct CUevent_st *event;
    unsigned long generation;
    struct op *next;
} op_t;

struct CUstream_st
{
    unsigned int flags;
    op_t *head;
    op_t *tail;
    int busy;
    int destroyed;
    pthread_t worker;
    struct CUstream_st *next;
};

struct CUctx_st
{
    CUdevice device;
    int retained;
};

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static int g_initialized;
static int g_device_count = 1;
static int g_driver_version = 13000;
static int g_hold;
static long g_calls;
static size_t g_allocated;
static alloc_t *g_allocs;
static alloc_t *g_host_regs;
static struct CUstream_st *g_streams;
static struct CUstream_st *g_default_stream;
static struct CUevent_st *g_events;
static struct CUctx_st g_contexts[MAX_DEVICES];
static double_fail_t g_fails[MAX_FAILS];
static double_count_t g_counts[MAX_COUNTED];
static __thread struct CUctx_st *t_current;
static long g_violations;
static long g_copy_ns_per_mib;
static double_copy_log_t g_log[LOG_CAPACITY];
static int g_log_count;
static pthread_mutex_t g_trace_lock = PTHREAD_MUTEX_INITIALIZER;
static double_trace_t g_trace[TRACE_CAPACITY];
static int g_trace_count;

static long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

API void double_trace_add(const char *function)
{
    pthread_mutex_lock(&g_trace_lock);
    if (g_trace_count < TRACE_CAPACITY)
    {
        g_trace[g_trace_count].function = function;
        g_trace[g_trace_count].at_ns = now_ns();
        g_trace_count++;
    }
    pthread_mutex_unlock(&g_trace_lock);
}

/* ------------------------------------------------------------------ helpers (g_lock held) */

static CUresult injected(const char *function)
{
    double_trace_add(function);
    g_calls++;
    double_count_call(g_counts, MAX_COUNTED, function);
    const double_fail_t *f = double_fail_take(g_fails, MAX_FAILS, function);
    return f != NULL ? (CUresult)f->code : CUDA_SUCCESS;
}

/* Entry: count the call, apply an injected failure, then require cuInit when asked. */
#define ENTER(needs_init)                                   \
    pthread_mutex_lock(&g_lock);                            \
    do                                                      \
    {                                                       \
        CUresult injected_result = injected(__func__);      \
        if (injected_result != CUDA_SUCCESS)                \
        {                                                   \
            pthread_mutex_unlock(&g_lock);                  \
            return injected_result;                         \
        }                                                   \
        if ((needs_init) && !g_initialized)                 \
        {                                                   \
            pthread_mutex_unlock(&g_lock);                  \
            return CUDA_ERROR_NOT_INITIALIZED;              \
        }                                                   \
    } while (0)

#define RETURN(result)                  \
    do                                  \
    {                                   \
        CUresult r_ = (result);         \
        pthread_mutex_unlock(&g_lock);  \
        return r_;                      \
    } while (0)

/* Returns from the entry point with error unless cond holds. */
#define REQUIRE(cond, error)            \
    do                                  \
    {                                   \
        if (!(cond))                    \
        {                               \
            RETURN(error);              \
        }                               \
    } while (0)

/* Returns from the entry point with the result of a check unless it is CUDA_SUCCESS. */
#define CHECK(check)                    \
    do                                  \
    {                                   \
        CUresult c_ = (check);          \
        if (c_ != CUDA_SUCCESS)         \
        {                               \
            RETURN(c_);                 \
        }                               \
    } while (0)

static int valid_device(CUdevice dev)
{
    return dev >= 0 && dev < g_device_count;
}

static int has_current_context(void)
{
    return t_current != NULL && t_current->retained > 0;
}

/* Device queries check their arguments before the ordinal, as the real driver does. */
static CUresult check_device_query(int args_ok, CUdevice dev)
{
    if (!args_ok)
    {
        return CUDA_ERROR_INVALID_VALUE;
    }
    return valid_device(dev) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_DEVICE;
}

/* Calls that create something check their arguments before the current context. */
static CUresult check_context_call(int args_ok)
{
    if (!args_ok)
    {
        return CUDA_ERROR_INVALID_VALUE;
    }
    return has_current_context() ? CUDA_SUCCESS : CUDA_ERROR_INVALID_CONTEXT;
}

static alloc_t *find_range(alloc_t *list, uintptr_t address, size_t bytes)
{
    for (alloc_t *a = list; a != NULL; a = a->next)
    {
        if (address >= a->base && address - a->base <= a->size && bytes <= a->size - (address - a->base))
        {
            return a;
        }
    }
    return NULL;
}

static alloc_t *find_containing(alloc_t *list, uintptr_t address)
{
    for (alloc_t *a = list; a != NULL; a = a->next)
    {
        if (address >= a->base && address < a->base + a->size)
        {
            return a;
        }
    }
    return NULL;
}

static char *backing_of(const alloc_t *a, uintptr_t address)
{
    return a->backing + (address - a->base);
}

static void *stream_worker(void *arg);

static struct CUstream_st *new_stream(unsigned int flags)
{
    struct CUstream_st *s = calloc(1, sizeof(*s));
    if (s == NULL)
    {
        return NULL;
    }
    s->flags = flags;
    if (pthread_create(&s->worker, NULL, stream_worker, s) != 0)
    {
        free(s);
        return NULL;
    }
    pthread_detach(s->worker);
    s->next = g_streams;
    g_streams = s;
    return s;
}

/* NULL, CU_STREAM_LEGACY and CU_STREAM_PER_THREAD all mean the default stream here. */
static struct CUstream_st *resolve_stream(CUstream handle)
{
    if (handle == NULL || handle == CU_STREAM_LEGACY || handle == CU_STREAM_PER_THREAD)
    {
        if (g_default_stream == NULL)
        {
            g_default_stream = new_stream(0);
        }
        return g_default_stream;
    }
    for (struct CUstream_st *s = g_streams; s != NULL; s = s->next)
    {
        if (s == handle && !s->destroyed)
        {
            return s;
        }
    }
    return NULL;
}

static struct CUevent_st *resolve_event(CUevent handle)
{
    for (struct CUevent_st *e = g_events; e != NULL; e = e->next)
    {
        if (e == handle && !e->destroyed)
        {
            return e;
        }
    }
    return NULL;
}

static void unlink_event(struct CUevent_st *event)
{
    for (struct CUevent_st **p = &g_events; *p != NULL; p = &(*p)->next)
    {
        if (*p == event)
        {
            *p = event->next;
            free(event);
            return;
        }
    }
}

static op_t *new_op(op_kind_t kind)
{
    op_t *op = calloc(1, sizeof(*op));
    if (op != NULL)
    {
        op->kind = kind;
    }
    return op;
}

static CUresult enqueue(struct CUstream_st *s, op_t *op)
{
    op->next = NULL;
    if (s->tail == NULL)
    {
        s->head = op;
    }
    else
    {
        s->tail->next = op;
    }
    s->tail = op;
    pthread_cond_broadcast(&g_cond);
    return CUDA_SUCCESS;
}

static int stream_idle(const struct CUstream_st *s)
{
    return s->head == NULL && !s->busy;
}

/* One thread per stream: pops operations in FIFO order and runs them without the lock held. */
static void *stream_worker(void *arg)
{
    struct CUstream_st *s = arg;
    pthread_mutex_lock(&g_lock);
    for (;;)
    {
        while (s->head == NULL || g_hold)
        {
            if (s->head == NULL && s->destroyed)
            {
                for (struct CUstream_st **p = &g_streams; *p != NULL; p = &(*p)->next)
                {
                    if (*p == s)
                    {
                        *p = s->next;
                        break;
                    }
                }
                pthread_mutex_unlock(&g_lock);
                free(s);
                return NULL;
            }
            pthread_cond_wait(&g_cond, &g_lock);
        }
        op_t *op = s->head;
        s->head = op->next;
        if (s->head == NULL)
        {
            s->tail = NULL;
        }
        s->busy = 1;
        pthread_mutex_unlock(&g_lock);
        if (op->kind == OP_COPY)
        {
            const long start_ns = now_ns();
            memcpy(op->dst, op->src, op->bytes);
            const long copy_ns = (long)((double)g_copy_ns_per_mib * (double)op->bytes / 1048576.0);
            /* Slowed to the chosen bandwidth, as a PCIe link would be; sleeping leaves the CPU to the reads. */
            for (long left = copy_ns - (now_ns() - start_ns); left > 0; left = copy_ns - (now_ns() - start_ns))
            {
                const struct timespec pause = {left / 1000000000L, left % 1000000000L};
                nanosleep(&pause, NULL);
            }
            const long end_ns = now_ns();
            pthread_mutex_lock(&g_lock);
            if (g_log_count < LOG_CAPACITY)
            {
                double_copy_log_t *l = &g_log[g_log_count++];
                l->stream = (uintptr_t)s;
                l->to_device = op->to_device;
                l->bytes = (long)op->bytes;
                l->start_ns = start_ns;
                l->end_ns = end_ns;
            }
            op->device->busy--;
            if (op->host != NULL)
            {
                op->host->busy--;
            }
            pthread_mutex_unlock(&g_lock);
        }
        else if (op->kind == OP_HOST_FN)
        {
            op->fn(op->user_data);
        }
        pthread_mutex_lock(&g_lock);
        if (op->kind == OP_EVENT)
        {
            struct CUevent_st *e = op->event;
            if (op->generation > e->completed)
            {
                e->completed = op->generation;
            }
            e->pending_ops--;
            if (e->destroyed && e->pending_ops == 0)
            {
                unlink_event(e);
            }
        }
        s->busy = 0;
        free(op);
        pthread_cond_broadcast(&g_cond);
    }
}

static const struct
{
    CUresult code;
    const char *name;
    const char *text;
} ERRORS[] = {
    {CUDA_SUCCESS, "CUDA_SUCCESS", "no error"},
    {CUDA_ERROR_INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
    {CUDA_ERROR_OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
    {CUDA_ERROR_NOT_INITIALIZED, "CUDA_ERROR_NOT_INITIALIZED", "initialization error"},
    {CUDA_ERROR_DEINITIALIZED, "CUDA_ERROR_DEINITIALIZED", "driver shutting down"},
    {CUDA_ERROR_STUB_LIBRARY, "CUDA_ERROR_STUB_LIBRARY", "CUDA driver is a stub library"},
    {CUDA_ERROR_NO_DEVICE, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"},
    {CUDA_ERROR_INVALID_DEVICE, "CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"},
    {CUDA_ERROR_INVALID_CONTEXT, "CUDA_ERROR_INVALID_CONTEXT", "invalid device context"},
    {CUDA_ERROR_INVALID_HANDLE, "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"},
    {CUDA_ERROR_NOT_FOUND, "CUDA_ERROR_NOT_FOUND", "named symbol not found"},
    {CUDA_ERROR_NOT_READY, "CUDA_ERROR_NOT_READY", "device not ready"},
    {CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED, "CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED",
     "part or all of the requested memory range is already mapped"},
    {CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED, "CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED",
     "pointer does not correspond to a registered memory region"},
    {CUDA_ERROR_NOT_SUPPORTED, "CUDA_ERROR_NOT_SUPPORTED", "operation not supported"},
    {CUDA_ERROR_UNKNOWN, "CUDA_ERROR_UNKNOWN", "unknown error"},
};

/* ------------------------------------------------------------------ control surface */

API void double_cuda_reset(void)
{
    pthread_mutex_lock(&g_lock);
    g_initialized = 0;
    g_device_count = 1;
    g_driver_version = 13000;
    g_hold = 0;
    g_calls = 0;
    g_violations = 0;
    g_copy_ns_per_mib = 0;
    g_log_count = 0;
    memset(g_fails, 0, sizeof(g_fails));
    for (int i = 0; i < MAX_DEVICES; i++)
    {
        g_contexts[i].retained = 0;
    }
    /* Host registrations go too: their memory may be reused by the next test. Device allocations
     * stay, since a test's fixture still frees them after resetting. */
    while (g_host_regs != NULL)
    {
        alloc_t *r = g_host_regs;
        g_host_regs = r->next;
        free(r);
    }
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

API void double_cuda_set_device_count(int count)
{
    pthread_mutex_lock(&g_lock);
    g_device_count = count < 0 ? 0 : (count > MAX_DEVICES ? MAX_DEVICES : count);
    pthread_mutex_unlock(&g_lock);
}

API void double_cuda_set_driver_version(int version)
{
    pthread_mutex_lock(&g_lock);
    g_driver_version = version;
    pthread_mutex_unlock(&g_lock);
}

API void double_cuda_fail(const char *function, int result, int times)
{
    pthread_mutex_lock(&g_lock);
    double_fail_t *f = double_fail_slot(g_fails, MAX_FAILS, function, times);
    if (f != NULL)
    {
        f->code = result;
    }
    pthread_mutex_unlock(&g_lock);
}

API void double_cuda_hold_streams(int hold)
{
    pthread_mutex_lock(&g_lock);
    g_hold = hold;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

API size_t double_cuda_allocated_bytes(void)
{
    pthread_mutex_lock(&g_lock);
    size_t bytes = g_allocated;
    pthread_mutex_unlock(&g_lock);
    return bytes;
}

API long double_cuda_call_count(const char *function)
{
    pthread_mutex_lock(&g_lock);
    const long n = double_count_of(g_counts, MAX_COUNTED, function);
    pthread_mutex_unlock(&g_lock);
    return n;
}

API long double_cuda_calls(void)
{
    pthread_mutex_lock(&g_lock);
    long calls = g_calls;
    pthread_mutex_unlock(&g_lock);
    return calls;
}

API void *double_cuda_backing(CUdeviceptr ptr, size_t bytes)
{
    pthread_mutex_lock(&g_lock);
    alloc_t *a = find_range(g_allocs, (uintptr_t)ptr, bytes);
    void *backing = a == NULL ? NULL : backing_of(a, (uintptr_t)ptr);
    pthread_mutex_unlock(&g_lock);
    return backing;
}

API int double_cuda_mark_busy(CUdeviceptr ptr, int delta)
{
    pthread_mutex_lock(&g_lock);
    alloc_t *a = find_containing(g_allocs, (uintptr_t)ptr);
    if (a != NULL)
    {
        a->busy += delta;
    }
    pthread_mutex_unlock(&g_lock);
    return a != NULL;
}

API long double_cuda_violations(void)
{
    pthread_mutex_lock(&g_lock);
    long n = g_violations;
    pthread_mutex_unlock(&g_lock);
    return n;
}

API void double_cuda_set_copy_ns_per_mib(long ns)
{
    pthread_mutex_lock(&g_lock);
    g_copy_ns_per_mib = ns < 0 ? 0 : ns;
    pthread_mutex_unlock(&g_lock);
}

API int double_cuda_copy_log(double_copy_log_t *out, int capacity)
{
    pthread_mutex_lock(&g_lock);
    int n = g_log_count < capacity ? g_log_count : capacity;
    memcpy(out, g_log, (size_t)n * sizeof(*out));
    pthread_mutex_unlock(&g_lock);
    return n;
}

API void double_cuda_copy_log_clear(void)
{
    pthread_mutex_lock(&g_lock);
    g_log_count = 0;
    pthread_mutex_unlock(&g_lock);
}

API int double_trace_dump(char *out, int capacity, long since_ns)
{
    pthread_mutex_lock(&g_trace_lock);
    int used = 0;
    if (capacity > 0)
    {
        out[0] = '\0';
    }
    for (int i = 0; i < g_trace_count; i++)
    {
        if (g_trace[i].at_ns < since_ns)
        {
            continue;
        }
        const int n = snprintf(out + used, (size_t)(capacity - used), "%s\n", g_trace[i].function);
        if (n < 0 || n >= capacity - used)
        {
            break;
        }
        used += n;
    }
    pthread_mutex_unlock(&g_trace_lock);
    return used;
}

API void double_trace_clear(void)
{
    pthread_mutex_lock(&g_trace_lock);
    g_trace_count = 0;
    pthread_mutex_unlock(&g_trace_lock);
}

/* ------------------------------------------------------------------ initialisation and devices */

API CUresult cuInit(unsigned int flags)
{
    ENTER(0);
    REQUIRE(flags == 0, CUDA_ERROR_INVALID_VALUE);
    REQUIRE(g_device_count > 0, CUDA_ERROR_NO_DEVICE);
    g_initialized = 1;
    RETURN(CUDA_SUCCESS);
}

API CUresult cuDriverGetVersion(int *driverVersion)
{
    ENTER(0);
    REQUIRE(driverVersion != NULL, CUDA_ERROR_INVALID_VALUE);
    *driverVersion = g_driver_version;
    RETURN(CUDA_SUCCESS);
}

API CUresult cuDeviceGetCount(int *count)
{
    ENTER(1);
    REQUIRE(count != NULL, CUDA_ERROR_INVALID_VALUE);
    *count = g_device_count;
    RETURN(CUDA_SUCCESS);
}

API CUresult cuDeviceGet(CUdevice *device, int ordinal)
{
    ENTER(1);
    CHECK(check_device_query(device != NULL, ordinal));
    *device = ordinal;
    RETURN(CUDA_SUCCESS);
}

API CUresult cuDeviceGetName(char *name, int len, CUdevice dev)
{
    ENTER(1);
    CHECK(check_device_query(name != NULL && len > 0, dev));
    snprintf(name, (size_t)len, "Conduit Double GPU %d", dev);
    RETURN(CUDA_SUCCESS);
}

API CUresult cuDeviceGetAttribute(int *pi, CUdevice_attribute attrib, CUdevice dev)
{
    ENTER(1);
    CHECK(check_device_query(pi != NULL, dev));
    switch (attrib)
    {
        case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT: *pi = 132; break;
        case CU_DEVICE_ATTRIBUTE_INTEGRATED: *pi = 0; break;
        case CU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY: *pi = 1; break;
        case CU_DEVICE_ATTRIBUTE_PCI_BUS_ID: *pi = 0x3b + dev; break;
        case CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID: *pi = 0; break;
        case CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING: *pi = 1; break;
        case CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID: *pi = 0; break;
        case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR: *pi = 9; break;
        case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR: *pi = 0; break;
        case CU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_SUPPORTED: *pi = 1; break;
        default: RETURN(CUDA_ERROR_INVALID_VALUE);
    }
    RETURN(CUDA_SUCCESS);
}

API CUresult cuDeviceGetPCIBusId(char *pciBusId, int len, CUdevice dev)
{
    ENTER(1);
    CHECK(check_device_query(pciBusId != NULL && len > 0, dev));
    snprintf(pciBusId, (size_t)len, "%04x:%02x:%02x.%x", 0, 0x3b + dev, 0, 0);
    RETURN(CUDA_SUCCESS);
}

API CUresult cuDeviceTotalMem_v2(size_t *bytes, CUdevice dev)
{
    ENTER(1);
    CHECK(check_device_query(bytes != NULL, dev));
    *bytes = DEVICE_MEMORY_BYTES;
    RETURN(CUDA_SUCCESS);
}

API CUresult cuDeviceGetUuid_v2(CUuuid *uuid, CUdevice dev)
{
    ENTER(1);
    CHECK(check_device_query(uuid != NULL, dev));
    for (int i = 0; i < 16; i++)
    {
        uuid->bytes[i] = (char)(0xC0 + i + dev);
    }
    RETURN(CUDA_SUCCESS);
}

/* ------------------------------------------------------------------ contexts */

API CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev)
{
    ENTER(1);
    CHECK(check_device_query(pctx != NULL, dev));
    g_contexts[dev].device = dev;
    g_contexts[dev].retained++;
    *pctx = &g_contexts[dev];
    RETURN(CUDA_SUCCESS);
}

API CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev)
{
    ENTER(1);
    REQUIRE(valid_device(dev), CUDA_ERROR_INVALID_DEVICE);
    REQUIRE(g_contexts[dev].retained > 0, CUDA_ERROR_INVALID_CONTEXT);
    g_contexts[dev].retained--;
    RETURN(CUDA_SUCCESS);
}

API CUresult cuCtxSetCurrent(CUcontext ctx)
{
    ENTER(1);
    if (ctx == NULL)
    {
        t_current = NULL;
        RETURN(CUDA_SUCCESS);
    }
    if (ctx < &g_contexts[0] || ctx >= &g_contexts[MAX_DEVICES] || ctx->retained == 0)
    {
        RETURN(CUDA_ERROR_INVALID_CONTEXT);
    }
    t_current = ctx;
    RETURN(CUDA_SUCCESS);
}

API CUresult cuCtxGetCurrent(CUcontext *pctx)
{
    ENTER(1);
    REQUIRE(pctx != NULL, CUDA_ERROR_INVALID_VALUE);
    *pctx = has_current_context() ? t_current : NULL;
    RETURN(CUDA_SUCCESS);
}

/* ------------------------------------------------------------------ memory */

/* A reservation the host cannot touch: any load or store through it faults. */
static alloc_t *new_device_range(size_t bytes, char *backing)
{
    alloc_t *a = calloc(1, sizeof(*a));
    if (a == NULL)
    {
        return NULL;
    }
    void *reserved = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (reserved == MAP_FAILED)
    {
        free(a);
        return NULL;
    }
    a->base = (uintptr_t)reserved;
    a->size = bytes;
    a->backing = backing;
    a->next = g_allocs;
    g_allocs = a;
    return a;
}

static void unlink_alloc(alloc_t *a)
{
    for (alloc_t **p = &g_allocs; *p != NULL; p = &(*p)->next)
    {
        if (*p == a)
        {
            *p = a->next;
            break;
        }
    }
    munmap((void *)a->base, a->size);
    free(a);
}

API CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize)
{
    ENTER(1);
    CHECK(check_context_call(dptr != NULL && bytesize != 0));
    REQUIRE(bytesize <= DEVICE_MEMORY_BYTES - g_allocated, CUDA_ERROR_OUT_OF_MEMORY);
    void *backing = NULL;
    REQUIRE(posix_memalign(&backing, DEVICE_ALIGNMENT, bytesize) == 0, CUDA_ERROR_OUT_OF_MEMORY);
    alloc_t *a = new_device_range(bytesize, backing);
    if (a == NULL)
    {
        free(backing);
        RETURN(CUDA_ERROR_OUT_OF_MEMORY);
    }
    g_allocated += bytesize;
    *dptr = (CUdeviceptr)a->base;
    RETURN(CUDA_SUCCESS);
}

API CUresult cuMemFree_v2(CUdeviceptr dptr)
{
    ENTER(1);
    for (alloc_t *a = g_allocs; a != NULL; a = a->next)
    {
        if (a->base == (uintptr_t)dptr && a->origin == NULL)
        {
            if (a->busy > 0 || a->mappings > 0)
            {
                /* The hardware (or an importing process) may still use it: a bug in the caller. */
                g_violations++;
                RETURN(CUDA_ERROR_INVALID_VALUE);
            }
            g_allocated -= a->size;
            free(a->backing);
            unlink_alloc(a);
            RETURN(CUDA_SUCCESS);
        }
    }
    RETURN(CUDA_ERROR_INVALID_VALUE);
}

API CUresult cuMemHostRegister_v2(void *p, size_t bytesize, unsigned int flags)
{
    ENTER(1);
    CHECK(check_context_call(p != NULL && bytesize != 0 && (flags & ~0xFu) == 0));
    uintptr_t start = (uintptr_t)p;
    for (alloc_t *r = g_host_regs; r != NULL; r = r->next)
    {
        if (start < r->base + r->size && r->base < start + bytesize)
        {
            RETURN(CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED);
        }
    }
    alloc_t *r = calloc(1, sizeof(*r));
    REQUIRE(r != NULL, CUDA_ERROR_OUT_OF_MEMORY);
    r->base = start;
    r->size = bytesize;
    r->next = g_host_regs;
    g_host_regs = r;
    RETURN(CUDA_SUCCESS);
}

API CUresult cuMemHostUnregister(void *p)
{
    ENTER(1);
    for (alloc_t **q = &g_host_regs; *q != NULL; q = &(*q)->next)
    {
        alloc_t *r = *q;
        if (r->base == (uintptr_t)p)
        {
            if (r->busy > 0)
            {
                g_violations++;
                RETURN(CUDA_ERROR_INVALID_VALUE);
            }
            *q = r->next;
            free(r);
            RETURN(CUDA_SUCCESS);
        }
    }
    RETURN(CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED);
}

/* The device allocation a copy touches, or NULL (with *result set) when the copy is invalid. */
static alloc_t *check_copy(uintptr_t device, const void *host, size_t bytes, CUresult *result)
{
    *result = CUDA_SUCCESS;
    if (!has_current_context())
    {
        *result = CUDA_ERROR_INVALID_CONTEXT;
        return NULL;
    }
    alloc_t *a = host == NULL ? NULL : find_range(g_allocs, device, bytes);
    if (a == NULL)
    {
        *result = CUDA_ERROR_INVALID_VALUE;
    }
    return a;
}

API CUresult cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void *srcHost, size_t byteCount)
{
    ENTER(1);
    CUresult r;
    alloc_t *a = check_copy((uintptr_t)dstDevice, srcHost, byteCount, &r);
    if (a != NULL)
    {
        memcpy(backing_of(a, (uintptr_t)dstDevice), srcHost, byteCount);
    }
    RETURN(r);
}

API CUresult cuMemcpyDtoH_v2(void *dstHost, CUdeviceptr srcDevice, size_t byteCount)
{
    ENTER(1);
    CUresult r;
    alloc_t *a = check_copy((uintptr_t)srcDevice, dstHost, byteCount, &r);
    if (a != NULL)
    {
        memcpy(dstHost, backing_of(a, (uintptr_t)srcDevice), byteCount);
    }
    RETURN(r);
}

static CUresult copy_async(int to_device, uintptr_t device, void *host, size_t bytes, CUstream h)
{
    CUresult r;
    alloc_t *a = check_copy(device, host, bytes, &r);
    if (a == NULL)
    {
        return r;
    }
    struct CUstream_st *s = resolve_stream(h);
    if (s == NULL)
    {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    op_t *op = new_op(OP_COPY);
    if (op == NULL)
    {
        return CUDA_ERROR_OUT_OF_MEMORY;
    }
    op->dst = to_device ? backing_of(a, device) : host;
    op->src = to_device ? host : backing_of(a, device);
    op->bytes = bytes;
    op->to_device = to_device;
    op->device = a;
    op->host = find_containing(g_host_regs, (uintptr_t)host);
    a->busy++;
    if (op->host != NULL)
    {
        op->host->busy++;
    }
    return enqueue(s, op);
}

API CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void *srcHost, size_t byteCount, CUstream hStream)
{
    ENTER(1);
    RETURN(copy_async(1, (uintptr_t)dstDevice, (void *)srcHost, byteCount, hStream));
}

API CUresult cuMemcpyDtoHAsync_v2(void *dstHost, CUdeviceptr srcDevice, size_t byteCount, CUstream hStream)
{
    ENTER(1);
    RETURN(copy_async(0, (uintptr_t)srcDevice, dstHost, byteCount, hStream));
}

API CUresult cuPointerGetAttribute(void *data, CUpointer_attribute attribute, CUdeviceptr ptr)
{
    ENTER(1);
    REQUIRE(data != NULL, CUDA_ERROR_INVALID_VALUE);
    alloc_t *device = find_containing(g_allocs, (uintptr_t)ptr);
    alloc_t *host = device == NULL ? find_containing(g_host_regs, (uintptr_t)ptr) : NULL;
    alloc_t *range = device != NULL ? device : host;
    REQUIRE(range != NULL, CUDA_ERROR_INVALID_VALUE);
    switch (attribute)
    {
        case CU_POINTER_ATTRIBUTE_MEMORY_TYPE:
            *(unsigned int *)data = device != NULL ? CU_MEMORYTYPE_DEVICE : CU_MEMORYTYPE_HOST;
            break;
        case CU_POINTER_ATTRIBUTE_RANGE_START_ADDR: *(CUdeviceptr *)data = range->base; break;
        case CU_POINTER_ATTRIBUTE_RANGE_SIZE: *(size_t *)data = range->size; break;
        default: RETURN(CUDA_ERROR_INVALID_VALUE);
    }
    RETURN(CUDA_SUCCESS);
}

/* ------------------------------------------------------------------ IPC */

/* Handle bytes: magic, exporting pid, base address, size; the rest zero. */
API CUresult cuIpcGetMemHandle(CUipcMemHandle *pHandle, CUdeviceptr dptr)
{
    ENTER(1);
    CHECK(check_context_call(pHandle != NULL));
    alloc_t *a = find_containing(g_allocs, (uintptr_t)dptr);
    /* Documented rule kept strict here: export the base of a cuMemAlloc allocation, not an interior pointer. */
    REQUIRE(a != NULL && a->origin == NULL && a->base == (uintptr_t)dptr, CUDA_ERROR_INVALID_VALUE);
    unsigned long long words[8] = {IPC_MAGIC, (unsigned long long)getpid(), (unsigned long long)a->base,
                                   (unsigned long long)a->size, 0, 0, 0, 0};
    memcpy(pHandle->reserved, words, sizeof(words));
    RETURN(CUDA_SUCCESS);
}

API CUresult cuIpcOpenMemHandle_v2(CUdeviceptr *pdptr, CUipcMemHandle handle, unsigned int flags)
{
    ENTER(1);
    CHECK(check_context_call(pdptr != NULL && (flags & ~1u) == 0));
    unsigned long long words[8];
    memcpy(words, handle.reserved, sizeof(words));
    REQUIRE(words[0] == IPC_MAGIC, CUDA_ERROR_INVALID_HANDLE);
    alloc_t *origin = NULL;
    for (alloc_t *a = g_allocs; a != NULL; a = a->next)
    {
        if (a->origin == NULL && a->base == (uintptr_t)words[2] && a->size == (size_t)words[3])
        {
            origin = a;
        }
    }
    REQUIRE(origin != NULL, CUDA_ERROR_INVALID_HANDLE);
    alloc_t *m = new_device_range(origin->size, origin->backing);
    REQUIRE(m != NULL, CUDA_ERROR_OUT_OF_MEMORY);
    m->origin = origin;
    origin->mappings++;
    *pdptr = (CUdeviceptr)m->base;
    RETURN(CUDA_SUCCESS);
}

API CUresult cuIpcCloseMemHandle(CUdeviceptr dptr)
{
    ENTER(1);
    for (alloc_t *a = g_allocs; a != NULL; a = a->next)
    {
        if (a->base == (uintptr_t)dptr && a->origin != NULL)
        {
            a->origin->mappings--;
            unlink_alloc(a);
            RETURN(CUDA_SUCCESS);
        }
    }
    RETURN(CUDA_ERROR_INVALID_VALUE);
}

/* ------------------------------------------------------------------ streams */

API CUresult cuStreamCreate(CUstream *phStream, unsigned int flags)
{
    ENTER(1);
    CHECK(check_context_call(phStream != NULL && (flags & ~(unsigned)CU_STREAM_NON_BLOCKING) == 0));
    struct CUstream_st *s = new_stream(flags);
    REQUIRE(s != NULL, CUDA_ERROR_OUT_OF_MEMORY);
    *phStream = s;
    RETURN(CUDA_SUCCESS);
}

API CUresult cuStreamDestroy_v2(CUstream hStream)
{
    ENTER(1);
    struct CUstream_st *s = hStream == NULL ? NULL : resolve_stream(hStream);
    REQUIRE(s != NULL && s != g_default_stream, CUDA_ERROR_INVALID_HANDLE);
    /* Documented: returns at once; the worker frees the stream once its queued work is done. */
    s->destroyed = 1;
    pthread_cond_broadcast(&g_cond);
    RETURN(CUDA_SUCCESS);
}

API CUresult cuStreamSynchronize(CUstream hStream)
{
    ENTER(1);
    struct CUstream_st *s = resolve_stream(hStream);
    REQUIRE(s != NULL, CUDA_ERROR_INVALID_HANDLE);
    while (!stream_idle(s))
    {
        pthread_cond_wait(&g_cond, &g_lock);
    }
    RETURN(CUDA_SUCCESS);
}

API CUresult cuStreamQuery(CUstream hStream)
{
    ENTER(1);
    struct CUstream_st *s = resolve_stream(hStream);
    REQUIRE(s != NULL, CUDA_ERROR_INVALID_HANDLE);
    RETURN(stream_idle(s) ? CUDA_SUCCESS : CUDA_ERROR_NOT_READY);
}

API CUresult cuLaunchHostFunc(CUstream hStream, CUhostFn fn, void *userData)
{
    ENTER(1);
    REQUIRE(fn != NULL, CUDA_ERROR_INVALID_VALUE);
    struct CUstream_st *s = resolve_stream(hStream);
    REQUIRE(s != NULL, CUDA_ERROR_INVALID_HANDLE);
    op_t *op = new_op(OP_HOST_FN);
    REQUIRE(op != NULL, CUDA_ERROR_OUT_OF_MEMORY);
    op->fn = fn;
    op->user_data = userData;
    RETURN(enqueue(s, op));
}

/* ------------------------------------------------------------------ events */

API CUresult cuEventCreate(CUevent *phEvent, unsigned int flags)
{
    ENTER(1);
    /* Documented: an interprocess event must also disable timing. */
    const int interprocess_ok = (flags & CU_EVENT_INTERPROCESS) == 0 || (flags & CU_EVENT_DISABLE_TIMING) != 0;
    CHECK(check_context_call(phEvent != NULL && (flags & ~0x7u) == 0 && interprocess_ok));
    struct CUevent_st *e = calloc(1, sizeof(*e));
    REQUIRE(e != NULL, CUDA_ERROR_OUT_OF_MEMORY);
    e->flags = flags;
    e->next = g_events;
    g_events = e;
    *phEvent = e;
    RETURN(CUDA_SUCCESS);
}

API CUresult cuEventRecord(CUevent hEvent, CUstream hStream)
{
    ENTER(1);
    struct CUevent_st *e = resolve_event(hEvent);
    struct CUstream_st *s = resolve_stream(hStream);
    REQUIRE(e != NULL && s != NULL, CUDA_ERROR_INVALID_HANDLE);
    op_t *op = new_op(OP_EVENT);
    REQUIRE(op != NULL, CUDA_ERROR_OUT_OF_MEMORY);
    op->event = e;
    op->generation = ++e->recorded;
    e->pending_ops++;
    RETURN(enqueue(s, op));
}

API CUresult cuEventQuery(CUevent hEvent)
{
    ENTER(1);
    struct CUevent_st *e = resolve_event(hEvent);
    REQUIRE(e != NULL, CUDA_ERROR_INVALID_HANDLE);
    /* An event that was never recorded counts as complete (documented). */
    RETURN(e->completed >= e->recorded ? CUDA_SUCCESS : CUDA_ERROR_NOT_READY);
}

API CUresult cuEventSynchronize(CUevent hEvent)
{
    ENTER(1);
    struct CUevent_st *e = resolve_event(hEvent);
    REQUIRE(e != NULL, CUDA_ERROR_INVALID_HANDLE);
    const unsigned long target = e->recorded;
    while (e->completed < target)
    {
        pthread_cond_wait(&g_cond, &g_lock);
    }
    RETURN(CUDA_SUCCESS);
}

API CUresult cuEventDestroy_v2(CUevent hEvent)
{
    ENTER(1);
    struct CUevent_st *e = resolve_event(hEvent);
    REQUIRE(e != NULL, CUDA_ERROR_INVALID_HANDLE);
    e->destroyed = 1;
    if (e->pending_ops == 0)
    {
        unlink_event(e);
    }
    RETURN(CUDA_SUCCESS);
}

/* ------------------------------------------------------------------ errors */

static CUresult lookup_error(CUresult error, const char **pStr, int text)
{
    if (pStr == NULL)
    {
        return CUDA_ERROR_INVALID_VALUE;
    }
    for (size_t i = 0; i < sizeof(ERRORS) / sizeof(ERRORS[0]); i++)
    {
        if (ERRORS[i].code == error)
        {
            *pStr = text ? ERRORS[i].text : ERRORS[i].name;
            return CUDA_SUCCESS;
        }
    }
    /* Documented: an unrecognised code yields CUDA_ERROR_INVALID_VALUE and a NULL string. */
    *pStr = NULL;
    return CUDA_ERROR_INVALID_VALUE;
}

API CUresult cuGetErrorName(CUresult error, const char **pStr)
{
    ENTER(0);
    RETURN(lookup_error(error, pStr, 0));
}

API CUresult cuGetErrorString(CUresult error, const char **pStr)
{
    ENTER(0);
    RETURN(lookup_error(error, pStr, 1));
}
