package dev.conduit.cli.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.cli.CapturedRun;
import dev.conduit.cli.ExitCodes;
import dev.conduit.cli.Main;
import dev.conduit.core.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code conduit doctor} reporting the effective configuration, in-process with an environment of the test's own. */
@Timeout(60)
class DoctorConfigTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err)
    {
    }

    static Run run(final Map<String, String> env, final String... args)
    {
        final CapturedRun run = CapturedRun.of(Main.commandLine(env), args);
        return new Run(run.exitCode(), run.out(), run.err());
    }

    @Test
    void shouldReportEachValueWithItsSourceWhenSetByFileEnvAndFlag() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("conduit.properties"),
            "scheduler.queueDepth=16\nscheduler.ringSize=256\nscheduler.taskSize=1m\n");
        final Map<String, String> env = Map.of("CONDUIT_SCHEDULER_RING_SIZE", "512", "CONDUIT_SCHEDULER_TASK_SIZE", "2m");

        final Run run = run(env, "--config", file.toString(), "doctor", "--json", "--set", "scheduler.taskSize=8m", dir.toString());

        assertEquals(0, run.exitCode(), run.err());
        final JsonNode config = MAPPER.readTree(run.out()).path("config");
        assertEquals(file.toAbsolutePath().normalize().toString(), config.path("file").asText());
        assertSetting(config, "scheduler.queueDepth", "16", "file " + file.toAbsolutePath().normalize());
        assertSetting(config, "scheduler.ringSize", "512", "env CONDUIT_SCHEDULER_RING_SIZE");
        assertSetting(config, "scheduler.taskSize", "8m", "flag --set");
        assertSetting(config, "scheduler.drainTimeout", "30s", "default");
        assertEquals(Settings.ALL.size(), config.path("settings").size());
        assertTrue(config.path("overrides").isEmpty(), config.toString());
    }

    @Test
    void shouldFlagLibraryOverridesInJsonAndFirstInText()
    {
        final Map<String, String> env = Map.of("CONDUIT_CUDART_LIB", "/nonexistent/libcudart.so");
        final String[] flags = {"--set", "lib.spdk=/nonexistent/libspdk_nvme.so", "doctor", dir.toString()};

        final JsonNode report = json(run(env, flags[0], flags[1], flags[2], "--json", flags[3]));
        final Run text = run(env, flags);

        final JsonNode runtimeOverride = report.at("/cuda/runtime/override");
        assertEquals("env CONDUIT_CUDART_LIB", runtimeOverride.path("source").asText());
        assertEquals("/nonexistent/libcudart.so", runtimeOverride.path("path").asText());
        assertEquals("flag --set", report.at("/spdk/override/source").asText());
        assertTrue(report.at("/cuda/driver/override").isNull(), "libcuda is not overridden");
        assertTrue(report.at("/cufile/override").isNull(), "libcufile is not overridden");
        assertEquals(2, report.at("/config/overrides").size());
        assertTrue(report.at("/spdk/library").isNull(), "the substitute does not exist, so nothing loads");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().startsWith(
            "OVERRIDE: libcudart from CONDUIT_CUDART_LIB=/nonexistent/libcudart.so, not the installed library\n"
                + "OVERRIDE: libspdk from --set lib.spdk=/nonexistent/libspdk_nvme.so, not the installed library\n"), text.out());
        assertTrue(text.out().contains("\n    scheduler.queueDepth: 32 (default)\n"), text.out());
    }

    @Test
    void shouldRefuseAnUnknownKeyInTheConfigFileNamingIt() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("typo.properties"), "scheduler.queueDepht=16\n");

        final Run run = run(Map.of(), "--config", file.toString(), "doctor", dir.toString());

        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertTrue(run.out().isEmpty(), run.out());
        assertTrue(run.err().startsWith("conduit doctor: unknown configuration key 'scheduler.queueDepht' in "), run.err());
        assertTrue(run.err().strip().endsWith("[CONFIG_INVALID]"), run.err());
    }

    @Test
    void shouldRefuseABadValueNamingTheKeyAndItsSource()
    {
        final Run fromFlag = run(Map.of(), "--set", "scheduler.queueDepth=0", "doctor", dir.toString());
        final Run fromEnv = run(Map.of("CONDUIT_SCHEDULER_IDLE_MAX_PARK", "a while"), "doctor", dir.toString());

        assertEquals(ExitCodes.USAGE, fromFlag.exitCode());
        assertEquals("conduit doctor: scheduler.queueDepth: must be >= 1: 0 (from flag --set) [CONFIG_INVALID]", fromFlag.err().strip());
        assertEquals(ExitCodes.USAGE, fromEnv.exitCode());
        assertTrue(fromEnv.err().contains("scheduler.idleMaxPark: not a duration"), fromEnv.err());
        assertTrue(fromEnv.err().contains("(from env CONDUIT_SCHEDULER_IDLE_MAX_PARK)"), fromEnv.err());
    }

    @Test
    void shouldAnswerHelpEvenWhenTheConfigurationIsBroken()
    {
        final Run run = run(Map.of(), "--config", dir.resolve("missing.properties").toString(), "doctor", "--help");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("Usage: conduit doctor"), run.out());
    }

    @Test
    void shouldTakeTheDataDirectoryFromTheEnvironmentUnlessDataIsGiven() throws Exception
    {
        final Path fromEnv = Files.createDirectories(dir.resolve("env"));
        final Path fromFlag = Files.createDirectories(dir.resolve("flag"));
        final Map<String, String> env = Map.of("CONDUIT_DATA", fromEnv.toString());

        final JsonNode envOnly = json(run(env, "doctor", "--json"));
        final JsonNode flagged = json(run(env, "--data", fromFlag.toString(), "doctor", "--json"));

        assertEquals(fromEnv.toString(), envOnly.at("/fs/path").asText());
        assertEquals("env CONDUIT_DATA", envOnly.at("/config/settings/data.dir/source").asText());
        assertEquals(fromFlag.toString(), flagged.at("/fs/path").asText());
        assertEquals("flag --data", flagged.at("/config/settings/data.dir/source").asText());
    }

    @Test
    void shouldMaskTheS3SecretKeyInJsonAndText()
    {
        final String secret = "doNotPrintThisSecret0123456789abcdefghij";
        final Map<String, String> env = Map.of("CONDUIT_ACCESS_KEY", "VISIBLEKEYID01234567", "CONDUIT_SECRET_KEY", secret);

        final Run json = run(env, "doctor", "--json", dir.toString());
        final Run text = run(env, "--set", "s3.secretKey=" + secret, "doctor", dir.toString());

        final JsonNode config = json(json).path("config");
        assertSetting(config, "s3.secretKey", ConfigReport.MASK, "env CONDUIT_SECRET_KEY");
        assertSetting(config, "s3.accessKey", "VISIBLEKEYID01234567", "env CONDUIT_ACCESS_KEY");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains(ConfigReport.MASK), text.out());
        for (final Run run : new Run[] {json, text})
        {
            assertFalse(run.out().contains(secret) || run.err().contains(secret), "the secret was printed:\n" + run.out());
        }
    }

    private static JsonNode json(final Run run)
    {
        assertEquals(0, run.exitCode(), run.err());
        try
        {
            return MAPPER.readTree(run.out());
        }
        catch (final Exception e)
        {
            throw new AssertionError("not JSON: " + run.out(), e);
        }
    }

    private static void assertSetting(final JsonNode config, final String key, final String value, final String source)
    {
        final JsonNode setting = config.path("settings").path(key);
        assertEquals(value, setting.path("value").asText(), key);
        assertEquals(source, setting.path("source").asText(), key);
    }
}
