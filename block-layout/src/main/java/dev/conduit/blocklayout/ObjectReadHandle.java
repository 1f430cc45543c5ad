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
 * <p>Threading: the handle's own reads may be used from any one thread at a time; close it exactly
 * once. {@link #tryRetain()} and {@link #release()} may be called from any thread. A handle that is
 * never closed keeps the space of replaced versions from being reused.
 */
public final class ObjectReadHandle implements AutoCloseable
{
    private final ObjectRecord record;
    private final ObjectReader reader;
    private final Reclaimer reclaimer;
    private final long ticket;
    private final AtomicInteger references = new AtomicInteger(1);
    private volatile boolean closed;

    ObjectReadHandle(final ObjectRecord record, final ObjectReader reader, final Reclaimer reclaimer, final long ticket)
    {
        this.record = record;
        this.reader = reader;
        this.reclaimer = reclaimer;
        this.ticket = ticket;
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
        if (references.decrementAndGet() == 0)
        {
            reclaimer.exit(ticket);
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
