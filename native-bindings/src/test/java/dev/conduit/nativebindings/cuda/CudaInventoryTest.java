package dev.conduit.nativebindings.cuda;

import java.util.List;
import java.util.Optional;

import dev.conduit.nativebindings.testing.CudaDoubleControl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The doctor's CUDA facts, gathered from the doubles. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CudaInventoryTest
{
    @BeforeEach
    void setUp()
    {
        CudaDoubleControl.reset();
    }

    @Test
    void shouldListDevicesWhenTheDriverWorks()
    {
        CudaDoubleControl.setDeviceCount(2);

        final CudaInventory inv = CudaInventory.collect();

        assertTrue(inv.available());
        assertTrue(inv.error().isEmpty());
        assertEquals(2, inv.driver().devices().size());
        final CudaInventory.DeviceFacts d = inv.driver().devices().getFirst();
        assertEquals("0000:3b:00.0", d.pciBusId());
        assertEquals(9, d.computeMajor());
        assertTrue(d.gpuDirectRdma());
        assertEquals(13000, inv.runtime().version().orElseThrow());
        assertEquals(2, inv.runtime().deviceCount().orElseThrow());
        assertEquals("2 CUDA device(s): Conduit Double GPU 0, Conduit Double GPU 1", inv.reason());
    }

    @Test
    void shouldReportTheDriverErrorWhenThereIsNoDevice()
    {
        CudaDoubleControl.setDeviceCount(0);

        final CudaInventory inv = CudaInventory.collect();

        assertFalse(inv.available());
        final CallFailure error = inv.error().orElseThrow();
        assertEquals("CUDA_ERROR_NO_DEVICE", error.name());
        assertEquals(100, error.code());
        assertEquals("cuInit(flags=0)", error.call());
        assertEquals(13000, inv.driver().version().orElseThrow());
        assertTrue(inv.reason().startsWith("cuInit(flags=0) failed: CUDA_ERROR_NO_DEVICE (100)"), inv.reason());
    }

    @Test
    void shouldReportTheRuntimeErrorWhenTheDriverLibraryIsMissing()
    {
        CudaDoubleControl.setDriverVersion(0);

        final CudaInventory inv = CudaInventory.collect(CudaDriverLibrary.load(List.of("/nonexistent/libcuda.so.1"))
            .map(CudaDriver::of), CudaRuntime.load());

        assertFalse(inv.available());
        assertTrue(inv.driver().library().isEmpty());
        assertEquals("LIBRARY_NOT_FOUND", inv.driver().error().orElseThrow().name());
        final CallFailure error = inv.error().orElseThrow();
        assertEquals("cudaErrorInsufficientDriver", error.name());
        assertEquals(35, error.code());
        assertTrue(inv.reason().startsWith("CUDA driver library libcuda.so.1 not found (no NVIDIA driver installed); "
            + "the CUDA runtime reports cudaErrorInsufficientDriver (35)"), inv.reason());
    }

    @Test
    void shouldSayWhenNothingIsInstalled()
    {
        final CudaInventory inv = CudaInventory.collect(Optional.empty(), Optional.empty());

        assertFalse(inv.available());
        assertTrue(inv.runtime().library().isEmpty());
        assertEquals("LIBRARY_NOT_FOUND", inv.error().orElseThrow().name());
        assertEquals("CUDA driver library libcuda.so.1 not found (no NVIDIA driver installed)", inv.reason());
    }
}
