package dev.conduit.nativebindings.cufile;

import java.util.EnumSet;
import java.util.List;

import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.cuda.CudaStream;
import dev.conduit.nativebindings.cuda.DeviceMemory;
import dev.conduit.nativebindings.dynlib.UnsupportedCallException;
import dev.conduit.nativebindings.testing.CuFileDoubleControl;
import dev.conduit.nativebindings.testing.Doubles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An old libcufile (the legacy double: version 1.6, no batch, stream, vector, parameter or stats
 * calls, no cuFileDriverClose_v2) loads; what it has works, what it lacks reports itself.
 */
@Timeout(30)
class CuFileLegacyLibraryTest
{
    private GpuFixture gpu;
    private CuFileLibrary legacy;

    @BeforeEach
    void setUp()
    {
        gpu = GpuFixture.start("cufile-legacy");
        CuFileDoubleControl.LEGACY.reset();
        legacy = CuFileLibrary.load(List.of(Doubles.legacyCufile().toString())).orElseThrow();
    }

    @AfterEach
    void tearDown()
    {
        CuFileDoubleControl.LEGACY.reset();
        gpu.close();
    }

    @Test
    void shouldListOnlyTheFamiliesItExports()
    {
        assertEquals(EnumSet.of(CuFileApiFamily.DRIVER, CuFileApiFamily.SYNC_IO, CuFileApiFamily.VERSION,
            CuFileApiFamily.ERROR_STRING), legacy.families());
        assertEquals("1.6 (1060)", legacy.versionText());
        assertTrue(legacy.exports("cuFileDriverClose"));
        assertTrue(!legacy.exports("cuFileDriverClose_v2"));
    }

    @Test
    void shouldDoSynchronousIoAndCloseThroughThePlainDriverClose()
    {
        final long closesBefore = CuFileDoubleControl.LEGACY.callCount("cuFileDriverClose");
        final DeviceMemory mem = gpu.deviceWith(gpu.pattern(4096, 3));
        try (CuFileDriver driver = CuFileDriver.open(legacy);
             CuFileHandle file = driver.register(gpu.file("data", LibC.O_RDWR | LibC.O_DIRECT)))
        {
            assertEquals(4096, file.write(CuFileBuffer.of(mem), 0, 4096, 0));
            assertEquals(4096, file.read(CuFileBuffer.of(mem), 0, 4096, 0));
            assertTrue(driver.properties().featureFlags().isEmpty());
        }
        assertEquals(closesBefore + 1, CuFileDoubleControl.LEGACY.callCount("cuFileDriverClose"));
    }

    @Test
    void shouldReportEveryMissingCallWithTheLibraryVersion()
    {
        final DeviceMemory mem = gpu.device(4096);
        try (CuFileDriver driver = CuFileDriver.open(legacy);
             CuFileHandle file = driver.register(gpu.file("data", LibC.O_RDWR | LibC.O_DIRECT));
             CudaStream stream = gpu.context.createStream(0))
        {
            assertMissing("cuFileBatchIOSetUp", () -> driver.createBatch(4));
            assertMissing("cuFileReadv", () -> file.readv(List.of(CuFileBuffer.of(mem)), 0));
            assertMissing("cuFileWritev", () -> file.writev(List.of(CuFileBuffer.of(mem)), 0));
            assertMissing("cuFileReadAsync", () -> file.readAsync(CuFileBuffer.of(mem), 0, 4096, 0, stream));
            assertMissing("cuFileStreamRegister", () -> driver.register(stream, 0));
            assertMissing("cuFileSetParameterBool",
                () -> CuFileSettings.of(legacy).set(CuFileBoolParameter.PROPERTIES_ALLOW_COMPAT_MODE, true));
            assertMissing("cuFileSetStatsLevel", () -> driver.stats().setLevel(1));
            assertMissing("cuFileBatchIOGetStatus", () -> legacy.batchGetStatus(
                java.lang.foreign.MemorySegment.NULL, 0, gpu.arena.allocate(4), gpu.arena.allocate(24), java.lang.foreign.MemorySegment.NULL));
        }
    }

    private static void assertMissing(final String symbol, final Runnable call)
    {
        final UnsupportedCallException e = assertThrows(UnsupportedCallException.class, call::run);
        assertEquals(symbol, e.symbol());
        assertEquals(symbol + ": not supported by this libcufile version 1.6 (1060)", e.getMessage());
        assertEquals(ErrorCode.NOT_SUPPORTED, e.code());
    }
}
