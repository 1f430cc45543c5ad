package dev.conduit.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.scheduler.Priority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BenchReportTest
{
    private static final BenchConfig CONFIG = new BenchConfig("f", BenchMode.READ, 1 << 20, 32, 1, 1L << 30, 0, 0, true,
        "auto", Priority.LATENCY, "host", Path.of("var"));
    private static final BenchResult CONDUIT = new BenchResult("conduit", "io_uring", 1L << 30, 1024, 1.0, 1.0, 1024, 10, 20, 30, 40, 1024);
    private static final BenchResult FIO = new BenchResult("fio", "fio fio-3.33", 1L << 29, 512, 1.0, 0.5, 512, 11, 21, 31, 41, 512);

    @Test
    void shouldPrintConduitFioAndTheirRatioAsJson() throws Exception
    {
        final JsonNode json = new ObjectMapper().readTree(new BenchReport(CONFIG, CONDUIT, List.of(new VsFio.Round(1, true, CONDUIT, FIO)), List.of("fio")).json().toString());
        for (final String side : new String[] {"conduit", "fio"})
        {
            final JsonNode node = json.get(side);
            assertTrue(node.has("gib_s") && node.has("iops"), side);
            for (final String p : new String[] {"p50", "p99", "p999", "max"})
            {
                assertTrue(node.get("lat_us").has(p), side + " " + p);
            }
        }
        assertEquals(2.0, json.get("ratio").get("gib_s").asDouble(), 1e-9);
        assertEquals(2.0, json.get("ratio").get("iops").asDouble(), 1e-9);
        assertEquals(40.0, json.get("conduit").get("lat_us").get("max").asDouble(), 1e-9);
        assertEquals("read", json.get("config").get("mode").asText());
    }

    @Test
    void shouldPrintNullFioAndRatioWithoutFio() throws Exception
    {
        final JsonNode json = new ObjectMapper().readTree(new BenchReport(CONFIG, CONDUIT).json().toString());
        assertTrue(json.get("fio").isNull());
        assertTrue(json.get("ratio").isNull());
        assertTrue(new BenchReport(CONFIG, CONDUIT, List.of(new VsFio.Round(1, true, CONDUIT, FIO)), List.of("fio")).text().contains("conduit / fio"));
    }
}
