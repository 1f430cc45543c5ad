package dev.conduit.nativebindings.cuda;

import java.lang.foreign.Arena;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.conduit.nativebindings.testing.CudaDoubleControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every typed CUDA call turns a failure of its driver function into a {@link CudaException} that
 * names the function and the CUresult: the double's failure switch makes each one fail in turn.
 * (Same-thread timeouts: the fixture's CUDA context is current on the test thread only.)
 */
@Timeout(30)
class CudaDriverErrorBranchTest
{
    private CudaDriver cuda;
    private CudaContext ctx;
    private DeviceMemory mem;
    private CudaStream stream;
    private CudaEvent event;
    private Arena arena;

    @BeforeEach
    void setUp()
    {
        CudaDoubleControl.reset();
        cuda = CudaDriver.load().orElseThrow();
        cuda.init();
        ctx = cuda.device(0).retainPrimaryContext();
        ctx.makeCurrent();
        mem = ctx.allocate(4096);
        stream = ctx.createStream(0);
        event = ctx.createEvent(0);
        arena = Arena.ofConfined();
    }

    @AfterEach
    void tearDown()
    {
        CudaDoubleControl.reset();
        retainAgain();
        ctx.makeCurrent();
        event.close();
        stream.close();
        mem.close();
        ctx.close();
        arena.close();
    }

    static Stream<Arguments> calls()
    {
        return Stream.of(
            call("cuInit", t -> t.cuda.init()),
            call("cuDriverGetVersion", t -> t.cuda.version()),
            call("cuDeviceGetCount", t -> t.cuda.deviceCount()),
            call("cuDeviceGet", t -> t.cuda.device(0)),
            call("cuDeviceGetName", t -> t.ctx.device().name()),
            call("cuDeviceGetAttribute", t -> t.ctx.device().attribute(CudaDeviceAttribute.MULTIPROCESSOR_COUNT)),
            call("cuDeviceGetPCIBusId", t -> t.ctx.device().pciBusId()),
            call("cuDeviceTotalMem_v2", t -> t.ctx.device().totalMemoryBytes()),
            call("cuDeviceGetUuid_v2", t -> t.ctx.device().uuid()),
            call("cuDevicePrimaryCtxRetain", t -> t.ctx.device().retainPrimaryContext()),
            call("cuCtxSetCurrent", t -> t.ctx.makeCurrent()),
            call("cuCtxGetCurrent", t -> t.ctx.isCurrent()),
            call("cuMemAlloc_v2", t -> t.ctx.allocate(64)),
            call("cuMemFree_v2", t -> t.mem.close()),
            call("cuMemHostRegister_v2", t -> t.ctx.registerHost(t.arena.allocate(4096, 4096), 0)),
            call("cuMemHostUnregister", t -> t.ctx.registerHost(t.arena.allocate(4096, 4096), 0).close()),
            call("cuDevicePrimaryCtxRelease_v2", t -> t.ctx.close()),
            call("cuMemcpyHtoD_v2", t -> t.cuda.copyToDevice(t.arena.allocate(64), t.mem.pointer())),
            call("cuMemcpyDtoH_v2", t -> t.cuda.copyToHost(t.mem.pointer(), t.arena.allocate(64))),
            call("cuMemcpyHtoDAsync_v2", t -> t.stream.copyToDeviceAsync(t.arena.allocate(64), t.mem.pointer())),
            call("cuMemcpyDtoHAsync_v2", t -> t.stream.copyToHostAsync(t.mem.pointer(), t.arena.allocate(64))),
            call("cuStreamCreate", t -> t.ctx.createStream(0)),
            call("cuStreamSynchronize", t -> t.stream.synchronize()),
            call("cuStreamQuery", t -> t.stream.isIdle()),
            call("cuStreamDestroy_v2", t -> t.stream.close()),
            call("cuEventCreate", t -> t.ctx.createEvent(0)),
            call("cuEventRecord", t -> t.stream.record(t.event)),
            call("cuEventQuery", t -> t.event.isComplete()),
            call("cuEventSynchronize", t -> t.event.synchronize()),
            call("cuEventDestroy_v2", t -> t.event.close()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void shouldThrowTheInjectedResultNamedByTheDriver(final String function, final Consumer<CudaDriverErrorBranchTest> call)
    {
        CudaDoubleControl.fail(function, CudaResult.INVALID_HANDLE, 1);

        final CudaException e = assertThrows(CudaException.class, () -> call.accept(this));

        assertEquals("CUDA_ERROR_INVALID_HANDLE", e.nativeName());
        assertEquals(CudaResult.INVALID_HANDLE, e.nativeCode());
        assertTrue(e.operation().startsWith(function), e.operation() + " should name " + function);
        assertTrue(e.getMessage().contains("invalid resource handle"), e.getMessage());
        recover(function);
    }

    @ParameterizedTest(name = "{0} without cuInit")
    @MethodSource("calls")
    void shouldReportNotInitializedForCallsThatNeedInit(final String function, final Consumer<CudaDriverErrorBranchTest> call)
    {
        final boolean needsInit = !function.equals("cuInit") && !function.equals("cuDriverGetVersion");
        CudaDoubleControl.reset();
        if (needsInit)
        {
            final CudaException e = assertThrows(CudaException.class, () -> call.accept(this));
            assertEquals("CUDA_ERROR_NOT_INITIALIZED", e.nativeName());
        }
        retainAgain();
        recover(function);
    }

    /** The double's reset forgets cuInit and the retained primary context; restore both. */
    private void retainAgain()
    {
        cuda.init();
        cuda.raw().primaryCtxRetain(arena.allocate(8), 0);
    }

    @Test
    void shouldFallBackToTheTableWhenTheDriverCannotNameAnError()
    {
        CudaDoubleControl.fail("cuGetErrorName", CudaResult.NOT_INITIALIZED, 1);
        CudaDoubleControl.fail("cuGetErrorString", CudaResult.NOT_INITIALIZED, 1);

        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", cuda.errorName(CudaResult.OUT_OF_MEMORY));
        assertEquals("", cuda.errorString(CudaResult.OUT_OF_MEMORY));
        assertEquals("out of memory", cuda.errorString(CudaResult.OUT_OF_MEMORY));
    }

    /**
     * close() marks the Java object closed before calling the driver; the tear-down still needs
     * live objects, so the one whose destructor was made to fail is replaced.
     */
    private void recover(final String function)
    {
        if (function.equals("cuDevicePrimaryCtxRelease_v2"))
        {
            ctx = cuda.device(0).retainPrimaryContext();
        }
        ctx.makeCurrent();
        switch (function)
        {
            case "cuMemFree_v2" -> mem = ctx.allocate(4096);
            case "cuStreamDestroy_v2" -> stream = ctx.createStream(0);
            case "cuEventDestroy_v2" -> event = ctx.createEvent(0);
            default ->
            {
            }
        }
    }

    private static Arguments call(final String function, final Consumer<CudaDriverErrorBranchTest> call)
    {
        return Arguments.of(function, call);
    }
}
