package dev.conduit.nativebindings.cufile;

import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.cuda.DeviceMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** cuFile statistics: level, start/stop/reset and the level-1 counters. */
@Timeout(30)
class CuFileStatsTest
{
    private GpuFixture gpu;

    @BeforeEach
    void setUp()
    {
        gpu = GpuFixture.start("cufile-stats");
    }

    @AfterEach
    void tearDown()
    {
        gpu.close();
    }

    @Test
    void shouldCountIoOnlyWhileStarted()
    {
        try (CuFileDriver driver = CuFileDriver.open(gpu.library))
        {
            final CuFileStats stats = driver.stats();
            stats.setLevel(1);
            assertEquals(1, stats.level());
            stats.start();
            stats.reset();
            final DeviceMemory mem = gpu.deviceWith(gpu.pattern(8192, 1));
            try (CuFileHandle file = driver.register(gpu.file("data", LibC.O_RDWR | LibC.O_DIRECT)))
            {
                file.write(CuFileBuffer.of(mem), 0, 8192, 0);
                file.read(CuFileBuffer.of(mem), 0, 4096, 0);
                stats.stop();
                file.read(CuFileBuffer.of(mem), 0, 4096, 0);
            }

            final CuFileStatsLevel1 l1 = stats.level1();
            assertEquals(1, l1.readOk());
            assertEquals(4096, l1.readBytes());
            assertEquals(1, l1.writeOk());
            assertEquals(8192, l1.writeBytes());
            assertEquals(0, l1.readErrors());
            assertEquals(1, l1.handleRegisterOk());

            stats.reset();
            assertEquals(0, stats.level1().readOk());
        }
    }

    @Test
    void shouldRefuseToStartWithStatisticsOff()
    {
        try (CuFileDriver driver = CuFileDriver.open(gpu.library))
        {
            final CuFileException start = assertThrows(CuFileException.class, driver.stats()::start);
            assertEquals("CU_FILE_INVALID_VALUE", start.nativeName());
            final CuFileException read = assertThrows(CuFileException.class, driver.stats()::level1);
            assertEquals("CU_FILE_INVALID_VALUE", read.nativeName());
            assertThrows(CuFileException.class, () -> driver.stats().setLevel(4));
        }
    }

    @Test
    void shouldNeedAnOpenDriver()
    {
        assertEquals(CuFileError.DRIVER_NOT_INITIALIZED, CuFileStatus.err(gpu.library.statsStart()));
        assertEquals(CuFileError.DRIVER_NOT_INITIALIZED, CuFileStatus.err(gpu.library.statsReset()));
    }
}
