package dev.conduit.nativebindings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch directories for tests that need O_DIRECT. They live under the module's {@code target/}
 * rather than {@code /tmp}, because /tmp is often tmpfs, which rejects O_DIRECT.
 */
final class TestDirs
{
    private TestDirs()
    {
    }

    static Path create(final String prefix)
    {
        try
        {
            final Path base = Path.of("target", "test-scratch");
            Files.createDirectories(base);
            return Files.createTempDirectory(base, prefix).toAbsolutePath();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
