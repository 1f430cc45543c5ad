package dev.conduit.nvmeof.pdu;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The read-ahead channel over a real TCP connection on 127.0.0.1. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadAheadChannelTest
{
    private static final int CAPACITY = 4096;

    private final Arena arena = Arena.ofShared();
    private ServerSocketChannel server;
    private SocketChannel writer;
    private SocketChannel reader;
    private final AtomicInteger socketReads = new AtomicInteger();
    private final AtomicInteger waits = new AtomicInteger();

    @BeforeEach
    void connect() throws IOException
    {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        writer = SocketChannel.open(server.getLocalAddress());
        reader = server.accept();
    }

    @AfterEach
    void close() throws IOException
    {
        writer.close();
        reader.close();
        server.close();
        arena.close();
    }

    /** The reading socket, counting its reads. */
    private ReadableByteChannel counted()
    {
        return new ReadableByteChannel()
        {
            @Override
            public int read(final ByteBuffer destination) throws IOException
            {
                socketReads.incrementAndGet();
                return reader.read(destination);
            }

            @Override
            public boolean isOpen()
            {
                return reader.isOpen();
            }

            @Override
            public void close() throws IOException
            {
                reader.close();
            }
        };
    }

    private ReadAheadChannel channel(final long spinNs)
    {
        return new ReadAheadChannel(arena, counted(), CAPACITY, waits::incrementAndGet,
            () -> reader.socket().getInputStream().available(), spinNs);
    }

    private static ByteBuffer bytes(final int count, final int seed)
    {
        final ByteBuffer b = ByteBuffer.allocate(count);
        for (int i = 0; i < count; i++)
        {
            b.put((byte)(seed + i));
        }
        return b.flip();
    }

    private void send(final ByteBuffer data) throws IOException
    {
        while (data.hasRemaining())
        {
            writer.write(data);
        }
    }

    /** Reads until {@code destination} is full, as the PDU reader does. */
    private static void fill(final ReadAheadChannel channel, final ByteBuffer destination) throws IOException
    {
        while (destination.hasRemaining())
        {
            channel.read(destination);
        }
    }

    @Test
    void shouldHandOutSmallPiecesOfOneSocketReadAndRunTheHookOnlyBeforeItWaits() throws IOException
    {
        final ReadAheadChannel channel = channel(0);
        send(bytes(24 * 8, 1));
        final ByteBuffer all = ByteBuffer.allocate(24 * 8);
        // One byte first: the socket read then takes what arrived, up to the buffer.
        fill(channel, all.limit(1));
        while (all.position() + channel.buffered() < all.capacity())
        {
            fill(channel, all.limit(all.position() + 1));
        }
        final int readsSoFar = socketReads.get();
        while (all.position() < all.capacity())
        {
            fill(channel, all.limit(Math.min(all.capacity(), all.position() + 8)));
        }
        assertEquals(readsSoFar, socketReads.get(), "pieces of what was buffered cost no socket read");
        assertEquals(socketReads.get(), waits.get(), "the hook ran before every socket read, and only then");
        assertEquals(0, channel.buffered());
        assertEquals(bytes(24 * 8, 1), all.flip());
    }

    @Test
    void shouldReadALargeDestinationStraightFromTheSocketOnceTheBufferIsEmpty() throws IOException
    {
        final ReadAheadChannel channel = channel(0);
        send(bytes(10, 7));
        final ByteBuffer head = ByteBuffer.allocate(10);
        fill(channel, head);
        final ByteBuffer payload = bytes(3 * CAPACITY, 3);
        send(payload.duplicate());
        final ByteBuffer large = ByteBuffer.allocateDirect(3 * CAPACITY);
        final int readsBefore = socketReads.get();
        final int waitsBefore = waits.get();
        fill(channel, large);
        assertEquals(payload, large.flip());
        assertEquals(0, channel.buffered(), "nothing went through the buffer");
        assertEquals(socketReads.get() - readsBefore, waits.get() - waitsBefore);
    }

    @Test
    void shouldStopSpinningAsSoonAsTheSocketHoldsData() throws Exception
    {
        // A spin of a minute would time the test out: only data arriving ends it early.
        final ReadAheadChannel channel = channel(TimeUnit.MINUTES.toNanos(1));
        final Thread late = Thread.ofPlatform().start(() ->
        {
            try
            {
                Thread.sleep(50);
                send(bytes(16, 9));
            }
            catch (final IOException | InterruptedException e)
            {
                throw new IllegalStateException(e);
            }
        });
        final ByteBuffer got = ByteBuffer.allocate(16);
        fill(channel, got);
        late.join();
        assertEquals(bytes(16, 9), got.flip());
    }

    @Test
    void shouldReportTheEndOfTheStream() throws IOException
    {
        final ReadAheadChannel channel = channel(TimeUnit.MILLISECONDS.toNanos(1));
        send(bytes(4, 0));
        writer.shutdownOutput();
        final ByteBuffer got = ByteBuffer.allocate(8);
        assertEquals(4, channel.read(got));
        assertEquals(-1, channel.read(got));
    }
}
