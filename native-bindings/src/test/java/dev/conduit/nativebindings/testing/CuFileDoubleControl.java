package dev.conduit.nativebindings.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Test-only switches of a libcufile double ({@code double_cufile_*} in cufile_test.h): one instance
 * per double (the full one, {@link #FULL}, or the legacy one, {@link #LEGACY}).
 */
public final class CuFileDoubleControl
{
    private static final Linker LINKER = Linker.nativeLinker();

    /** Controls {@code libcufile_double.so}, the library the bindings load through CONDUIT_CUFILE_LIB. */
    public static final CuFileDoubleControl FULL = new CuFileDoubleControl(Doubles.cufile());
    /** Controls {@code libcufile_legacy_double.so}. */
    public static final CuFileDoubleControl LEGACY = new CuFileDoubleControl(Doubles.legacyCufile());

    private final MethodHandle reset;
    private final MethodHandle fail;
    private final MethodHandle nvfs;
    private final MethodHandle hold;
    private final MethodHandle calls;
    private final MethodHandle callCount;
    private final MethodHandle failEntry;
    private final MethodHandle fifo;
    private final MethodHandle corruptWrite;

    private CuFileDoubleControl(final Path library)
    {
        final SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global());
        this.reset = link(lookup, "double_cufile_reset", FunctionDescriptor.ofVoid());
        this.fail = link(lookup, "double_cufile_fail", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        this.nvfs = link(lookup, "double_cufile_set_nvfs", FunctionDescriptor.ofVoid(JAVA_INT));
        this.hold = link(lookup, "double_cufile_hold_batches", FunctionDescriptor.ofVoid(JAVA_INT));
        this.calls = link(lookup, "double_cufile_calls", FunctionDescriptor.of(JAVA_LONG));
        this.callCount = link(lookup, "double_cufile_call_count", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        this.failEntry = link(lookup, "double_cufile_fail_batch_entry", FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_INT));
        this.fifo = link(lookup, "double_cufile_batch_fifo", FunctionDescriptor.ofVoid(JAVA_INT));
        this.corruptWrite = link(lookup, "double_cufile_corrupt_batch_write", FunctionDescriptor.ofVoid(JAVA_LONG));
    }

    /**
     * Makes one batch entry fail (CUFILE_FAILED, ret -errno) while the others complete.
     *
     * @param nth        0 = the next entry submitted, 1 the one after, ...
     * @param errnoValue the errno its result carries.
     */
    public void failBatchEntry(final long nth, final int errnoValue)
    {
        try
        {
            failEntry.invokeExact(nth, errnoValue);
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /**
     * Silent corruption: one batch write entry completes normally, but the first byte it wrote reads
     * back flipped (bit 0x40).
     *
     * @param nth 0 = the next entry submitted, 1 the one after, ...
     */
    public void corruptBatchWrite(final long nth)
    {
        try
        {
            corruptWrite.invokeExact(nth);
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /** @param inOrder true: batch entries complete in submission order; false (default): newest first. */
    public void batchInOrder(final boolean inOrder)
    {
        try
        {
            fifo.invokeExact(inOrder ? 1 : 0);
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /** Back to defaults: driver closed, nvidia-fs present, default parameters, no failures, counters zero. */
    public void reset()
    {
        try
        {
            reset.invokeExact();
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /**
     * Makes {@code function} fail without side effects.
     *
     * @param function   an entry point, e.g. {@code cuFileBufRegister}.
     * @param err        CUfileOpError returned (negated by read/write).
     * @param cuErr      CUresult returned alongside.
     * @param errnoValue for read/write: when non-zero, return -1 with this errno instead.
     * @param times      how many calls fail (-1: until reset).
     */
    public void fail(final String function, final int err, final int cuErr, final int errnoValue, final int times)
    {
        try (Arena arena = Arena.ofConfined())
        {
            fail.invokeExact(arena.allocateFrom(function), err, cuErr, errnoValue, times);
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /** @param loaded whether nvidia-fs is "loaded". */
    public void setNvfs(final boolean loaded)
    {
        try
        {
            nvfs.invokeExact(loaded ? 1 : 0);
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /** @param held true keeps submitted batch entries pending. */
    public void holdBatches(final boolean held)
    {
        try
        {
            hold.invokeExact(held ? 1 : 0);
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /** @return cuFile calls since the last reset. */
    public long calls()
    {
        try
        {
            return (long)calls.invokeExact();
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    /**
     * @param function an entry point.
     * @return its calls over the life of the process.
     */
    public long callCount(final String function)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return (long)callCount.invokeExact(arena.allocateFrom(function));
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }

    private static MethodHandle link(final SymbolLookup lookup, final String name, final FunctionDescriptor descriptor)
    {
        final MemorySegment address = lookup.find(name).orElseThrow(() -> new IllegalStateException(name + " missing"));
        return LINKER.downcallHandle(address, descriptor);
    }
}
