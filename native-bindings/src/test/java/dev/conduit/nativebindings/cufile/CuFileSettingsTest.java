package dev.conduit.nativebindings.cufile;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parameter API: staged before open, refused after, validated against the library's ranges. */
@Timeout(30)
class CuFileSettingsTest
{
    private GpuFixture gpu;
    private CuFileSettings settings;

    @BeforeEach
    void setUp()
    {
        gpu = GpuFixture.start("cufile-settings");
        settings = CuFileSettings.of(gpu.library);
    }

    @AfterEach
    void tearDown()
    {
        gpu.close();
    }

    @Test
    void shouldStageSizeParametersWithinTheirRange()
    {
        assertEquals(128, settings.get(CuFileSizeParameter.PROPERTIES_IO_BATCHSIZE));
        assertEquals(new CuFileSettings.Range(1, 256), settings.range(CuFileSizeParameter.PROPERTIES_IO_BATCHSIZE));

        settings.set(CuFileSizeParameter.PROPERTIES_IO_BATCHSIZE, 64);

        assertEquals(64, settings.get(CuFileSizeParameter.PROPERTIES_IO_BATCHSIZE));
        final CuFileException e = assertThrows(CuFileException.class, () -> settings.set(CuFileSizeParameter.PROPERTIES_IO_BATCHSIZE, 257));
        assertEquals("CU_FILE_INVALID_VALUE", e.nativeName());
    }

    @Test
    void shouldStageBooleanAndStringParameters()
    {
        assertTrue(settings.get(CuFileBoolParameter.PROPERTIES_ALLOW_COMPAT_MODE));
        settings.set(CuFileBoolParameter.PROPERTIES_ALLOW_COMPAT_MODE, false);
        assertFalse(settings.get(CuFileBoolParameter.PROPERTIES_ALLOW_COMPAT_MODE));

        assertEquals("ERROR", settings.get(CuFileStringParameter.LOGGING_LEVEL));
        settings.set(CuFileStringParameter.LOG_DIR, "/var/log/conduit");
        assertEquals("/var/log/conduit", settings.get(CuFileStringParameter.LOG_DIR));
    }

    @Test
    void shouldRejectTheDeprecatedNvtxSwitch()
    {
        final CuFileException e = assertThrows(CuFileException.class, () -> settings.get(CuFileBoolParameter.PROFILE_NVTX));

        assertEquals("CU_FILE_INVALID_VALUE", e.nativeName());
        assertEquals("cuFileGetParameterBool(CUFILE_PARAM_PROFILE_NVTX)", e.operation());
    }

    @Test
    void shouldRefuseSettingsOnceTheDriverIsOpenAndReportTheRunningValue()
    {
        settings.set(CuFileSizeParameter.EXECUTION_MAX_IO_THREADS, 8);
        try (CuFileDriver driver = CuFileDriver.open(gpu.library))
        {
            final CuFileException e = assertThrows(CuFileException.class,
                () -> settings.set(CuFileSizeParameter.EXECUTION_MAX_IO_THREADS, 2));
            assertEquals("CU_FILE_DRIVER_ALREADY_OPEN", e.nativeName());
            assertThrows(CuFileException.class, () -> settings.set(CuFileBoolParameter.PREFER_IO_URING, true));
            assertThrows(CuFileException.class, () -> settings.set(CuFileStringParameter.LOGGING_LEVEL, "TRACE"));
            assertEquals(8, settings.get(CuFileSizeParameter.EXECUTION_MAX_IO_THREADS));
            assertEquals(1, driver.useCount());
        }
    }
}
