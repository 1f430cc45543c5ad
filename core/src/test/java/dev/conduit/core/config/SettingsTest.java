package dev.conduit.core.config;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class SettingsTest
{
    @Test
    void shouldDeriveEnvironmentNamesFromKeys()
    {
        assertEquals("CONDUIT_SCHEDULER_QUEUE_DEPTH", Settings.QUEUE_DEPTH.envName());
        assertEquals("CONDUIT_SCHEDULER_MAX_IOV_PER_TASK", Settings.MAX_IOV_PER_TASK.envName());
        assertEquals("CONDUIT_SCHEDULER_IDLE_MAX_PARK", Settings.IDLE_MAX_PARK.envName());
    }

    @Test
    void shouldKeepThePublishedNamesOfTheLibraryAndDataVariables()
    {
        assertEquals("CONDUIT_CUDA_LIB", Settings.LIB_CUDA.envName());
        assertEquals("CONDUIT_CUDART_LIB", Settings.LIB_CUDART.envName());
        assertEquals("CONDUIT_CUFILE_LIB", Settings.LIB_CUFILE.envName());
        assertEquals("CONDUIT_SPDK_LIB", Settings.LIB_SPDK.envName());
        assertEquals("CONDUIT_DATA", Settings.DATA_DIR.envName());
    }

    @Test
    void shouldHaveUniqueKeysAndEnvironmentNamesThatLookupsFind()
    {
        final Set<String> keys = new HashSet<>();
        final Set<String> envNames = new HashSet<>();
        for (final Setting<?> setting : Settings.ALL)
        {
            assertTrue(keys.add(setting.key()), setting.key());
            assertTrue(envNames.add(setting.envName()), setting.envName());
            assertEquals(setting, Settings.byKey(setting.key()).orElseThrow());
            assertEquals(setting, Settings.byEnvName(setting.envName()).orElseThrow());
        }
        assertTrue(Settings.byKey("scheduler.queueDepht").isEmpty());
    }

    @Test
    void shouldNameTheKeyWhenAValueIsOutOfRange()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Settings.QUEUE_DEPTH.parse("0"));

        assertEquals("scheduler.queueDepth: must be >= 1: 0", e.getMessage());
    }

    @Test
    void shouldParseOnOffFlagsAndRefuseAnythingElse()
    {
        assertEquals(Boolean.TRUE, Settings.S3_AUDIT.parse("true"));
        assertEquals(Boolean.TRUE, Settings.S3_AUDIT.parse(" ON "));
        assertEquals(Boolean.FALSE, Settings.S3_AUDIT.parse("off"));
        assertEquals(Boolean.FALSE, Settings.S3_AUDIT.parse("No"));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Settings.S3_AUDIT.parse("1"));
        assertEquals("s3.audit: must be true or false: 1", e.getMessage());
    }
}
