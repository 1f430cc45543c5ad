package dev.conduit.nativebindings.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

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
    private static final MethodHandle VIOLATIONS = link("double_cuda_violations", FunctionDescriptor.of(JAVA_LONG));
    private static final MethodHandle COPY_SPEED = link("double_cuda_set_copy_ns_per_mib", FunctionDescriptor.ofVoid(JAVA_LONG));
    private static final MethodHandle COPY_LOG = link("double_cuda_copy_log", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle COPY_LOG_CLEAR = link("double_cuda_copy_log_clear", FunctionDescriptor.ofVoid());
    private static final MethodHandle TRACE = link("double_trace_dump", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final MethodHandle TRACE_CLEAR = link("double_trace_clear", FunctionDescriptor.ofVoid());
    private static final int COPY_RECORD_BYTES = 40;
    private static final int TRACE_BYTES = 1 << 22;

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

    /** @return frees/unregisters of memory a copy, an IO or an IPC mapping still used (since reset). */
    public static long violations()
    {
        return invokeLong(VIOLATIONS);
    }

    /** @param nsPerMib how long every async copy takes per MiB (0: memcpy speed). */
    public static void setCopyNsPerMib(final long nsPerMib)
    {
        try
        {
            COPY_SPEED.invokeExact(nsPerMib);
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /**
     * One async copy as the double's stream worker ran it (times from CLOCK_MONOTONIC, comparable
     * with {@link System#nanoTime()}).
     *
     * @param stream   the stream's handle.
     * @param toDevice host-to-device (else device-to-host).
     * @param bytes    bytes copied.
     * @param startNs  start.
     * @param endNs    end.
     */
    public record CopyRecord(long stream, boolean toDevice, long bytes, long startNs, long endNs)
    {
    }

    /** @return every async copy since the last clear or reset, in completion order. */
    public static List<CopyRecord> copyLog()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final int capacity = 65536;
            final MemorySegment out = arena.allocate((long)COPY_RECORD_BYTES * capacity, 8);
            final int n = (int)COPY_LOG.invokeExact(out, capacity);
            final List<CopyRecord> records = new ArrayList<>(n);
            for (int i = 0; i < n; i++)
            {
                final long base = (long)i * COPY_RECORD_BYTES;
                records.add(new CopyRecord(out.get(JAVA_LONG, base), out.get(JAVA_LONG, base + 8) != 0,
                    out.get(JAVA_LONG, base + 16), out.get(JAVA_LONG, base + 24), out.get(JAVA_LONG, base + 32)));
            }
            return records;
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /** Forgets the copy log. */
    public static void clearCopyLog()
    {
        invokeVoid(COPY_LOG_CLEAR);
    }

    /**
     * @param sinceNs only calls at or after this {@link System#nanoTime()}.
     * @return the entry points of the CUDA and cuFile doubles called since then, in call order.
     */
    public static List<String> trace(final long sinceNs)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(TRACE_BYTES);
            final int n = (int)TRACE.invokeExact(out, TRACE_BYTES, sinceNs);
            final String text = out.getString(0);
            return n == 0 ? List.of() : List.of(text.split("\n"));
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /** Forgets the call trace. */
    public static void clearTrace()
    {
        invokeVoid(TRACE_CLEAR);
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
