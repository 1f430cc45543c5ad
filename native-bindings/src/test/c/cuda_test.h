/*
 * cuda_test.h -- the subset of the CUDA driver API (cuda.h) that Conduit's bindings use and that
 * the test doubles implement, transcribed from the public CUDA Driver API reference. Test-only:
 * it lets the doubles build on machines without the CUDA toolkit. When the real cuda.h has been
 * included first, its definitions win and this file only adds the double's control functions.
 *
 * Value types on LP64: CUresult, CUdevice and the attribute enums are 4-byte ints, CUdeviceptr is
 * an unsigned 64-bit integer, CUcontext/CUstream/CUevent are opaque pointers.
 */
#ifndef CONDUIT_CUDA_TEST_H
#define CONDUIT_CUDA_TEST_H

#include <stddef.h>

#ifndef __cuda_cuda_h__

typedef enum cudaError_enum {
    CUDA_SUCCESS = 0,
    CUDA_ERROR_INVALID_VALUE = 1,
    CUDA_ERROR_OUT_OF_MEMORY = 2,
    CUDA_ERROR_NOT_INITIALIZED = 3,
    CUDA_ERROR_DEINITIALIZED = 4,
    CUDA_ERROR_STUB_LIBRARY = 34,
    CUDA_ERROR_NO_DEVICE = 100,
    CUDA_ERROR_INVALID_DEVICE = 101,
    CUDA_ERROR_INVALID_CONTEXT = 201,
    CUDA_ERROR_INVALID_HANDLE = 400,
    CUDA_ERROR_NOT_FOUND = 500,
    CUDA_ERROR_NOT_READY = 600,
    CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED = 712,
    CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED = 713,
    CUDA_ERROR_NOT_SUPPORTED = 801,
    CUDA_ERROR_UNKNOWN = 999
} CUresult;

typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef struct CUctx_st *CUcontext;
typedef struct CUstream_st *CUstream;
typedef struct CUevent_st *CUevent;
typedef struct CUuuid_st { char bytes[16]; } CUuuid;
typedef void (*CUhostFn)(void *userData);
typedef struct CUipcMemHandle_st { char reserved[64]; } CUipcMemHandle;

typedef enum CUdevice_attribute_enum {
    CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16,
    CU_DEVICE_ATTRIBUTE_INTEGRATED = 18,
    CU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY = 19,
    CU_DEVICE_ATTRIBUTE_PCI_BUS_ID = 33,
    CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID = 34,
    CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING = 41,
    CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID = 50,
    CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75,
    CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76,
    CU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_SUPPORTED = 116
} CUdevice_attribute;

typedef enum CUpointer_attribute_enum {
    CU_POINTER_ATTRIBUTE_MEMORY_TYPE = 2,
    CU_POINTER_ATTRIBUTE_RANGE_START_ADDR = 11,
    CU_POINTER_ATTRIBUTE_RANGE_SIZE = 12
} CUpointer_attribute;

typedef enum CUmemorytype_enum {
    CU_MEMORYTYPE_HOST = 0x01,
    CU_MEMORYTYPE_DEVICE = 0x02
} CUmemorytype;

enum { CU_STREAM_DEFAULT = 0x0, CU_STREAM_NON_BLOCKING = 0x1 };
enum { CU_EVENT_DEFAULT = 0x0, CU_EVENT_BLOCKING_SYNC = 0x1, CU_EVENT_DISABLE_TIMING = 0x2, CU_EVENT_INTERPROCESS = 0x4 };
#define CU_MEMHOSTREGISTER_PORTABLE  0x01
#define CU_MEMHOSTREGISTER_DEVICEMAP 0x02
#define CU_MEMHOSTREGISTER_IOMEMORY  0x04
#define CU_MEMHOSTREGISTER_READ_ONLY 0x08
#define CU_STREAM_LEGACY     ((CUstream)0x1)
#define CU_STREAM_PER_THREAD ((CUstream)0x2)

CUresult cuInit(unsigned int flags);
CUresult cuDriverGetVersion(int *driverVersion);
CUresult cuDeviceGetCount(int *count);
CUresult cuDeviceGet(CUdevice *device, int ordinal);
CUresult cuDeviceGetName(char *name, int len, CUdevice dev);
CUresult cuDeviceGetAttribute(int *pi, CUdevice_attribute attrib, CUdevice dev);
CUresult cuDeviceGetPCIBusId(char *pciBusId, int len, CUdevice dev);
CUresult cuDeviceTotalMem_v2(size_t *bytes, CUdevice dev);
CUresult cuDeviceGetUuid_v2(CUuuid *uuid, CUdevice dev);
CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev);
CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev);
CUresult cuCtxSetCurrent(CUcontext ctx);
CUresult cuCtxGetCurrent(CUcontext *pctx);
CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize);
CUresult cuMemFree_v2(CUdeviceptr dptr);
CUresult cuMemHostRegister_v2(void *p, size_t bytesize, unsigned int flags);
CUresult cuMemHostUnregister(void *p);
CUresult cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void *srcHost, size_t byteCount);
CUresult cuMemcpyDtoH_v2(void *dstHost, CUdeviceptr srcDevice, size_t byteCount);
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void *srcHost, size_t byteCount, CUstream hStream);
CUresult cuMemcpyDtoHAsync_v2(void *dstHost, CUdeviceptr srcDevice, size_t byteCount, CUstream hStream);
CUresult cuPointerGetAttribute(void *data, CUpointer_attribute attribute, CUdeviceptr ptr);
CUresult cuStreamCreate(CUstream *phStream, unsigned int flags);
CUresult cuStreamDestroy_v2(CUstream hStream);
CUresult cuStreamSynchronize(CUstream hStream);
CUresult cuStreamQuery(CUstream hStream);
CUresult cuLaunchHostFunc(CUstream hStream, CUhostFn fn, void *userData);
CUresult cuEventCreate(CUevent *phEvent, unsigned int flags);
CUresult cuEventRecord(CUevent hEvent, CUstream hStream);
CUresult cuEventQuery(CUevent hEvent);
CUresult cuEventSynchronize(CUevent hEvent);
CUresult cuEventDestroy_v2(CUevent hEvent);
CUresult cuGetErrorName(CUresult error, const char **pStr);
CUresult cuIpcGetMemHandle(CUipcMemHandle *pHandle, CUdeviceptr dptr);
CUresult cuIpcOpenMemHandle_v2(CUdeviceptr *pdptr, CUipcMemHandle handle, unsigned int flags);
CUresult cuIpcCloseMemHandle(CUdeviceptr dptr);
CUresult cuGetErrorString(CUresult error, const char **pStr);

#endif /* __cuda_cuda_h__ */

/*
 * Control surface of libcuda_double.so (test-only; no real libcuda exports these). Every setting
 * is process-wide and returns to its default with double_cuda_reset().
 */
void double_cuda_reset(void);
/* Number of devices cuInit finds (default 1; 0 makes cuInit fail with CUDA_ERROR_NO_DEVICE). */
void double_cuda_set_device_count(int count);
/* Version cuDriverGetVersion reports (default 13000). */
void double_cuda_set_driver_version(int version);
/* Make `function` return `result` without side effects for the next `times` calls (-1: until reset). */
void double_cuda_fail(const char *function, int result, int times);
/* While held (1), stream workers start no queued operation, so pending work stays observable. */
void double_cuda_hold_streams(int hold);
/* Bytes currently allocated with cuMemAlloc_v2 and not freed. */
size_t double_cuda_allocated_bytes(void);
/* Number of cu* entry points called since the last reset. */
long double_cuda_calls(void);
/* Calls of one entry point over the life of the process (never reset). */
long double_cuda_call_count(const char *function);

/* One async copy as the stream worker ran it (CLOCK_MONOTONIC nanoseconds, as System.nanoTime). */
typedef struct double_copy_log
{
    unsigned long long stream;
    long to_device; /* 1 host-to-device, 0 device-to-host */
    long bytes;
    long start_ns;
    long end_ns;
} double_copy_log_t;

/* One traced entry point call (of this double or the cuFile double). */
typedef struct double_trace
{
    const char *function;
    long at_ns;
} double_trace_t;

/* Where the bytes of [ptr, ptr+bytes) of device memory live, or NULL if it is not device memory.
 * The cuFile double "DMAs" through this; host code holding only the device pointer cannot. */
void *double_cuda_backing(CUdeviceptr ptr, size_t bytes);
/* Marks the allocation containing ptr as used (+1) or released (-1) by an IO in flight; 0 if none. */
int double_cuda_mark_busy(CUdeviceptr ptr, int delta);
/* Frees/unregisters of memory still in use by a copy, an IO or an IPC mapping (reset clears). */
long double_cuda_violations(void);
/* Slows every async copy to this many nanoseconds per MiB (0: memcpy speed). */
void double_cuda_set_copy_ns_per_mib(long ns);
/* Copies up to capacity log records into out; returns how many. */
int double_cuda_copy_log(double_copy_log_t *out, int capacity);
void double_cuda_copy_log_clear(void);
/* Appends a traced call (the ENTER of each double calls it). */
void double_trace_add(const char *function);
/* Writes the names of calls traced at or after since_ns, one per line; returns the bytes written. */
int double_trace_dump(char *out, int capacity, long since_ns);
void double_trace_clear(void);

#endif /* CONDUIT_CUDA_TEST_H */
