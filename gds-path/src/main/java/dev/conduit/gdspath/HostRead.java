package dev.conduit.gdspath;

import java.util.concurrent.ArrayBlockingQueue;

import dev.conduit.blocklayout.CorruptExtentException;
import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.scheduler.IoStatus;
import dev.conduit.scheduler.store.ObjectRangeReader;
import dev.conduit.scheduler.store.RangeRequest;

/**
 * One host-path read of the callback form in flight: its request (reused from read to read), the
 * caller's callback and tag, and what the data path books when it completes. Pooled, so steady-state
 * reads allocate nothing; the pool is bounded and a burst beyond it allocates contexts that are then
 * dropped.
 *
 * <p>Threading: set up by the reading thread before submission; completed once by a device thread,
 * which returns it to the pool before calling back.
 */
final class HostRead implements ObjectRangeReader.CorruptionListener
{
    /** What the data path does when a read ends: book it and release its in-flight count. */
    interface Done
    {
        void onDone(PathRecorder recorder, long startNs, long bytes, boolean failed);
    }

    /** A bounded pool of contexts ({@link ArrayBlockingQueue}: no allocation to take or give). */
    static final class Pool
    {
        private static final int CAPACITY = 1024;

        private final ArrayBlockingQueue<HostRead> free = new ArrayBlockingQueue<>(CAPACITY);
        private final Done done;

        Pool(final Done done)
        {
            this.done = done;
        }

        HostRead take(final PathRecorder recorder, final ReadCallback callback, final long tag, final long startNs,
            final long lengthBytes)
        {
            final HostRead read = free.poll();
            return (read == null ? new HostRead(this) : read).begin(recorder, callback, tag, startNs, lengthBytes);
        }

        void give(final HostRead read)
        {
            free.offer(read);
        }
    }

    final RangeRequest request = new RangeRequest();
    private final Pool pool;
    private PathRecorder recorder;
    private ReadCallback callback;
    private long tag;
    private long startNs;
    private long lengthBytes;
    private CorruptExtentException corrupt;
    private ObjectReadHandle handle;
    private ObjectRecord version;
    private boolean deferred;

    private HostRead(final Pool pool)
    {
        this.pool = pool;
    }

    private HostRead begin(final PathRecorder recorder, final ReadCallback callback, final long tag, final long startNs,
        final long lengthBytes)
    {
        this.recorder = recorder;
        this.callback = callback;
        this.tag = tag;
        this.startNs = startNs;
        this.lengthBytes = lengthBytes;
        this.corrupt = null;
        this.deferred = false;
        return this;
    }

    /**
     * Pins the current version of a key for this context's read, re-arming the handle this context
     * opened last when no read holds it any more (block-layout makes a new one otherwise).
     *
     * @param store    the store.
     * @param keyBytes the key's UTF-8 bytes.
     * @return the pinned version; the caller closes it once the read is submitted.
     */
    ObjectReadHandle open(final ObjectStore store, final byte[] keyBytes)
    {
        handle = store.openObject(keyBytes, handle);
        version = handle.record();
        return handle;
    }

    /**
     * @param verify whether the data path verifies.
     * @return whether this read leaves the chunks that land in place to its caller (a {@link DeferredVerifyCallback}).
     */
    boolean defersVerification(final boolean verify)
    {
        deferred = verify && callback instanceof final DeferredVerifyCallback d && d.defersVerification();
        return deferred;
    }

    /** Returns a context whose read never started (submission threw) to the pool. */
    void abandon()
    {
        recorder = null;
        callback = null;
        version = null;
        pool.give(this);
    }

    @Override
    public void onCorrupt(final long ignored, final CorruptExtentException cause)
    {
        corrupt = cause;
    }

    @Override
    public void onComplete(final long ignored, final long result)
    {
        final Throwable failure = result >= 0 ? null
            : result == ObjectRangeReader.CORRUPT && corrupt != null ? corrupt : IoStatus.toException(result, "object range read");
        final PathRecorder r = recorder;
        final ReadCallback c = callback;
        final long t = tag;
        final long s = startNs;
        final long n = lengthBytes;
        final ObjectRecord read = version;
        final boolean unverified = deferred;
        abandon();
        pool.done.onDone(r, s, failure == null ? n : 0, failure != null);
        if (failure == null && unverified)
        {
            ((DeferredVerifyCallback)c).onUnverified(t, read);
        }
        c.onRead(t, failure);
    }
}
