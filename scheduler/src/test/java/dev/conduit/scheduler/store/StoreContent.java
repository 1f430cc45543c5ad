package dev.conduit.scheduler.store;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** Test content whose every byte can be checked from (seed, offset) alone, and directory clean-up. */
final class StoreContent
{
    private StoreContent()
    {
    }

    /**
     * @param seed   version identity.
     * @param offset byte offset within the object.
     * @return the byte of that version at that offset; two seeds below 256 apart differ everywhere.
     */
    static byte at(final long seed, final long offset)
    {
        return (byte)((offset * 31 + seed * 131 + 7) ^ (offset >>> 11));
    }

    static byte[] bytes(final long seed, final int sizeBytes)
    {
        final byte[] b = new byte[sizeBytes];
        for (int i = 0; i < sizeBytes; i++)
        {
            b[i] = at(seed, i);
        }
        return b;
    }

    /**
     * @return the first index {@code i < length} where {@code s[at + i]} is not byte {@code offset + i}
     *         of version {@code seed}, or -1.
     */
    static long firstMismatch(final MemorySegment s, final long at, final long seed, final long offset, final long length)
    {
        for (long i = 0; i < length; i++)
        {
            if (s.get(JAVA_BYTE, at + i) != at(seed, offset + i))
            {
                return i;
            }
        }
        return -1;
    }

    static void deleteTree(final Path dir) throws IOException
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
