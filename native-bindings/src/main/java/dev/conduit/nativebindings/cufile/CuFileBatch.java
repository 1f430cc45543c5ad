package dev.conduit.nativebindings.cufile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.dynlib.ReleaseOnce;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A cuFile batch (cuFileBatchIOSetUp .. cuFileBatchIODestroy): up to {@link #capacity()} entries in
 * flight at once, added and submitted in any number of steps, reported by {@link #poll} as they
 * finish. Each entry has its own slot of native memory ({@code CUfileIOParams_t}) from
 * {@code addRead}/{@code addWrite} until {@code poll} reports it, because the library may read an
 * entry until it finishes; a reported entry's slot is reused by a later add.
 *
 * <pre>{@code
 * try (CuFileBatch batch = driver.createBatch(64))
 * {
 *     batch.addRead(file, buffer, 0, 1 << 20, 0, 1);
 *     batch.submit();
 *     batch.addRead(file, buffer, 1 << 20, 1 << 20, 1 << 20, 2);   // while entry 1 is in flight
 *     batch.submit();
 *     while (batch.inFlight() > 0)
 *     {
 *         batch.poll(1, 100_000_000L, (cookie, status, result) -> ...);   // allocates nothing
 *     }
 * }
 * }</pre>
 *
 * <p>Close cancels the entries still in flight and waits until the library has reported every one
 * of them before destroying the batch and freeing the entries' memory; the caller's buffers must
 * stay valid until {@code close()} returns.
 *
 * <p>Threading: one owner thread adds, submits, polls and closes; the memory is in a shared arena
 * because the library completes entries on its own threads.
 */
public final class CuFileBatch implements AutoCloseable
{
    /** How long close waits in each status call while cancelled entries drain. */
    private static final long CLOSE_POLL_TIMEOUT_NS = 100_000_000L;

    private final CuFileLibrary library;
    private final MemorySegment batch;
    private final int capacity;
    private final Arena arena;
    private final MemorySegment params;
    private final MemorySegment events;
    private final MemorySegment count;
    private final MemorySegment timeoutSpec;
    private final long[] cookies;
    private final int[] freeSlots;
    private int freeCount;
    private final int[] staged;
    private int stagedCount;
    private int inFlight;
    private final ReleaseOnce release = new ReleaseOnce("cuFile batch is destroyed");

    private CuFileBatch(final CuFileLibrary library, final MemorySegment batch, final int capacity, final Arena arena)
    {
        this.library = library;
        this.batch = batch;
        this.capacity = capacity;
        this.arena = arena;
        this.params = arena.allocate(CuFileLayouts.IO_PARAMS, capacity);
        this.events = arena.allocate(CuFileLayouts.IO_EVENTS, capacity);
        this.count = arena.allocate(JAVA_INT);
        this.timeoutSpec = arena.allocate(CuFileLayouts.TIMESPEC);
        this.cookies = new long[capacity];
        this.freeSlots = new int[capacity];
        this.staged = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            // Popped from the end: slots are taken in ascending order, so a fresh batch submits in one call.
            freeSlots[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
    }

    static CuFileBatch create(final CuFileLibrary library, final int maxEntries)
    {
        final Arena arena = Arena.ofShared();
        try
        {
            final MemorySegment slot = arena.allocate(ADDRESS);
            CuFileResults.check(library, library.batchSetUp(slot, maxEntries), "cuFileBatchIOSetUp(max=" + maxEntries + ")");
            return new CuFileBatch(library, slot.get(ADDRESS, 0), maxEntries, arena);
        }
        catch (final RuntimeException e)
        {
            arena.close();
            throw e;
        }
    }

    /** @return the most entries added and not yet reported. */
    public int capacity()
    {
        return capacity;
    }

    /** @return entries submitted and not yet reported by {@link #poll}. */
    public int inFlight()
    {
        return inFlight;
    }

    /** @return entries added and not yet submitted. */
    public int staged()
    {
        return stagedCount;
    }

    /**
     * Stages a read for the next {@link #submit()}.
     *
     * @param file         registered file.
     * @param buffer       destination base.
     * @param bufferOffset offset from the base.
     * @param size         bytes.
     * @param fileOffset   file offset.
     * @param cookie       returned with the completion.
     * @throws IllegalStateException when {@link #capacity()} entries are staged or in flight.
     */
    public void addRead(
        final CuFileHandle file, final CuFileBuffer buffer, final long bufferOffset, final long size, final long fileOffset,
        final long cookie)
    {
        add(file, CuFileConstants.OPCODE_READ, buffer, bufferOffset, size, fileOffset, cookie);
    }

    /**
     * Stages a write for the next {@link #submit()}.
     *
     * @param file         registered file.
     * @param buffer       source base.
     * @param bufferOffset offset from the base.
     * @param size         bytes.
     * @param fileOffset   file offset.
     * @param cookie       returned with the completion.
     * @throws IllegalStateException when {@link #capacity()} entries are staged or in flight.
     */
    public void addWrite(
        final CuFileHandle file, final CuFileBuffer buffer, final long bufferOffset, final long size, final long fileOffset,
        final long cookie)
    {
        add(file, CuFileConstants.OPCODE_WRITE, buffer, bufferOffset, size, fileOffset, cookie);
    }

    /**
     * cuFileBatchIOSubmit of the staged entries, one call per run of adjacent slots; they complete
     * in the background, alongside any already in flight. When a call fails, the entries it and
     * later calls would have submitted are dropped (their slots freed) and the failure is thrown;
     * those submitted before stay in flight.
     */
    public void submit()
    {
        release.ensureLive();
        if (stagedCount == 0)
        {
            throw new IllegalStateException("nothing staged to submit");
        }
        final long stride = CuFileLayouts.IO_PARAMS.byteSize();
        int runStart = 0;
        try
        {
            while (runStart < stagedCount)
            {
                int runEnd = runStart + 1;
                while (runEnd < stagedCount && staged[runEnd] == staged[runEnd - 1] + 1)
                {
                    runEnd++;
                }
                final int n = runEnd - runStart;
                CuFileResults.check(library,
                    library.batchSubmit(batch, n, params.asSlice(staged[runStart] * stride, n * stride), 0),
                    "cuFileBatchIOSubmit(nr=" + n + ")");
                inFlight += n;
                runStart = runEnd;
            }
        }
        finally
        {
            for (int i = runStart; i < stagedCount; i++)
            {
                freeSlots[freeCount++] = staged[i];
            }
            stagedCount = 0;
        }
    }

    /**
     * cuFileBatchIOGetStatus: waits until at least {@code minEntries} entries have finished or the
     * timeout passes, then hands every finished entry (possibly fewer on timeout) to
     * {@code handler}, each once, and frees its slot. Allocates nothing.
     *
     * @param minEntries 0 .. {@link #inFlight()}.
     * @param timeoutNs  how long to wait; negative waits without limit.
     * @param handler    receives each finished entry.
     * @return entries reported.
     */
    public int poll(final int minEntries, final long timeoutNs, final CuFileBatchHandler handler)
    {
        release.ensureLive();
        count.set(JAVA_INT, 0, capacity);
        MemorySegment ts = MemorySegment.NULL;
        if (timeoutNs >= 0)
        {
            timeoutSpec.set(JAVA_LONG, 0, timeoutNs / 1_000_000_000L);
            timeoutSpec.set(JAVA_LONG, 8, timeoutNs % 1_000_000_000L);
            ts = timeoutSpec;
        }
        final long status = library.batchGetStatus(batch, minEntries, count, events, ts);
        if (!CuFileStatus.isOk(status))
        {
            throw CuFileResults.failure(library, status, "cuFileBatchIOGetStatus(min=" + minEntries + ")");
        }
        final int n = count.get(JAVA_INT, 0);
        int taken = 0;
        try
        {
            while (taken < n)
            {
                final long base = taken++ * CuFileLayouts.IO_EVENTS.byteSize();
                final long cookie = release(events.get(JAVA_LONG, base + CuFileLayouts.IO_EVENTS_COOKIE));
                handler.onEvent(cookie, events.get(JAVA_INT, base + CuFileLayouts.IO_EVENTS_STATUS),
                    events.get(JAVA_LONG, base + CuFileLayouts.IO_EVENTS_RET));
            }
        }
        finally
        {
            // A handler that throws loses the events after it, but their slots must still come back.
            while (taken < n)
            {
                release(events.get(JAVA_LONG, taken++ * CuFileLayouts.IO_EVENTS.byteSize() + CuFileLayouts.IO_EVENTS_COOKIE));
            }
        }
        return n;
    }

    /** Frees the slot a finished entry's native cookie names; returns the caller's cookie. */
    private long release(final long nativeCookie)
    {
        final int slot = (int)nativeCookie;
        freeSlots[freeCount++] = slot;
        inFlight--;
        return cookies[slot];
    }

    /** cuFileBatchIOCancel: entries not yet started finish as {@link CuFileBatchStatus#CANCELED}. */
    public void cancel()
    {
        release.ensureLive();
        CuFileResults.check(library, library.batchCancel(batch), "cuFileBatchIOCancel");
    }

    /**
     * Cancels the entries in flight and waits until every one has been reported (their results are
     * discarded), then cuFileBatchIODestroy, then frees the entries' memory; a second call does
     * nothing. Staged entries that were never submitted are dropped.
     */
    @Override
    public void close()
    {
        if (!release.tryRelease())
        {
            return;
        }
        try
        {
            if (inFlight > 0)
            {
                CuFileResults.check(library, library.batchCancel(batch), "cuFileBatchIOCancel");
                while (inFlight > 0)
                {
                    drainInFlight();
                }
            }
        }
        finally
        {
            library.batchDestroy(batch);
            arena.close();
        }
    }

    private void drainInFlight()
    {
        count.set(JAVA_INT, 0, capacity);
        timeoutSpec.set(JAVA_LONG, 0, 0L);
        timeoutSpec.set(JAVA_LONG, 8, CLOSE_POLL_TIMEOUT_NS);
        final long status = library.batchGetStatus(batch, 1, count, events, timeoutSpec);
        CuFileResults.check(library, status, "cuFileBatchIOGetStatus(min=1) while closing");
        final int n = count.get(JAVA_INT, 0);
        for (int i = 0; i < n; i++)
        {
            release(events.get(JAVA_LONG, i * CuFileLayouts.IO_EVENTS.byteSize() + CuFileLayouts.IO_EVENTS_COOKIE));
        }
    }

    private void add(
        final CuFileHandle file, final int opcode, final CuFileBuffer buffer, final long bufferOffset, final long size,
        final long fileOffset, final long cookie)
    {
        release.ensureLive();
        if (freeCount == 0)
        {
            throw new IllegalStateException("batch is full (" + capacity + " entries staged or in flight)");
        }
        final int slot = freeSlots[--freeCount];
        final long base = slot * CuFileLayouts.IO_PARAMS.byteSize();
        params.asSlice(base, CuFileLayouts.IO_PARAMS.byteSize()).fill((byte)0);
        params.set(JAVA_INT, base, CuFileConstants.BATCH_MODE);
        params.set(ADDRESS, base + CuFileLayouts.IO_PARAMS_BASE, buffer.base());
        params.set(JAVA_LONG, base + CuFileLayouts.IO_PARAMS_FILE_OFFSET, fileOffset);
        params.set(JAVA_LONG, base + CuFileLayouts.IO_PARAMS_BUFFER_OFFSET, bufferOffset);
        params.set(JAVA_LONG, base + CuFileLayouts.IO_PARAMS_SIZE, size);
        params.set(ADDRESS, base + CuFileLayouts.IO_PARAMS_FH, file.handle());
        params.set(JAVA_INT, base + CuFileLayouts.IO_PARAMS_OPCODE, opcode);
        // The library echoes the native cookie; it names the slot, which maps back to the caller's cookie.
        params.set(JAVA_LONG, base + CuFileLayouts.IO_PARAMS_COOKIE, slot);
        cookies[slot] = cookie;
        staged[stagedCount++] = slot;
    }
}
