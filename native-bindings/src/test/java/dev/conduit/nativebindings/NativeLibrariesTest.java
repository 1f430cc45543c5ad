package dev.conduit.nativebindings;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.conduit.core.config.ConduitConfig;
import dev.conduit.core.config.ConfigLoader;
import dev.conduit.core.config.ProcessConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loader takes its override from the process configuration, whichever layer set it. */
@Timeout(10)
class NativeLibrariesTest
{
    private final ConduitConfig previous = ProcessConfig.current();

    @AfterEach
    void restore()
    {
        ProcessConfig.install(previous);
    }

    @Test
    void shouldTryOnlyTheOverrideWhenTheConfigurationSetsOne()
    {
        ProcessConfig.install(new ConfigLoader(Map.of(), Path.of("target")).set("lib.cufile", "/opt/x/libcufile.so").load());

        assertEquals(List.of("/opt/x/libcufile.so"), NativeLibraries.candidates("CONDUIT_CUFILE_LIB", "libcufile.so.0"));
    }

    @Test
    void shouldTrySonamesFirstWithoutAnOverride()
    {
        ProcessConfig.install(new ConfigLoader(Map.of(), Path.of("target")).load());

        final List<String> candidates = NativeLibraries.candidates("CONDUIT_CUFILE_LIB", "libcufile.so.0");

        assertEquals("libcufile.so.0", candidates.getFirst());
        assertTrue(candidates.stream().skip(1).allMatch(c -> c.endsWith("/lib64/libcufile.so.0")), candidates.toString());
    }

    @Test
    void shouldIgnoreAnOverrideNamingATestDoubleOutsideATestRun()
    {
        final String doublesDir = System.clearProperty(NativeLibraries.TEST_DOUBLES_PROPERTY);
        try
        {
            ProcessConfig.install(new ConfigLoader(Map.of(), Path.of("target")).set("lib.cufile", "/opt/x/libcufile_double.so").load());

            assertEquals("libcufile.so.0", NativeLibraries.candidates("CONDUIT_CUFILE_LIB", "libcufile.so.0").getFirst());
        }
        finally
        {
            if (doublesDir != null)
            {
                System.setProperty(NativeLibraries.TEST_DOUBLES_PROPERTY, doublesDir);
            }
        }
    }
}
