package dev.conduit.nativebindings.cufile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.conduit.nativebindings.dynlib.ReleaseOnce;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A cuFile batch (cuFileBatchIOSetUp .. cuFileBatchIODestroy). Work goes in rounds: add up to
 * {@link #capacity()} entries, {@link #submit()}, then {@link #poll} until every entry of the round
 * has finished (or {@link #cancel()}); the library reads the submitted entries until they finish,
 * so their native memory is reused only by the next round.
 *
 * <pre>{@code
 * try (CuFileBatch batch = driver.createBatch(64))
 * {
 *     batch.addRead(file, buffer, 0, 1 << 20, 0, 1);
 *     batch.addRead(file, buffer, 1 << 20, 1 << 20, 1 << 20, 2);
 *     batch.submit();
 *     while (!batch.roundFinished())
 *     {
 *         for (CuFileBatchEvent e : batch.poll(1, Duration.ofMillis(100))) { ... }
 *     }
 * }
 * }</pre>
 *
 * <p>Threading: one owner thread adds and submits; entries and events live in a shared arena
 * because the library completes them on its own threads.
 */
public final class CuFileBatch implements AutoCloseable
{
    private final CuFileLibrary library;
    private final MemorySegment batch;
    private final int capacity;
    private final Arena arena;
    private final MemorySegment params;
    private final MemorySegment events;
    private final MemorySegment count;
    private final MemorySegment timeoutSpec;
    private int staged;
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

    /** @return the maximum number of entries per round. */
    public int capacity()
    {
        return capacity;
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
     */
    public void addWrite(
        final CuFileHandle file, final CuFileBuffer buffer, final long bufferOffset, final long size, final long fileOffset,
        final long cookie)
    {
        add(file, CuFileConstants.OPCODE_WRITE, buffer, bufferOffset, size, fileOffset, cookie);
    }

    /** cuFileBatchIOSubmit of the staged entries; they complete in the background. */
    public void submit()
    {
        release.ensureLive();
        if (staged == 0)
        {
            throw new IllegalStateException("nothing staged to submit");
        }
        CuFileResults.check(library, library.batchSubmit(batch, staged, params, 0), "cuFileBatchIOSubmit(nr=" + staged + ")");
        inFlight = staged;
        staged = 0;
    }

    /**
     * cuFileBatchIOGetStatus: waits until at least {@code minEntries} entries have finished or the
     * timeout passes, then returns whatever has finished (possibly fewer on timeout).
     *
     * @param minEntries 0 .. entries in flight.
     * @param timeout    how long to wait; {@code null} waits without limit.
     * @return the finished entries, each reported once.
     */
    public List<CuFileBatchEvent> poll(final int minEntries, final Duration timeout)
    {
        release.ensureLive();
        count.set(JAVA_INT, 0, capacity);
        MemorySegment ts = MemorySegment.NULL;
        if (timeout != null)
        {
            timeoutSpec.set(JAVA_LONG, 0, timeout.getSeconds());
            timeoutSpec.set(JAVA_LONG, 8, timeout.getNano());
            ts = timeoutSpec;
        }
        CuFileResults.check(library, library.batchGetStatus(batch, minEntries, count, events, ts),
            "cuFileBatchIOGetStatus(min=" + minEntries + ")");
        final int n = count.get(JAVA_INT, 0);
        final List<CuFileBatchEvent> out = new ArrayList<>(n);
        final long stride = CuFileLayouts.IO_EVENTS.byteSize();
        for (int i = 0; i < n; i++)
        {
            final long base = i * stride;
            out.add(new CuFileBatchEvent(events.get(ADDRESS, base).address(),
                events.get(JAVA_INT, base + CuFileLayouts.IO_EVENTS_STATUS),
                events.get(JAVA_LONG, base + CuFileLayouts.IO_EVENTS_RET)));
        }
        inFlight -= Math.min(n, inFlight);
        return out;
    }

    /** @return true when every submitted entry of the current round has been reported by {@link #poll}. */
    public boolean roundFinished()
    {
        return inFlight == 0;
    }

    /** cuFileBatchIOCancel: entries not yet started finish as {@link CuFileBatchStatus#CANCELED}. */
    public void cancel()
    {
        release.ensureLive();
        CuFileResults.check(library, library.batchCancel(batch), "cuFileBatchIOCancel");
    }

    /** cuFileBatchIODestroy, then frees the entries; a second call does nothing. */
    @Override
    public void close()
    {
        if (release.tryRelease())
        {
            library.batchDestroy(batch);
            arena.close();
        }
    }

    private void add(
        final CuFileHandle file, final int opcode, final CuFileBuffer buffer, final long bufferOffset, final long size,
        final long fileOffset, final long cookie)
    {
        release.ensureLive();
        if (inFlight > 0)
        {
            throw new IllegalStateException(inFlight + " entries of the previous round are still in flight");
        }
        if (staged == capacity)
        {
            throw new IllegalStateException("batch is full (" + capacity + " entries)");
        }
        final long base = staged * CuFileLayouts.IO_PARAMS.byteSize();
        params.asSlice(base, CuFileLayouts.IO_PARAMS.byteSize()).fill((byte)0);
        params.set(JAVA_INT, base, CuFileConstants.BATCH_MODE);
        params.set(ADDRESS, base + CuFileLayouts.IO_PARAMS_BASE, buffer.base());
        params.set(JAVA_LONG, base + CuFileLayouts.IO_PARAMS_FILE_OFFSET, fileOffset);
        params.set(JAVA_LONG, base + CuFileLayouts.IO_PARAMS_BUFFER_OFFSET, bufferOffset);
        params.set(JAVA_LONG, base + CuFileLayouts.IO_PARAMS_SIZE, size);
        params.set(ADDRESS, base + CuFileLayouts.IO_PARAMS_FH, file.handle());
        params.set(JAVA_INT, base + CuFileLayouts.IO_PARAMS_OPCODE, opcode);
        params.set(ADDRESS, base + CuFileLayouts.IO_PARAMS_COOKIE, MemorySegment.ofAddress(cookie));
        staged++;
    }
}
