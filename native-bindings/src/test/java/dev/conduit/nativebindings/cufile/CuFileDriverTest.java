package dev.conduit.nativebindings.cufile;

import java.util.EnumSet;
import java.util.Set;

import dev.conduit.nativebindings.testing.CuFileDoubleControl;
import dev.conduit.nativebindings.testing.CudaDoubleControl;
import dev.conduit.nativebindings.testing.Doubles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Driver session, properties, limits and version against libcufile_double.so (CONDUIT_CUFILE_LIB). */
@Timeout(30)
class CuFileDriverTest
{
    private GpuFixture gpu;

    @BeforeEach
    void setUp()
    {
        gpu = GpuFixture.start("cufile-driver");
    }

    @AfterEach
    void tearDown()
    {
        gpu.close();
    }

    @Test
    void shouldLoadTheOverrideAndListEveryApiFamily()
    {
        assertEquals(Doubles.cufile().toString(), gpu.library.name());
        assertEquals(EnumSet.allOf(CuFileApiFamily.class), gpu.library.families());
        assertEquals(1150, gpu.library.version().orElseThrow());
        assertEquals("1.15 (1150)", gpu.library.versionText());
    }

    @Test
    void shouldCountOpenSessions()
    {
        assertEquals(0, gpu.library.useCount());
        try (CuFileDriver first = CuFileDriver.open(gpu.library))
        {
            try (CuFileDriver second = CuFileDriver.open(gpu.library))
            {
                assertEquals(2, second.useCount());
            }
            assertEquals(1, first.useCount());
        }
        assertEquals(0, gpu.library.useCount());
    }

    @Test
    void shouldDecodeTheDriverProperties()
    {
        try (CuFileDriver driver = CuFileDriver.open(gpu.library))
        {
            final CuFileDriverProperties p = driver.properties();

            assertEquals(2, p.nvfsMajorVersion());
            assertEquals(26, p.nvfsMinorVersion());
            assertEquals(Set.of(CuFileDriverStatusFlag.NVME, CuFileDriverStatusFlag.NVMEOF), p.statusFlags());
            assertEquals(Set.of(CuFileControlFlag.ALLOW_COMPAT_MODE), p.controlFlags());
            assertEquals(Set.of(CuFileFeatureFlag.BATCH_IO, CuFileFeatureFlag.STREAMS, CuFileFeatureFlag.PARALLEL_IO,
                CuFileFeatureFlag.P2P), p.featureFlags());
            assertEquals(4, p.pollThresholdKb());
            assertEquals(16384, p.maxDirectIoSizeKb());
            assertEquals(131072, p.maxDeviceCacheSizeKb());
            assertEquals(1024, p.perBufferCacheSizeKb());
            assertEquals(33554432, p.maxDevicePinnedMemKb());
            assertEquals(128, p.maxBatchIoSize());
            assertEquals(5000, p.maxBatchIoTimeoutMs());
            assertTrue(p.nvmeSupported());
            assertTrue(p.compatModeAllowed());
        }
    }

    @Test
    void shouldApplyDriverLimitsSetBeforeOpen()
    {
        final CuFileSettings settings = CuFileSettings.of(gpu.library);
        settings.setPollMode(true, 8);
        settings.setMaxDirectIoSizeKb(8192);
        settings.setMaxCacheSizeKb(65536);
        settings.setMaxPinnedMemorySizeKb(1024);

        try (CuFileDriver driver = CuFileDriver.open(gpu.library))
        {
            final CuFileDriverProperties p = driver.properties();
            assertEquals(8, p.pollThresholdKb());
            assertTrue(p.controlFlags().contains(CuFileControlFlag.USE_POLL_MODE));
            assertEquals(8192, p.maxDirectIoSizeKb());
            assertEquals(65536, p.maxDeviceCacheSizeKb());
            assertEquals(1024, p.maxDevicePinnedMemKb());
        }
    }

    @Test
    void shouldRejectALimitThatIsNotAMultipleOf4KiB()
    {
        final CuFileException e = assertThrows(CuFileException.class, () -> CuFileSettings.of(gpu.library).setMaxDirectIoSizeKb(6));

        assertEquals("CU_FILE_DRIVER_UNSUPPORTED_LIMIT", e.nativeName());
        assertEquals(5003, e.nativeCode());
        assertEquals("cuFileDriverSetMaxDirectIOSize(6 KiB)", e.operation());
    }

    @Test
    void shouldCarryTheCudaErrorWhenCudaCannotInitialise()
    {
        CudaDoubleControl.setDeviceCount(0);

        final CuFileException e = assertThrows(CuFileException.class, () -> CuFileDriver.open(gpu.library));

        assertEquals("CU_FILE_CUDA_DRIVER_ERROR", e.nativeName());
        assertEquals(CuFileError.CUDA_DRIVER_ERROR, e.nativeCode());
        assertEquals(100, e.cudaResult());
        assertFalse(e.isErrno());
        assertTrue(e.getMessage().contains("CUresult CUDA_ERROR_NO_DEVICE (100)"), e.getMessage());
    }

    @Test
    void shouldNotOpenWithoutNvfsUnlessCompatModeIsAllowed()
    {
        CuFileDoubleControl.FULL.setNvfs(false);
        CuFileSettings.of(gpu.library).set(CuFileBoolParameter.PROPERTIES_ALLOW_COMPAT_MODE, false);

        final CuFileException e = assertThrows(CuFileException.class, () -> CuFileDriver.open(gpu.library));

        assertEquals("CU_FILE_DRIVER_NOT_INITIALIZED", e.nativeName());
        assertTrue(e.getMessage().contains("nvidia-fs driver is not loaded"), e.getMessage());
    }

    @Test
    void shouldOpenInCompatModeWithoutNvfs()
    {
        CuFileDoubleControl.FULL.setNvfs(false);

        try (CuFileDriver driver = CuFileDriver.open(gpu.library))
        {
            final CuFileDriverProperties p = driver.properties();
            assertEquals(0, p.nvfsMajorVersion());
            assertTrue(p.statusFlags().isEmpty());
            assertFalse(p.nvmeSupported());
            assertTrue(p.compatModeAllowed());
        }
    }

    @Test
    void shouldReportCallsThatNeedAnOpenDriver()
    {
        final CuFileException close = assertThrows(CuFileException.class,
            () -> CuFileResults.check(gpu.library, gpu.library.driverClose(), "cuFileDriverClose"));
        assertEquals("CU_FILE_DRIVER_NOT_INITIALIZED", close.nativeName());

        final long status = gpu.library.driverGetProperties(gpu.arena.allocate(CuFileLayouts.DRV_PROPS_ALLOCATION));
        assertEquals(CuFileError.DRIVER_NOT_INITIALIZED, CuFileStatus.err(status));
    }

    @Test
    void shouldMakeClosedSessionsUnusable()
    {
        final CuFileDriver driver = CuFileDriver.open(gpu.library);
        driver.close();
        driver.close();

        assertEquals(0, gpu.library.useCount());
        assertThrows(IllegalStateException.class, () -> driver.createBatch(1));
    }
}
