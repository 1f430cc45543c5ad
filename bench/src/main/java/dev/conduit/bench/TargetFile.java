package dev.conduit.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.PosixFile;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Makes sure the benchmark file exists and is at least {@code --size} long, writing real
 * (pseudo-random, never zero-filled) data so reads hit allocated blocks, as fio's layout does. A block
 * device ({@code /dev/loopN}, {@code /dev/nvme0n1}) is taken as it is: never created, extended or
 * laid out, so its data is whatever it holds.
 */
final class TargetFile
{
    private static final long CHUNK_BYTES = 1 << 20;

    private TargetFile()
    {
    }

    /**
     * @param path      the file.
     * @param sizeBytes wanted size, or 0 to use the existing file as it is.
     * @param direct    write with O_DIRECT.
     * @param progress  where to say that a layout is happening.
     * @return the size to benchmark over.
     */
    static long prepare(final Path path, final long sizeBytes, final boolean direct, final Progress progress)
    {
        final long existing = Files.exists(path) ? sizeOf(path) : -1;
        if (existing >= 0 && !Files.isRegularFile(path))
        {
            return deviceBytes(path, existing, sizeBytes);
        }
        if (sizeBytes == 0)
        {
            if (existing <= 0)
            {
                throw new IllegalArgumentException(path + " does not exist or is empty: give --size to create it");
            }
            return existing;
        }
        if (existing >= sizeBytes)
        {
            return sizeBytes;
        }
        final long from = Math.max(0, existing) / CHUNK_BYTES * CHUNK_BYTES;
        progress.note("laying out " + path + " (" + Sizes.fioSize(sizeBytes) + ")");
        final int flags = LibC.O_RDWR | LibC.O_CREAT | (direct ? LibC.O_DIRECT : 0);
        try (PosixFile file = PosixFile.open(path, flags, 0644); Arena arena = Arena.ofConfined())
        {
            final MemorySegment chunk = arena.allocate(CHUNK_BYTES, 4096);
            long state = 0x9E3779B97F4A7C15L ^ sizeBytes;
            for (long offset = from; offset < sizeBytes; offset += CHUNK_BYTES)
            {
                for (long i = 0; i < CHUNK_BYTES; i += 8)
                {
                    state ^= state << 13;
                    state ^= state >>> 7;
                    state ^= state << 17;
                    chunk.set(JAVA_LONG, i, state);
                }
                final long n = Math.min(CHUNK_BYTES, sizeBytes - offset);
                // O_DIRECT needs whole blocks: a ragged tail is written in full, then trimmed.
                file.writeFully(direct ? chunk.asSlice(0, (n + 4095) / 4096 * 4096) : chunk.asSlice(0, n), offset);
            }
            file.truncate(sizeBytes);
            file.datasync();
        }
        return sizeBytes;
    }

    private static long deviceBytes(final Path path, final long deviceBytes, final long sizeBytes)
    {
        if (sizeBytes > deviceBytes)
        {
            throw new IllegalArgumentException(path + " is a device of " + deviceBytes + " bytes and is never extended: " +
                "--size " + sizeBytes + " is larger");
        }
        if (deviceBytes == 0)
        {
            throw new IllegalArgumentException(path + " is empty");
        }
        return sizeBytes == 0 ? deviceBytes : sizeBytes;
    }

    private static long sizeOf(final Path path)
    {
        try (PosixFile file = PosixFile.open(path, LibC.O_RDONLY, 0))
        {
            return file.size();
        }
    }
}
