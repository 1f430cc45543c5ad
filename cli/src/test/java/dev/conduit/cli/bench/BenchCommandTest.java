package dev.conduit.cli.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.bench.FioRunner;
import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.cli.ExitCodes;
import dev.conduit.core.ConduitException;
import dev.conduit.nativebindings.DirectIoSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code conduit bench} end to end, in-process. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchCommandTest
{
    @TempDir
    Path dir;

    private static BenchRun run(final String... args)
    {
        return BenchRun.run(args);
    }

    private String[] directFlag()
    {
        return DirectIoSupport.probe(dir).supported() ? new String[0] : new String[] {"--buffered"};
    }

    @Test
    void shouldPrintOneJsonObjectOnStdout() throws Exception
    {
        final Path file = dir.resolve("f.dat");
        final BenchRun r = run(concat(new String[] {"bench", "--target", file.toString(), "--size", "2m", "--bs", "64k", "--qd", "4",
            "--backend", "pread", "--json"}, directFlag()));
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("conduit").get("gib_s").asDouble() > 0);
        assertEquals(32, json.get("conduit").get("ios").asLong(), "2 MiB in 64 KiB reads");
        assertTrue(json.get("conduit").get("lat_us").has("p999"));
        assertTrue(json.get("fio").isNull());
        assertTrue(Files.size(file) == 2 << 20);
    }

    @Test
    void shouldRunFioSideBySide() throws Exception
    {
        assumeFio();
        final Path file = dir.resolve("vs.dat");
        final BenchRun r = run(concat(new String[] {"bench", "--target", file.toString(), "--size", "8m", "--bs", "4k", "--qd", "8",
            "--mode", "randread", "--time", "1s", "--rounds", "2", "--vs-fio", "--json"}, directFlag()));
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("fio").get("iops").asDouble() > 0);
        final JsonNode rounds = json.get("rounds");
        assertEquals(2, rounds.size());
        assertEquals("conduit", rounds.get(0).get("first").asText());
        assertEquals("fio", rounds.get(1).get("first").asText());
        // Two rounds: the median of the paired ratios is their mean.
        final double mean = (rounds.get(0).get("ratio").get("iops").asDouble() + rounds.get(1).get("ratio").get("iops").asDouble()) / 2;
        assertEquals(mean, json.get("ratio").get("iops").asDouble(), 1e-3);
        for (final JsonNode round : rounds)
        {
            assertEquals(round.get("conduit").get("iops").asDouble() / round.get("fio").get("iops").asDouble(),
                round.get("ratio").get("iops").asDouble(), 1e-3);
        }
        final String command = json.get("fio_command").toString();
        assertTrue(command.contains("--iodepth=8") && command.contains("--numjobs=1"), command);
        if (json.get("conduit").get("detail").asText().contains("fixedbufs"))
        {
            assertTrue(command.contains("--fixedbufs") && command.contains("--registerfiles"), command);
        }
        assertTrue(r.err().contains("--ioengine="), "the fio command is shown on stderr");
    }

    @Test
    void shouldRunFioOverTheObjectsOwnBlocksWithTheSameTotalDepth() throws Exception
    {
        assumeFio();
        final Path data = dir.resolve("store");
        DataDirectory.format(data, 64L << 20, 2, FormatOptions.DEFAULT);
        final BenchRun r = run("--data", data.toString(), "bench", "--target", "store", "--size", "8m", "--bs", "64k", "--qd", "4",
            "--threads", "2", "--mode", "randread", "--time", "1s", "--rounds", "1", "--vs-fio", "--json");
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("fio").get("iops").asDouble() > 0 && json.get("conduit").get("iops").asDouble() > 0);
        long depth = 0;
        long bytes = 0;
        for (final JsonNode arg : json.get("fio_command"))
        {
            final String a = arg.asText();
            depth += a.startsWith("--iodepth=") ? Long.parseLong(a.substring(10)) : 0;
            bytes += a.startsWith("--size=") ? Long.parseLong(a.substring(7)) : 0;
            assertTrue(!a.startsWith("--numjobs=") || a.equals("--numjobs=1"), a);
        }
        assertEquals(8, depth, "qd 4 x 2 threads in flight in total");
        assertEquals(8L << 20, bytes, "the object's 8 MiB and nothing else");
        assertTrue(json.get("fio_command").toString().contains("--direct=1"));
    }

    @Test
    void shouldSayHowToGetFioWhenItIsMissing()
    {
        final BenchRun r = run("bench", "--target", dir.resolve("x.dat").toString(), "--size", "1m", "--vs-fio", "--fio", "no/such/fio");
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        assertTrue(r.err().contains("[TOOL_NOT_FOUND]"), r.err());
        assertTrue(Files.notExists(dir.resolve("x.dat")), "nothing ran before the check");
    }

    @Test
    void shouldStartIosOnScheduleWhenGivenARate() throws Exception
    {
        final Path file = dir.resolve("rate.dat");
        final BenchRun r = run(concat(new String[] {"bench", "--target", file.toString(), "--size", "8m", "--bs", "4k", "--qd", "4",
            "--mode", "randread", "--backend", "pread", "--time", "1s", "--rate", "2000", "--json"}, directFlag()));
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        final long ios = json.get("conduit").get("ios").asLong();
        final double iops = json.get("conduit").get("iops").asDouble();
        // The schedule caps the rate at 2000 a second (plus the 4 slots' worth of catching up), whatever the device could do.
        assertTrue(iops > 250 && iops <= 2010, "IOPS at --rate 2000: " + iops);
        assertEquals(ios, json.get("conduit").get("lat_us").get("samples").asLong());
        assertEquals(2000, json.get("config").get("rate_iops").asLong());
        assertTrue(json.get("config").get("latency_from").asText().contains("scheduled"));
    }

    @Test
    void shouldRefuseToCompareTheNullBackendWithFio()
    {
        final BenchRun r = run("bench", "--target", dir.resolve("n.dat").toString(), "--size", "1m", "--backend", "null",
            "--vs-fio", "--fio", "/bin/true");
        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.err());
        assertTrue(r.err().contains("[INVALID_ARGUMENT]"), r.err());
        assertTrue(Files.notExists(dir.resolve("n.dat")), "refused before any I/O");
    }

    @Test
    void shouldRefuseToCompareABufferedFioWithTheDirectStore()
    {
        final BenchRun r = run("--data", dir.toString(), "bench", "--target", "store", "--size", "1m", "--buffered", "--vs-fio");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.err());
        assertTrue(r.err().contains("O_DIRECT"), r.err());
    }

    @Test
    void shouldWriteAReportBesideTheJson() throws Exception
    {
        final Path report = dir.resolve("rep");
        final BenchRun r = run(concat(new String[] {"bench", "--target", dir.resolve("r.dat").toString(), "--size", "8m",
            "--bs", "4k", "--qd", "4", "--mode", "randread", "--backend", "pread", "--time", "2s", "--report",
            report.toString(), "--json"}, directFlag()));
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode printed = new ObjectMapper().readTree(r.out());
        final JsonNode written = new ObjectMapper().readTree(report.resolve("result.json").toFile());
        assertEquals(printed.get("conduit"), written.get("conduit"), "result.json is the run --json printed");
        assertEquals(2, written.get("conduit").get("per_second").size(), "one sample per second of --time 2s");
        // The host facts come from doctor's probes: the kernel this JVM runs on, the file system under the target.
        assertTrue(written.get("host").get("kernel").asText().contains(System.getProperty("os.arch")), written.toString());
        assertTrue(written.get("host").get("file system").asText().contains(" at " + dir.toRealPath()) ||
            written.get("host").get("file system").asText().contains(" at " + dir), written.toString());
        final String html = Files.readString(report.resolve("report.html"));
        assertTrue(html.contains("id=\"chart-throughput\"") && html.contains("id=\"chart-latency\""), html);
        assertTrue(html.contains("No peer ran"), "no ratio chart without --vs-fio");
        assertTrue(Files.size(report.resolve("throughput.png")) > 0 && Files.size(report.resolve("latency.png")) > 0);
        assertTrue(Files.notExists(report.resolve("ratio.png")));
    }

    @Test
    void shouldStillDemandATarget()
    {
        final BenchRun r = run("bench", "--size", "1m");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.err());
        assertTrue(r.err().contains("--target"), r.err());
    }

    @Test
    void shouldRejectBadArguments()
    {
        assertEquals(ExitCodes.USAGE, run("bench", "--target", "x", "--bs", "3k").exitCode());
        assertEquals(ExitCodes.USAGE, run("bench", "--target", "x", "--mode", "sideways").exitCode());
        assertEquals(ExitCodes.USAGE, run("bench", "--target", "x", "--priority", "urgent").exitCode());
    }

    private static void assumeFio()
    {
        try
        {
            FioRunner.locate(null);
        }
        catch (final ConduitException e)
        {
            System.out.println("skipping: fio is not installed: " + e.getMessage());
            Assumptions.abort("fio is not installed: " + e.getMessage());
        }
    }

    private static String[] concat(final String[] a, final String[] b)
    {
        final String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
