package dev.conduit.nativebindings.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the build put the test doubles (test-only shared libraries from {@code src/test/c}, built by
 * {@code build-doubles.sh} at process-test-classes) and the C sources the layout tests compile.
 */
public final class Doubles
{
    private Doubles()
    {
    }

    /** @return {@code libcuda_double.so}. */
    public static Path cuda()
    {
        return library("libcuda_double.so");
    }

    /** @return {@code libcudart_double.so}. */
    public static Path cudart()
    {
        return library("libcudart_double.so");
    }

    /** @return {@code libcufile_double.so}, the full cuFile surface. */
    public static Path cufile()
    {
        return library("libcufile_double.so");
    }

    /** @return {@code libcufile_legacy_double.so}, a libcufile 1.6 without batch/stream/vector/parameter/stats calls. */
    public static Path legacyCufile()
    {
        return library("libcufile_legacy_double.so");
    }

    /** @return {@code libspdk_double.so}, the SPDK env and NVMe driver subset. */
    public static Path spdk()
    {
        return library("libspdk_double.so");
    }

    /** @return {@code src/test/c}: the test headers and double sources. */
    public static Path testCSources()
    {
        return Path.of(required("conduit.test.c.dir"));
    }

    private static Path library(final String name)
    {
        final Path p = Path.of(required("conduit.doubles.dir"), name);
        if (!Files.isRegularFile(p))
        {
            throw new IllegalStateException(p + " is missing: the test doubles are built by Maven at process-test-classes");
        }
        return p;
    }

    private static String required(final String property)
    {
        final String value = System.getProperty(property);
        if (value == null || value.isBlank())
        {
            throw new IllegalStateException("system property " + property + " is not set (run the tests through Maven)");
        }
        return value;
    }
}
