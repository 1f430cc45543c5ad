package dev.conduit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real entry point in its own JVM with real environment variables: proves that
 * {@code Main.main} reads the process environment into the configuration and that the native
 * loader honours a library override from it (the in-process tests pass their own environment).
 */
@Timeout(120)
class MainProcessTest
{
    private static final String SUBSTITUTE = "/nonexistent/libcufile.so.0";

    @TempDir
    Path dir;

    @Test
    void shouldReadConduitVariablesFromTheProcessEnvironmentAndFlagTheLibraryOverride() throws Exception
    {
        final Map<String, String> env = Map.of("CONDUIT_CUFILE_LIB", SUBSTITUTE, "CONDUIT_SCHEDULER_QUEUE_DEPTH", "64");

        final JsonNode report = new ObjectMapper().readTree(conduit(env, "doctor", "--json", dir.toString()));
        final String text = conduit(env, "doctor", dir.toString());

        assertEquals("64", report.at("/config/settings/scheduler.queueDepth/value").asText());
        assertEquals("env CONDUIT_SCHEDULER_QUEUE_DEPTH", report.at("/config/settings/scheduler.queueDepth/source").asText());
        assertEquals("env CONDUIT_CUFILE_LIB", report.at("/cufile/override/source").asText());
        assertEquals(SUBSTITUTE, report.at("/cufile/override/path").asText());
        assertTrue(report.at("/cufile/library").isNull(), "only the substitute is tried, and it does not exist: " + report.get("cufile"));
        assertTrue(text.startsWith("OVERRIDE: libcufile from CONDUIT_CUFILE_LIB=" + SUBSTITUTE + ", not the installed library\n"), text);
    }

    private String conduit(final Map<String, String> env, final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        // Only this test's CONDUIT_* variables: none inherited from whoever runs the build.
        builder.environment().keySet().removeIf(name -> name.startsWith("CONDUIT_"));
        builder.environment().putAll(env);
        final Process process = builder.start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "conduit did not exit");
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
