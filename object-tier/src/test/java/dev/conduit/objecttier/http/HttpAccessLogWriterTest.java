package dev.conduit.objecttier.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class HttpAccessLogWriterTest
{
    @Test
    void shouldWriteEveryLineInOrderAndFlushOnClose()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final AccessLogWriter writer = new AccessLogWriter(out, 1024);
        final StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 5000; i++)
        {
            // Offered faster than the queue holds at times: retry until accepted, so nothing is lost.
            final long droppedBefore = writer.droppedLines();
            writer.accept("{\"n\":" + i + "}");
            if (writer.droppedLines() != droppedBefore)
            {
                i--;
                Thread.onSpinWait();
                continue;
            }
            expected.append("{\"n\":").append(i).append("}\n");
        }
        writer.close();
        assertEquals(expected.toString(), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldWriteTextAsUtf8AcrossTheRingsWrapAndReuseOfTheCallersBuilder()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        // 4 lines of capacity: a ring of 1 KiB, so the 2,000 lines below wrap it many times.
        final AccessLogWriter writer = new AccessLogWriter(out, 4);
        final StringBuilder line = new StringBuilder();
        final StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 2_000; i++)
        {
            line.setLength(0);
            line.append("{\"key\":\"caf\u00e9/\u20ac/\ud83d\ude00/").append(i).append("\",\"lone\":\"\ud800\"}");
            final long droppedBefore = writer.droppedLines();
            writer.line(line);
            if (writer.droppedLines() != droppedBefore)
            {
                i--;
                Thread.onSpinWait();
                continue;
            }
            expected.append(line.toString().replace('\ud800', '?')).append('\n');
        }
        writer.close();
        assertEquals(expected.toString(), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldDropAndCountLinesInsteadOfBlockingWhenTheReaderStalls() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch writing = new CountDownLatch(1);
        final OutputStream stalled = new OutputStream()
        {
            @Override
            public void write(final int b) throws IOException
            {
                writing.countDown();
                try
                {
                    release.await();
                }
                catch (final InterruptedException e)
                {
                    throw new IOException(e);
                }
            }
        };
        final AccessLogWriter writer = new AccessLogWriter(stalled, 8);
        writer.accept("first");
        assertTrue(writing.await(10, TimeUnit.SECONDS));
        final long startNs = System.nanoTime();
        for (int i = 0; i < 100; i++)
        {
            writer.accept("line " + i);
        }
        assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(5), "accept must not wait for the stalled reader");
        assertEquals(100 - 8, writer.droppedLines());
        release.countDown();
        writer.close();
    }
}
