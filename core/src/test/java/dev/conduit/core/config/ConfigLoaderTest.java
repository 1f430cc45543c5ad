package dev.conduit.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class ConfigLoaderTest
{
    @TempDir
    Path dir;

    @Test
    void shouldLetEnvOverrideFileAndFlagOverrideEnvAndReportEachSource() throws Exception
    {
        final Path file = write("scheduler.queueDepth=16\nscheduler.ringSize=256\nscheduler.taskSize=1m\n");
        final Map<String, String> env = Map.of(
            "CONDUIT_SCHEDULER_RING_SIZE", "512",
            "CONDUIT_SCHEDULER_TASK_SIZE", "2m");

        final ConduitConfig config = new ConfigLoader(env, dir).file(file).set("scheduler.taskSize", "8m").load();

        assertEquals(16, config.get(Settings.QUEUE_DEPTH));
        assertEquals(new ConfigSource(ConfigSource.Kind.FILE, file.toString()), config.entry(Settings.QUEUE_DEPTH).source());
        assertEquals(512, config.get(Settings.RING_SIZE));
        assertEquals("env CONDUIT_SCHEDULER_RING_SIZE", config.entry(Settings.RING_SIZE).source().describe());
        assertEquals(8L << 20, config.get(Settings.TASK_SIZE));
        assertEquals("flag --set", config.entry(Settings.TASK_SIZE).source().describe());
        assertEquals(2048, config.get(Settings.MAX_REQUESTS));
        assertEquals(ConfigSource.DEFAULT, config.entry(Settings.MAX_REQUESTS).source());
        assertEquals(file, config.file().orElseThrow());
    }

    @Test
    void shouldApplyLaterFlagsOverEarlierOnes()
    {
        final ConduitConfig config = new ConfigLoader(Map.of(), dir)
            .set("data.dir", "/from-set")
            .flag(Settings.DATA_DIR, "/from-data", "--data")
            .load();

        assertEquals("/from-data", config.get(Settings.DATA_DIR));
        assertEquals("flag --data", config.entry(Settings.DATA_DIR).source().describe());
    }

    @Test
    void shouldFindTheFileThroughConduitConfigThenTheWorkingDirectory() throws Exception
    {
        final Path named = write("scheduler.idleSpins=7\n");
        Files.writeString(dir.resolve(ConfigLoader.DEFAULT_FILE_NAME), "scheduler.idleSpins=9\n");

        final ConduitConfig viaEnv = new ConfigLoader(Map.of(ConfigLoader.CONFIG_ENV, named.toString()), dir).load();
        final ConduitConfig local = new ConfigLoader(Map.of(), dir).load();

        assertEquals(7, viaEnv.get(Settings.IDLE_SPINS));
        assertEquals(9, local.get(Settings.IDLE_SPINS));
        assertEquals(dir.resolve(ConfigLoader.DEFAULT_FILE_NAME).toAbsolutePath().normalize(), local.file().orElseThrow());
    }

    @Test
    void shouldUseDefaultsWhenNothingIsConfigured()
    {
        final ConduitConfig config = new ConfigLoader(Map.of(), dir).load();

        assertTrue(config.file().isEmpty());
        assertEquals("var", config.get(Settings.DATA_DIR));
        assertEquals(30_000_000_000L, config.get(Settings.DRAIN_TIMEOUT));
        assertEquals(100_000L, config.get(Settings.DEADLINE_CHECK_INTERVAL));
        assertTrue(config.find(Settings.LIB_CUFILE).isEmpty());
        assertTrue(config.libraryOverrides().isEmpty());
        assertTrue(config.entries().stream().allMatch(e -> e.source().equals(ConfigSource.DEFAULT)));
        assertEquals(Settings.ALL.size(), config.entries().size());
    }

    @Test
    void shouldRefuseAnUnknownKeyInTheFileNamingIt() throws Exception
    {
        final Path file = write("scheduler.queueDepht=16\n");

        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new ConfigLoader(Map.of(), dir).file(file).load());

        assertTrue(e.getMessage().startsWith("unknown configuration key 'scheduler.queueDepht' in " + file), e.getMessage());
    }

    @Test
    void shouldRefuseAnUnknownKeyInSet()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new ConfigLoader(Map.of(), dir).set("lib.cufle", "/x"));

        assertTrue(e.getMessage().startsWith("unknown configuration key 'lib.cufle' in --set"), e.getMessage());
    }

    @Test
    void shouldRefuseABadValueNamingTheKeyAndItsSource() throws Exception
    {
        final Path file = write("scheduler.ringSize=1000\n");

        final IllegalArgumentException fromFile = assertThrows(IllegalArgumentException.class,
            () -> new ConfigLoader(Map.of(), dir).file(file).load());
        final IllegalArgumentException fromEnv = assertThrows(IllegalArgumentException.class,
            () -> new ConfigLoader(Map.of("CONDUIT_SCHEDULER_DRAIN_TIMEOUT", "soon"), dir).load());
        final IllegalArgumentException fromFlag = assertThrows(IllegalArgumentException.class,
            () -> new ConfigLoader(Map.of(), dir).set("scheduler.taskSize", "1000").load());

        assertEquals("scheduler.ringSize: must be a power of two >= 2: 1000 (from file " + file + ")", fromFile.getMessage());
        assertTrue(fromEnv.getMessage().startsWith("scheduler.drainTimeout: not a duration"), fromEnv.getMessage());
        assertTrue(fromEnv.getMessage().endsWith("(from env CONDUIT_SCHEDULER_DRAIN_TIMEOUT)"), fromEnv.getMessage());
        assertEquals("scheduler.taskSize: must be a positive multiple of 4096: 1000 (from flag --set)", fromFlag.getMessage());
    }

    @Test
    void shouldRefuseAMissingExplicitFile()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new ConfigLoader(Map.of(), dir).file(Path.of("nope.properties")).load());

        assertTrue(e.getMessage().contains("nope.properties (from --config) does not exist"), e.getMessage());
    }

    @Test
    void shouldReportLibraryOverridesWithTheVariableThatSetThem()
    {
        final ConduitConfig config = new ConfigLoader(Map.of("CONDUIT_CUFILE_LIB", "/opt/x/libcufile.so", "CONDUIT_CUDA_LIB", " "), dir)
            .load();

        assertEquals(1, config.libraryOverrides().size());
        final ConduitConfig.Entry entry = config.libraryOverrides().getFirst();
        assertEquals("libcufile", entry.libraryName());
        assertEquals("CONDUIT_CUFILE_LIB=/opt/x/libcufile.so", entry.source().assignment(entry.setting().key(), entry.text()));
        assertEquals("/opt/x/libcufile.so", config.libraryOverride("CONDUIT_CUFILE_LIB").orElseThrow());
        assertFalse(config.libraryOverride("CONDUIT_CUDA_LIB").isPresent(), "a blank variable is unset");
        assertFalse(config.libraryOverride("CONDUIT_DATA").isPresent(), "only library settings are overrides");
    }

    private Path write(final String text) throws Exception
    {
        return Files.writeString(dir.resolve("test.properties"), text);
    }
}
