package dev.conduit.nvmeof.pdu;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * A readable channel over a blocking socket that takes whatever the socket holds in one system call
 * (up to its buffer) and hands it out in the small pieces a {@link PduReader} asks for: a burst of
 * 32 command capsules costs one {@code read(2)} instead of two per capsule. Before every read that
 * may block, it runs the {@link BeforeWait} hook, which is where a connection sends the responses it
 * batched while commands were still buffered (nothing waits for a response the connection holds).
 * A large read whose destination is bigger than what is buffered goes straight into the destination
 * once the buffer is empty (H2CData payloads are not copied twice).
 *
 * <p>Before it blocks, it polls the socket ({@link Available}, FIONREAD) for up to {@code spinNs}:
 * a host that answers a batch of responses with its next commands within that time finds this
 * thread awake, which saves the sleep and wake-up (on a VM, a quarter of the reading thread's time
 * at 100k IOPS), where the thread has a core of its own. An idle connection costs one spin per
 * wait, then blocks.
 *
 * <p>Threading: one reading thread.
 */
public final class ReadAheadChannel implements ReadableByteChannel
{
    /** What runs before a read of the socket that may block. */
    @FunctionalInterface
    public interface BeforeWait
    {
        /** @throws IOException when it fails; the read then fails with it. */
        void run() throws IOException;
    }

    /** How many bytes the socket holds now, without blocking. */
    @FunctionalInterface
    public interface Available
    {
        /** @return bytes readable without blocking. */
        int bytes() throws IOException;
    }

    private final ReadableByteChannel source;
    private final ByteBuffer buffer;
    private final BeforeWait beforeWait;
    private final Available available;
    private final long spinNs;

    /**
     * @param arena         owns the buffer.
     * @param source        a blocking channel.
     * @param capacityBytes the most read from the socket at once.
     * @param beforeWait    runs before every read of {@code source}.
     * @param available     what {@code source} holds now.
     * @param spinNs        how long to poll {@code available} before a read that would block; 0: never.
     */
    public ReadAheadChannel(
        final Arena arena,
        final ReadableByteChannel source,
        final int capacityBytes,
        final BeforeWait beforeWait,
        final Available available,
        final long spinNs)
    {
        this.source = source;
        this.buffer = arena.allocate(capacityBytes, 64).asByteBuffer();
        this.buffer.limit(0);
        this.beforeWait = beforeWait;
        this.available = available;
        this.spinNs = spinNs;
    }

    /** @return bytes read from the socket and not yet handed out. */
    public int buffered()
    {
        return buffer.remaining();
    }

    @Override
    public int read(final ByteBuffer destination) throws IOException
    {
        final int wanted = destination.remaining();
        if (wanted == 0)
        {
            return 0;
        }
        if (!buffer.hasRemaining())
        {
            beforeWait.run();
            spin();
            if (wanted >= buffer.capacity())
            {
                return source.read(destination);
            }
            buffer.clear();
            final int n = source.read(buffer);
            buffer.flip();
            if (n < 0)
            {
                return n;
            }
        }
        final int count = Math.min(wanted, buffer.remaining());
        final int limit = buffer.limit();
        buffer.limit(buffer.position() + count);
        destination.put(buffer);
        buffer.limit(limit);
        return count;
    }

    private void spin() throws IOException
    {
        if (spinNs <= 0)
        {
            return;
        }
        final long deadlineNs = System.nanoTime() + spinNs;
        while (available.bytes() == 0 && System.nanoTime() - deadlineNs < 0)
        {
            Thread.onSpinWait();
        }
    }

    @Override
    public boolean isOpen()
    {
        return source.isOpen();
    }

    @Override
    public void close() throws IOException
    {
        source.close();
    }
}
