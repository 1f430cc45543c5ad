package dev.conduit.nativebindings;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.conduit.core.config.ProcessConfig;
import dev.conduit.core.config.Settings;

/**
 * Finds shared libraries the way Conduit loads them: an explicit override path first (a
 * {@code lib.*} setting of the process's configuration), then the system loader by soname, then
 * {@code cuda.home}'s (default {@code $CUDA_HOME}) {@code lib64} and {@code /usr/local/cuda/lib64}.
 * Absence is a normal answer ({@link Optional#empty()}), never an exception.
 */
public final class NativeLibraries
{
    /** Set (to the doubles' directory) only by the test runs of the modules that use the C test doubles. */
    public static final String TEST_DOUBLES_PROPERTY = "conduit.doubles.dir";

    private NativeLibraries()
    {
    }

    /**
     * Candidate names or paths for a library, in the order they are tried.
     *
     * @param overrideEnv the override's environment variable; its value comes from the process's
     *                    configuration ({@link ProcessConfig}), which also takes it from a file or a flag.
     * @param sonames     sonames to try with the system loader, e.g. {@code libcuda.so.1}.
     * @return the candidates.
     */
    public static List<String> candidates(final String overrideEnv, final String... sonames)
    {
        final List<String> out = new ArrayList<>();
        final String override = overrideEnv == null ? null : ProcessConfig.current().libraryOverride(overrideEnv).orElse(null);
        if (override != null && !override.isBlank() && !isTestDouble(override))
        {
            out.add(override);
            return out;
        }
        for (final String soname : sonames)
        {
            out.add(soname);
        }
        final String cudaHome = ProcessConfig.current().find(Settings.CUDA_HOME).orElse(null);
        for (final String dir : cudaHome != null ? List.of(cudaHome + "/lib64", "/usr/local/cuda/lib64")
            : List.of("/usr/local/cuda/lib64"))
        {
            for (final String soname : sonames)
            {
                final Path p = Path.of(dir, soname);
                if (Files.exists(p))
                {
                    out.add(p.toString());
                }
            }
        }
        return out;
    }

    /**
     * The C test doubles (src/test/c, {@code lib*_double.so}) are loadable only by a test JVM, which
     * the build marks with {@value #TEST_DOUBLES_PROPERTY}; anywhere else an override naming one is
     * ignored and the real library names are tried, so a double can never stand in for a GPU.
     *
     * @param override the override's value.
     * @return whether it names a test double that this JVM may not load.
     */
    static boolean isTestDouble(final String override)
    {
        final String name = Path.of(override).getFileName().toString();
        return name.contains("_double.") && System.getProperty(TEST_DOUBLES_PROPERTY) == null;
    }

    /**
     * Opens the first loadable candidate in {@code arena} (the library stays loaded until the
     * arena closes).
     *
     * @param arena      lifetime of the loaded library.
     * @param candidates from {@link #candidates}.
     * @return the lookup and the name that worked, or empty when none loads.
     */
    public static Optional<Loaded> load(final Arena arena, final List<String> candidates)
    {
        for (final String name : candidates)
        {
            try
            {
                return Optional.of(new Loaded(name, SymbolLookup.libraryLookup(name, arena)));
            }
            catch (final IllegalArgumentException notFound)
            {
                // Expected when this candidate is not installed; try the next one.
            }
        }
        return Optional.empty();
    }

    /**
     * Whether any candidate loads; the library is unloaded again before returning.
     *
     * @param candidates from {@link #candidates}.
     * @return the name that loaded, or empty.
     */
    public static Optional<String> probe(final List<String> candidates)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return load(arena, candidates).map(Loaded::name);
        }
    }

    /**
     * A library that loaded.
     *
     * @param name   the soname or path that worked.
     * @param lookup its symbols.
     */
    public record Loaded(String name, SymbolLookup lookup)
    {
    }
}
