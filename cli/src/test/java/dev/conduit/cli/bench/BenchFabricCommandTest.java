package dev.conduit.cli.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code conduit bench --fabric} end to end, in-process: Conduit's target and initiator over 127.0.0.1 and a
 * real iperf3 (installed by {@code .ci/run}). Checks the report's fields, not the figures.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchFabricCommandTest
{
    @Test
    void shouldReportBothPhasesIperf3AndTheRatio() throws Exception
    {
        final BenchRun r = BenchRun.run("bench", "--fabric", "--time", "1s", "--json");
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        for (final String phase : List.of("throughput", "iops"))
        {
            final JsonNode side = json.get("conduit").get(phase);
            assertTrue(side.get("gib_s").asDouble() > 0, phase + ": " + side);
            assertTrue(side.get("iops").asDouble() > 0, phase + ": " + side);
            assertTrue(side.get("ios").asLong() > 0, phase + ": " + side);
            assertTrue(side.get("lat_us").get("p50").asDouble() > 0, phase + ": " + side);
            assertTrue(side.get("lat_us").get("p99").asDouble() >= side.get("lat_us").get("p50").asDouble(), phase + ": " + side);
            assertEquals(side.get("ios").asLong(), side.get("lat_us").get("samples").asLong(), phase + ": " + side);
        }
        assertEquals(128 * 1024, json.get("conduit").get("throughput").get("bytes").asLong()
            / json.get("conduit").get("throughput").get("ios").asLong());
        assertTrue(json.get("iperf3").get("gib_s").asDouble() > 0, json.get("iperf3").toString());
        assertTrue(json.get("ratio").get("gib_s").asDouble() > 0, json.get("ratio").toString());
        final JsonNode config = json.get("config");
        assertTrue(config.get("target").asText().startsWith("nvmf://127.0.0.1:"), config.toString());
        assertEquals(2, config.get("queues").asInt());
        assertEquals(32, config.get("throughput").get("qd").asInt());
        assertEquals(64, config.get("iops").get("qd").asInt());
        assertEquals(4096, config.get("iops").get("bs").asInt());
    }

    @Test
    void shouldPrintATableWithoutJson()
    {
        final BenchRun r = BenchRun.run("bench", "--fabric", "--time", "1s");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("iperf3 loopback TCP") && r.out().contains("/ iperf3"), r.out());
        assertTrue(r.out().contains("read 128k qd32") && r.out().contains("read 4k qd64"), r.out());
    }

    @Test
    void shouldRefuseATargetOrTooShortATime()
    {
        final BenchRun withTarget = BenchRun.run("bench", "--fabric", "--target", "some-file");
        assertNotEquals(0, withTarget.exitCode());
        assertTrue(withTarget.err().contains("--fabric"), withTarget.err());
        final BenchRun shortTime = BenchRun.run("bench", "--fabric", "--time", "200ms");
        assertNotEquals(0, shortTime.exitCode());
        assertTrue(shortTime.err().contains("at least 1s"), shortTime.err());
    }

    @Test
    void shouldSayIperf3IsMissingAndExitNonZero(@TempDir final Path emptyBin) throws Exception
    {
        // A real process whose PATH holds no iperf3 (an empty directory).
        final ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
            "bench", "--fabric", "--time", "1s").redirectErrorStream(true);
        builder.environment().put("PATH", emptyBin.toString());
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        assertNotEquals(0, process.exitValue(), output);
        assertTrue(output.contains("iperf3 is not installed") && output.contains("apt-get install iperf3"), output);
    }
}
