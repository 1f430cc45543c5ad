package dev.conduit.nativebindings.uring;

import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.PosixFile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Deterministic file content: the 8-byte word at file offset {@code p} (a multiple of 8) is a
 * mix of {@code p} and a seed, so any byte read from anywhere can be checked without keeping a copy,
 * and a read from the wrong offset or a stale buffer cannot pass.
 */
final class TestPattern
{
    private static final long CHUNK_BYTES = 1 << 20;

    private TestPattern()
    {
    }

    /**
     * @param seed           distinguishes files.
     * @param fileOffsetBytes multiple of 8.
     * @return the word expected there.
     */
    static long word(final long seed, final long fileOffsetBytes)
    {
        long z = fileOffsetBytes * 0x9E3779B97F4A7C15L + seed;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Fills {@code buffer} with the content that belongs at {@code fileOffsetBytes}. */
    static void fill(final long seed, final MemorySegment buffer, final long fileOffsetBytes)
    {
        for (long i = 0; i < buffer.byteSize(); i += Long.BYTES)
        {
            buffer.set(JAVA_LONG_UNALIGNED, i, word(seed, fileOffsetBytes + i));
        }
    }

    /**
     * @return the byte index of the first word in {@code buffer} that differs from the content at
     *         {@code fileOffsetBytes}, or -1 when all match.
     */
    static long firstMismatch(final long seed, final MemorySegment buffer, final long fileOffsetBytes)
    {
        for (long i = 0; i < buffer.byteSize(); i += Long.BYTES)
        {
            if (buffer.get(JAVA_LONG_UNALIGNED, i) != word(seed, fileOffsetBytes + i))
            {
                return i;
            }
        }
        return -1;
    }

    /** Writes {@code lengthBytes} of pattern to a new file at {@code path} (buffered, then fsynced). */
    static void writeFile(final long seed, final Path path, final long lengthBytes)
    {
        try (Arena arena = Arena.ofConfined();
            PosixFile file = PosixFile.open(path, LibC.O_RDWR | LibC.O_CREAT | LibC.O_TRUNC, 0644))
        {
            final MemorySegment chunk = arena.allocate(CHUNK_BYTES, 4096);
            for (long offset = 0; offset < lengthBytes; offset += CHUNK_BYTES)
            {
                final MemorySegment part = chunk.asSlice(0, Math.min(CHUNK_BYTES, lengthBytes - offset));
                fill(seed, part, offset);
                file.writeFully(part, offset);
            }
            file.sync();
        }
    }
}
