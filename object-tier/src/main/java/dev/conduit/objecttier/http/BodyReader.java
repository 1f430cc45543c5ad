package dev.conduit.objecttier.http;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Consumer;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.auth.AuthResult;
import dev.conduit.objecttier.bucket.ObjectUpload;
import dev.conduit.objecttier.payload.AwsChunkedDecoder;
import dev.conduit.objecttier.payload.PayloadChecks;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Reads one request body on the request's thread: buffers from the {@link BodyQueue}, through the
 * aws-chunked decoder when the body is framed that way, each payload byte into the
 * {@link PayloadChecks} and then into the upload (or a byte array for XML bodies). Every buffer
 * taken from the queue is released here, whatever fails.
 *
 * <pre>{@code
 * final BodyReader body = new BodyReader(exchange, auth);
 * final Map<String, String> checksums = body.readInto(upload, checks);   // verified, e.g. {CRC32=...}
 * upload.commit(body.declaredLength(), checks.contentMd5(), checksums);   // stored in the same commit
 * }</pre>
 */
final class BodyReader implements Consumer<ByteBuf>
{
    private static final String DECODED_LENGTH = "x-amz-decoded-content-length";

    private final Exchange exchange;
    private final AuthResult auth;
    private final boolean chunked;
    private final long declaredLength;
    private PayloadChecks checks;
    private ObjectUpload upload;
    private ByteArrayOutputStream bytes;
    private int maxBytes;

    /**
     * @param exchange the request.
     * @param auth     what its signature said about the body.
     */
    BodyReader(final Exchange exchange, final AuthResult auth)
    {
        this.exchange = exchange;
        this.auth = auth;
        final HttpHeaders headers = exchange.head().headers();
        this.chunked = auth.payloadMode().chunked() || ObjectHeaders.awsChunkedEncoding(headers);
        this.declaredLength = declaredLength(headers, chunked);
    }

    /** @return the decoded body length the client declared, or -1 when it did not. */
    long declaredLength()
    {
        return declaredLength;
    }

    private static long declaredLength(final HttpHeaders headers, final boolean chunked)
    {
        final String value = chunked ? headers.get(DECODED_LENGTH) : headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (value == null)
        {
            return -1;
        }
        try
        {
            final long length = Long.parseLong(value.trim());
            if (length < 0)
            {
                throw new NumberFormatException(value);
            }
            return length;
        }
        catch (final NumberFormatException e)
        {
            throw new S3Exception(S3Error.InvalidArgument, "Invalid " + (chunked ? DECODED_LENGTH : "Content-Length"),
                value);
        }
    }

    /**
     * Streams the body into an upload.
     *
     * @param target     the upload.
     * @param bodyChecks the checks the body must pass.
     * @return the verified checksums.
     */
    Map<String, String> readInto(final ObjectUpload target, final PayloadChecks bodyChecks)
    {
        this.upload = target;
        this.checks = bodyChecks;
        return pump();
    }

    /**
     * Reads a whole (small, XML) body.
     *
     * @param bodyChecks the checks the body must pass.
     * @param limit      the most bytes accepted.
     * @return the body.
     */
    byte[] readAll(final PayloadChecks bodyChecks, final int limit)
    {
        this.checks = bodyChecks;
        this.bytes = new ByteArrayOutputStream();
        this.maxBytes = limit;
        pump();
        return bytes.toByteArray();
    }

    private Map<String, String> pump()
    {
        exchange.sendContinueIfExpected();
        final AwsChunkedDecoder decoder = chunked ? new AwsChunkedDecoder(auth, declaredLength) : null;
        ByteBuf buf;
        while ((buf = exchange.body().take()) != null)
        {
            try
            {
                if (decoder != null)
                {
                    decoder.decode(buf, this);
                }
                else
                {
                    accept(buf);
                }
            }
            finally
            {
                buf.release();
            }
        }
        if (decoder != null)
        {
            decoder.finish();
            return checks.finish(decoder.trailers());
        }
        return checks.finish(Map.of());
    }

    /** One slice of payload (valid only during the call). */
    @Override
    public void accept(final ByteBuf payload)
    {
        if (payload.nioBufferCount() == 1)
        {
            consume(payload.nioBuffer());
        }
        else
        {
            for (final ByteBuffer part : payload.nioBuffers())
            {
                consume(part);
            }
        }
    }

    private void consume(final ByteBuffer part)
    {
        checks.update(part.duplicate());
        if (upload != null)
        {
            upload.append(MemorySegment.ofBuffer(part));
        }
        else
        {
            if (bytes.size() + part.remaining() > maxBytes)
            {
                throw new S3Exception(S3Error.MalformedXML, "The request body is larger than " + maxBytes + " bytes",
                    "");
            }
            final byte[] copy = new byte[part.remaining()];
            part.get(copy);
            bytes.write(copy, 0, copy.length);
        }
    }
}
