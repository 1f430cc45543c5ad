package dev.conduit.gdspath.loader;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

import dev.conduit.blocklayout.CorruptExtentException;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.gdspath.DataPath;
import dev.conduit.gdspath.DeferredVerifyCallback;

/**
 * Counts one batch's range reads down: done when every read has called back, with the first failure
 * (so the batch's buffer is never handed back while a read may still land in it). One per ring buffer,
 * {@link #reset} for each batch that buffer carries: no future and no counter object per batch, and the
 * reads call it back directly (the data path's callback form).
 *
 * <p>Host reads complete with the chunks that landed in the buffer not yet checked ({@link DeferredVerifyCallback}):
 * the consumer checks them in {@link #verifyLanded} before the batch is handed out, so the scheduler's device
 * thread only reaps and submits, and no unverified byte is handed out.
 *
 * <p>Threading: {@link #reset} by the issuing thread before the batch's first read is submitted (so no
 * read of an earlier batch is still out: the buffer came back only after {@link #await}); reads complete
 * on any thread; any thread may {@link #await}.
 */
final class BatchReads implements DeferredVerifyCallback
{
    private static final VarHandle REMAINING;

    static
    {
        try
        {
            REMAINING = MethodHandles.lookup().findVarHandle(BatchReads.class, "remaining", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")                // through REMAINING
    private volatile int remaining;
    private volatile Throwable failure;
    private volatile boolean done;
    // Per run, by the issuing thread before the run's read is submitted (landed: by the completing thread).
    private long[] objectOffsetBytes = new long[8];
    private long[] lengthBytes = new long[8];
    private long[] dstOffsetBytes = new long[8];
    private ObjectRecord[] landed = new ObjectRecord[8];
    private final CRC32C crc = new CRC32C();
    private ByteBuffer view;
    private final boolean defer;

    /** @param defer whether the host path leaves the CRC-32C of what landed to {@link #verifyLanded}. */
    BatchReads(final boolean defer)
    {
        this.defer = defer;
    }

    @Override
    public boolean defersVerification()
    {
        return defer;
    }

    /**
     * Arms the counter for a new batch.
     *
     * @param reads how many reads will call {@link #onRead} (a read that could not start calls it too).
     */
    void reset(final int reads)
    {
        if (landed.length < reads)
        {
            final int n = Math.max(reads, landed.length * 2);
            objectOffsetBytes = Arrays.copyOf(objectOffsetBytes, n);
            lengthBytes = Arrays.copyOf(lengthBytes, n);
            dstOffsetBytes = Arrays.copyOf(dstOffsetBytes, n);
            landed = Arrays.copyOf(landed, n);
        }
        Arrays.fill(landed, 0, reads, null);
        failure = null;
        done = reads == 0;
        remaining = reads;
    }

    /**
     * Notes where run {@code run} goes, before its read is submitted (what {@link #verifyLanded} checks).
     *
     * @param run               the read's tag.
     * @param objectOffsetBytes its first byte within the shard.
     * @param length            its length.
     * @param dstOffsetBytes    where in the buffer it lands.
     */
    void expect(final int run, final long objectOffsetBytes, final long length, final long dstOffsetBytes)
    {
        this.objectOffsetBytes[run] = objectOffsetBytes;
        this.lengthBytes[run] = length;
        this.dstOffsetBytes[run] = dstOffsetBytes;
    }

    @Override
    public void onUnverified(final long tag, final ObjectRecord version)
    {
        landed[(int)tag] = version;
    }

    /**
     * After {@link #await()} returned no failure: checks the CRC-32C of what every deferred read left unchecked.
     *
     * @param path  the data path the reads went through.
     * @param dst   the ring buffer's memory (host).
     * @param reads the batch's read count.
     * @return null when every byte matches, else the first mismatch.
     */
    CorruptExtentException verifyLanded(final DataPath path, final MemorySegment dst, final int reads)
    {
        for (int r = 0; r < reads; r++)
        {
            final ObjectRecord version = landed[r];
            if (version == null)
            {
                continue;                       // verified by the path already (or nothing to check)
            }
            landed[r] = null;
            if (view == null)
            {
                view = dst.asByteBuffer();      // the ring buffer is this object's for life: one view, made once
            }
            final CorruptExtentException corrupt = path.verifyLanded(version, objectOffsetBytes[r], lengthBytes[r], view,
                dstOffsetBytes[r], crc);
            if (corrupt != null)
            {
                return corrupt;
            }
        }
        return null;
    }

    @Override
    public void onRead(final long tag, final Throwable t)
    {
        if (t != null && failure == null)
        {
            failure = t;
        }
        if ((int)REMAINING.getAndAdd(this, -1) == 1)
        {
            synchronized (this)
            {
                done = true;
                notifyAll();
            }
        }
    }

    /** @return whether every read has called back. */
    boolean isDone()
    {
        return done;
    }

    /**
     * Waits until every read has called back; an interrupt does not end the wait (the buffer must not be
     * reused or handed back while a read may still land in it) and stays set.
     *
     * @return the first read's failure, or null when every byte landed.
     */
    Throwable await()
    {
        if (!done)
        {
            boolean interrupted = false;
            synchronized (this)
            {
                while (!done)
                {
                    try
                    {
                        wait();
                    }
                    catch (final InterruptedException e)
                    {
                        interrupted = true;
                    }
                }
            }
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
        return failure;
    }
}
