package dev.conduit.nativebindings.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Test-only switches of {@code libcuda_double.so} ({@code double_cuda_*} in cuda_test.h), reached
 * through the same loaded library the bindings use.
 */
public final class CudaDoubleControl
{
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB = SymbolLookup.libraryLookup(Doubles.cuda(), Arena.global());

    private static final MethodHandle RESET = link("double_cuda_reset", FunctionDescriptor.ofVoid());
    private static final MethodHandle DEVICES = link("double_cuda_set_device_count", FunctionDescriptor.ofVoid(JAVA_INT));
    private static final MethodHandle VERSION = link("double_cuda_set_driver_version", FunctionDescriptor.ofVoid(JAVA_INT));
    private static final MethodHandle FAIL = link("double_cuda_fail", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle HOLD = link("double_cuda_hold_streams", FunctionDescriptor.ofVoid(JAVA_INT));
    private static final MethodHandle ALLOCATED = link("double_cuda_allocated_bytes", FunctionDescriptor.of(JAVA_LONG));
    private static final MethodHandle CALLS = link("double_cuda_calls", FunctionDescriptor.of(JAVA_LONG));
    private static final MethodHandle CALL_COUNT = link("double_cuda_call_count", FunctionDescriptor.of(JAVA_LONG, ADDRESS));

    private CudaDoubleControl()
    {
    }

    /** Back to defaults: one device, driver 13000, no failures, streams running, not initialised. */
    public static void reset()
    {
        invokeVoid(RESET);
    }

    /** @param count devices cuInit finds (0: CUDA_ERROR_NO_DEVICE). */
    public static void setDeviceCount(final int count)
    {
        try
        {
            DEVICES.invokeExact(count);
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /** @param version what cuDriverGetVersion reports. */
    public static void setDriverVersion(final int version)
    {
        try
        {
            VERSION.invokeExact(version);
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /**
     * @param function an entry point, e.g. {@code cuMemAlloc_v2}.
     * @param result   the CUresult it returns instead of running.
     * @param times    how many calls fail (-1: until reset).
     */
    public static void fail(final String function, final int result, final int times)
    {
        try (Arena arena = Arena.ofConfined())
        {
            FAIL.invokeExact(arena.allocateFrom(function), result, times);
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /** @param hold true keeps queued stream work pending. */
    public static void holdStreams(final boolean hold)
    {
        try
        {
            HOLD.invokeExact(hold ? 1 : 0);
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /** @return bytes allocated with cuMemAlloc_v2 and not yet freed. */
    public static long allocatedBytes()
    {
        return invokeLong(ALLOCATED);
    }

    /** @return cu* calls since the last reset. */
    public static long calls()
    {
        return invokeLong(CALLS);
    }

    /**
     * @param function an entry point.
     * @return its calls over the life of the process.
     */
    public static long callCount(final String function)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return (long)CALL_COUNT.invokeExact(arena.allocateFrom(function));
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    private static MethodHandle link(final String name, final FunctionDescriptor descriptor)
    {
        final MemorySegment address = LIB.find(name).orElseThrow(() -> new IllegalStateException(name + " missing"));
        return LINKER.downcallHandle(address, descriptor);
    }

    private static void invokeVoid(final MethodHandle handle)
    {
        try
        {
            handle.invokeExact();
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    private static long invokeLong(final MethodHandle handle)
    {
        try
        {
            return (long)handle.invokeExact();
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }
}
