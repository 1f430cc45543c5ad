package dev.conduit.scheduler;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** Known content for read tests: the byte at offset {@code o} is a hash of {@code o}, so any misplaced byte shows. */
final class Content
{
    private Content()
    {
    }

    static byte at(final long offset)
    {
        long x = offset * 0x9E3779B97F4A7C15L;
        x ^= x >>> 29;
        return (byte)(x ^ (x >>> 17));
    }

    static void fill(final MemorySegment segment, final long baseOffset)
    {
        for (long i = 0; i < segment.byteSize(); i++)
        {
            segment.set(JAVA_BYTE, i, at(baseOffset + i));
        }
    }

    static void writeFile(final Path path, final long size) throws IOException
    {
        writeFile(path, size, 0);
    }

    /** Writes the content of {@code [contentBase, contentBase + size)} to file offsets {@code [0, size)}. */
    static void writeFile(final Path path, final long size, final long contentBase) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING); Arena arena = Arena.ofConfined())
        {
            final long chunk = 1 << 20;
            final MemorySegment buffer = arena.allocate(chunk);
            for (long offset = 0; offset < size; offset += chunk)
            {
                final long n = Math.min(chunk, size - offset);
                fill(buffer.asSlice(0, n), contentBase + offset);
                final ByteBuffer bb = buffer.asSlice(0, n).asByteBuffer();
                while (bb.hasRemaining())
                {
                    channel.write(bb, offset + bb.position());
                }
            }
        }
    }

    /** @return -1 when {@code segment[0, length)} holds the content of {@code [offset, offset + length)}, else the first bad index. */
    static long firstMismatch(final MemorySegment segment, final long offset, final long length)
    {
        for (long i = 0; i < length; i++)
        {
            if (segment.get(JAVA_BYTE, i) != at(offset + i))
            {
                return i;
            }
        }
        return -1;
    }
}
