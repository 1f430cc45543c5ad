package dev.conduit.nvmeof.initiator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP forwarder on 127.0.0.1 that can go silent: after {@link #stall()} it keeps every
 * connection (and accepts new ones) open but forwards nothing, like a hung target. A test tool.
 */
final class StallingProxy implements AutoCloseable
{
    private final ServerSocketChannel server;
    private final InetSocketAddress upstream;
    private final List<SocketChannel> sockets = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean stalled;

    StallingProxy(final InetSocketAddress upstream) throws IOException
    {
        this.upstream = upstream;
        this.server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofVirtual().name("proxy-accept").start(this::acceptLoop);
    }

    InetSocketAddress address() throws IOException
    {
        return (InetSocketAddress)server.getLocalAddress();
    }

    void stall()
    {
        stalled = true;
    }

    private void acceptLoop()
    {
        try
        {
            while (true)
            {
                final SocketChannel client = server.accept();
                sockets.add(client);
                if (stalled)
                {
                    continue;   // held open, never answered
                }
                final SocketChannel target = SocketChannel.open(upstream);
                sockets.add(target);
                Thread.ofVirtual().start(() -> pump(client, target));
                Thread.ofVirtual().start(() -> pump(target, client));
            }
        }
        catch (final IOException e)
        {
            // the listener closed: the proxy is shutting down
        }
    }

    private void pump(final SocketChannel from, final SocketChannel to)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try
        {
            while (from.read(buffer) >= 0)
            {
                if (stalled)
                {
                    released.await();
                    return;
                }
                buffer.flip();
                while (buffer.hasRemaining())
                {
                    to.write(buffer);
                }
                buffer.clear();
            }
        }
        catch (final IOException | InterruptedException e)
        {
            // a side closed: the pair ends
        }
    }

    @Override
    public void close() throws IOException
    {
        released.countDown();
        server.close();
        for (final SocketChannel socket : sockets)
        {
            socket.close();
        }
    }
}
