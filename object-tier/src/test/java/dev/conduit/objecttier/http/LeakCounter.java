package dev.conduit.objecttier.http;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Turns Netty's leak reports into test failures: Netty logs through java.util.logging here (the
 * SDK's SLF4J would swallow them), leak detection is paranoid, and {@link #assertNoLeaks()} forces
 * a collection, lets the detector look, and fails if it reported any LEAK.
 */
final class LeakCounter extends Handler
{
    private final AtomicInteger leaks = new AtomicInteger();
    private final StringBuilder first = new StringBuilder();

    static LeakCounter install()
    {
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        final LeakCounter counter = new LeakCounter();
        Logger.getLogger(ResourceLeakDetector.class.getName()).addHandler(counter);
        return counter;
    }

    @Override
    public void publish(final LogRecord record)
    {
        if (record.getMessage() != null && record.getMessage().contains("LEAK"))
        {
            synchronized (first)
            {
                if (first.isEmpty())
                {
                    first.append(record.getMessage());
                }
            }
            leaks.incrementAndGet();
        }
    }

    @Override
    public void flush()
    {
    }

    @Override
    public void close()
    {
    }

    void assertNoLeaks()
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            // The detector reports collected leaks when it tracks a new buffer.
            final ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(16);
            probe.release();
        }
        assertEquals(0, leaks.get(), () -> "Netty reported leaks; first: " + first);
    }
}
