package dev.conduit.objecttier.http;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flat headers: lookups, order, validation, the encoder's cursor, the encoded head, decoded requests. */
class HttpFlatHeadersTest
{
    @Test
    void shouldLookUpIgnoringCaseAndMoveASetNameToTheEnd()
    {
        final FlatHttpHeaders headers = new FlatHttpHeaders();
        headers.set("ETag", "\"a\"").set(HttpHeaderNames.CONTENT_LENGTH, 12).add("x-amz-meta-k", "1")
            .add("X-Amz-Meta-K", "2");
        assertEquals("\"a\"", headers.get("etag"));
        assertEquals(12, headers.getInt(AsciiString.of("content-LENGTH")));
        assertEquals(List.of("1", "2"), headers.getAll("x-amz-meta-k"));
        headers.set("etag", "\"b\"");
        assertEquals(List.of("content-length", "x-amz-meta-k", "X-Amz-Meta-K", "etag"),
            headers.entries().stream().map(Map.Entry::getKey).toList());
        headers.remove("X-AMZ-META-K");
        assertEquals(2, headers.size());
        assertFalse(headers.contains("x-amz-meta-k"));
        assertNull(headers.get("x-amz-meta-k"));
        assertSame(headers, headers.clear());
        assertTrue(headers.isEmpty());
    }

    @Test
    void shouldFindCommaSeparatedValuesAsNettyDoes()
    {
        final FlatHttpHeaders headers = new FlatHttpHeaders();
        headers.set(HttpHeaderNames.CONNECTION, "Upgrade , Close");
        assertTrue(headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true));
        assertFalse(headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, false));
        assertFalse(headers.contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true));
        assertTrue(headers.contains(HttpHeaderNames.CONNECTION, "upgrade , close", true));
        assertFalse(headers.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true));
    }

    @Test
    void shouldRefuseWhatCouldSplitTheHead()
    {
        final FlatHttpHeaders headers = new FlatHttpHeaders();
        assertThrows(IllegalArgumentException.class, () -> headers.set("Location", "/a\r\nSet-Cookie: x"));
        assertThrows(IllegalArgumentException.class, () -> headers.set("bad name", "v"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("", "v"));
        assertThrows(NullPointerException.class, () -> headers.set("x", null));
        assertTrue(headers.isEmpty());
    }

    @Test
    void shouldReuseOneCursorForTheEncoderButNotForANestedWalk()
    {
        final FlatHttpHeaders headers = new FlatHttpHeaders();
        headers.set("a", "1").set("b", "2");
        final Iterator<Map.Entry<CharSequence, CharSequence>> first = headers.iteratorCharSequence();
        first.next();
        final Iterator<Map.Entry<CharSequence, CharSequence>> nested = headers.iteratorCharSequence();
        assertNotSame(first, nested);
        assertEquals("a", nested.next().getKey().toString());
        assertEquals("b", first.next().getKey().toString());
        assertFalse(first.hasNext());
        assertSame(first, headers.iteratorCharSequence());
    }

    @Test
    void shouldEncodeTheSameHeadAsDefaultHeadersAndAgainAfterClearing()
    {
        final FlatHttpHeaders headers = new FlatHttpHeaders();
        final EmbeddedChannel channel = new EmbeddedChannel(new HttpResponseEncoder());
        for (final String etag : new String[] {"\"one\"", "\"two\""})
        {
            headers.clear().set(HttpHeaderNames.ETAG, etag).set(HttpHeaderNames.CONTENT_LENGTH, "5")
                .set(HttpHeaderNames.ETAG, etag);
            final HttpHeaders reference = new DefaultHttpHeaders().set(HttpHeaderNames.ETAG, etag)
                .set(HttpHeaderNames.CONTENT_LENGTH, "5").set(HttpHeaderNames.ETAG, etag);
            assertFalse(HttpUtil.isTransferEncodingChunked(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE)));
            channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("hello", US_ASCII), reference, EmptyHttpHeaders.INSTANCE));
            final String expected = drain(channel);
            channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("hello", US_ASCII), headers, EmptyHttpHeaders.INSTANCE));
            assertEquals(expected, drain(channel));
            assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 5\r\netag: " + etag + "\r\n\r\nhello", expected);
        }
        assertFalse(channel.finish());
    }

    @Test
    void shouldGiveAnExchangeTheConnectionsHeadersOnceAndEmptied()
    {
        final S3Connection connection = new S3Connection(null, Thread.ofVirtual().factory());
        final EmbeddedChannel channel = new EmbeddedChannel();
        final Exchange first = exchange(connection, channel, 1);
        final HttpHeaders reused = first.newHeaders().set("x-amz-meta-a", "1");
        // A second set in one exchange (an error after the first was filled) leaves the first intact.
        final HttpHeaders second = first.newHeaders();
        assertNotSame(reused, second);
        assertEquals("1", reused.get("x-amz-meta-a"));
        assertEquals("Conduit", second.get(HttpHeaderNames.SERVER));
        // The connection's next exchange fills the same object again, emptied.
        final HttpHeaders next = exchange(connection, channel, 2).newHeaders();
        assertSame(reused, next);
        assertNull(next.get("x-amz-meta-a"));
        assertEquals(List.of("x-amz-request-id", "x-amz-id-2", "server", "date"),
            next.entries().stream().map(Map.Entry::getKey).toList());
        assertFalse(channel.finish());
    }

    private static Exchange exchange(final S3Connection connection, final EmbeddedChannel channel, final long id)
    {
        return new Exchange(connection, channel, new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/b/k"), id,
            new BodyQueue(1, 1, () -> { }), null);
    }

    @Test
    void shouldLetA304LoseItsBodyHeadersAsNettyDoes()
    {
        final HttpHeaders headers = new FlatHttpHeaders().set(HttpHeaderNames.CONTENT_LENGTH, "5")
            .set(HttpHeaderNames.ETAG, "\"e\"");
        final EmbeddedChannel channel = new EmbeddedChannel(new HttpResponseEncoder());
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED,
            Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE));
        assertEquals("HTTP/1.1 304 Not Modified\r\ncontent-length: 5\r\netag: \"e\"\r\n\r\n", drain(channel));
        assertFalse(channel.finish());
    }

    @Test
    void shouldDecodeRequestsAsWithNettysOwnHeaders()
    {
        final String[] requests = {
            "PUT /b/k HTTP/1.1\r\nHost: h\r\nX-Amz-Meta-A: 1\r\nx-amz-meta-a: 2\r\nContent-Length: 3\r\n"
                + "Connection: keep-alive, Upgrade\r\nX-Folded: one\r\n two\r\n\r\nabc",
            "GET /b/k HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
            "GET /b/k HTTP/1.1\r\nHost: h\r\nBad: a\u0001b\r\n\r\n",
            "GET /b/k HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n",
        };
        for (final String request : requests)
        {
            final HttpRequest flat = decode(new HttpDecoderConfig().setHeadersFactory(FlatHttpHeaders.FACTORY), request);
            final HttpRequest netty = decode(new HttpDecoderConfig(), request);
            assertTrue(flat.headers() instanceof FlatHttpHeaders || flat.decoderResult().isFailure(), request);
            assertEquals(netty.decoderResult().isSuccess(), flat.decoderResult().isSuccess(), request);
            assertEquals(netty.headers().entries().toString(), flat.headers().entries().toString(), request);
            assertEquals(HttpUtil.isKeepAlive(netty), HttpUtil.isKeepAlive(flat), request);
            assertEquals(HttpUtil.getContentLength(netty, -1L), HttpUtil.getContentLength(flat, -1L), request);
            assertEquals(netty.headers().getAll("X-AMZ-META-A"), flat.headers().getAll("X-AMZ-META-A"), request);
        }
    }

    private static HttpRequest decode(final HttpDecoderConfig config, final String request)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(config));
        channel.writeInbound(Unpooled.copiedBuffer(request, US_ASCII));
        final HttpRequest head = channel.readInbound();
        Object more;
        while ((more = channel.readInbound()) != null)
        {
            ReferenceCountUtil.release(more);
        }
        channel.finishAndReleaseAll();
        return head;
    }

    private static String drain(final EmbeddedChannel channel)
    {
        final StringBuilder text = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null)
        {
            text.append(buf.toString(US_ASCII));
            buf.release();
        }
        return text.toString();
    }
}
