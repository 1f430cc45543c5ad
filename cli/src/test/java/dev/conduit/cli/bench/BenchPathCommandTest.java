package dev.conduit.cli.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.bench.BlockPattern;
import dev.conduit.bench.GdsioLine;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.cli.ExitCodes;
import dev.conduit.gdspath.PathKind;
import dev.conduit.gdspath.PathSelection;
import dev.conduit.nativebindings.cuda.CudaInventory;
import dev.conduit.nativebindings.cufile.CuFileInventory;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code conduit bench --path} / {@code -x} end to end, in-process, on a real store whose namespace files
 * live under {@code target/} (O_DIRECT needs a real file system, and {@code /tmp} may be tmpfs).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchPathCommandTest
{
    private Path data;

    @BeforeEach
    void store() throws IOException
    {
        data = ScratchStore.format("bench-path");
    }

    @Test
    void shouldReadTheObjectThroughTheHostPathAndMatchWhatWasPut() throws Exception
    {
        final BenchRun r = BenchRun.run("--data", data.toString(), "bench", "--path", "host", "--size", "8m", "--bs", "64k",
            "--qd", "4", "--threads", "2", "--verify", "--json");
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        final long bytes = json.get("conduit").get("bytes").asLong();
        assertEquals(2 * (8L << 20), bytes, "each of the 2 jobs reads the 8 MiB object once");
        assertEquals(256, json.get("conduit").get("ios").asLong(), "16 MiB in 64 KiB reads");
        assertEquals(bytes, json.get("verified_bytes").asLong(), "every byte read was checked against the pattern");
        assertEquals("host", json.get("data_path").get("kind").asText());
        assertEquals(1, json.get("xfer_type").get("x").asInt());
        assertEquals("CPUONLY", json.get("xfer_type").get("name").asText());
        assertEquals(256, json.get("ios_by_path").get("host").get("reads").asLong());
        assertEquals(bytes, json.get("ios_by_path").get("host").get("read_bytes").asLong());
        assertEquals(0, json.get("ios_by_path").get("gds").get("reads").asLong());
        assertEquals(0, json.get("ios_by_path").get("bounce").get("reads").asLong());
        assertTrue(json.get("cpu").get("s_per_gib").asDouble() > 0, json.toString());
        assertTrue(json.get("cufile").isNull(), "no cuFile configuration on the host path");
        assertEquals("host", json.get("config").get("path").asText());
        assertEquals("BULK", json.get("config").get("priority").asText(), "DataPath reads are BULK");
        assertTrue(json.get("conduit").has("lat_us") && json.get("fio").isNull(), "the JSON of a plain run, extended");

        final GdsioLine line = GdsioLine.parse(json.get("gdsio").asText());
        assertEquals("READ", line.ioType());
        assertEquals("CPUONLY", line.xferType());
        assertEquals(2, line.threads());
        assertEquals(16 * 1024, line.doneKib());
        assertEquals(16 * 1024, line.plannedKib());
        assertEquals(64, line.ioSizeKib());
        assertEquals(256, line.ops());
        assertTrue(line.avgLatencyUs() > 0 && line.gibPerSec() > 0 && line.totalTimeS() > 0, line.toString());

        // What the bench verified against is what the store holds: read it back the ordinary way.
        try (ScheduledStore scheduled = ScheduledStore.open(data, StoreOptions.DEFAULT, Priority.LATENCY))
        {
            final byte[] stored = scheduled.store().getBytes("conduit-bench/pattern-" + (8L << 20));
            assertEquals(8L << 20, stored.length);
            for (int i = 0; i < stored.length; i++)
            {
                if (stored[i] != BlockPattern.byteAt(i))
                {
                    throw new AssertionError("stored byte " + i + " is not the pattern");
                }
            }
        }
    }

    @Test
    void shouldPrintGdsiosLineInTheTextReport()
    {
        final BenchRun r = BenchRun.run("--data", data.toString(), "bench", "-x", "1", "--size", "4m", "--bs", "1m",
            "--qd", "2", "--mode", "randread");
        assertEquals(0, r.exitCode(), r.err());
        final GdsioLine line = GdsioLine.parse(r.out());
        assertEquals("CPUONLY", line.xferType());
        assertEquals(1024, line.ioSizeKib());
        assertEquals(4, line.ops());
        assertTrue(r.out().contains("CPU-s/GiB"), r.out());
    }

    @Test
    void shouldRefuseTheGpuPathsOnAGpuLessHostWithDoctorsReason()
    {
        final CudaInventory cuda = CudaInventory.collect();
        final var choice = PathSelection.select(cuda, CuFileInventory.collect(cuda));
        Assumptions.assumeTrue(choice.path() == PathKind.HOST, "this host has a GPU: " + choice.reason());
        for (final String[] args : new String[][] {{"--path", "gds"}, {"--path", "bounce"}, {"-x", "0"}, {"-x", "2"},
            {"-x", "5"}, {"-x", "6"}})
        {
            final BenchRun r = BenchRun.run("--data", data.toString(), "bench", args[0], args[1], "--size", "1m", "--json");
            assertEquals(ExitCodes.FAILURE, r.exitCode(), r.err());
            assertEquals("", r.out(), "nothing on stdout");
            final String err = r.err().strip();
            assertFalse(err.contains("\n"), "one line: " + err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
            assertTrue(err.contains("[PATH_UNAVAILABLE]") && err.contains("cannot serve the"), err);
            assertTrue(err.contains(choice.reason()), "doctor's reason: " + err);
        }
    }

    @Test
    void shouldRefuseATransferTypeThatContradictsThePath()
    {
        final BenchRun r = BenchRun.run("--data", data.toString(), "bench", "-x", "0", "--path", "host", "--size", "1m");
        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.err());
        assertTrue(r.err().contains("[INVALID_ARGUMENT]") && r.err().contains("gds path"), r.err());
        final BenchRun three = BenchRun.run("--data", data.toString(), "bench", "-x", "3", "--size", "1m");
        assertTrue(three.err().contains("-x must be 0"), three.err());
        final BenchRun file = BenchRun.run("--data", data.toString(), "bench", "--path", "host", "--target",
            data.resolveSibling("f.dat").toString(), "--size", "1m");
        assertEquals(ExitCodes.FAILURE, file.exitCode(), file.err());
        assertTrue(file.err().contains("read a store object"), file.err());
    }

    @Test
    void shouldRefuseVerifyWithoutADataPath()
    {
        final BenchRun r = BenchRun.run("--data", data.toString(), "bench", "--target", "store", "--size", "1m", "--verify");
        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.err());
        assertTrue(r.err().contains("--verify goes with --path"), r.err());
    }
}
