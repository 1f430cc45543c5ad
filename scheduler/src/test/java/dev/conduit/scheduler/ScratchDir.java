package dev.conduit.scheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A scratch directory under the module's {@code target/} (not {@code /tmp}, which is often tmpfs and
 * refuses O_DIRECT), deleted with everything in it by {@link #close()}.
 */
final class ScratchDir implements AutoCloseable
{
    private final Path path;

    ScratchDir(final String prefix) throws IOException
    {
        final Path base = Path.of("target", "test-scratch");
        Files.createDirectories(base);
        this.path = Files.createTempDirectory(base, prefix).toAbsolutePath();
    }

    Path path()
    {
        return path;
    }

    @Override
    public void close() throws IOException
    {
        try (Stream<Path> paths = Files.walk(path))
        {
            for (final Path p : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }
}
