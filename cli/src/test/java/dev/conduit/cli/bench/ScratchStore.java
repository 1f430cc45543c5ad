package dev.conduit.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;

/**
 * A fresh 64 MiB store of two namespaces under {@code target/test-scratch}: O_DIRECT needs a real file
 * system, and {@code /tmp} may be tmpfs.
 */
final class ScratchStore
{
    private ScratchStore()
    {
    }

    /**
     * @param prefix the scratch directory's name prefix.
     * @return the formatted data directory, absolute.
     */
    static Path format(final String prefix) throws IOException
    {
        final Path base = Files.createDirectories(Path.of("target", "test-scratch"));
        final Path data = Files.createTempDirectory(base, prefix).resolve("data").toAbsolutePath();
        DataDirectory.format(data, 64L << 20, 2, FormatOptions.DEFAULT);
        return data;
    }
}
