package dev.conduit.blocklayout;

import java.lang.foreign.MemorySegment;
import java.util.List;

import dev.conduit.blocklayout.namespace.Namespace;

/**
 * Writes one staging buffer of a put to the object's extents, either on the caller's thread
 * ({@link #run()}) or on a virtual thread ({@link #start}) while the caller fills the next buffer
 * and hashes it, so hashing overlaps the writes instead of running between them.
 *
 * <p>Threading: one write at a time; {@link #await()} must return before the buffer is reused or
 * the write is started again.
 */
final class StagedWrite implements Runnable, ObjectLayout.PieceConsumer
{
    private final List<Namespace> namespaces;
    private ObjectLayout layout;
    private MemorySegment buffer;
    private long baseBytes;
    private long lengthBytes;
    private boolean background;
    private Thread thread;
    private RuntimeException failure;

    /**
     * @param namespaces the store's namespaces, by index.
     */
    StagedWrite(final List<Namespace> namespaces)
    {
        this.namespaces = namespaces;
    }

    /**
     * Describes the write.
     *
     * @param layout      where the object's bytes go.
     * @param buffer      staging buffer, zero-padded to a whole block after {@code lengthBytes}.
     * @param baseBytes   logical offset of {@code buffer[0]} in the object.
     * @param lengthBytes bytes of object data in the buffer.
     * @return this.
     */
    StagedWrite set(final ObjectLayout layout, final MemorySegment buffer, final long baseBytes, final long lengthBytes)
    {
        this.layout = layout;
        this.buffer = buffer;
        this.baseBytes = baseBytes;
        this.lengthBytes = lengthBytes;
        return this;
    }

    /** Runs the described write on the caller's thread. */
    void runHere()
    {
        background = false;
        run();
    }

    /** Starts the described write on a virtual thread. */
    void start()
    {
        failure = null;
        background = true;
        thread = Thread.ofVirtual().name("conduit-put-write").start(this);
    }

    /**
     * Waits for a write started with {@link #start()} (uninterruptibly: the buffer stays in use
     * until the write returns), then rethrows its failure.
     */
    void await()
    {
        final Thread t = thread;
        if (t == null)
        {
            return;
        }
        boolean interrupted = false;
        while (true)
        {
            try
            {
                t.join();
                break;
            }
            catch (final InterruptedException e)
            {
                interrupted = true;
            }
        }
        thread = null;
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        final RuntimeException f = failure;
        failure = null;
        if (f != null)
        {
            throw f;
        }
    }

    @Override
    public void run()
    {
        try
        {
            layout.forEachPiece(baseBytes, lengthBytes, this);
        }
        catch (final RuntimeException e)
        {
            if (!background)
            {
                throw e;
            }
            failure = e;
        }
    }

    @Override
    public void accept(final int namespaceIndex, final long physicalOffset, final long logicalOffset, final long pieceBytes)
    {
        namespaces.get(namespaceIndex).write(buffer.asSlice(logicalOffset - baseBytes, Bytes.roundUp(pieceBytes, Bytes.BLOCK)), physicalOffset);
    }
}
