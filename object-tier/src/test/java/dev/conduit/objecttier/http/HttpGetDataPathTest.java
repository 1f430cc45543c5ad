package dev.conduit.objecttier.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.conduit.objecttier.bucket.ObjectUpload;
import dev.conduit.objecttier.bucket.OpenObject;
import dev.conduit.objecttier.bucket.S3Metadata;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GET data path ({@link GetDataPath} over the server's streamer) into a channel that records
 * and releases what it is written: the body pieces are the pool's own recycled ByteBufs, written
 * bare, every byte of the range arrives in order, the body ends with the shared last content, and
 * every buffer is back in the pool afterwards.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpGetDataPathTest
{
    private static final int BUFFER_BYTES = 8192;
    private static final int BUFFERS = 2;

    @Test
    void shouldSendARangeThroughRecycledPoolBuffers() throws IOException, InterruptedException
    {
        final byte[] content = GeneratedBytes.bytes(3, 0, 100_000);
        try (HttpTestServer fixture = HttpTestServer.start(); ReadBufferPool pool = new ReadBufferPool(BUFFER_BYTES, BUFFERS))
        {
            fixture.buckets.createBucket("path");
            try (ObjectUpload upload = fixture.buckets.beginPut("path", "k", S3Metadata.EMPTY, content.length, false))
            {
                upload.append(MemorySegment.ofArray(content));
                upload.commit(content.length, null);
            }
            final RecordingSink sink = new RecordingSink();
            final EmbeddedChannel channel = new EmbeddedChannel(sink);
            final GetDataPath path = new GetDataPath(new ServerContext(fixture.buckets, pool, new AccessLog(line -> { }), 1 << 20),
                channel);
            final int offset = 1234;
            final int length = 70_001;
            for (int get = 0; get < 2; get++)
            {
                sink.body.reset();
                try (OpenObject open = fixture.buckets.open("path", "k"))
                {
                    assertTrue(path.stream(open.handle(), offset, length));
                }
                final byte[] expected = new byte[length];
                System.arraycopy(content, offset, expected, 0, length);
                assertArrayEquals(expected, sink.body.toByteArray(), "GET " + get);
                assertSame(LastHttpContent.EMPTY_LAST_CONTENT, sink.messages.getLast(), "the body ends with the shared last content");
            }
            assertTrue(sink.pieces > 2 * BUFFERS, "pieces: " + sink.pieces);
            // The sink releases each piece before the next is read, and the pool hands out the buffer
            // released last: one pool buffer, one ByteBuf, carries every piece.
            assertEquals(1, sink.distinctBufs.size(), "the buffer released last is reused for the next piece");
            assertEquals(BUFFERS, pool.freeCount());
            channel.finishAndReleaseAll();
        }
    }

    /** The socket stand-in: copies each piece's bytes out, remembers which ByteBuf carried it, releases it. */
    private static final class RecordingSink extends ChannelOutboundHandlerAdapter
    {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final Set<ByteBuf> distinctBufs = Collections.newSetFromMap(new IdentityHashMap<>());
        private final List<Object> messages = new ArrayList<>();
        private int pieces;

        @Override
        public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
        {
            messages.add(msg);
            if (msg instanceof ByteBuf buf)
            {
                final byte[] bytes = new byte[buf.readableBytes()];
                buf.getBytes(buf.readerIndex(), bytes);
                body.writeBytes(bytes);
                distinctBufs.add(buf);
                pieces++;
            }
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        }
    }
}
