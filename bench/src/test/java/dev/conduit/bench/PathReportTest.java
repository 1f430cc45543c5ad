package dev.conduit.bench;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.gdspath.PathChoice;
import dev.conduit.gdspath.PathKind;
import dev.conduit.gdspath.PathStats;
import dev.conduit.nativebindings.cufile.CuFileControlFlag;
import dev.conduit.nativebindings.cufile.CuFileDriverProperties;
import dev.conduit.nativebindings.cufile.CuFileDriverStatusFlag;
import dev.conduit.scheduler.Priority;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The path bench's JSON: a plain run's fields plus CPU per GiB, reads per path and the cuFile configuration. */
class PathReportTest
{
    @Test
    void shouldCarryTheCuFileConfigurationAndTheFiguresOfAGdsRun()
    {
        final BenchConfig config = new BenchConfig(BenchConfig.STORE, BenchMode.READ, 1 << 20, 32, 4, 4L << 30, 0, 0, true,
            "auto", Priority.BULK, "gds", Path.of("data"));
        final BenchResult result = new BenchResult("conduit", "DataPath gds", 4L << 30, 4096, 2.0, 2.0, 2048, 900, 1500,
            1800, 2000, 4096);
        final Map<PathKind, PathStats> stats = new EnumMap<>(PathKind.class);
        for (final PathKind kind : PathKind.values())
        {
            final boolean gds = kind == PathKind.GDS;
            stats.put(kind, new PathStats(kind, gds ? 4096 : 0, gds ? 4L << 30 : 0, 0, 0, 0, new Histogram(3), gds ? 5_000_000 : 0,
                gds ? 95_000_000 : 0));
        }
        final CuFileDriverProperties props = new CuFileDriverProperties(2, 22, 4, 16384, Set.of(CuFileDriverStatusFlag.NVME),
            Set.of(CuFileControlFlag.ALLOW_COMPAT_MODE), Set.of(), 131072, 1024, 33554432, 128, 5);
        final GdsioLine line = new GdsioLine("READ", "GPUD", 4, 4 << 20, 4 << 20, 1024, 2.0, 1000, 4096, 2.0);
        final PathReport report = new PathReport(config, XferType.GPU_DIRECT, result,
            new PathChoice(PathKind.GDS, "path.mode=gds"), stats, 1_000_000_000L, Optional.of(props), -1, line);

        final JsonNode json = report.json();
        assertEquals(0.25, json.get("cpu").get("s_per_gib").asDouble(), 1e-9, "1 CPU-second over 4 GiB");
        assertEquals(4096, json.get("ios_by_path").get("gds").get("reads").asLong());
        assertEquals(0.005, json.get("ios_by_path").get("gds").get("submit_cpu_s").asDouble(), 1e-9);
        assertEquals(0.095, json.get("ios_by_path").get("gds").get("engine_cpu_s").asDouble(), 1e-9);
        assertEquals(0.025, json.get("ios_by_path").get("gds").get("cpu_s_per_gib").asDouble(), 1e-9, "0.1 CPU-s over 4 GiB");
        assertEquals(0, json.get("ios_by_path").get("host").get("reads").asLong());
        final JsonNode cufile = json.get("cufile");
        assertEquals("2.22", cufile.get("nvfs_version").asText());
        assertTrue(cufile.get("compat_mode_allowed").asBoolean() && cufile.get("nvme_supported").asBoolean(), cufile.toString());
        assertEquals(16384, cufile.get("max_direct_io_size_kb").asLong());
        assertEquals(128, cufile.get("max_batch_io_size").asLong());
        assertEquals("nvme", cufile.get("nvfs_status_flags").get(0).asText());
        assertTrue(json.get("verified_bytes").isNull());
        assertEquals(0, json.get("xfer_type").get("x").asInt());
        assertEquals("gds", json.get("config").get("path").asText());
        assertEquals(line, GdsioLine.parse(json.get("gdsio").asText()));
        assertTrue(report.text().contains("XferType: GPUD") && report.text().contains("0.2500 CPU-s/GiB"), report.text());
    }
}
