package dev.conduit.blocklayout;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.conduit.blocklayout.namespace.TargetDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A 3 GiB put of unknown length on an O_DIRECT file namespace, generated on the fly (every 8-byte
 * word holds its own offset, so a misplaced or torn block shows up as a wrong word) and read back
 * through the verified read path with the same generator; nothing of that size is ever in memory.
 * Needs about 3.3 GiB of disk under {@code target/}; enable with {@code -Dconduit.put.large=true}.
 */
@EnabledIfSystemProperty(named = "conduit.put.large", matches = "true")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class PutSessionLargeTest
{
    private static final long SIZE_BYTES = 3L << 30;
    private static final int PIECE_BYTES = (1 << 20) + 4096 + 8;   // not a divisor of the staging buffer
    private static final ValueLayout.OfLong WORD = JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test
    void shouldStoreThreeGibibytesByteExactWhenLengthIsUnknown() throws IOException
    {
        final Path dir = TargetDirs.create("put-large-");
        try
        {
            DataDirectory.format(dir, SIZE_BYTES + (256L << 20), 1, FormatOptions.DEFAULT);
            try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
            {
                final SpaceReport before = store.space();
                final long startNs = System.nanoTime();
                final ObjectRecord record;
                try (PutSession put = store.openPut("large", ObjectMetadata.NONE))
                {
                    final byte[] piece = new byte[PIECE_BYTES];
                    final MemorySegment pieceSegment = MemorySegment.ofArray(piece);
                    long at = 0;
                    while (at < SIZE_BYTES)
                    {
                        final int n = (int)Math.min(PIECE_BYTES, SIZE_BYTES - at);
                        fill(pieceSegment, at, n);
                        put.append(piece, 0, n);
                        at += n;
                    }
                    record = put.commit(SIZE_BYTES, null);
                }
                final long putNs = System.nanoTime() - startNs;
                assertEquals(SIZE_BYTES, record.sizeBytes());
                final long readStartNs = System.nanoTime();
                final PatternCheck check = new PatternCheck();
                try (ObjectReadHandle h = store.openObject("large"))
                {
                    h.transferTo(check, ProgressListener.NONE);
                }
                final long readNs = System.nanoTime() - readStartNs;
                assertEquals(SIZE_BYTES, check.positionBytes);
                System.out.printf("PutSessionLargeTest: put %d bytes in %.1f s (%.0f MiB/s), verified read in %.1f s, %d extents%n",
                    SIZE_BYTES, putNs / 1e9, SIZE_BYTES / (putNs / 1e9) / (1 << 20), readNs / 1e9, record.layout().extents().size());
                store.delete("large");
                assertEquals(before.usedBytes(), store.space().usedBytes());
            }
        }
        finally
        {
            deleteTree(dir);
        }
    }

    /** Every 8-byte word of the object holds its own offset, little-endian; {@code logicalOffset} is word-aligned. */
    private static void fill(final MemorySegment dst, final long logicalOffset, final int lengthBytes)
    {
        int i = 0;
        for (; i + 8 <= lengthBytes; i += 8)
        {
            dst.set(WORD, i, logicalOffset + i);
        }
        for (; i < lengthBytes; i++)
        {
            dst.set(ValueLayout.JAVA_BYTE, i, patternByte(logicalOffset + i));
        }
    }

    private static byte patternByte(final long logicalOffset)
    {
        final long word = logicalOffset & ~7L;
        return (byte)(word >>> (8 * (logicalOffset & 7)));
    }

    /** Checks each byte written to it against the pattern, word by word where it can. */
    private static final class PatternCheck extends OutputStream
    {
        private long positionBytes;

        @Override
        public void write(final int b) throws IOException
        {
            check((byte)b);
        }

        @Override
        public void write(final byte[] b, final int off, final int len) throws IOException
        {
            final MemorySegment s = MemorySegment.ofArray(b);
            int i = 0;
            while (i < len && (positionBytes & 7) != 0)
            {
                check(b[off + i++]);
            }
            while (len - i >= 8)
            {
                final long actual = s.get(WORD, off + i);
                if (actual != positionBytes)
                {
                    throw new IOException("word at offset " + positionBytes + " holds " + actual);
                }
                positionBytes += 8;
                i += 8;
            }
            while (i < len)
            {
                check(b[off + i++]);
            }
        }

        private void check(final byte actual) throws IOException
        {
            if (actual != patternByte(positionBytes))
            {
                throw new IOException("byte at offset " + positionBytes + " is " + actual);
            }
            positionBytes++;
        }
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path p : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }
}
