/*
 * cufile_double.c -- libcufile_double.so, a TEST DOUBLE of NVIDIA's libcufile (GPUDirect Storage).
 * Never shipped, never a fallback: tests point CONDUIT_CUFILE_LIB at it.
 *
 * It implements the semantics of the public cuFile API reference over host memory, on top of
 * libcuda_double.so (linked by soname, the way the real libcufile sits on libcuda.so.1):
 *   - cuFileDriverOpen initialises CUDA (cuInit) and fails with CU_FILE_CUDA_DRIVER_ERROR plus the
 *     CUresult when that fails, or with CU_FILE_DRIVER_NOT_INITIALIZED when nvidia-fs is "missing"
 *     and compat mode is not allowed; Read/Write/HandleRegister/BufRegister open it implicitly;
 *   - handles need a regular file (or block device) fd, opened O_DIRECT unless compat mode is
 *     allowed, without O_APPEND/O_NONBLOCK/O_NOATIME; a second, buffered fd is opened per handle
 *     (as cuFile does for compat IO) and used for IO that is not 4 KiB-aligned;
 *   - buffers are device memory from cuMemAlloc (checked with cuPointerGetAttribute) or host
 *     memory (unless ALLOW_SYSTEM_MEMORY is off); registration is optional, checked for range and
 *     for the pinned-memory budget;
 *   - cuFileRead/Write return bytes, -1 with errno for filesystem errors, or -CUfileOpError;
 *   - device memory is not host-addressable (see cuda_double.c): IO into it goes through the CUDA
 *     double's backing store, as a DMA would, while host memory is read and written in place;
 *   - batches complete on a background thread per batch with PENDING/COMPLETE/FAILED/CANCELED/
 *     TIMEOUT status flags, newest pending entry first (out of submission order, as real batches
 *     may complete); double_cufile_fail_batch_entry() makes a chosen entry fail, and
 *     double_cufile_corrupt_batch_write() lets a chosen write entry land with a byte flipped; the device memory
 *     of an entry in flight is marked busy in the CUDA double, so freeing it early is caught;
 *     cuFileBatchIOGetStatus honours min_nr and its timeout;
 *   - async reads/writes are enqueued on the CUDA stream with cuLaunchHostFunc, so they complete
 *     in stream order and are observed with cuStreamSynchronize; size and offsets are read at
 *     execution time unless cuFileStreamRegister fixed them;
 *   - parameters are staged while the driver is closed (DRIVER_ALREADY_OPEN after open) and
 *     become the running configuration at open; stats count while started.
 *
 * Built twice: as is, and with -DCUFILE_DOUBLE_LEGACY as an old libcufile (version 1.6) that
 * exports no batch, stream, vector, parameter or stats calls and no cuFileDriverClose_v2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cufile_test.h"
#include "double_common.h"

#define API __attribute__((visibility("default")))
#define MAX_FAILS 16
#define MAX_COUNTED 96
#define ALIGNMENT 4096
#define NUM_SIZE_PARAMS 12
#define NUM_BOOL_PARAMS 12
#define NUM_STRING_PARAMS 3
#define STRING_PARAM_MAX 256

#ifdef CUFILE_DOUBLE_LEGACY
#define LIBRARY_VERSION 1060
#else
#define LIBRARY_VERSION 1150
#endif

typedef struct config
{
    size_t sizes[NUM_SIZE_PARAMS];
    bool bools[NUM_BOOL_PARAMS];
    char strings[NUM_STRING_PARAMS][STRING_PARAM_MAX];
} config_t;

typedef struct handle
{
    int fd;
    int buffered_fd;
    int direct;
    struct handle *next;
} handle_t;

typedef struct buffer
{
    uintptr_t base;
    size_t size;
    int device;
    struct buffer *next;
} buffer_t;

static const size_t SIZE_DEFAULTS[NUM_SIZE_PARAMS] = {
    0, 128, 4, 8192, 4, 16384, 131072, 1024, 33554432, 128, 4, 5000,
};
__attribute__((unused)) static const size_t SIZE_MIN[NUM_SIZE_PARAMS] = {0, 1, 0, 4, 0, 4, 0, 4, 4, 1, 4, 1};
__attribute__((unused)) static const size_t SIZE_MAX_[NUM_SIZE_PARAMS] = {
    3, 65535, 256, 1048576, 64, 1048576, 67108864, 16384, 0xFFFFFFFFu, 256, 1048576, 3600000,
};
static const bool BOOL_DEFAULTS[NUM_BOOL_PARAMS] = {
    false, true, false, false, true, false, true, false, false, false, false, false,
};
static const char *const STRING_DEFAULTS[NUM_STRING_PARAMS] = {"ERROR", "", ""};

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond;
static long g_calls;
static long g_use_count;
static int g_nvfs = 1;
static int g_hold_batches;
static long g_batch_entries;      /* entries submitted since reset */
static long g_fail_entry = -1;    /* the entry (0-based since reset) that fails, -1 none */
static int g_fail_entry_errno;
static long g_corrupt_entry = -1; /* the write entry (0-based since reset) whose first byte lands flipped, -1 none */
static int g_batch_fifo;
static config_t g_staged;
static config_t g_running;
static size_t g_pinned_bytes;
static handle_t *g_handles;
static buffer_t *g_buffers;
static double_fail_t g_fails[MAX_FAILS];
static double_count_t g_counts[MAX_COUNTED];
#ifndef CUFILE_DOUBLE_LEGACY
static int g_stats_level;
static int g_stats_on;
static CUfileStatsLevel1_t g_stats;
#endif

static void load_defaults(config_t *c)
{
    memcpy(c->sizes, SIZE_DEFAULTS, sizeof(c->sizes));
    memcpy(c->bools, BOOL_DEFAULTS, sizeof(c->bools));
    for (int i = 0; i < NUM_STRING_PARAMS; i++)
    {
        snprintf(c->strings[i], STRING_PARAM_MAX, "%s", STRING_DEFAULTS[i]);
    }
}

__attribute__((constructor)) static void init_double(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&g_cond, &attr);
    pthread_condattr_destroy(&attr);
    load_defaults(&g_staged);
    load_defaults(&g_running);
}

static CUfileError_t status(CUfileOpError err, CUresult cu_err)
{
    CUfileError_t s = {err, cu_err};
    return s;
}

static const CUfileError_t OK = {CU_FILE_SUCCESS, CUDA_SUCCESS};

/* A cuFile error that carries no CUDA error. */
static CUfileError_t op_error(CUfileOpError err)
{
    return status(err, CUDA_SUCCESS);
}

/* Returns CU_FILE_INVALID_VALUE from the entry point when its arguments fail (invalid). */
#define INVALID_IF(invalid)                           \
    do                                                \
    {                                                 \
        if (invalid)                                  \
        {                                             \
            return op_error(CU_FILE_INVALID_VALUE);   \
        }                                             \
    } while (0)

/* ------------------------------------------------------------------ failure injection */

static const double_fail_t *injected(const char *function)
{
    double_trace_add(function);
    pthread_mutex_lock(&g_lock);
    g_calls++;
    double_count_call(g_counts, MAX_COUNTED, function);
    const double_fail_t *hit = double_fail_take(g_fails, MAX_FAILS, function);
    pthread_mutex_unlock(&g_lock);
    return hit;
}

#define ENTER_STATUS()                                \
    do                                                \
    {                                                 \
        const double_fail_t *f_ = injected(__func__); \
        if (f_ != NULL)                               \
        {                                             \
            return status((CUfileOpError)f_->code,    \
                          (CUresult)f_->detail);      \
        }                                             \
    } while (0)

#define ENTER_IO()                                    \
    do                                                \
    {                                                 \
        const double_fail_t *f_ = injected(__func__); \
        if (f_ != NULL)                               \
        {                                             \
            if (f_->errno_value != 0)                 \
            {                                         \
                errno = f_->errno_value;              \
                return -1;                            \
            }                                         \
            return -(ssize_t)f_->code;                \
        }                                             \
    } while (0)

#define ENTER_COUNT() (void)injected(__func__)

/* ------------------------------------------------------------------ control surface */

static void close_all_locked(void);

API void double_cufile_reset(void)
{
    pthread_mutex_lock(&g_lock);
    close_all_locked();
    g_use_count = 0;
    g_calls = 0;
    g_nvfs = 1;
    g_hold_batches = 0;
    g_batch_entries = 0;
    g_fail_entry = -1;
    g_fail_entry_errno = 0;
    g_corrupt_entry = -1;
    g_batch_fifo = 0;
    g_pinned_bytes = 0;
    load_defaults(&g_staged);
    load_defaults(&g_running);
    memset(g_fails, 0, sizeof(g_fails));
#ifndef CUFILE_DOUBLE_LEGACY
    g_stats_level = 0;
    g_stats_on = 0;
    memset(&g_stats, 0, sizeof(g_stats));
#endif
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

API void double_cufile_fail(const char *function, int err, int cu_err, int errno_value, int times)
{
    pthread_mutex_lock(&g_lock);
    double_fail_t *f = double_fail_slot(g_fails, MAX_FAILS, function, times);
    if (f != NULL)
    {
        f->code = err;
        f->detail = cu_err;
        f->errno_value = errno_value;
    }
    pthread_mutex_unlock(&g_lock);
}

API void double_cufile_set_nvfs(int loaded)
{
    pthread_mutex_lock(&g_lock);
    g_nvfs = loaded;
    pthread_mutex_unlock(&g_lock);
}

API void double_cufile_hold_batches(int hold)
{
    pthread_mutex_lock(&g_lock);
    g_hold_batches = hold;
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

API void double_cufile_fail_batch_entry(long nth, int errno_value)
{
    pthread_mutex_lock(&g_lock);
    g_fail_entry = g_batch_entries + nth;
    g_fail_entry_errno = errno_value;
    pthread_mutex_unlock(&g_lock);
}

/*
 * Silent media corruption: the chosen entry, if it is a write, completes normally but the first byte
 * it wrote reads back flipped (bit 0x40), as a bad DMA or media would leave it.
 */
API void double_cufile_corrupt_batch_write(long nth)
{
    pthread_mutex_lock(&g_lock);
    g_corrupt_entry = g_batch_entries + nth;
    pthread_mutex_unlock(&g_lock);
}

API void double_cufile_batch_fifo(int fifo)
{
    pthread_mutex_lock(&g_lock);
    g_batch_fifo = fifo;
    pthread_mutex_unlock(&g_lock);
}

API long double_cufile_call_count(const char *function)
{
    pthread_mutex_lock(&g_lock);
    const long n = double_count_of(g_counts, MAX_COUNTED, function);
    pthread_mutex_unlock(&g_lock);
    return n;
}

API long double_cufile_calls(void)
{
    pthread_mutex_lock(&g_lock);
    long calls = g_calls;
    pthread_mutex_unlock(&g_lock);
    return calls;
}

/* ------------------------------------------------------------------ statistics helpers */

#ifndef CUFILE_DOUBLE_LEGACY
#define STAT(expr)         \
    do                     \
    {                      \
        if (g_stats_on)    \
        {                  \
            expr;          \
        }                  \
    } while (0)
#else
#define STAT(expr) ((void)0)
#endif

static void count_io(int write, ssize_t result)
{
    (void)write;
    (void)result;
#ifndef CUFILE_DOUBLE_LEGACY
    pthread_mutex_lock(&g_lock);
    CUfileOpCounter_t *ops = write ? &g_stats.write_ops : &g_stats.read_ops;
    STAT(result >= 0 ? ops->ok++ : ops->err++);
    STAT(write ? (g_stats.write_bytes += result > 0 ? (uint64_t)result : 0)
               : (g_stats.read_bytes += result > 0 ? (uint64_t)result : 0));
    pthread_mutex_unlock(&g_lock);
#endif
}

/* Counts a synchronous read or write and hands its result on, errno included. */
static ssize_t counted_io(int write, ssize_t result)
{
    const int saved = errno;
    count_io(write, result);
    errno = saved;
    return result;
}

/* ------------------------------------------------------------------ driver */

static void close_all_locked(void)
{
    while (g_handles != NULL)
    {
        handle_t *h = g_handles;
        g_handles = h->next;
        close(h->buffered_fd);
        free(h);
    }
    while (g_buffers != NULL)
    {
        buffer_t *b = g_buffers;
        g_buffers = b->next;
        free(b);
    }
    g_pinned_bytes = 0;
}

static CUfileError_t open_locked(void)
{
    if (g_use_count > 0)
    {
        g_use_count++;
        return OK;
    }
    const CUresult cu = cuInit(0);
    if (cu != CUDA_SUCCESS)
    {
        return status(CU_FILE_CUDA_DRIVER_ERROR, cu);
    }
    if (!g_nvfs && !g_staged.bools[CUFILE_PARAM_PROPERTIES_ALLOW_COMPAT_MODE])
    {
        return op_error(CU_FILE_DRIVER_NOT_INITIALIZED);
    }
    g_running = g_staged;
    g_use_count = 1;
    return OK;
}

/* For calls that need the driver open but do not open it themselves. */
static CUfileError_t check_open_locked(void)
{
    return g_use_count > 0 ? OK : op_error(CU_FILE_DRIVER_NOT_INITIALIZED);
}

static CUfileError_t ensure_open_locked(void)
{
    return g_use_count > 0 ? OK : open_locked();
}

API CUfileError_t cuFileDriverOpen(void)
{
    ENTER_STATUS();
    pthread_mutex_lock(&g_lock);
    CUfileError_t s = open_locked();
    pthread_mutex_unlock(&g_lock);
    return s;
}

static CUfileError_t driver_close(void)
{
    pthread_mutex_lock(&g_lock);
    const CUfileError_t open = check_open_locked();
    if (open.err != CU_FILE_SUCCESS)
    {
        pthread_mutex_unlock(&g_lock);
        return open;
    }
    if (--g_use_count == 0)
    {
        /* Documented: closing implicitly deregisters remaining buffers and handles. */
        close_all_locked();
    }
    pthread_mutex_unlock(&g_lock);
    return OK;
}

API CUfileError_t cuFileDriverClose(void)
{
    ENTER_STATUS();
    return driver_close();
}

#ifndef CUFILE_DOUBLE_LEGACY
API CUfileError_t cuFileDriverClose_v2(void)
{
    ENTER_STATUS();
    return driver_close();
}
#endif

API long cuFileUseCount(void)
{
    ENTER_COUNT();
    pthread_mutex_lock(&g_lock);
    long n = g_use_count;
    pthread_mutex_unlock(&g_lock);
    return n;
}

API CUfileError_t cuFileDriverGetProperties(CUfileDrvProps_t *props)
{
    ENTER_STATUS();
    INVALID_IF(props == NULL);
    pthread_mutex_lock(&g_lock);
    const CUfileError_t open = check_open_locked();
    if (open.err != CU_FILE_SUCCESS)
    {
        pthread_mutex_unlock(&g_lock);
        return open;
    }
    const config_t *c = &g_running;
    memset(props, 0, sizeof(*props));
    props->nvfs.major_version = g_nvfs ? 2 : 0;
    props->nvfs.minor_version = g_nvfs ? 26 : 0;
    props->nvfs.poll_thresh_size = c->sizes[CUFILE_PARAM_POLLTHRESHOLD_SIZE_KB];
    props->nvfs.max_direct_io_size = c->sizes[CUFILE_PARAM_PROPERTIES_MAX_DIRECT_IO_SIZE_KB];
    props->nvfs.dstatusflags = g_nvfs ? (1u << CU_FILE_NVME_SUPPORTED) | (1u << CU_FILE_NVMEOF_SUPPORTED) : 0;
    props->nvfs.dcontrolflags = (c->bools[CUFILE_PARAM_PROPERTIES_USE_POLL_MODE] ? 1u << CU_FILE_USE_POLL_MODE : 0)
        | (c->bools[CUFILE_PARAM_PROPERTIES_ALLOW_COMPAT_MODE] ? 1u << CU_FILE_ALLOW_COMPAT_MODE : 0);
#ifdef CUFILE_DOUBLE_LEGACY
    props->fflags = 0;
#else
    props->fflags = (1u << CU_FILE_BATCH_IO_SUPPORTED) | (1u << CU_FILE_STREAMS_SUPPORTED)
        | (1u << CU_FILE_PARALLEL_IO_SUPPORTED) | (g_nvfs ? 1u << CU_FILE_P2P_SUPPORTED : 0);
#endif
    props->max_device_cache_size = (unsigned)c->sizes[CUFILE_PARAM_PROPERTIES_MAX_DEVICE_CACHE_SIZE_KB];
    props->per_buffer_cache_size = (unsigned)c->sizes[CUFILE_PARAM_PROPERTIES_PER_BUFFER_CACHE_SIZE_KB];
    props->max_device_pinned_mem_size = (unsigned)c->sizes[CUFILE_PARAM_PROPERTIES_MAX_DEVICE_PINNED_MEM_SIZE_KB];
    props->max_batch_io_size = (unsigned)c->sizes[CUFILE_PARAM_PROPERTIES_IO_BATCHSIZE];
    props->max_batch_io_timeout_msecs = (unsigned)c->sizes[CUFILE_PARAM_PROPERTIES_BATCH_IO_TIMEOUT_MS];
    pthread_mutex_unlock(&g_lock);
    return OK;
}

/* The four setters take KiB, must be 4 KiB multiples, and act before open only (no-op after). */
static CUfileError_t stage_size(CUFileSizeTConfigParameter_t param, size_t kib)
{
    if (kib == 0 || kib % 4 != 0)
    {
        return op_error(CU_FILE_DRIVER_UNSUPPORTED_LIMIT);
    }
    pthread_mutex_lock(&g_lock);
    if (g_use_count == 0)
    {
        g_staged.sizes[param] = kib;
    }
    pthread_mutex_unlock(&g_lock);
    return OK;
}

API CUfileError_t cuFileDriverSetPollMode(bool poll, size_t poll_threshold_size)
{
    ENTER_STATUS();
    CUfileError_t s = stage_size(CUFILE_PARAM_POLLTHRESHOLD_SIZE_KB, poll_threshold_size);
    if (s.err == CU_FILE_SUCCESS)
    {
        pthread_mutex_lock(&g_lock);
        if (g_use_count == 0)
        {
            g_staged.bools[CUFILE_PARAM_PROPERTIES_USE_POLL_MODE] = poll;
        }
        pthread_mutex_unlock(&g_lock);
    }
    return s;
}

API CUfileError_t cuFileDriverSetMaxDirectIOSize(size_t max_direct_io_size)
{
    ENTER_STATUS();
    return stage_size(CUFILE_PARAM_PROPERTIES_MAX_DIRECT_IO_SIZE_KB, max_direct_io_size);
}

API CUfileError_t cuFileDriverSetMaxCacheSize(size_t max_cache_size)
{
    ENTER_STATUS();
    return stage_size(CUFILE_PARAM_PROPERTIES_MAX_DEVICE_CACHE_SIZE_KB, max_cache_size);
}

API CUfileError_t cuFileDriverSetMaxPinnedMemSize(size_t max_pinned_size)
{
    ENTER_STATUS();
    return stage_size(CUFILE_PARAM_PROPERTIES_MAX_DEVICE_PINNED_MEM_SIZE_KB, max_pinned_size);
}

API CUfileError_t cuFileGetVersion(int *version)
{
    ENTER_STATUS();
    INVALID_IF(version == NULL);
    *version = LIBRARY_VERSION;
    return OK;
}

/* ------------------------------------------------------------------ handles */

static handle_t *find_handle(CUfileHandle_t fh)
{
    for (handle_t *h = g_handles; h != NULL; h = h->next)
    {
        if ((CUfileHandle_t)h == fh)
        {
            return h;
        }
    }
    return NULL;
}

API CUfileError_t cuFileHandleRegister(CUfileHandle_t *fh, CUfileDescr_t *descr)
{
    ENTER_STATUS();
    INVALID_IF(fh == NULL || descr == NULL || descr->type != CU_FILE_HANDLE_TYPE_OPAQUE_FD || descr->fs_ops != NULL);
    pthread_mutex_lock(&g_lock);
    CUfileError_t s = ensure_open_locked();
    if (s.err != CU_FILE_SUCCESS)
    {
        pthread_mutex_unlock(&g_lock);
        return s;
    }
    const int fd = descr->handle.fd;
    struct stat st;
    const int flags = fcntl(fd, F_GETFL);
    if (fd < 0 || fstat(fd, &st) != 0 || flags < 0)
    {
        s = op_error(CU_FILE_INVALID_VALUE);
    }
    else if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
    {
        s = op_error(CU_FILE_INVALID_FILE_TYPE);
    }
    else if ((flags & (O_APPEND | O_NONBLOCK | O_NOATIME)) != 0)
    {
        s = op_error(CU_FILE_INVALID_FILE_OPEN_FLAG);
    }
    else if ((flags & O_DIRECT) == 0 && !g_running.bools[CUFILE_PARAM_PROPERTIES_ALLOW_COMPAT_MODE])
    {
        s = op_error(CU_FILE_DIO_NOT_SET);
    }
    for (handle_t *h = g_handles; h != NULL && s.err == CU_FILE_SUCCESS; h = h->next)
    {
        if (h->fd == fd)
        {
            s = op_error(CU_FILE_HANDLE_ALREADY_REGISTERED);
        }
    }
    handle_t *h = NULL;
    if (s.err == CU_FILE_SUCCESS)
    {
        char path[64];
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        h = calloc(1, sizeof(*h));
        const int buffered = h == NULL ? -1 : open(path, (flags & O_ACCMODE) | O_CLOEXEC);
        if (buffered < 0)
        {
            free(h);
            s = op_error(CU_FILE_GETNEWFD_FAILED);
        }
        else
        {
            h->fd = fd;
            h->buffered_fd = buffered;
            h->direct = (flags & O_DIRECT) != 0;
            h->next = g_handles;
            g_handles = h;
            *fh = h;
        }
    }
#ifndef CUFILE_DOUBLE_LEGACY
    STAT(s.err == CU_FILE_SUCCESS ? g_stats.hdl_register_ops.ok++ : g_stats.hdl_register_ops.err++);
#endif
    pthread_mutex_unlock(&g_lock);
    return s;
}

API void cuFileHandleDeregister(CUfileHandle_t fh)
{
    ENTER_COUNT();
    pthread_mutex_lock(&g_lock);
    for (handle_t **p = &g_handles; *p != NULL; p = &(*p)->next)
    {
        handle_t *h = *p;
        if ((CUfileHandle_t)h == fh)
        {
            *p = h->next;
            close(h->buffered_fd);
            free(h);
#ifndef CUFILE_DOUBLE_LEGACY
            STAT(g_stats.hdl_deregister_ops.ok++);
#endif
            break;
        }
    }
    pthread_mutex_unlock(&g_lock);
}

/* ------------------------------------------------------------------ buffers */

static buffer_t *find_buffer(uintptr_t base)
{
    for (buffer_t *b = g_buffers; b != NULL; b = b->next)
    {
        if (b->base == base)
        {
            return b;
        }
    }
    return NULL;
}

/* Classifies an address: 1 device memory (range start/size filled), 0 host memory, or an error. */
static CUfileError_t classify(uintptr_t address, int *device, uintptr_t *start, size_t *size)
{
    unsigned int type = 0;
    const CUresult cu = cuPointerGetAttribute(&type, CU_POINTER_ATTRIBUTE_MEMORY_TYPE, (CUdeviceptr)address);
    if (cu == CUDA_SUCCESS && type == CU_MEMORYTYPE_DEVICE)
    {
        CUdeviceptr base = 0;
        cuPointerGetAttribute(&base, CU_POINTER_ATTRIBUTE_RANGE_START_ADDR, (CUdeviceptr)address);
        cuPointerGetAttribute(size, CU_POINTER_ATTRIBUTE_RANGE_SIZE, (CUdeviceptr)address);
        *start = (uintptr_t)base;
        *device = 1;
        return OK;
    }
    if (cu != CUDA_SUCCESS && cu != CUDA_ERROR_INVALID_VALUE)
    {
        return status(CU_FILE_CUDA_DRIVER_ERROR, cu);
    }
    /* Plain or cuMemHostRegister'ed host memory: allowed unless system memory is switched off. */
    *device = 0;
    return g_running.bools[CUFILE_PARAM_PROPERTIES_ALLOW_SYSTEM_MEMORY]
        ? OK : op_error(CU_FILE_CUDA_MEMORY_TYPE_INVALID);
}

API CUfileError_t cuFileBufRegister(const void *bufPtr_base, size_t length, int flags)
{
    ENTER_STATUS();
    const int known_flags = CU_FILE_RDMA_REGISTER | CU_FILE_RDMA_RELAXED_ORDERING;
    INVALID_IF(bufPtr_base == NULL || length == 0 || (flags & ~known_flags) != 0);
    pthread_mutex_lock(&g_lock);
    CUfileError_t s = ensure_open_locked();
    const uintptr_t base = (uintptr_t)bufPtr_base;
    int device = 0;
    uintptr_t start = 0;
    size_t size = 0;
    if (s.err == CU_FILE_SUCCESS && find_buffer(base) != NULL)
    {
        s = op_error(CU_FILE_MEMORY_ALREADY_REGISTERED);
    }
    if (s.err == CU_FILE_SUCCESS)
    {
        s = classify(base, &device, &start, &size);
    }
    if (s.err == CU_FILE_SUCCESS && device)
    {
        const size_t budget = g_running.sizes[CUFILE_PARAM_PROPERTIES_MAX_DEVICE_PINNED_MEM_SIZE_KB] * 1024;
        if (length > size - (base - start))
        {
            s = op_error(CU_FILE_CUDA_POINTER_RANGE_ERROR);
        }
        else if (length > budget - (g_pinned_bytes < budget ? g_pinned_bytes : budget))
        {
            s = op_error(CU_FILE_GPU_MEMORY_PINNING_FAILED);
        }
    }
    if (s.err == CU_FILE_SUCCESS)
    {
        buffer_t *b = calloc(1, sizeof(*b));
        if (b == NULL)
        {
            s = op_error(CU_FILE_NOMEM_ERROR);
        }
        else
        {
            b->base = base;
            b->size = length;
            b->device = device;
            b->next = g_buffers;
            g_buffers = b;
            g_pinned_bytes += device ? length : 0;
        }
    }
#ifndef CUFILE_DOUBLE_LEGACY
    STAT(s.err == CU_FILE_SUCCESS ? g_stats.buf_register_ops.ok++ : g_stats.buf_register_ops.err++);
#endif
    pthread_mutex_unlock(&g_lock);
    return s;
}

API CUfileError_t cuFileBufDeregister(const void *bufPtr_base)
{
    ENTER_STATUS();
    pthread_mutex_lock(&g_lock);
    CUfileError_t s = op_error(CU_FILE_MEMORY_NOT_REGISTERED);
    for (buffer_t **p = &g_buffers; *p != NULL; p = &(*p)->next)
    {
        buffer_t *b = *p;
        if (b->base == (uintptr_t)bufPtr_base)
        {
            *p = b->next;
            g_pinned_bytes -= b->device ? b->size : 0;
            free(b);
            s = OK;
            break;
        }
    }
#ifndef CUFILE_DOUBLE_LEGACY
    STAT(s.err == CU_FILE_SUCCESS ? g_stats.buf_deregister_ops.ok++ : g_stats.buf_deregister_ops.err++);
#endif
    pthread_mutex_unlock(&g_lock);
    return s;
}

/* ------------------------------------------------------------------ synchronous IO */

/*
 * The shared IO path: validates the handle and the buffer, then moves the bytes. Aligned IO on an
 * O_DIRECT handle goes straight to the "device" memory with the O_DIRECT fd (the GDS path);
 * anything else goes through the handle's buffered fd, as cuFile's internal bounce/compat path does.
 */
static ssize_t do_io(CUfileHandle_t fh, int write, uintptr_t base, size_t size, off_t file_offset, off_t buf_offset)
{
    if (base == 0 || file_offset < 0 || buf_offset < 0)
    {
        return -CU_FILE_INVALID_VALUE;
    }
    pthread_mutex_lock(&g_lock);
    CUfileError_t s = ensure_open_locked();
    if (s.err != CU_FILE_SUCCESS)
    {
        pthread_mutex_unlock(&g_lock);
        return -(ssize_t)s.err;
    }
    handle_t *h = find_handle(fh);
    if (h == NULL)
    {
        pthread_mutex_unlock(&g_lock);
        return -CU_FILE_HANDLE_NOT_REGISTERED;
    }
    const buffer_t *registered = find_buffer(base);
    if (registered != NULL)
    {
        if ((size_t)buf_offset > registered->size || size > registered->size - (size_t)buf_offset)
        {
            pthread_mutex_unlock(&g_lock);
            return -CU_FILE_INVALID_MAPPING_RANGE;
        }
    }
    else
    {
        int device = 0;
        uintptr_t start = 0;
        size_t range = 0;
        s = classify(base, &device, &start, &range);
        if (s.err != CU_FILE_SUCCESS)
        {
            pthread_mutex_unlock(&g_lock);
            return -(ssize_t)s.err;
        }
        if (device && (base - start + (size_t)buf_offset > range || size > range - (base - start) - (size_t)buf_offset))
        {
            pthread_mutex_unlock(&g_lock);
            return -CU_FILE_CUDA_POINTER_RANGE_ERROR;
        }
    }
    char *target = (char *)(base + (uintptr_t)buf_offset);
    char *backing = double_cuda_backing((CUdeviceptr)(uintptr_t)target, size);
    if (backing != NULL)
    {
        target = backing; /* the "DMA": device bytes are reachable only through the CUDA double */
    }
    const int aligned = ((uintptr_t)target % ALIGNMENT) == 0 && file_offset % ALIGNMENT == 0 && size % ALIGNMENT == 0;
    const int fd = h->direct && aligned ? h->fd : h->buffered_fd;
    pthread_mutex_unlock(&g_lock);

    size_t done = 0;
    while (done < size)
    {
        const ssize_t n = write ? pwrite(fd, target + done, size - done, file_offset + (off_t)done)
                                : pread(fd, target + done, size - done, file_offset + (off_t)done);
        if (n < 0 && errno == EINTR)
        {
            continue;
        }
        if (n < 0)
        {
            return done > 0 ? (ssize_t)done : -1;
        }
        if (n == 0)
        {
            break;
        }
        done += (size_t)n;
    }
    return (ssize_t)done;
}

API ssize_t cuFileRead(CUfileHandle_t fh, void *bufPtr_base, size_t size, off_t file_offset, off_t bufPtr_offset)
{
    ENTER_IO();
    return counted_io(0, do_io(fh, 0, (uintptr_t)bufPtr_base, size, file_offset, bufPtr_offset));
}

API ssize_t cuFileWrite(CUfileHandle_t fh, const void *bufPtr_base, size_t size, off_t file_offset, off_t bufPtr_offset)
{
    ENTER_IO();
    return counted_io(1, do_io(fh, 1, (uintptr_t)bufPtr_base, size, file_offset, bufPtr_offset));
}

#ifndef CUFILE_DOUBLE_LEGACY

static ssize_t do_iov(CUfileHandle_t fh, int write, const CUfileIOVec_t *iov, size_t iovcnt, off_t file_offset,
                      unsigned int flags)
{
    if (iov == NULL || iovcnt == 0 || flags != 0)
    {
        return -CU_FILE_INVALID_VALUE;
    }
    size_t total = 0;
    for (size_t i = 0; i < iovcnt; i++)
    {
        const ssize_t n = do_io(fh, write, (uintptr_t)iov[i].base, iov[i].len, file_offset + (off_t)total, 0);
        if (n < 0)
        {
            return total > 0 ? (ssize_t)total : n;
        }
        total += (size_t)n;
        if ((size_t)n < iov[i].len)
        {
            break;
        }
    }
    return (ssize_t)total;
}

API ssize_t cuFileReadv(CUfileHandle_t fh, const CUfileIOVec_t *iov, size_t iovcnt, off_t file_offset,
                        unsigned int flags)
{
    ENTER_IO();
    return counted_io(0, do_iov(fh, 0, iov, iovcnt, file_offset, flags));
}

API ssize_t cuFileWritev(CUfileHandle_t fh, const CUfileIOVec_t *iov, size_t iovcnt, off_t file_offset,
                         unsigned int flags)
{
    ENTER_IO();
    return counted_io(1, do_iov(fh, 1, iov, iovcnt, file_offset, flags));
}

/* ------------------------------------------------------------------ batch IO */

typedef struct entry
{
    CUfileIOParams_t params;
    CUfileStatus_t status;
    ssize_t ret;
    struct timespec submitted;
    long ordinal;  /* submission order since reset */
    int busy;      /* device memory marked busy in the CUDA double */
    struct entry *next;
} entry_t;

typedef struct batch
{
    unsigned max_nr;
    unsigned outstanding; /* submitted and not yet reaped by GetStatus */
    entry_t *pending;     /* FIFO of entries no worker has started */
    entry_t *done;        /* FIFO of finished entries waiting for GetStatus */
    int running;          /* an entry is being executed */
    int destroyed;
    pthread_t worker;
    struct batch *next;
} batch_t;

static batch_t *g_batches;

static batch_t *find_batch(CUfileBatchHandle_t id)
{
    for (batch_t *b = g_batches; b != NULL; b = b->next)
    {
        if ((CUfileBatchHandle_t)b == id && !b->destroyed)
        {
            return b;
        }
    }
    return NULL;
}

static void append(entry_t **list, entry_t *e)
{
    e->next = NULL;
    while (*list != NULL)
    {
        list = &(*list)->next;
    }
    *list = e;
}

static long elapsed_ms(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - since->tv_sec) * 1000L + (now.tv_nsec - since->tv_nsec) / 1000000L;
}

/* Background completion: one thread per batch executes its entries in submission order. */
/* double_cufile_corrupt_batch_write(): flips the first byte a write entry put in the file, through the buffered fd. */
static void flip_first_byte(CUfileHandle_t fh, off_t file_offset)
{
    pthread_mutex_lock(&g_lock);
    const handle_t *h = find_handle(fh);
    const int fd = h == NULL ? -1 : h->buffered_fd;
    pthread_mutex_unlock(&g_lock);
    unsigned char b = 0;
    if (fd >= 0 && pread(fd, &b, 1, file_offset) == 1)
    {
        b ^= 0x40;
        if (pwrite(fd, &b, 1, file_offset) != 1)
        {
            perror("cufile double: corrupting a written byte");
        }
    }
}

static void *batch_worker(void *arg)
{
    batch_t *b = arg;
    pthread_mutex_lock(&g_lock);
    for (;;)
    {
        while (!b->destroyed && (b->pending == NULL || g_hold_batches))
        {
            pthread_cond_wait(&g_cond, &g_lock);
        }
        if (b->destroyed)
        {
            break;
        }
        entry_t *e = NULL;
        if (g_batch_fifo || b->pending->next == NULL)
        {
            e = b->pending;
            b->pending = e->next;
        }
        else
        {
            /* Newest first: completions arrive out of submission order. */
            entry_t **p = &b->pending;
            while ((*p)->next != NULL)
            {
                p = &(*p)->next;
            }
            e = *p;
            *p = NULL;
        }
        const long timeout_ms = (long)g_running.sizes[CUFILE_PARAM_PROPERTIES_BATCH_IO_TIMEOUT_MS];
        if (elapsed_ms(&e->submitted) > timeout_ms)
        {
            e->status = CUFILE_TIMEOUT;
            e->ret = -ETIMEDOUT;
        }
        else
        {
            b->running = 1;
            pthread_mutex_unlock(&g_lock);
            const CUfileIOParams_t *p = &e->params;
            const int write = p->opcode == CUFILE_WRITE;
            const int fail = e->ordinal == g_fail_entry;
            const int fail_errno = g_fail_entry_errno;
            const int corrupt = write && e->ordinal == g_corrupt_entry;
            const ssize_t r = fail ? -1 : do_io(p->fh, write, (uintptr_t)p->u.batch.devPtr_base, p->u.batch.size,
                                                p->u.batch.file_offset, p->u.batch.devPtr_offset);
            if (corrupt && r > 0)
            {
                flip_first_byte(p->fh, p->u.batch.file_offset);
            }
            const int err = fail ? fail_errno : errno;
            count_io(write, r);
            pthread_mutex_lock(&g_lock);
            b->running = 0;
            e->ret = r == -1 ? -err : r;
            e->status = r >= 0 ? CUFILE_COMPLETE : (r == -CU_FILE_HANDLE_NOT_REGISTERED ? CUFILE_INVALID : CUFILE_FAILED);
            STAT(e->status == CUFILE_COMPLETE ? g_stats.batch_complete_ops.ok++ : g_stats.batch_complete_ops.err++);
            STAT(write ? (g_stats.batch_write_bytes += r > 0 ? (uint64_t)r : 0)
                       : (g_stats.batch_read_bytes += r > 0 ? (uint64_t)r : 0));
        }
        if (e->busy)
        {
            double_cuda_mark_busy((CUdeviceptr)(uintptr_t)e->params.u.batch.devPtr_base, -1);
            e->busy = 0;
        }
        append(&b->done, e);
        pthread_cond_broadcast(&g_cond);
    }
    pthread_mutex_unlock(&g_lock);
    return NULL;
}

API CUfileError_t cuFileBatchIOSetUp(CUfileBatchHandle_t *batch_idp, unsigned nr)
{
    ENTER_STATUS();
    pthread_mutex_lock(&g_lock);
    CUfileError_t s = ensure_open_locked();
    if (s.err == CU_FILE_SUCCESS
        && (batch_idp == NULL || nr == 0 || nr > g_running.sizes[CUFILE_PARAM_PROPERTIES_IO_BATCHSIZE]))
    {
        s = op_error(CU_FILE_INVALID_VALUE);
    }
    batch_t *b = NULL;
    if (s.err == CU_FILE_SUCCESS)
    {
        b = calloc(1, sizeof(*b));
        if (b == NULL || pthread_create(&b->worker, NULL, batch_worker, b) != 0)
        {
            free(b);
            s = op_error(CU_FILE_INTERNAL_BATCH_SETUP_ERROR);
        }
        else
        {
            b->max_nr = nr;
            b->next = g_batches;
            g_batches = b;
            *batch_idp = b;
        }
    }
    STAT(s.err == CU_FILE_SUCCESS ? g_stats.batch_setup_ops.ok++ : g_stats.batch_setup_ops.err++);
    pthread_mutex_unlock(&g_lock);
    return s;
}

API CUfileError_t cuFileBatchIOSubmit(CUfileBatchHandle_t batch_idp, unsigned nr, CUfileIOParams_t *iocbp,
                                      unsigned int flags)
{
    ENTER_STATUS();
    pthread_mutex_lock(&g_lock);
    batch_t *b = find_batch(batch_idp);
    CUfileError_t s = OK;
    if (b == NULL || iocbp == NULL || nr == 0 || flags != 0)
    {
        s = op_error(CU_FILE_INVALID_VALUE);
    }
    else if (nr > b->max_nr - b->outstanding)
    {
        s = op_error(CU_FILE_BATCH_FULL);
    }
    for (unsigned i = 0; i < nr && s.err == CU_FILE_SUCCESS; i++)
    {
        if (iocbp[i].mode != CUFILE_BATCH || (iocbp[i].opcode != CUFILE_READ && iocbp[i].opcode != CUFILE_WRITE))
        {
            s = op_error(CU_FILE_INVALID_VALUE);
        }
    }
    for (unsigned i = 0; i < nr && s.err == CU_FILE_SUCCESS; i++)
    {
        entry_t *e = calloc(1, sizeof(*e));
        if (e == NULL)
        {
            s = op_error(CU_FILE_NOMEM_ERROR);
            break;
        }
        e->params = iocbp[i];
        e->status = CUFILE_PENDING;
        e->ordinal = g_batch_entries++;
        e->busy = double_cuda_mark_busy((CUdeviceptr)(uintptr_t)iocbp[i].u.batch.devPtr_base, 1);
        clock_gettime(CLOCK_MONOTONIC, &e->submitted);
        append(&b->pending, e);
        b->outstanding++;
    }
    STAT(s.err == CU_FILE_SUCCESS ? g_stats.batch_submit_ops.ok++ : g_stats.batch_submit_ops.err++);
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
    return s;
}

static unsigned count_done(const batch_t *b)
{
    unsigned n = 0;
    for (const entry_t *e = b->done; e != NULL; e = e->next)
    {
        n++;
    }
    return n;
}

API CUfileError_t cuFileBatchIOGetStatus(CUfileBatchHandle_t batch_idp, unsigned min_nr, unsigned *nr,
                                         CUfileIOEvents_t *iocbp, struct timespec *timeout)
{
    ENTER_STATUS();
    pthread_mutex_lock(&g_lock);
    batch_t *b = find_batch(batch_idp);
    if (b == NULL || nr == NULL || iocbp == NULL || min_nr > *nr)
    {
        pthread_mutex_unlock(&g_lock);
        return op_error(CU_FILE_INVALID_VALUE);
    }
    struct timespec deadline;
    if (timeout != NULL)
    {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += timeout->tv_sec;
        deadline.tv_nsec += timeout->tv_nsec;
        deadline.tv_sec += deadline.tv_nsec / 1000000000L;
        deadline.tv_nsec %= 1000000000L;
    }
    int timed_out = 0;
    while (!timed_out && !b->destroyed && count_done(b) < min_nr)
    {
        if (timeout == NULL)
        {
            pthread_cond_wait(&g_cond, &g_lock);
        }
        else
        {
            timed_out = pthread_cond_timedwait(&g_cond, &g_lock, &deadline) == ETIMEDOUT;
        }
    }
    unsigned n = 0;
    while (n < *nr && b->done != NULL)
    {
        entry_t *e = b->done;
        b->done = e->next;
        iocbp[n].cookie = e->params.cookie;
        iocbp[n].status = e->status;
        iocbp[n].ret = (size_t)e->ret;
        b->outstanding--;
        free(e);
        n++;
    }
    *nr = n;
    pthread_mutex_unlock(&g_lock);
    return OK;
}

API CUfileError_t cuFileBatchIOCancel(CUfileBatchHandle_t batch_idp)
{
    ENTER_STATUS();
    pthread_mutex_lock(&g_lock);
    batch_t *b = find_batch(batch_idp);
    if (b == NULL)
    {
        STAT(g_stats.batch_cancel_ops.err++);
        pthread_mutex_unlock(&g_lock);
        return op_error(CU_FILE_INVALID_VALUE);
    }
    /* Entries not yet started are canceled; one already running is allowed to finish. */
    while (b->pending != NULL)
    {
        entry_t *e = b->pending;
        b->pending = e->next;
        e->status = CUFILE_CANCELED;
        e->ret = -ECANCELED;
        if (e->busy)
        {
            double_cuda_mark_busy((CUdeviceptr)(uintptr_t)e->params.u.batch.devPtr_base, -1);
            e->busy = 0;
        }
        append(&b->done, e);
    }
    STAT(g_stats.batch_cancel_ops.ok++);
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
    return OK;
}

API void cuFileBatchIODestroy(CUfileBatchHandle_t batch_idp)
{
    ENTER_COUNT();
    pthread_mutex_lock(&g_lock);
    batch_t *b = find_batch(batch_idp);
    if (b == NULL)
    {
        pthread_mutex_unlock(&g_lock);
        return;
    }
    b->destroyed = 1;
    pthread_cond_broadcast(&g_cond);
    while (b->running)
    {
        pthread_cond_wait(&g_cond, &g_lock);
    }
    for (batch_t **p = &g_batches; *p != NULL; p = &(*p)->next)
    {
        if (*p == b)
        {
            *p = b->next;
            break;
        }
    }
    STAT(g_stats.batch_destroy_ops.ok++);
    pthread_mutex_unlock(&g_lock);
    pthread_join(b->worker, NULL);
    entry_t *lists[2] = {b->pending, b->done};
    for (int i = 0; i < 2; i++)
    {
        while (lists[i] != NULL)
        {
            entry_t *e = lists[i];
            lists[i] = e->next;
            if (e->busy)
            {
                double_cuda_mark_busy((CUdeviceptr)(uintptr_t)e->params.u.batch.devPtr_base, -1);
            }
            free(e);
        }
    }
    free(b);
}

/* ------------------------------------------------------------------ stream (async) IO */

typedef struct registered_stream
{
    CUstream stream;
    unsigned flags;
    struct registered_stream *next;
} registered_stream_t;

typedef struct async_op
{
    CUfileHandle_t fh;
    int write;
    uintptr_t base;
    unsigned flags;
    size_t *size_p;
    off_t *file_offset_p;
    off_t *buf_offset_p;
    ssize_t *bytes_p;
    size_t size;
    off_t file_offset;
    off_t buf_offset;
} async_op_t;

static registered_stream_t *g_registered_streams;

static registered_stream_t *find_registered(CUstream stream)
{
    for (registered_stream_t *r = g_registered_streams; r != NULL; r = r->next)
    {
        if (r->stream == stream)
        {
            return r;
        }
    }
    return NULL;
}

/* Runs on the stream's worker when the stream reaches it; reads the unfixed inputs only now. */
static void run_async(void *arg)
{
    async_op_t *op = arg;
    const size_t size = (op->flags & CU_FILE_STREAM_FIXED_FILE_SIZE) ? op->size : *op->size_p;
    const off_t file_offset = (op->flags & CU_FILE_STREAM_FIXED_FILE_OFFSET) ? op->file_offset : *op->file_offset_p;
    const off_t buf_offset = (op->flags & CU_FILE_STREAM_FIXED_BUF_OFFSET) ? op->buf_offset : *op->buf_offset_p;
    ssize_t r;
    if ((op->flags & CU_FILE_STREAM_PAGE_ALIGNED_INPUTS)
        && (size % ALIGNMENT != 0 || file_offset % ALIGNMENT != 0 || buf_offset % ALIGNMENT != 0))
    {
        r = -CU_FILE_INVALID_VALUE;
    }
    else
    {
        r = do_io(op->fh, op->write, op->base, size, file_offset, buf_offset);
    }
    count_io(op->write, r);
    *op->bytes_p = r;
    free(op);
}

static CUfileError_t submit_async(CUfileHandle_t fh, int write, void *bufPtr_base, size_t *size_p, off_t *file_offset_p,
                                  off_t *bufPtr_offset_p, ssize_t *bytes_p, CUstream stream)
{
    if (bufPtr_base == NULL || size_p == NULL || file_offset_p == NULL || bufPtr_offset_p == NULL || bytes_p == NULL)
    {
        return op_error(CU_FILE_INVALID_VALUE);
    }
    pthread_mutex_lock(&g_lock);
    if (find_handle(fh) == NULL)
    {
        pthread_mutex_unlock(&g_lock);
        return op_error(CU_FILE_INVALID_VALUE);
    }
    const registered_stream_t *reg = find_registered(stream);
    async_op_t *op = calloc(1, sizeof(*op));
    if (op == NULL)
    {
        pthread_mutex_unlock(&g_lock);
        return op_error(CU_FILE_NOMEM_ERROR);
    }
    op->fh = fh;
    op->write = write;
    op->base = (uintptr_t)bufPtr_base;
    op->flags = reg != NULL ? reg->flags : 0;
    op->size_p = size_p;
    op->file_offset_p = file_offset_p;
    op->buf_offset_p = bufPtr_offset_p;
    op->bytes_p = bytes_p;
    op->size = *size_p;
    op->file_offset = *file_offset_p;
    op->buf_offset = *bufPtr_offset_p;
    pthread_mutex_unlock(&g_lock);
    if (stream == NULL)
    {
        /* Documented: a NULL stream makes the operation synchronous. */
        run_async(op);
        return OK;
    }
    const CUresult cu = cuLaunchHostFunc(stream, run_async, op);
    if (cu != CUDA_SUCCESS)
    {
        free(op);
        return status(CU_FILE_CUDA_DRIVER_ERROR, cu);
    }
    return OK;
}

API CUfileError_t cuFileReadAsync(CUfileHandle_t fh, void *bufPtr_base, size_t *size_p, off_t *file_offset_p,
                                  off_t *bufPtr_offset_p, ssize_t *bytes_read_p, CUstream stream)
{
    ENTER_STATUS();
    return submit_async(fh, 0, bufPtr_base, size_p, file_offset_p, bufPtr_offset_p, bytes_read_p, stream);
}

API CUfileError_t cuFileWriteAsync(CUfileHandle_t fh, void *bufPtr_base, size_t *size_p, off_t *file_offset_p,
                                   off_t *bufPtr_offset_p, ssize_t *bytes_written_p, CUstream stream)
{
    ENTER_STATUS();
    return submit_async(fh, 1, bufPtr_base, size_p, file_offset_p, bufPtr_offset_p, bytes_written_p, stream);
}

API CUfileError_t cuFileStreamRegister(CUstream stream, unsigned flags)
{
    ENTER_STATUS();
    INVALID_IF((flags & ~0xFu) != 0);
    /* Documented: synchronises the stream before allocating resources (lock not held: the
     * stream may be running our own host functions). */
    const CUresult cu = cuStreamSynchronize(stream);
    if (cu != CUDA_SUCCESS)
    {
        return status(CU_FILE_CUDA_DRIVER_ERROR, cu);
    }
    pthread_mutex_lock(&g_lock);
    registered_stream_t *r = find_registered(stream);
    if (r == NULL)
    {
        r = calloc(1, sizeof(*r));
        if (r == NULL)
        {
            pthread_mutex_unlock(&g_lock);
            return op_error(CU_FILE_NOMEM_ERROR);
        }
        r->stream = stream;
        r->next = g_registered_streams;
        g_registered_streams = r;
    }
    r->flags = flags;
    pthread_mutex_unlock(&g_lock);
    return OK;
}

API CUfileError_t cuFileStreamDeregister(CUstream stream)
{
    ENTER_STATUS();
    pthread_mutex_lock(&g_lock);
    const int known = find_registered(stream) != NULL;
    pthread_mutex_unlock(&g_lock);
    if (!known)
    {
        return op_error(CU_FILE_INVALID_VALUE);
    }
    const CUresult cu = cuStreamSynchronize(stream);
    pthread_mutex_lock(&g_lock);
    for (registered_stream_t **p = &g_registered_streams; *p != NULL; p = &(*p)->next)
    {
        if ((*p)->stream == stream)
        {
            registered_stream_t *r = *p;
            *p = r->next;
            free(r);
            break;
        }
    }
    pthread_mutex_unlock(&g_lock);
    return cu == CUDA_SUCCESS ? OK : status(CU_FILE_CUDA_DRIVER_ERROR, cu);
}

/* ------------------------------------------------------------------ parameters */

/* Staged while closed, running once open: Get* answers whichever applies (documented). */
static const config_t *current_config(void)
{
    return g_use_count > 0 ? &g_running : &g_staged;
}

API CUfileError_t cuFileGetParameterSizeT(CUFileSizeTConfigParameter_t param, size_t *value)
{
    ENTER_STATUS();
    INVALID_IF(value == NULL || (unsigned)param >= NUM_SIZE_PARAMS);
    pthread_mutex_lock(&g_lock);
    *value = current_config()->sizes[param];
    pthread_mutex_unlock(&g_lock);
    return OK;
}

API CUfileError_t cuFileGetParameterBool(CUFileBoolConfigParameter_t param, bool *value)
{
    ENTER_STATUS();
    INVALID_IF(value == NULL || (unsigned)param >= NUM_BOOL_PARAMS || param == CUFILE_PARAM_PROFILE_NVTX);
    pthread_mutex_lock(&g_lock);
    *value = current_config()->bools[param];
    pthread_mutex_unlock(&g_lock);
    return OK;
}

API CUfileError_t cuFileGetParameterString(CUFileStringConfigParameter_t param, char *desc_str, int len)
{
    ENTER_STATUS();
    INVALID_IF(desc_str == NULL || len <= 0 || (unsigned)param >= NUM_STRING_PARAMS);
    pthread_mutex_lock(&g_lock);
    const char *value = current_config()->strings[param];
    CUfileError_t s = OK;
    if (strlen(value) + 1 > (size_t)len)
    {
        s = op_error(CU_FILE_INVALID_VALUE);
    }
    else
    {
        memcpy(desc_str, value, strlen(value) + 1);
    }
    pthread_mutex_unlock(&g_lock);
    return s;
}

static CUfileError_t check_settable(void)
{
    return g_use_count > 0 ? op_error(CU_FILE_DRIVER_ALREADY_OPEN) : OK;
}

API CUfileError_t cuFileSetParameterSizeT(CUFileSizeTConfigParameter_t param, size_t value)
{
    ENTER_STATUS();
    INVALID_IF((unsigned)param >= NUM_SIZE_PARAMS || value < SIZE_MIN[param] || value > SIZE_MAX_[param]);
    pthread_mutex_lock(&g_lock);
    CUfileError_t s = check_settable();
    if (s.err == CU_FILE_SUCCESS)
    {
        g_staged.sizes[param] = value;
    }
    pthread_mutex_unlock(&g_lock);
    return s;
}

API CUfileError_t cuFileSetParameterBool(CUFileBoolConfigParameter_t param, bool value)
{
    ENTER_STATUS();
    INVALID_IF((unsigned)param >= NUM_BOOL_PARAMS || param == CUFILE_PARAM_PROFILE_NVTX);
    pthread_mutex_lock(&g_lock);
    CUfileError_t s = check_settable();
    if (s.err == CU_FILE_SUCCESS)
    {
        g_staged.bools[param] = value;
    }
    pthread_mutex_unlock(&g_lock);
    return s;
}

API CUfileError_t cuFileSetParameterString(CUFileStringConfigParameter_t param, const char *desc_str)
{
    ENTER_STATUS();
    INVALID_IF(desc_str == NULL || (unsigned)param >= NUM_STRING_PARAMS || strlen(desc_str) >= STRING_PARAM_MAX);
    pthread_mutex_lock(&g_lock);
    CUfileError_t s = check_settable();
    if (s.err == CU_FILE_SUCCESS)
    {
        snprintf(g_staged.strings[param], STRING_PARAM_MAX, "%s", desc_str);
    }
    pthread_mutex_unlock(&g_lock);
    return s;
}

API CUfileError_t cuFileGetParameterMinMaxValue(CUFileSizeTConfigParameter_t param, size_t *min_value,
                                                size_t *max_value)
{
    ENTER_STATUS();
    INVALID_IF(min_value == NULL || max_value == NULL || (unsigned)param >= NUM_SIZE_PARAMS);
    *min_value = SIZE_MIN[param];
    *max_value = SIZE_MAX_[param];
    return OK;
}

/* ------------------------------------------------------------------ statistics */

API CUfileError_t cuFileSetStatsLevel(int level)
{
    ENTER_STATUS();
    INVALID_IF(level < 0 || level > 3);
    pthread_mutex_lock(&g_lock);
    g_stats_level = level;
    pthread_mutex_unlock(&g_lock);
    return OK;
}

API CUfileError_t cuFileGetStatsLevel(int *level)
{
    ENTER_STATUS();
    INVALID_IF(level == NULL);
    pthread_mutex_lock(&g_lock);
    *level = g_stats_level;
    pthread_mutex_unlock(&g_lock);
    return OK;
}

static CUfileError_t stats_control(int start, int stop, int reset)
{
    pthread_mutex_lock(&g_lock);
    CUfileError_t s = check_open_locked();
    if (s.err == CU_FILE_SUCCESS && start && g_stats_level == 0)
    {
        s = op_error(CU_FILE_INVALID_VALUE);
    }
    else if (s.err == CU_FILE_SUCCESS)
    {
        g_stats_on = start ? 1 : (stop ? 0 : g_stats_on);
        if (reset)
        {
            memset(&g_stats, 0, sizeof(g_stats));
        }
    }
    pthread_mutex_unlock(&g_lock);
    return s;
}

API CUfileError_t cuFileStatsStart(void)
{
    ENTER_STATUS();
    return stats_control(1, 0, 0);
}

API CUfileError_t cuFileStatsStop(void)
{
    ENTER_STATUS();
    return stats_control(0, 1, 0);
}

API CUfileError_t cuFileStatsReset(void)
{
    ENTER_STATUS();
    return stats_control(0, 0, 1);
}

API CUfileError_t cuFileGetStatsL1(CUfileStatsLevel1_t *stats)
{
    ENTER_STATUS();
    pthread_mutex_lock(&g_lock);
    CUfileError_t s = check_open_locked();
    if (s.err == CU_FILE_SUCCESS && (stats == NULL || g_stats_level < 1))
    {
        s = op_error(CU_FILE_INVALID_VALUE);
    }
    else if (s.err == CU_FILE_SUCCESS)
    {
        *stats = g_stats;
    }
    pthread_mutex_unlock(&g_lock);
    return s;
}

#endif /* !CUFILE_DOUBLE_LEGACY */

/* ------------------------------------------------------------------ error strings */

static const struct
{
    CUfileOpError code;
    const char *text;
} DESCRIPTIONS[] = {
    {CU_FILE_SUCCESS, "cufile success"},
    {CU_FILE_DRIVER_NOT_INITIALIZED, "nvidia-fs driver is not loaded"},
    {CU_FILE_DRIVER_INVALID_PROPS, "invalid property"},
    {CU_FILE_DRIVER_UNSUPPORTED_LIMIT, "property range error"},
    {CU_FILE_DRIVER_VERSION_MISMATCH, "nvidia-fs driver version mismatch"},
    {CU_FILE_DRIVER_VERSION_READ_ERROR, "nvidia-fs driver version read error"},
    {CU_FILE_DRIVER_CLOSING, "driver shutdown in progress"},
    {CU_FILE_PLATFORM_NOT_SUPPORTED, "GPUDirect Storage not supported on current platform"},
    {CU_FILE_IO_NOT_SUPPORTED, "GPUDirect Storage not supported on current file"},
    {CU_FILE_DEVICE_NOT_SUPPORTED, "GPUDirect Storage not supported on current GPU"},
    {CU_FILE_NVFS_DRIVER_ERROR, "nvidia-fs driver ioctl error"},
    {CU_FILE_CUDA_DRIVER_ERROR, "CUDA Driver API error"},
    {CU_FILE_CUDA_POINTER_INVALID, "invalid device pointer"},
    {CU_FILE_CUDA_MEMORY_TYPE_INVALID, "invalid pointer memory type"},
    {CU_FILE_CUDA_POINTER_RANGE_ERROR, "pointer range exceeds allocated address range"},
    {CU_FILE_CUDA_CONTEXT_MISMATCH, "cuda context mismatch"},
    {CU_FILE_INVALID_MAPPING_SIZE, "access beyond maximum pinned size"},
    {CU_FILE_INVALID_MAPPING_RANGE, "access beyond mapped size"},
    {CU_FILE_INVALID_FILE_TYPE, "unsupported file type"},
    {CU_FILE_INVALID_FILE_OPEN_FLAG, "unsupported file open flags"},
    {CU_FILE_DIO_NOT_SET, "fd direct IO not set"},
    {CU_FILE_INVALID_VALUE, "invalid arguments"},
    {CU_FILE_MEMORY_ALREADY_REGISTERED, "device pointer already registered"},
    {CU_FILE_MEMORY_NOT_REGISTERED, "device pointer lookup failure"},
    {CU_FILE_PERMISSION_DENIED, "driver or file access error"},
    {CU_FILE_DRIVER_ALREADY_OPEN, "driver is already open"},
    {CU_FILE_HANDLE_NOT_REGISTERED, "file descriptor is not registered"},
    {CU_FILE_HANDLE_ALREADY_REGISTERED, "file descriptor is already registered"},
    {CU_FILE_DEVICE_NOT_FOUND, "GPU device not found"},
    {CU_FILE_INTERNAL_ERROR, "internal error"},
    {CU_FILE_GETNEWFD_FAILED, "failed to obtain new file descriptor"},
    {CU_FILE_NVFS_SETUP_ERROR, "NVFS driver initialization error"},
    {CU_FILE_IO_DISABLED, "GPUDirect Storage disabled by config on current file"},
    {CU_FILE_BATCH_SUBMIT_FAILED, "failed to submit batch operation"},
    {CU_FILE_GPU_MEMORY_PINNING_FAILED, "failed to allocate pinned GPU memory"},
    {CU_FILE_BATCH_FULL, "queue full for batch operation"},
    {CU_FILE_ASYNC_NOT_SUPPORTED, "cuFile stream operation not supported"},
};

API const char *cufileop_status_error(CUfileOpError status_code)
{
    ENTER_COUNT();
    for (size_t i = 0; i < sizeof(DESCRIPTIONS) / sizeof(DESCRIPTIONS[0]); i++)
    {
        if (DESCRIPTIONS[i].code == status_code)
        {
            return DESCRIPTIONS[i].text;
        }
    }
    return "unknown cufile error";
}
