package dev.conduit.blocklayout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * Feeds an {@link InputStream} of announced length into a {@link PutSession} through one 64 KiB
 * heap buffer, so a large object never has to be in memory at once.
 */
final class StreamAppender
{
    private static final int BUFFER_BYTES = 64 << 10;

    private StreamAppender()
    {
    }

    /**
     * @param session   the put.
     * @param in        exactly {@code sizeBytes} bytes; not closed here.
     * @param sizeBytes bytes it must deliver.
     * @param progress  called after each read with the bytes appended so far.
     * @throws dev.conduit.core.ConduitException {@code SIZE_MISMATCH} when the stream ends
     *                                                     early or has more bytes.
     */
    static void appendAll(final PutSession session, final InputStream in, final long sizeBytes, final ProgressListener progress)
    {
        final byte[] buffer = new byte[(int)Math.min(BUFFER_BYTES, Math.max(sizeBytes, 1))];
        long done = 0;
        while (done < sizeBytes)
        {
            final int n = read(in, buffer, (int)Math.min(buffer.length, sizeBytes - done));
            if (n < 0)
            {
                throw LayoutErrors.error(ErrorCode.SIZE_MISMATCH, "the input ended after " + done + " of " + sizeBytes + " bytes");
            }
            session.append(buffer, 0, n);
            done += n;
            progress.onProgress(done, sizeBytes);
        }
        if (read(in, buffer, 1) >= 0)
        {
            throw LayoutErrors.error(ErrorCode.SIZE_MISMATCH, "the input has more than the announced " + sizeBytes + " bytes");
        }
    }

    private static int read(final InputStream in, final byte[] buffer, final int length)
    {
        try
        {
            return in.read(buffer, 0, length);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
