package dev.conduit.nativebindings.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch directories under {@code target/} (O_DIRECT needs a real filesystem; /tmp is often tmpfs).
 */
public final class Scratch
{
    private Scratch()
    {
    }

    /**
     * @param prefix directory name prefix.
     * @return a new, empty directory.
     */
    public static Path directory(final String prefix)
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

    /** @param dir a directory from {@link #directory} to delete with its contents. */
    public static void delete(final Path dir)
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
