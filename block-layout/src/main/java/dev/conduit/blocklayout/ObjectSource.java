package dev.conduit.blocklayout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * Where a put's bytes come from: filled into the writer's aligned staging buffer one slice at a
 * time, so a large object never has to be in memory at once.
 */
interface ObjectSource
{
    /**
     * Fills {@code dst[0, length)} with the next bytes.
     *
     * @param dst    staging buffer.
     * @param length bytes wanted.
     * @throws dev.conduit.core.ConduitException {@code SIZE_MISMATCH} when the source ends early.
     */
    void next(MemorySegment dst, long length);

    /**
     * Called after the announced size was consumed.
     *
     * @throws dev.conduit.core.ConduitException {@code SIZE_MISMATCH} when more bytes follow.
     */
    void finish();

    /**
     * @param data bytes (heap or native).
     * @return a source reading {@code data} from the start.
     */
    static ObjectSource of(final MemorySegment data)
    {
        return new ObjectSource()
        {
            private long position;

            @Override
            public void next(final MemorySegment dst, final long length)
            {
                MemorySegment.copy(data, position, dst, 0, length);
                position += length;
            }

            @Override
            public void finish()
            {
                // The size was taken from the segment itself.
            }
        };
    }

    /**
     * @param in        stream; not closed here.
     * @param sizeBytes bytes it must deliver.
     * @return a source reading {@code in} through a 64 KiB heap buffer.
     */
    static ObjectSource of(final InputStream in, final long sizeBytes)
    {
        return new ObjectSource()
        {
            private final byte[] buffer = new byte[64 << 10];
            private long consumed;

            @Override
            public void next(final MemorySegment dst, final long length)
            {
                long done = 0;
                while (done < length)
                {
                    final int n = read((int)Math.min(buffer.length, length - done));
                    if (n < 0)
                    {
                        throw LayoutErrors.error(ErrorCode.SIZE_MISMATCH,
                            "the input ended after " + (consumed + done) + " of " + sizeBytes + " bytes");
                    }
                    MemorySegment.copy(buffer, 0, dst, ValueLayout.JAVA_BYTE, done, n);
                    done += n;
                }
                consumed += length;
            }

            @Override
            public void finish()
            {
                if (read(1) >= 0)
                {
                    throw LayoutErrors.error(ErrorCode.SIZE_MISMATCH, "the input has more than the announced " + sizeBytes + " bytes");
                }
            }

            private int read(final int length)
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
        };
    }
}
