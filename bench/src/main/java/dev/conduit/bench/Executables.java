package dev.conduit.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the peer tools a benchmark runs next to Conduit (fio, iperf3) on {@code PATH}. */
public final class Executables
{
    private Executables()
    {
    }

    /**
     * @param name a command name.
     * @return its first executable on {@code PATH}, or empty.
     */
    public static Optional<Path> onPath(final String name)
    {
        final String pathEnv = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (final String dir : pathEnv.split(File.pathSeparator))
        {
            if (!dir.isEmpty())
            {
                final Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate))
                {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
