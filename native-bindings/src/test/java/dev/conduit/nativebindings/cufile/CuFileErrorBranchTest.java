package dev.conduit.nativebindings.cufile;

import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.cuda.CudaStream;
import dev.conduit.nativebindings.cuda.DeviceMemory;
import dev.conduit.nativebindings.testing.CuFileDoubleControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every typed cuFile call turns a failure of its library function into a {@link CuFileException}
 * naming the call and the CUfileOpError; the double's failure switch makes each fail in turn.
 * Unknown codes are reported by number, CUDA driver errors carry their CUresult, and read/write
 * decode both return conventions (-1 with errno, negated CUfileOpError).
 */
@Timeout(30)
class CuFileErrorBranchTest
{
    private GpuFixture gpu;
    private CuFileDriver driver;
    private CuFileHandle file;
    private DeviceMemory mem;
    private CudaStream stream;
    private CuFileBatch batch;
    private CuFileBufferRegistration registration;
    private CuFileStreamRegistration streamRegistration;

    @BeforeEach
    void setUp()
    {
        gpu = GpuFixture.start("cufile-errors");
        driver = CuFileDriver.open(gpu.library);
        file = driver.register(gpu.file("data", LibC.O_RDWR | LibC.O_DIRECT));
        mem = gpu.device(8192);
        stream = gpu.context.createStream(0);
        batch = driver.createBatch(4);
        registration = driver.register(CuFileBuffer.of(mem.pointer(4096), 4096), 0);
        streamRegistration = driver.register(stream, 0);
        driver.stats().setLevel(1);
    }

    @AfterEach
    void tearDown()
    {
        stream.synchronize();
        stream.close();
        gpu.close();
    }

    static Stream<Arguments> statusCalls()
    {
        return Stream.of(
            call("cuFileDriverOpen", t -> CuFileDriver.open(t.gpu.library)),
            call("cuFileDriverClose_v2", t -> t.driver.close()),
            call("cuFileDriverGetProperties", t -> t.driver.properties()),
            call("cuFileDriverSetPollMode", t -> CuFileSettings.of(t.gpu.library).setPollMode(false, 4)),
            call("cuFileDriverSetMaxDirectIOSize", t -> CuFileSettings.of(t.gpu.library).setMaxDirectIoSizeKb(4096)),
            call("cuFileDriverSetMaxCacheSize", t -> CuFileSettings.of(t.gpu.library).setMaxCacheSizeKb(4096)),
            call("cuFileDriverSetMaxPinnedMemSize", t -> CuFileSettings.of(t.gpu.library).setMaxPinnedMemorySizeKb(4096)),
            call("cuFileHandleRegister", t -> t.driver.register(t.gpu.file("other", LibC.O_RDWR | LibC.O_DIRECT))),
            call("cuFileBufRegister", t -> t.driver.register(CuFileBuffer.of(t.mem.pointer(), 4096), 0)),
            call("cuFileBufDeregister", t -> t.registration.close()),
            call("cuFileBatchIOSetUp", t -> t.driver.createBatch(2)),
            call("cuFileBatchIOSubmit", t -> submitOne(t)),
            call("cuFileBatchIOGetStatus", t -> t.batch.poll(0, 0, (cookie, status, result) -> { })),
            call("cuFileBatchIOCancel", t -> t.batch.cancel()),
            call("cuFileReadAsync", t -> t.file.readAsync(CuFileBuffer.of(t.mem), 0, 4096, 0, t.stream)),
            call("cuFileWriteAsync", t -> t.file.writeAsync(CuFileBuffer.of(t.mem), 0, 4096, 0, t.stream)),
            call("cuFileStreamRegister", t -> t.driver.register(t.stream, 0)),
            call("cuFileStreamDeregister", t -> t.streamRegistration.close()),
            call("cuFileGetParameterSizeT", t -> CuFileSettings.of(t.gpu.library).get(CuFileSizeParameter.PROFILE_STATS)),
            call("cuFileSetParameterSizeT", t -> CuFileSettings.of(t.gpu.library).set(CuFileSizeParameter.PROFILE_STATS, 1)),
            call("cuFileGetParameterBool", t -> CuFileSettings.of(t.gpu.library).get(CuFileBoolParameter.PREFER_IO_URING)),
            call("cuFileSetParameterBool", t -> CuFileSettings.of(t.gpu.library).set(CuFileBoolParameter.PREFER_IO_URING, true)),
            call("cuFileGetParameterString", t -> CuFileSettings.of(t.gpu.library).get(CuFileStringParameter.LOG_DIR)),
            call("cuFileSetParameterString", t -> CuFileSettings.of(t.gpu.library).set(CuFileStringParameter.LOG_DIR, "/tmp")),
            call("cuFileGetParameterMinMaxValue", t -> CuFileSettings.of(t.gpu.library).range(CuFileSizeParameter.PROFILE_STATS)),
            call("cuFileSetStatsLevel", t -> t.driver.stats().setLevel(2)),
            call("cuFileGetStatsLevel", t -> t.driver.stats().level()),
            call("cuFileStatsStart", t -> t.driver.stats().start()),
            call("cuFileStatsStop", t -> t.driver.stats().stop()),
            call("cuFileStatsReset", t -> t.driver.stats().reset()),
            call("cuFileGetStatsL1", t -> t.driver.stats().level1()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statusCalls")
    void shouldThrowTheInjectedErrorForEveryStatusCall(final String function, final Consumer<CuFileErrorBranchTest> call)
    {
        CuFileDoubleControl.FULL.fail(function, 5030, 0, 0, 1);

        final CuFileException e = assertThrows(CuFileException.class, () -> call.accept(this));

        assertEquals("CU_FILE_INTERNAL_ERROR", e.nativeName());
        assertEquals(5030, e.nativeCode());
        assertTrue(e.operation().startsWith(function.replace("_v2", "")), e.operation() + " should name " + function);
        assertTrue(e.getMessage().contains("internal error"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} unknown code")
    @MethodSource("statusCalls")
    void shouldReportAnUnknownCodeByNumber(final String function, final Consumer<CuFileErrorBranchTest> call)
    {
        CuFileDoubleControl.FULL.fail(function, 5999, 0, 0, 1);

        final CuFileException e = assertThrows(CuFileException.class, () -> call.accept(this));

        assertEquals("CU_FILE_ERROR_5999", e.nativeName());
        assertTrue(e.getMessage().contains("unknown cufile error"), e.getMessage());
    }

    @Test
    void shouldCarryAnUnknownCudaResultOfACudaDriverError()
    {
        CuFileDoubleControl.FULL.fail("cuFileBufRegister", CuFileError.CUDA_DRIVER_ERROR, 12345, 0, 1);

        final CuFileException e = assertThrows(CuFileException.class, () -> driver.register(CuFileBuffer.of(mem.pointer(), 64), 0));

        assertEquals("CU_FILE_CUDA_DRIVER_ERROR", e.nativeName());
        assertEquals(12345, e.cudaResult());
        assertTrue(e.getMessage().contains("CUresult CURESULT_12345 (12345)"), e.getMessage());
    }

    static Stream<Arguments> ioCalls()
    {
        return Stream.of(
            call("cuFileRead", t -> t.file.read(CuFileBuffer.of(t.mem), 0, 4096, 0)),
            call("cuFileWrite", t -> t.file.write(CuFileBuffer.of(t.mem), 0, 4096, 0)),
            call("cuFileReadv", t -> t.file.readv(List.of(CuFileBuffer.of(t.mem)), 0)),
            call("cuFileWritev", t -> t.file.writev(List.of(CuFileBuffer.of(t.mem)), 0)));
    }

    @ParameterizedTest(name = "{0} errno")
    @MethodSource("ioCalls")
    void shouldDecodeMinusOneWithErrno(final String function, final Consumer<CuFileErrorBranchTest> call)
    {
        CuFileDoubleControl.FULL.fail(function, 0, 0, Errno.ENOSPC, 1);

        final CuFileException e = assertThrows(CuFileException.class, () -> call.accept(this));

        assertTrue(e.isErrno());
        assertEquals("ENOSPC", e.nativeName());
        assertEquals(Errno.ENOSPC, e.nativeCode());
        assertTrue(e.operation().startsWith(function), e.operation());
    }

    @ParameterizedTest(name = "{0} CUfileOpError")
    @MethodSource("ioCalls")
    void shouldDecodeANegatedCuFileError(final String function, final Consumer<CuFileErrorBranchTest> call)
    {
        CuFileDoubleControl.FULL.fail(function, 5044, 0, 0, 1);

        final CuFileException e = assertThrows(CuFileException.class, () -> call.accept(this));

        assertFalse(e.isErrno());
        assertEquals("CU_FILE_IO_ERROR", e.nativeName());
        assertEquals(5044, e.nativeCode());
    }

    @Test
    void shouldFoldTheReturnConventionsIntoOneValue()
    {
        final MemorySegment errnoZero = gpu.arena.allocate(Linker.Option.captureStateLayout());
        final MemorySegment errnoNine = gpu.arena.allocate(Linker.Option.captureStateLayout());
        errnoNine.set(java.lang.foreign.ValueLayout.JAVA_INT,
            Linker.Option.captureStateLayout().byteOffset(MemoryLayout.PathElement.groupElement("errno")), Errno.EBADF);

        assertEquals(4096, CuFileLibrary.fold(4096, errnoZero));
        assertEquals(-5017, CuFileLibrary.fold(-5017, errnoZero));
        assertEquals(-Errno.EBADF, CuFileLibrary.fold(-1, errnoNine));
        // -1 with errno 0 cannot be attributed; it is reported as EIO rather than as success.
        assertEquals(-Errno.EIO, CuFileLibrary.fold(-1, errnoZero));
    }

    @Test
    void shouldAnswerEmptyWhenTheVersionCannotBeRead()
    {
        CuFileDoubleControl.FULL.fail("cuFileGetVersion", CuFileError.INVALID_VALUE, 0, 0, 1);
        final CuFileLibrary fresh = CuFileLibrary.load(List.of(gpu.library.name())).orElseThrow();

        assertTrue(fresh.version().isEmpty());
        assertEquals("unknown", fresh.versionText());
    }

    private static void submitOne(final CuFileErrorBranchTest t)
    {
        t.batch.addRead(t.file, CuFileBuffer.of(t.mem), 0, 4096, 0, 1);
        t.batch.submit();
    }

    private static Arguments call(final String function, final Consumer<CuFileErrorBranchTest> call)
    {
        return Arguments.of(function, call);
    }
}
