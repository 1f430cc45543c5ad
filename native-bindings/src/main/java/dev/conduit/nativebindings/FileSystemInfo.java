package dev.conduit.nativebindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * What statfs(2) says about the filesystem holding a path.
 *
 * @param typeName       short name ({@code ext4}, {@code xfs}, {@code tmpfs}, ...).
 * @param magic          {@code f_type}.
 * @param blockSize      {@code f_bsize}.
 * @param totalBytes     filesystem size.
 * @param availableBytes space available to unprivileged users.
 */
public record FileSystemInfo(String typeName, long magic, long blockSize, long totalBytes, long availableBytes)
{
    /**
     * @param path any existing path.
     * @return its filesystem's facts.
     * @throws NativeException when statfs fails.
     */
    public static FileSystemInfo of(final Path path)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment buf = arena.allocate(StatfsDescriptor.LENGTH, 8);
            LibC.check(LibC.statfs(arena.allocateFrom(path.toString()), buf), "statfs(" + path + ")");
            final long magic = StatfsDescriptor.type(buf);
            return new FileSystemInfo(StatfsDescriptor.typeName(magic), magic, StatfsDescriptor.blockSize(buf),
                StatfsDescriptor.totalBytes(buf), StatfsDescriptor.availableBytes(buf));
        }
    }
}
