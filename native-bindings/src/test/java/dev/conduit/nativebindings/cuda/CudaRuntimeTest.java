package dev.conduit.nativebindings.cuda;

import java.util.List;

import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.dynlib.UnsupportedCallException;
import dev.conduit.nativebindings.testing.CudaDoubleControl;
import dev.conduit.nativebindings.testing.Doubles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CUDA runtime bindings against libcudart_double.so (CONDUIT_CUDART_LIB), which sits on libcuda_double.so. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CudaRuntimeTest
{
    private CudaRuntime runtime;

    @BeforeEach
    void setUp()
    {
        CudaDoubleControl.reset();
        runtime = CudaRuntime.load().orElseThrow();
    }

    @Test
    void shouldLoadTheOverrideAndReportVersions()
    {
        CudaDoubleControl.setDriverVersion(13010);

        assertEquals(Doubles.cudart().toString(), runtime.libraryName());
        assertEquals(13000, runtime.runtimeVersion());
        assertEquals(13010, runtime.driverVersion());
        assertEquals(1, runtime.deviceCount());
    }

    @Test
    void shouldFailTheDeviceCountWithInsufficientDriverWhenTheDriverIsOlder()
    {
        CudaDoubleControl.setDriverVersion(12040);

        final CudaException e = assertThrows(CudaException.class, runtime::deviceCount);

        assertEquals("cudaErrorInsufficientDriver", e.nativeName());
        assertEquals(CudaRuntimeError.INSUFFICIENT_DRIVER, e.nativeCode());
        assertEquals("cudaGetDeviceCount", e.operation());
        assertTrue(e.getMessage().contains("CUDA driver version is insufficient"), e.getMessage());
    }

    @Test
    void shouldFailTheDeviceCountWithNoDeviceWhenThereIsNone()
    {
        CudaDoubleControl.setDeviceCount(0);

        final CudaException e = assertThrows(CudaException.class, runtime::deviceCount);

        assertEquals("cudaErrorNoDevice", e.nativeName());
        assertEquals(100, e.nativeCode());
    }

    @Test
    void shouldNameCodesTheRuntimeDoesNotRecognise()
    {
        assertEquals("cudaErrorNoDevice", runtime.errorName(100));
        // The double's runtime answers "unrecognized error code" for 801, like the real one does
        // for codes it lacks; the table (checked against driver_types.h) names it.
        assertEquals("cudaErrorNotSupported", runtime.errorName(801));
        assertEquals("", runtime.errorString(801));
        assertEquals("CUDA_RT_ERROR_4321", runtime.errorName(4321));
    }

    @Test
    void shouldReportCallsALibraryDoesNotExport()
    {
        // The driver double is not a runtime: loading it as one succeeds, every call reports itself missing.
        final CudaRuntime notARuntime = CudaRuntime.load(List.of(Doubles.cuda().toString())).orElseThrow();

        final UnsupportedCallException e = assertThrows(UnsupportedCallException.class, notARuntime::runtimeVersion);

        assertEquals(ErrorCode.NOT_SUPPORTED, e.code());
        assertEquals("cudaRuntimeGetVersion", e.symbol());
        assertTrue(e.getMessage().contains("not supported by this CUDA runtime"), e.getMessage());
        assertEquals("CUDA_RT_ERROR_35", notARuntime.errorName(35).replace("cudaErrorInsufficientDriver", "CUDA_RT_ERROR_35"));
    }

    @Test
    void shouldReturnEmptyWhenNoCandidateLoads()
    {
        assertTrue(CudaRuntime.load(List.of("/nonexistent/libcudart.so.13")).isEmpty());
        assertTrue(CudaDriverLibrary.load(List.of("/nonexistent/libcuda.so.1")).isEmpty());
    }
}
