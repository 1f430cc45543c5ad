package dev.conduit.jmh.blocklayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where benchmark stores live: {@code -Dconduit.bench.dir=DIR} (default {@code target/conduit-bench}
 * under the working directory). It must be on a filesystem with O_DIRECT (ext4, XFS), not tmpfs.
 */
public final class BenchStores
{
    /** Property naming the benchmark data directory. */
    static final String DIR_PROP_NAME = "conduit.bench.dir";
    /** Default benchmark data directory. */
    static final String DIR_DEFAULT = "target/conduit-bench";

    private BenchStores()
    {
    }

    /** @return the benchmark data directory, absolute. */
    public static Path root()
    {
        return Path.of(System.getProperty(DIR_PROP_NAME, DIR_DEFAULT)).toAbsolutePath();
    }

    /**
     * @param name sub-directory.
     * @return it, emptied.
     */
    public static Path fresh(final String name)
    {
        final Path dir = root().resolve(name);
        delete(dir);
        return dir;
    }

    /** @param dir a directory to remove with everything in it (nothing happens when it is absent). */
    public static void delete(final Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path p : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
