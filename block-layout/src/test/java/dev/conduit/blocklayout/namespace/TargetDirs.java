package dev.conduit.blocklayout.namespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Temporary directories under {@code target/} rather than {@code /tmp}: O_DIRECT fails on tmpfs,
 * and the build directory is on the same filesystem as the checkout (ext4 or XFS in CI).
 */
public final class TargetDirs
{
    private TargetDirs()
    {
    }

    /**
     * @param prefix directory name prefix.
     * @return a new empty directory under {@code target/test-data}.
     * @throws IOException when it cannot be created.
     */
    public static Path create(final String prefix) throws IOException
    {
        final Path base = Path.of("target", "test-data").toAbsolutePath();
        Files.createDirectories(base);
        return Files.createTempDirectory(base, prefix);
    }

    /** JUnit factory for {@code @TempDir(factory = TargetDirs.Factory.class)}. */
    public static final class Factory implements TempDirFactory
    {
        @Override
        public Path createTempDirectory(final AnnotatedElementContext element, final ExtensionContext context) throws IOException
        {
            return create("junit-");
        }
    }
}
