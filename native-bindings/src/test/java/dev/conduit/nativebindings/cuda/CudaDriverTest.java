package dev.conduit.nativebindings.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.testing.CudaDoubleControl;
import dev.conduit.nativebindings.testing.Doubles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Proof 2 for the CUDA driver API: the typed bindings against libcuda_double.so (CONDUIT_CUDA_LIB). */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CudaDriverTest
{
    private CudaDriver cuda;

    @BeforeEach
    void setUp()
    {
        CudaDoubleControl.reset();
        cuda = CudaDriver.load().orElseThrow();
    }

    @Test
    void shouldLoadTheLibraryNamedByTheOverrideVariable()
    {
        assertEquals(Doubles.cuda().toString(), cuda.libraryName());
        assertEquals(CudaDriverLibrary.OVERRIDE_ENV, "CONDUIT_CUDA_LIB");
        assertEquals(System.getenv("CONDUIT_CUDA_LIB"), CudaDriverLibrary.defaultCandidates().getFirst());
        assertEquals(1, CudaDriverLibrary.defaultCandidates().size());
    }

    @Test
    void shouldReportVersionWithoutInit()
    {
        CudaDoubleControl.setDriverVersion(12040);

        assertEquals(12040, cuda.version());
    }

    @Test
    void shouldRequireInitBeforeDeviceCalls()
    {
        final CudaException e = assertThrows(CudaException.class, cuda::deviceCount);

        assertEquals("CUDA_ERROR_NOT_INITIALIZED", e.nativeName());
        assertEquals(CudaResult.NOT_INITIALIZED, e.nativeCode());
        assertEquals("cuDeviceGetCount", e.operation());
    }

    @Test
    void shouldFailInitWithNoDeviceWhenTheDriverFindsNone()
    {
        CudaDoubleControl.setDeviceCount(0);

        final CudaException e = assertThrows(CudaException.class, cuda::init);

        assertEquals("CUDA_ERROR_NO_DEVICE", e.nativeName());
        assertEquals(100, e.nativeCode());
        assertTrue(e.getMessage().contains("no CUDA-capable device"), e.getMessage());
    }

    @Test
    void shouldDescribeEveryDevice()
    {
        CudaDoubleControl.setDeviceCount(2);
        cuda.init();

        assertEquals(2, cuda.deviceCount());
        final CudaDevice second = cuda.devices().get(1);
        assertEquals(1, second.ordinal());
        assertEquals("Conduit Double GPU 1", second.name());
        assertEquals("0000:3c:00.0", second.pciBusId());
        assertEquals(0x3c, second.attribute(CudaDeviceAttribute.PCI_BUS_ID));
        assertEquals(0, second.attribute(CudaDeviceAttribute.PCI_DOMAIN_ID));
        assertEquals(9, second.attribute(CudaDeviceAttribute.COMPUTE_CAPABILITY_MAJOR));
        assertEquals(1L << 30, second.totalMemoryBytes());
        assertEquals("GPU-c1c2c3c4-c5c6-c7c8-c9ca-cbcccdcecfd0", second.uuid());
    }

    @Test
    void shouldRejectAnOrdinalOutOfRange()
    {
        cuda.init();

        final CudaException e = assertThrows(CudaException.class, () -> cuda.device(5));

        assertEquals("CUDA_ERROR_INVALID_DEVICE", e.nativeName());
        assertEquals("cuDeviceGet(ordinal=5)", e.operation());
    }

    @Test
    void shouldMakeThePrimaryContextCurrentAndReleaseIt()
    {
        cuda.init();
        try (CudaContext ctx = cuda.device(0).retainPrimaryContext())
        {
            assertFalse(ctx.isCurrent());
            ctx.makeCurrent();
            assertTrue(ctx.isCurrent());
            cuda.clearCurrentContext();
            assertFalse(ctx.isCurrent());
        }
        // Released once: a second release by the raw API finds nothing retained.
        assertEquals(CudaResult.INVALID_CONTEXT, cuda.raw().primaryCtxRelease(0));
    }

    @Test
    void shouldNeedACurrentContextToAllocate()
    {
        cuda.init();
        try (CudaContext ctx = cuda.device(0).retainPrimaryContext())
        {
            final CudaException e = assertThrows(CudaException.class, () -> ctx.allocate(4096));
            assertEquals("CUDA_ERROR_INVALID_CONTEXT", e.nativeName());
        }
    }

    @Test
    void shouldCopyHostToDeviceAndBack()
    {
        cuda.init();
        try (CudaContext ctx = cuda.device(0).retainPrimaryContext(); Arena arena = Arena.ofConfined())
        {
            ctx.makeCurrent();
            final MemorySegment out = pattern(arena, 8192, 3);
            final MemorySegment in = arena.allocate(4096);
            final long before = CudaDoubleControl.allocatedBytes();
            try (DeviceMemory mem = ctx.allocate(8192))
            {
                assertEquals(before + 8192, CudaDoubleControl.allocatedBytes());
                cuda.copyToDevice(out, mem.pointer());
                cuda.copyToHost(mem.pointer(4096), in);
                assertEquals(-1, in.mismatch(out.asSlice(4096)));
            }
            assertEquals(before, CudaDoubleControl.allocatedBytes());
        }
    }

    @Test
    void shouldRejectACopyBeyondTheAllocation()
    {
        cuda.init();
        try (CudaContext ctx = cuda.device(0).retainPrimaryContext(); Arena arena = Arena.ofConfined())
        {
            ctx.makeCurrent();
            try (DeviceMemory mem = ctx.allocate(4096))
            {
                final CudaException e = assertThrows(CudaException.class,
                    () -> cuda.copyToDevice(arena.allocate(4097), mem.pointer()));
                assertEquals("CUDA_ERROR_INVALID_VALUE", e.nativeName());
                assertThrows(IndexOutOfBoundsException.class, () -> mem.pointer(4097));
            }
        }
    }

    @Test
    void shouldReportOutOfMemory()
    {
        cuda.init();
        try (CudaContext ctx = cuda.device(0).retainPrimaryContext())
        {
            ctx.makeCurrent();
            final CudaException e = assertThrows(CudaException.class, () -> ctx.allocate(2L << 30));
            assertEquals("CUDA_ERROR_OUT_OF_MEMORY", e.nativeName());
            assertEquals("cuMemAlloc_v2(bytes=2147483648)", e.operation());
        }
    }

    @Test
    void shouldPinHostMemoryOnlyOnce()
    {
        cuda.init();
        try (CudaContext ctx = cuda.device(0).retainPrimaryContext(); Arena arena = Arena.ofConfined())
        {
            ctx.makeCurrent();
            final MemorySegment slot = arena.allocate(1 << 16, 4096);
            try (HostRegistration reg = ctx.registerHost(slot, CudaLayouts.CU_MEMHOSTREGISTER_PORTABLE))
            {
                assertEquals(slot, reg.memory());
                final CudaException again = assertThrows(CudaException.class, () -> ctx.registerHost(slot, 0));
                assertEquals("CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED", again.nativeName());
            }
            assertEquals(CudaResult.HOST_MEMORY_NOT_REGISTERED, cuda.raw().memHostUnregister(slot));
        }
    }

    @Test
    void shouldCompleteAsyncCopiesInStreamOrder()
    {
        cuda.init();
        try (CudaContext ctx = cuda.device(0).retainPrimaryContext(); Arena arena = Arena.ofConfined())
        {
            ctx.makeCurrent();
            final MemorySegment source = pattern(arena, 4096, 11);
            final MemorySegment back = arena.allocate(4096);
            try (DeviceMemory mem = ctx.allocate(4096);
                 CudaStream stream = ctx.createStream(CudaLayouts.CU_STREAM_NON_BLOCKING);
                 CudaEvent done = ctx.createEvent(CudaLayouts.CU_EVENT_DISABLE_TIMING))
            {
                assertTrue(done.isComplete(), "an event never recorded counts as complete");
                CudaDoubleControl.holdStreams(true);
                stream.copyToDeviceAsync(source, mem.pointer());
                stream.copyToHostAsync(mem.pointer(), back);
                stream.record(done);

                assertFalse(stream.isIdle());
                assertFalse(done.isComplete());
                assertEquals(0, back.get(JAVA_BYTE, 0));

                CudaDoubleControl.holdStreams(false);
                done.synchronize();
                assertTrue(done.isComplete());
                stream.synchronize();
                assertTrue(stream.isIdle());
                assertEquals(-1, back.mismatch(source));
            }
        }
        finally
        {
            CudaDoubleControl.holdStreams(false);
        }
    }

    @Test
    void shouldRefuseUseAfterClose()
    {
        cuda.init();
        try (CudaContext ctx = cuda.device(0).retainPrimaryContext())
        {
            ctx.makeCurrent();
            final CudaStream stream = ctx.createStream(0);
            final CudaEvent event = ctx.createEvent(0);
            final DeviceMemory mem = ctx.allocate(64);
            stream.close();
            event.close();
            mem.close();
            stream.close();
            event.close();
            mem.close();
            assertThrows(IllegalStateException.class, stream::synchronize);
            assertThrows(IllegalStateException.class, event::isComplete);
            assertThrows(IllegalStateException.class, mem::pointer);
        }
    }

    @Test
    void shouldNameErrorsWithTheDriverAndFallBackForUnknownCodes()
    {
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", cuda.errorName(2));
        assertEquals("out of memory", cuda.errorString(2));
        // The double does not know 709; the static table (checked against cuda.h) does.
        assertEquals("CUDA_ERROR_CONTEXT_IS_DESTROYED", cuda.errorName(709));
        assertEquals("", cuda.errorString(709));
        assertEquals("CURESULT_12345", cuda.errorName(12345));
    }

    @Test
    void shouldReportAnUnknownResultByNumber()
    {
        cuda.init();
        CudaDoubleControl.fail("cuDeviceGetCount", 4242, 1);

        final CudaException e = assertThrows(CudaException.class, cuda::deviceCount);

        assertEquals("CURESULT_4242", e.nativeName());
        assertEquals(4242, e.nativeCode());
    }

    private static MemorySegment pattern(final Arena arena, final int bytes, final int seed)
    {
        final MemorySegment s = arena.allocate(bytes, 4096);
        for (int i = 0; i < bytes; i++)
        {
            s.set(JAVA_BYTE, i, (byte)(i * 31 + seed));
        }
        return s;
    }
}
