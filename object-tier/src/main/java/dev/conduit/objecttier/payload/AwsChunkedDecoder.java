package dev.conduit.objecttier.payload;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.auth.AuthResult;
import dev.conduit.objecttier.auth.ChunkSignatureChain;
import dev.conduit.objecttier.auth.PayloadMode;
import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Decodes an aws-chunked body as it arrives, split at any byte:
 * <pre>
 * hex-size[;chunk-signature=64hex]\r\n data \r\n   ... repeated ...
 * 0[;chunk-signature=64hex]\r\n
 * name:value\r\n ...                                trailer modes only
 * x-amz-trailer-signature:64hex\r\n                 signed trailer mode only
 * \r\n
 * </pre>
 * Payload bytes go straight to the consumer as slices of the input; only a header or trailer line
 * that is cut across two inputs is copied, into a buffer of {@link #MAX_LINE_BYTES}. The trailer
 * section may hold at most {@link #MAX_TRAILER_BYTES}.
 *
 * <p>In the signed modes every chunk's signature is checked once its data is in, and the trailer's
 * at the end. The consumer has by then seen the chunk's bytes: it must treat nothing as committed
 * until {@link #finish()} returns, and drop what it got when any call throws.
 *
 * <pre>{@code
 * final AwsChunkedDecoder decoder = new AwsChunkedDecoder(auth, decodedLength);
 * decoder.decode(content, slice -> upload.write(slice));   // per HttpContent; the caller releases content
 * ...
 * decoder.finish();                                         // on LastHttpContent
 * checks.finish(decoder.trailers());
 * }</pre>
 *
 * <p>Threading: one request's state; use it from one thread at a time.
 */
public final class AwsChunkedDecoder
{
    /** The longest chunk header line or trailer line, CRLF included. */
    public static final int MAX_LINE_BYTES = 4096;
    /** The most bytes the trailer section may hold, its final empty line included. */
    public static final int MAX_TRAILER_BYTES = 16 * 1024;

    private static final String CHUNK_SIGNATURE = "chunk-signature";
    private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";
    private static final int MAX_HEX_DIGITS = 15;

    private enum State
    {
        CHUNK_HEADER, CHUNK_DATA, DATA_CR, DATA_LF, TRAILER, COMPLETE, FAILED
    }

    private final PayloadMode mode;
    private final ChunkSignatureChain chain;
    private final long decodedContentLength;
    private final byte[] line = new byte[MAX_LINE_BYTES];
    private final Map<String, String> trailers = new LinkedHashMap<>();
    private final StringBuilder signedTrailerLines = new StringBuilder();
    private State state = State.CHUNK_HEADER;
    private int lineLength;
    private long chunkRemaining;
    private String chunkSignature;
    private String trailerSignature;
    private long decodedBytes;
    private int trailerBytes;

    /**
     * @param auth                 the request's authentication: its payload mode and, for the signed
     *                             streaming modes, the chunk signature chain.
     * @param decodedContentLength x-amz-decoded-content-length, or -1 when absent.
     */
    public AwsChunkedDecoder(final AuthResult auth, final long decodedContentLength)
    {
        if (decodedContentLength < -1)
        {
            throw new IllegalArgumentException("decodedContentLength must be -1 or more: " + decodedContentLength);
        }
        this.mode = auth.payloadMode();
        this.chain = auth.chunkChain();
        this.decodedContentLength = decodedContentLength;
    }

    /**
     * Consumes all readable bytes of {@code in} (the caller still owns and releases it), handing each
     * run of payload bytes to {@code payload} as a slice of {@code in}: no copy, valid only during the call.
     *
     * @param in      the next body bytes, split anywhere.
     * @param payload receives the decoded payload bytes, in order.
     * @throws S3Exception InvalidRequest for bad framing, a line or trailer section over its bound, or
     *                     bytes after the end; SignatureDoesNotMatch for a bad chunk or trailer signature.
     *                     Once it has thrown, every later call throws too.
     */
    public void decode(final ByteBuf in, final Consumer<ByteBuf> payload)
    {
        if (state == State.FAILED)
        {
            throw invalid("The aws-chunked body was already rejected.");
        }
        try
        {
            while (in.isReadable())
            {
                switch (state)
                {
                    case CHUNK_HEADER ->
                    {
                        if (readLine(in))
                        {
                            onChunkHeader();
                            lineLength = 0;
                        }
                    }
                    case CHUNK_DATA -> onChunkData(in, payload);
                    case DATA_CR -> expect(in, '\r', State.DATA_LF);
                    case DATA_LF -> expect(in, '\n', State.CHUNK_HEADER);
                    case TRAILER ->
                    {
                        if (readLine(in))
                        {
                            onTrailerLine();
                            lineLength = 0;
                        }
                    }
                    default -> throw invalid("Unexpected data after the end of the aws-chunked body.");
                }
            }
        }
        catch (final RuntimeException ex)
        {
            state = State.FAILED;
            throw ex;
        }
    }

    /** @return true once the final 0-size chunk and the trailers (if any) have been read. */
    public boolean isComplete()
    {
        return state == State.COMPLETE;
    }

    /** @return lower-case trailer names to values (e.g. {@code x-amz-checksum-crc32}), the signature left out. */
    public Map<String, String> trailers()
    {
        return Collections.unmodifiableMap(trailers);
    }

    /** @return the payload bytes decoded so far. */
    public long decodedBytes()
    {
        return decodedBytes;
    }

    /**
     * Checks that the body ended properly.
     *
     * @throws S3Exception IncompleteBody when the body is not complete or its decoded length is not
     *                     x-amz-decoded-content-length.
     */
    public void finish()
    {
        if (state != State.COMPLETE)
        {
            throw new S3Exception(S3Error.IncompleteBody, "The aws-chunked body ended before its final chunk.", "");
        }
        if (decodedContentLength >= 0 && decodedBytes != decodedContentLength)
        {
            throw new S3Exception(S3Error.IncompleteBody, "The aws-chunked body decoded to " + decodedBytes +
                " bytes, not the x-amz-decoded-content-length of " + decodedContentLength + ".", "");
        }
    }

    private void onChunkData(final ByteBuf in, final Consumer<ByteBuf> payload)
    {
        final int length = (int)Math.min(chunkRemaining, in.readableBytes());
        final int index = in.readerIndex();
        if (chain != null)
        {
            for (final ByteBuffer nio : in.nioBuffers(index, length))
            {
                chain.update(nio);
            }
        }
        in.skipBytes(length);
        chunkRemaining -= length;
        decodedBytes += length;
        payload.accept(in.slice(index, length));
        if (chunkRemaining == 0)
        {
            verifyChunk();
            state = State.DATA_CR;
        }
    }

    private void onChunkHeader()
    {
        final int end = lineLength - 2;
        int i = 0;
        long size = 0;
        while (i < end && line[i] != ';')
        {
            final int digit = hexDigit(line[i]);
            if (digit < 0 || i >= MAX_HEX_DIGITS)
            {
                throw invalid(digit < 0 ? "Invalid chunk size." : "Chunk size is too large.");
            }
            size = (size << 4) | digit;
            i++;
        }
        if (i == 0)
        {
            throw invalid("Missing chunk size.");
        }
        chunkSignature = null;
        if (i < end)
        {
            parseExtensions(i + 1, end);
        }
        if (mode.signedChunks() && chunkSignature == null)
        {
            throw new S3Exception(
                S3Error.SignatureDoesNotMatch, "A chunk of a signed payload has no chunk-signature.", "");
        }
        if (decodedContentLength >= 0 && size > decodedContentLength - decodedBytes)
        {
            throw invalid("A chunk runs past x-amz-decoded-content-length.");
        }
        if (size == 0)
        {
            verifyChunk();
            state = State.TRAILER;
        }
        else
        {
            chunkRemaining = size;
            state = State.CHUNK_DATA;
        }
    }

    private void parseExtensions(final int from, final int end)
    {
        int start = from;
        while (start <= end)
        {
            int stop = start;
            while (stop < end && line[stop] != ';')
            {
                stop++;
            }
            final String extension = new String(line, start, stop - start, StandardCharsets.ISO_8859_1);
            final int equals = extension.indexOf('=');
            if (equals > 0 && CHUNK_SIGNATURE.equals(extension.substring(0, equals)))
            {
                chunkSignature = extension.substring(equals + 1);
            }
            start = stop + 1;
        }
    }

    private void onTrailerLine()
    {
        trailerBytes += lineLength;
        if (trailerBytes > MAX_TRAILER_BYTES)
        {
            throw invalid("The trailer section is larger than " + MAX_TRAILER_BYTES + " bytes.");
        }
        if (lineLength == 2)
        {
            onTrailerEnd();
            return;
        }
        final String text = new String(line, 0, lineLength - 2, StandardCharsets.ISO_8859_1);
        final int colon = text.indexOf(':');
        if (colon <= 0)
        {
            throw invalid("Malformed trailer line.");
        }
        final String name = text.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        final String value = text.substring(colon + 1).strip();
        if (TRAILER_SIGNATURE.equals(name))
        {
            trailerSignature = value;
            return;
        }
        if (!mode.hasTrailer())
        {
            throw invalid("Trailers were sent, but x-amz-content-sha256 does not announce a trailer.");
        }
        if (trailers.put(name, value) != null)
        {
            throw invalid("The trailer " + name + " was sent twice.");
        }
        signedTrailerLines.append(name).append(':').append(value).append('\n');
    }

    private void onTrailerEnd()
    {
        if (chain != null && mode.hasTrailer())
        {
            if (trailerSignature == null)
            {
                throw new S3Exception(S3Error.SignatureDoesNotMatch, "The trailer has no x-amz-trailer-signature.", "");
            }
            chain.verifyTrailer(signedTrailerLines, trailerSignature);
        }
        state = State.COMPLETE;
    }

    private void verifyChunk()
    {
        if (chain != null)
        {
            chain.verifyChunk(chunkSignature);
        }
    }

    /**
     * Gathers one CRLF-terminated line into {@link #line}.
     *
     * @return true when the line is whole; false when {@code in} ran out first (all of it consumed).
     */
    private boolean readLine(final ByteBuf in)
    {
        final int start = in.readerIndex();
        final int searchEnd = Math.min(in.writerIndex(), start + MAX_LINE_BYTES - lineLength);
        final int lf = in.forEachByte(start, searchEnd - start, ByteProcessor.FIND_LF);
        final int stop = lf < 0 ? searchEnd : lf + 1;
        in.readBytes(line, lineLength, stop - start);
        lineLength += stop - start;
        if (lf < 0)
        {
            if (lineLength == MAX_LINE_BYTES)
            {
                throw invalid("A chunk header or trailer line is longer than " + MAX_LINE_BYTES + " bytes.");
            }
            return false;
        }
        if (lineLength < 2 || line[lineLength - 2] != '\r')
        {
            throw invalid("A chunk header or trailer line does not end in CRLF.");
        }
        return true;
    }

    private void expect(final ByteBuf in, final char expected, final State next)
    {
        if (in.readByte() != expected)
        {
            throw invalid("Chunk data is not followed by CRLF.");
        }
        state = next;
    }

    private static int hexDigit(final byte b)
    {
        if (b >= '0' && b <= '9')
        {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f')
        {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F')
        {
            return b - 'A' + 10;
        }
        return -1;
    }

    private static S3Exception invalid(final String message)
    {
        return new S3Exception(S3Error.InvalidRequest, message, "");
    }
}
