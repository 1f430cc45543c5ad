/*
 * cudart_double.c -- libcudart_double.so, a TEST DOUBLE of the CUDA runtime calls Conduit uses for
 * version and device-count reporting. Never shipped, never a fallback: tests point
 * CONDUIT_CUDART_LIB at it.
 *
 * Like the real runtime it sits on the driver API (here: libcuda_double.so, linked by soname):
 *   - cudaRuntimeGetVersion reports the runtime's own version (13000);
 *   - cudaDriverGetVersion reports the driver's;
 *   - cudaGetDeviceCount fails with cudaErrorInsufficientDriver (35) when the driver is older than
 *     the runtime, cudaErrorNoDevice (100) when cuInit finds none, and leaves *count untouched on
 *     failure, as the real libcudart does;
 *   - cudaGetErrorName/String answer "unrecognized error code" for codes they do not know, again
 *     as the real library does.
 */
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include "cuda_test.h"
#include "double_common.h"

#define API __attribute__((visibility("default")))
#define RUNTIME_VERSION 13000

typedef enum cudaError
{
    cudaSuccess = 0,
    cudaErrorInvalidValue = 1,
    cudaErrorInitializationError = 3,
    cudaErrorInsufficientDriver = 35,
    cudaErrorNoDevice = 100,
    cudaErrorUnknown = 999
} cudaError_t;

#define MAX_COUNTED 16

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static double_count_t g_counts[MAX_COUNTED];

static void count_call(const char *function)
{
    pthread_mutex_lock(&g_lock);
    double_count_call(g_counts, MAX_COUNTED, function);
    pthread_mutex_unlock(&g_lock);
}

API long double_cudart_call_count(const char *function)
{
    pthread_mutex_lock(&g_lock);
    const long n = double_count_of(g_counts, MAX_COUNTED, function);
    pthread_mutex_unlock(&g_lock);
    return n;
}

static const struct
{
    cudaError_t code;
    const char *name;
    const char *text;
} ERRORS[] = {
    {cudaSuccess, "cudaSuccess", "no error"},
    {cudaErrorInvalidValue, "cudaErrorInvalidValue", "invalid argument"},
    {cudaErrorInitializationError, "cudaErrorInitializationError", "initialization error"},
    {cudaErrorInsufficientDriver, "cudaErrorInsufficientDriver",
     "CUDA driver version is insufficient for CUDA runtime version"},
    {cudaErrorNoDevice, "cudaErrorNoDevice", "no CUDA-capable device is detected"},
    {cudaErrorUnknown, "cudaErrorUnknown", "unknown error"},
};

API cudaError_t cudaRuntimeGetVersion(int *runtimeVersion)
{
    count_call(__func__);
    if (runtimeVersion == NULL)
    {
        return cudaErrorInvalidValue;
    }
    *runtimeVersion = RUNTIME_VERSION;
    return cudaSuccess;
}

API cudaError_t cudaDriverGetVersion(int *driverVersion)
{
    count_call(__func__);
    if (driverVersion == NULL)
    {
        return cudaErrorInvalidValue;
    }
    int version = 0;
    *driverVersion = cuDriverGetVersion(&version) == CUDA_SUCCESS ? version : 0;
    return cudaSuccess;
}

API cudaError_t cudaGetDeviceCount(int *count)
{
    count_call(__func__);
    if (count == NULL)
    {
        return cudaErrorInvalidValue;
    }
    int driver = 0;
    if (cuDriverGetVersion(&driver) != CUDA_SUCCESS || driver < RUNTIME_VERSION)
    {
        return cudaErrorInsufficientDriver;
    }
    const CUresult init = cuInit(0);
    if (init == CUDA_ERROR_NO_DEVICE)
    {
        return cudaErrorNoDevice;
    }
    if (init != CUDA_SUCCESS)
    {
        return cudaErrorInitializationError;
    }
    int n = 0;
    if (cuDeviceGetCount(&n) != CUDA_SUCCESS)
    {
        return cudaErrorUnknown;
    }
    *count = n;
    return cudaSuccess;
}

static const char *lookup(cudaError_t error, int text)
{
    for (size_t i = 0; i < sizeof(ERRORS) / sizeof(ERRORS[0]); i++)
    {
        if (ERRORS[i].code == error)
        {
            return text ? ERRORS[i].text : ERRORS[i].name;
        }
    }
    return "unrecognized error code";
}

API const char *cudaGetErrorName(cudaError_t error)
{
    count_call(__func__);
    return lookup(error, 0);
}

API const char *cudaGetErrorString(cudaError_t error)
{
    count_call(__func__);
    return lookup(error, 1);
}
