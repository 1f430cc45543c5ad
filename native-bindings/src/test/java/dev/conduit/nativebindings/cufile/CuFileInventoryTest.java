package dev.conduit.nativebindings.cufile;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;

import dev.conduit.nativebindings.cuda.CudaInventory;
import dev.conduit.nativebindings.testing.CuFileDoubleControl;
import dev.conduit.nativebindings.testing.CudaDoubleControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The doctor's cuFile probe: when it may call cuFile at all, and what it reports. */
@Timeout(30)
class CuFileInventoryTest
{
    private GpuFixture gpu;

    @BeforeEach
    void setUp()
    {
        gpu = GpuFixture.start("cufile-inventory");
    }

    @AfterEach
    void tearDown()
    {
        gpu.close();
    }

    @Test
    void shouldOpenTheDriverAndReadItsPropertiesWhenADeviceExists()
    {
        final CuFileInventory inv = CuFileInventory.collect(CudaInventory.collect(), gpu.dir, CuFileLibrary::load);

        assertTrue(inv.available());
        assertTrue(inv.driverOpened());
        assertEquals(1150, inv.version().orElseThrow());
        assertEquals(EnumSet.allOf(CuFileApiFamily.class), inv.families());
        assertTrue(inv.properties().orElseThrow().nvmeSupported());
        assertEquals(Optional.of(true), inv.compatModeAllowed());
        assertTrue(inv.error().isEmpty());
        assertEquals("driver open; nvidia-fs 2.26 serves [NVME, NVMEOF]", inv.reason());
        assertEquals(0, gpu.library.useCount(), "the probe closes the driver again");
    }

    @Test
    void shouldNeverCallCuFileWithoutACudaDevice()
    {
        CudaDoubleControl.setDeviceCount(0);
        final CudaInventory cuda = CudaInventory.collect();
        CuFileDoubleControl.FULL.reset();

        final CuFileInventory inv = CuFileInventory.collect(cuda, gpu.dir, CuFileLibrary::load);

        assertEquals(0, CuFileDoubleControl.FULL.calls(), "no cuFile function may be called");
        assertFalse(inv.available());
        assertTrue(inv.library().isPresent());
        assertTrue(inv.version().isEmpty());
        assertEquals(EnumSet.allOf(CuFileApiFamily.class), inv.families());
        assertTrue(inv.reason().startsWith("not probed: no usable CUDA device"), inv.reason());
    }

    @Test
    void shouldNotOpenTheDriverWithoutUdev()
    {
        final long opensBefore = CuFileDoubleControl.FULL.callCount("cuFileDriverOpen");

        final CuFileInventory inv = CuFileInventory.collect(CudaInventory.collect(), Path.of("/nonexistent/run/udev"),
            CuFileLibrary::load);

        assertEquals(opensBefore, CuFileDoubleControl.FULL.callCount("cuFileDriverOpen"));
        assertFalse(inv.available());
        assertEquals(1150, inv.version().orElseThrow());
        assertEquals(Optional.of(true), inv.compatModeAllowed());
        assertTrue(inv.reason().startsWith("/nonexistent/run/udev is missing (a container without udev)"), inv.reason());
    }

    @Test
    void shouldReportAFailedOpen()
    {
        CuFileDoubleControl.FULL.setNvfs(false);
        CuFileSettings.of(gpu.library).set(CuFileBoolParameter.PROPERTIES_ALLOW_COMPAT_MODE, false);

        final CuFileInventory inv = CuFileInventory.collect(CudaInventory.collect(), gpu.dir, CuFileLibrary::load);

        assertFalse(inv.available());
        assertEquals("CU_FILE_DRIVER_NOT_INITIALIZED", inv.error().orElseThrow().name());
        assertEquals(Optional.of(false), inv.compatModeAllowed());
        assertTrue(inv.reason().startsWith("cuFileDriverOpen failed: CU_FILE_DRIVER_NOT_INITIALIZED (5001)"), inv.reason());
    }

    @Test
    void shouldSayWhenTheDriverOnlyRunsInCompatMode()
    {
        CuFileDoubleControl.FULL.setNvfs(false);

        final CuFileInventory inv = CuFileInventory.collect(CudaInventory.collect(), gpu.dir, CuFileLibrary::load);

        assertTrue(inv.available());
        assertTrue(inv.reason().startsWith("driver open in compat mode only"), inv.reason());
    }

    @Test
    void shouldSayWhenTheLibraryIsMissing()
    {
        final CuFileInventory inv = CuFileInventory.collect(CudaInventory.collect(), gpu.dir, Optional::empty);

        assertFalse(inv.available());
        assertTrue(inv.library().isEmpty());
        assertEquals("libcufile.so.0 not found (GPUDirect Storage is not installed)", inv.reason());
    }
}
