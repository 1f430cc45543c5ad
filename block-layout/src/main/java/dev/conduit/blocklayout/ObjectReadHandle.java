package dev.conduit.blocklayout;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pinned object version: while open, the extents of {@link #record()} are not reused even if
 * the key is replaced or deleted, so every chunk read comes from the same version. Every chunk is
 * verified against its CRC-32C.
 *
 * <pre>{@code
 * try (ObjectReadHandle h = store.openObject("ckpt/step-1000"))
 * {
 *     h.transferTo(out, ProgressListener.NONE);
 * }
 * }</pre>
 *
 * <p>Asynchronous readers (the scheduler's {@code ObjectRangeReader}) take their own reference
 * with {@link #tryRetain()} for each read in flight and {@link #release()} it when the read has
 * completed, so the version stays pinned until the last of them finishes even when the owner
 * closes the handle first.
 *
 * <p>An owner that opens one object after another may pass its closed handle back to
 * {@link ObjectStore#openObject(byte[], ObjectReadHandle)}, which re-arms it for the next version
 * once every retained read has released it (otherwise it makes a new handle), so a GET loop
 * allocates no handle; the owner must not touch the old pin through it afterwards.
 *
 * <p>Threading: the handle's own reads may be used from any one thread at a time; close it exactly
 * once. {@link #tryRetain()} and {@link #release()} may be called from any thread. A handle that is
 * never closed keeps the space of replaced versions from being reused.
 */
public final class ObjectReadHandle implements AutoCloseable
{
    // Not final: ObjectStore#openObject(byte[], ObjectReadHandle) re-arms a closed handle that no read holds.
    private ObjectRecord record;
    private ObjectReader reader;
    private final Reclaimer reclaimer;
    private long ticket;
    private final AtomicInteger references = new AtomicInteger(1);
    private volatile boolean closed;

    ObjectReadHandle(final ObjectRecord record, final ObjectReader reader, final Reclaimer reclaimer, final long ticket)
    {
        this.record = record;
        this.reader = reader;
        this.reclaimer = reclaimer;
        this.ticket = ticket;
    }

    /**
     * Makes this closed handle a new pin (its owner's next open), unless a read still holds it.
     * Only the owner calls this, never while it still uses the handle; a read that retained it has
     * released it, and a late {@link #tryRetain()} sees {@link #closed} until the fields are set.
     *
     * @return false, changing nothing, when the handle is open, still referenced, or of another store.
     */
    boolean rearm(final ObjectRecord version, final ObjectReader versionReader, final Reclaimer storeReclaimer,
        final long versionTicket)
    {
        if (!closed || references.get() != 0 || reclaimer != storeReclaimer)
        {
            return false;
        }
        this.record = version;
        this.reader = versionReader;
        this.ticket = versionTicket;
        references.set(1);
        closed = false;
        return true;
    }

    /** @return the version this handle reads. */
    public ObjectRecord record()
    {
        return record;
    }

    /**
     * Reads and verifies one chunk.
     *
     * @param index chunk number, {@code 0 <= index < record().chunkCount()}.
     * @param dst   4096-aligned native buffer of at least {@code chunkLengthBytes(index)} rounded up to 4096.
     * @throws CorruptExtentException on a checksum mismatch.
     */
    public void readChunk(final int index, final MemorySegment dst)
    {
        ensureOpen();
        reader.readChunk(record, index, dst);
    }

    /**
     * Streams the whole object, chunk by chunk, verifying each before it is written out.
     *
     * @param out      destination; not closed.
     * @param progress called after each chunk with bytes done.
     * @return bytes written.
     */
    public long transferTo(final OutputStream out, final ProgressListener progress)
    {
        ensureOpen();
        final byte[] copy = new byte[Math.min(record.chunkSizeBytes(), 1 << 20)];
        long done = 0;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment chunk = chunkBuffer(arena);
            for (int i = 0; i < record.chunkCount(); i++)
            {
                reader.readChunk(record, i, chunk);
                final long length = record.chunkLengthBytes(i);
                for (long at = 0; at < length; at += copy.length)
                {
                    final int n = (int)Math.min(copy.length, length - at);
                    MemorySegment.copy(chunk, ValueLayout.JAVA_BYTE, at, copy, 0, n);
                    out.write(copy, 0, n);
                }
                done += length;
                progress.onProgress(done, record.sizeBytes());
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return done;
    }

    /**
     * @return the whole verified content.
     * @throws IllegalStateException for objects of 2 GiB or more.
     */
    public byte[] readAllBytes()
    {
        ensureOpen();
        if (record.sizeBytes() > Integer.MAX_VALUE - 16)
        {
            throw new IllegalStateException("object " + record.key() + " is too large for one array: " + record.sizeBytes());
        }
        final byte[] content = new byte[(int)record.sizeBytes()];
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment chunk = chunkBuffer(arena);
            for (int i = 0; i < record.chunkCount(); i++)
            {
                reader.readChunk(record, i, chunk);
                MemorySegment.copy(chunk, ValueLayout.JAVA_BYTE, 0, content, (int)((long)i << record.chunkShift()), (int)record.chunkLengthBytes(i));
            }
        }
        return content;
    }

    /**
     * Takes one more reference to the pinned version (for a read that outlives this call).
     *
     * @return false, taking nothing, when the owner has already closed the handle.
     */
    public boolean tryRetain()
    {
        while (true)
        {
            final int current = references.get();
            if (current == 0 || closed)
            {
                return false;
            }
            if (references.compareAndSet(current, current + 1))
            {
                return true;
            }
        }
    }

    /** Drops a reference taken with {@link #tryRetain()}; the last one unpins the version. */
    public void release()
    {
        // Read while this reference still holds the handle: once it drops to 0 the owner may re-arm it.
        final long pinned = ticket;
        if (references.decrementAndGet() == 0)
        {
            reclaimer.exit(pinned);
        }
    }

    /** Drops the owner's reference; the version stays pinned until every retained read has released it. */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            release();
        }
    }

    private MemorySegment chunkBuffer(final Arena arena)
    {
        return arena.allocate(record.chunkBufferBytes(), Bytes.BLOCK);
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("read handle for " + record.key() + " is closed");
        }
    }
}
