package dev.conduit.nativebindings.uring;

import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.LibC;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * {@code @TempDir(factory = DirectIoTempDirFactory.class)}: a temporary directory on a filesystem
 * that accepts O_DIRECT. {@code java.io.tmpdir} is used when it does (ext4, xfs, btrfs); when it is
 * a tmpfs or anything else that refuses O_DIRECT with EINVAL, the directory goes under the module's
 * {@code target/} instead, which lives on the build's disk. JUnit deletes it either way.
 */
public final class DirectIoTempDirFactory implements TempDirFactory
{
    private static final long PROBE_BLOCK_BYTES = 4096;

    @Override
    public Path createTempDirectory(final AnnotatedElementContext elementContext, final ExtensionContext extensionContext)
        throws IOException
    {
        return Files.createTempDirectory(Base.DIRECTORY, "conduit-uring-");
    }

    /** Decided once per JVM. */
    private static final class Base
    {
        static final Path DIRECTORY = choose();

        private static Path choose()
        {
            try
            {
                final Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
                if (acceptsDirectIo(tmp))
                {
                    return tmp;
                }
                return Files.createDirectories(Path.of("target", "direct-io-tmp").toAbsolutePath());
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("cannot find a directory for O_DIRECT tests", ex);
            }
        }

        private static boolean acceptsDirectIo(final Path directory) throws IOException
        {
            final Path probe = Files.createTempFile(directory, "odirect-probe-", ".bin");
            try (Arena arena = Arena.ofConfined())
            {
                final int fd = LibC.open(probe.toString(), LibC.O_RDWR | LibC.O_DIRECT | LibC.O_CLOEXEC, 0);
                if (fd == -Errno.EINVAL)
                {
                    return false;
                }
                LibC.check(fd, "open(" + probe + ", O_DIRECT)");
                try
                {
                    final MemorySegment block = arena.allocate(PROBE_BLOCK_BYTES, PROBE_BLOCK_BYTES);
                    return LibC.pwrite(fd, block, PROBE_BLOCK_BYTES, 0) == PROBE_BLOCK_BYTES;
                }
                finally
                {
                    LibC.close(fd);
                }
            }
            finally
            {
                Files.deleteIfExists(probe);
            }
        }
    }
}
