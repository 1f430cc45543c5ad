package dev.conduit.nativebindings.spdk;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.NativeRuntime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One SPDK I/O queue pair: submits reads, writes (contiguous or scatter-gather) and flushes with a
 * caller's tag, and reports each completion to {@link Completions} from inside {@link #poll} (or
 * {@link #close}, which completes what is outstanding as aborted), on the calling thread.
 *
 * <p>SPDK's completion and SGL callbacks are FFM upcalls, three stubs shared by every queue pair;
 * the callback argument packs this queue pair's registry slot and the tag, so no allocation happens
 * per request. An exception thrown by {@link Completions} must not unwind through SPDK's C frames (the
 * JVM would abort), so it is held and rethrown when {@link #poll} returns.
 *
 * <p>Threading: not thread-safe, like SPDK's queue pairs: submit, poll and close from one thread.
 */
public final class SpdkQueuePair implements AutoCloseable
{
    /** Receives completions. */
    @FunctionalInterface
    public interface Completions
    {
        /**
         * @param tag       the tag the command was submitted with.
         * @param statusRaw {@code spdk_nvme_cpl.status_raw}; success when {@link SpdkStatus#code} is 0.
         */
        void onComplete(int tag, int statusRaw);
    }

    private static final int MAX_QUEUE_PAIRS = 4096;
    private static final long IOVEC_BYTES = 16;
    private static final AtomicReferenceArray<SpdkQueuePair> REGISTRY = new AtomicReferenceArray<>(MAX_QUEUE_PAIRS);
    // All of memory, to read and write what SPDK's callbacks point at by address: a constant segment,
    // so nothing is allocated per callback (the upcalls take their pointers as 64-bit integers).
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private final SpdkController controller;
    private final SpdkLibrary library;
    private final MemorySegment qpair;
    private final long qpairAddress;
    private final int slot;
    private final int capacity;
    private final Completions completions;
    private final long[] sgIov;
    private final int[] sgCount;
    private final int[] sgIndex;
    private final long[] sgOffset;
    private int outstanding;
    private Throwable failure;
    private boolean closed;

    SpdkQueuePair(final SpdkController controller, final MemorySegment qpair, final int capacity, final Completions completions)
    {
        this.controller = controller;
        this.library = controller.library();
        this.qpair = qpair;
        this.qpairAddress = qpair.address();
        this.capacity = capacity;
        this.completions = completions;
        this.sgIov = new long[capacity];
        this.sgCount = new int[capacity];
        this.sgIndex = new int[capacity];
        this.sgOffset = new long[capacity];
        this.slot = register(this);
    }

    /** @return the tags this queue pair accepts: 0 to capacity - 1 (its {@code io_queue_requests}). */
    public int capacity()
    {
        return capacity;
    }

    /** @return commands submitted and not yet completed. */
    public int outstanding()
    {
        return outstanding;
    }

    /**
     * @param write    true for a write.
     * @param ns       the namespace.
     * @param buffer   contiguous memory of {@code lbaCount * sectorBytes}.
     * @param lba      first block.
     * @param lbaCount blocks.
     * @param tag      0 to {@link #capacity()} - 1, not in use.
     * @return 0, or SPDK's negative errno (-ENOMEM: full; -ENXIO: the queue pair failed).
     */
    public int submit(final boolean write, final SpdkNamespaceInfo ns, final MemorySegment buffer, final long lba,
        final int lbaCount, final int tag)
    {
        return submit(write, ns, buffer.address(), lba, lbaCount, tag);
    }

    /**
     * {@link #submit(boolean, SpdkNamespaceInfo, MemorySegment, long, int, int)} with the buffer's
     * address (native memory of {@code lbaCount * sectorBytes}, alive until the command completes).
     *
     * @param write         true for a write.
     * @param ns            the namespace.
     * @param bufferAddress the contiguous buffer.
     * @param lba           first block.
     * @param lbaCount      blocks.
     * @param tag           0 to {@link #capacity()} - 1, not in use.
     * @return 0, or SPDK's negative errno.
     */
    public int submit(final boolean write, final SpdkNamespaceInfo ns, final long bufferAddress, final long lba,
        final int lbaCount, final int tag)
    {
        checkTag(tag);
        final int rc = library.submit(write, ns.address(), qpairAddress, bufferAddress, lba, lbaCount, Upcalls.COMPLETE, argument(tag));
        return counted(rc);
    }

    /**
     * A scatter-gather read or write: SPDK walks {@code iovecs} through the SGL callbacks.
     *
     * @param write    true for a write.
     * @param ns       the namespace.
     * @param iovecs   {@code struct iovec[count]}, alive until the command completes.
     * @param count    entries.
     * @param lba      first block.
     * @param lbaCount blocks (the iovecs cover {@code lbaCount * sectorBytes}).
     * @param tag      a free tag.
     * @return 0 or SPDK's negative errno.
     */
    public int submitVector(final boolean write, final SpdkNamespaceInfo ns, final MemorySegment iovecs, final int count,
        final long lba, final int lbaCount, final int tag)
    {
        checkTag(tag);
        sgIov[tag] = iovecs.address();
        sgCount[tag] = count;
        sgIndex[tag] = 0;
        sgOffset[tag] = 0;
        final int rc = library.submitVector(write, ns.address(), qpairAddress, lba, lbaCount, Upcalls.COMPLETE, argument(tag),
            Upcalls.RESET_SGL, Upcalls.NEXT_SGE);
        return counted(rc);
    }

    /**
     * @param ns  the namespace.
     * @param tag a free tag.
     * @return 0 or SPDK's negative errno.
     */
    public int flush(final SpdkNamespaceInfo ns, final int tag)
    {
        checkTag(tag);
        return counted(library.flush(ns.address(), qpairAddress, Upcalls.COMPLETE, argument(tag)));
    }

    /**
     * Asks the controller to abort the command submitted with {@code tag}
     * ({@code spdk_nvme_ctrlr_cmd_abort_ext}). It still completes through {@link Completions}: as
     * ABORTED - BY REQUEST, or normally when the abort came too late. The Abort admin command itself
     * completes in {@link #pollAdmin()}.
     *
     * @param tag the command's tag.
     * @return 0, or SPDK's negative errno (-ENOENT: no such command outstanding).
     */
    public int abort(final int tag)
    {
        checkTag(tag);
        return library.abortCommands(controller.address(), qpairAddress, argument(tag));
    }

    /**
     * Runs the controller's admin completions (those of {@link #abort}'s commands) on this thread;
     * safe beside other queue pairs' threads (SPDK takes the controller's lock).
     *
     * @return admin completions, or SPDK's negative errno.
     */
    public int pollAdmin()
    {
        return closed ? 0 : library.processAdminCompletions(controller.address());
    }

    /**
     * Runs completions on this thread.
     *
     * @param max most completions, 0 = all available.
     * @return completions, or SPDK's negative errno (-ENXIO: the transport failed; SPDK has then
     *         completed the outstanding commands as aborted).
     */
    public int poll(final int max)
    {
        if (closed)
        {
            return 0;
        }
        final int rc = library.processCompletions(qpairAddress, max);
        rethrowFailure();
        return rc;
    }

    /** Frees the queue pair; SPDK completes what is outstanding as aborted through {@link Completions} first. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        library.freeQueuePair(qpair);
        controller.forget(this);
        unregister(slot);
        rethrowFailure();
    }

    private int counted(final int rc)
    {
        if (rc == 0)
        {
            outstanding++;
        }
        return rc;
    }

    private void checkTag(final int tag)
    {
        if (closed)
        {
            throw new ConduitException(ErrorCode.NAMESPACE_CLOSED, "SPDK queue pair of " + controller.transportId() + " is freed");
        }
        if (tag < 0 || tag >= capacity)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "tag " + tag + " outside 0.." + (capacity - 1));
        }
    }

    private long argument(final int tag)
    {
        return ((long) slot << 32) | tag;
    }

    private void rethrowFailure()
    {
        final Throwable t = failure;
        if (t != null)
        {
            failure = null;
            throw NativeRuntime.rethrow(t);
        }
    }

    private void complete(final int tag, final int statusRaw)
    {
        outstanding--;
        try
        {
            completions.onComplete(tag, statusRaw);
        }
        catch (final Throwable t)
        {
            if (failure == null)
            {
                failure = t;
            }
        }
    }

    private void resetSgl(final int tag, final long offsetBytes)
    {
        final long iov = sgIov[tag];
        long left = offsetBytes;
        int i = 0;
        while (i < sgCount[tag] && left >= NATIVE.get(JAVA_LONG, iov + i * IOVEC_BYTES + 8))
        {
            left -= NATIVE.get(JAVA_LONG, iov + i * IOVEC_BYTES + 8);
            i++;
        }
        sgIndex[tag] = i;
        sgOffset[tag] = left;
    }

    private int nextSge(final int tag, final long addressOut, final long lengthOut)
    {
        final int i = sgIndex[tag];
        if (i >= sgCount[tag])
        {
            return -1;
        }
        final long iov = sgIov[tag] + i * IOVEC_BYTES;
        final long base = NATIVE.get(JAVA_LONG, iov);
        final long length = NATIVE.get(JAVA_LONG, iov + 8);
        NATIVE.set(JAVA_LONG, addressOut, base + sgOffset[tag]);
        NATIVE.set(JAVA_INT, lengthOut, (int) (length - sgOffset[tag]));
        sgIndex[tag] = i + 1;
        sgOffset[tag] = 0;
        return 0;
    }

    private static synchronized int register(final SpdkQueuePair pair)
    {
        for (int i = 1; i < MAX_QUEUE_PAIRS; i++)
        {
            if (REGISTRY.get(i) == null)
            {
                REGISTRY.set(i, pair);
                return i;
            }
        }
        throw new ConduitException(ErrorCode.OUT_OF_MEMORY, "more than " + (MAX_QUEUE_PAIRS - 1) + " SPDK queue pairs in one process");
    }

    private static synchronized void unregister(final int slot)
    {
        REGISTRY.set(slot, null);
    }

    private static SpdkQueuePair lookup(final long argument)
    {
        return REGISTRY.get((int) (argument >>> 32));
    }

    /** The three upcall stubs, made once per process, and their Java targets. They never throw into C. */
    private static final class Upcalls
    {
        static final long COMPLETE = stub("onComplete", MethodType.methodType(void.class, long.class, long.class),
            FunctionDescriptor.ofVoid(SpdkLibrary.POINTER, SpdkLibrary.POINTER));
        static final long RESET_SGL = stub("onResetSgl", MethodType.methodType(void.class, long.class, int.class),
            FunctionDescriptor.ofVoid(SpdkLibrary.POINTER, JAVA_INT));
        static final long NEXT_SGE = stub("onNextSge", MethodType.methodType(int.class, long.class, long.class, long.class),
            FunctionDescriptor.of(JAVA_INT, SpdkLibrary.POINTER, SpdkLibrary.POINTER, SpdkLibrary.POINTER));

        private Upcalls()
        {
        }

        private static long stub(final String method, final MethodType type, final FunctionDescriptor descriptor)
        {
            try
            {
                return NativeRuntime.LINKER.upcallStub(MethodHandles.lookup().findStatic(Upcalls.class, method, type), descriptor, Arena.global())
                    .address();
            }
            catch (final ReflectiveOperationException e)
            {
                throw new IllegalStateException(e);
            }
        }

        @SuppressWarnings("unused") // called from C
        private static void onComplete(final long argument, final long cpl)
        {
            try
            {
                final SpdkQueuePair pair = lookup(argument);
                if (pair != null)
                {
                    pair.complete((int) argument, Short.toUnsignedInt(NATIVE.get(JAVA_SHORT, cpl + SpdkLayouts.CPL_STATUS)));
                }
            }
            catch (final Throwable t)
            {
                // Nothing may unwind into SPDK; complete() already holds listener failures for poll().
            }
        }

        @SuppressWarnings("unused") // called from C
        private static void onResetSgl(final long argument, final int offsetBytes)
        {
            try
            {
                final SpdkQueuePair pair = lookup(argument);
                if (pair != null)
                {
                    pair.resetSgl((int) argument, Integer.toUnsignedLong(offsetBytes));
                }
            }
            catch (final Throwable t)
            {
                // An SGL error shows as next_sge failing, which SPDK turns into a failed submission.
            }
        }

        @SuppressWarnings("unused") // called from C
        private static int onNextSge(final long argument, final long addressOut, final long lengthOut)
        {
            try
            {
                final SpdkQueuePair pair = lookup(argument);
                return pair == null ? -1 : pair.nextSge((int) argument, addressOut, lengthOut);
            }
            catch (final Throwable t)
            {
                return -1;
            }
        }
    }
}
