package dev.conduit.nativebindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether O_DIRECT works in a directory, found by trying it: a short-lived probe file is created,
 * written and read with O_DIRECT, then deleted. The smallest alignment the filesystem accepts is
 * found the same way (512 bytes, else 4096).
 *
 * @param supported     O_DIRECT open, write and read all worked.
 * @param reason        why not (errno name and call), or {@code "ok"}.
 * @param alignment     smallest offset/length/buffer alignment that worked; 0 when unsupported.
 * @param preferredSize {@code st_blksize} of the probe file; 0 when unknown.
 */
public record DirectIoSupport(boolean supported, String reason, int alignment, long preferredSize)
{
    private static final int PROBE_BYTES = 8192;

    /**
     * @param directory an existing, writable directory.
     * @return what worked; never throws for an unsupported filesystem.
     */
    public static DirectIoSupport probe(final Path directory)
    {
        final Path file = directory.resolve(".conduit-odirect-probe-" + ProcessHandle.current().pid());
        try (Arena arena = Arena.ofConfined())
        {
            final int flags = LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL | LibC.O_DIRECT | LibC.O_CLOEXEC;
            final int fd = LibC.open(file.toString(), flags, 0600);
            if (fd < 0)
            {
                return new DirectIoSupport(false, "open(O_DIRECT): " + Errno.name(-fd), 0, 0);
            }
            try
            {
                return probeOpen(arena, fd);
            }
            finally
            {
                LibC.close(fd);
            }
        }
        finally
        {
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final java.io.IOException ignored)
            {
                // Best effort: a leftover probe file is harmless and named after the pid.
            }
        }
    }

    private static DirectIoSupport probeOpen(final Arena arena, final int fd)
    {
        final MemorySegment page = arena.allocate(PROBE_BYTES, 4096);
        page.fill((byte)0x5A);
        final long written = LibC.pwrite(fd, page, PROBE_BYTES, 0);
        if (written < 0)
        {
            return new DirectIoSupport(false, "pwrite(O_DIRECT): " + Errno.name((int)-written), 0, 0);
        }
        final long read = LibC.pread(fd, page, 4096, 0);
        if (read < 0)
        {
            return new DirectIoSupport(false, "pread(O_DIRECT): " + Errno.name((int)-read), 0, 0);
        }
        // A 512-byte read at a 512-aligned offset into a 512-aligned (not 4096-aligned) buffer
        // succeeds only when the device's logical block is 512 bytes.
        final long small = LibC.pread(fd, page.asSlice(512, 512), 512, 512);
        final int alignment = small == 512 ? 512 : 4096;
        final MemorySegment stat = arena.allocate(StatDescriptor.LENGTH, 8);
        final long preferred = LibC.fstat(fd, stat) == 0 ? StatDescriptor.blockSize(stat) : 0;
        return new DirectIoSupport(true, "ok", alignment, preferred);
    }
}
