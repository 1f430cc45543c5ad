package dev.conduit.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.nativebindings.DirectIoSupport;
import dev.conduit.scheduler.Priority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-second series and latency spectra each side now records, which the report draws. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SeriesTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRecordOneSamplePerSecondOfATimedConduitRun()
    {
        final BenchConfig config = new BenchConfig(dir.resolve("t.dat").toString(), BenchMode.RANDREAD, 4096, 4, 1,
            8L << 20, TimeUnit.SECONDS.toNanos(2), 0, DirectIoSupport.probe(dir).supported(), "pread", Priority.LATENCY,
            "host", dir);
        final BenchResult r = ConduitBench.run(config, Progress.silent());
        assertEquals(2, r.perSecond().size(), r.perSecond().toString());
        double lastS = 0;
        double sumIos = 0;
        for (final RateSample s : r.perSecond())
        {
            assertTrue(s.atS() > lastS && s.atS() <= r.seconds() + 0.01,
                r.perSecond() + " within " + r.seconds() + " s");
            sumIos += s.iops() * (s.atS() - lastS);
            lastS = s.atS();
        }
        // The samples account for the run's I/Os (all but the drain after the stop).
        assertTrue(sumIos <= r.ios() && sumIos > 0.8 * r.ios(), sumIos + " of " + r.ios());
        assertSpectrum(r.spectrum(), r, LatencySpectrum.PERCENTILES.length);
    }

    @Test
    void shouldTakeFiosPerSecondSeriesFromItsStatusReports() throws IOException
    {
        final String json;
        try (InputStream in = SeriesTest.class.getResourceAsStream("fio-randread-4k.json"))
        {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        final ObjectMapper mapper = new ObjectMapper();
        // Cumulative reports at 1.0 s, 2.0 s, 2.2 s, as --status-interval=1 prints them, then the final one at 3.0 s.
        final StringBuilder out = new StringBuilder();
        final long[][] snapshots = {{1000, 1000}, {2000, 3000}, {2200, 3100}, {3000, 5100}};
        for (final long[] snapshot : snapshots)
        {
            final ObjectNode report = (ObjectNode)mapper.readTree(json);
            final ObjectNode read = (ObjectNode)report.path("jobs").path(0).path("read");
            read.put("runtime", snapshot[0]).put("total_ios", snapshot[1]).put("io_bytes", snapshot[1] * 4096);
            out.append(report.toPrettyString()).append('\n');
        }
        final BenchResult r = FioRunner.parse(out.toString(), true);
        assertEquals(5100, r.ios(), "the figures come from the last report");
        final List<RateSample> samples = r.perSecond();
        // 0..1 s, 1..2 s, then 2.0..3.0 s: 2.0..2.2 s alone is too short to be a second of the run.
        assertEquals(3, samples.size(), samples.toString());
        assertEquals(1000, samples.get(0).iops(), 1e-9);
        assertEquals(2000, samples.get(1).iops(), 1e-9);
        assertEquals(2000 * 4096 / BenchResult.GIB, samples.get(1).gibPerSec(), 1e-12);
        assertEquals(2100, samples.get(2).iops(), 1e-9);
        assertEquals(3.0, samples.get(2).atS(), 1e-9);
        // The file was written with --percentile_list=50:99:99.9: the spectrum holds what fio reported.
        assertSpectrum(r.spectrum(), r, 3);
    }

    private static void assertSpectrum(final List<LatencyPoint> spectrum, final BenchResult r, final int points)
    {
        assertEquals(points, spectrum.size(), spectrum.toString());
        for (int i = 1; i < spectrum.size(); i++)
        {
            assertTrue(spectrum.get(i).percentile() > spectrum.get(i - 1).percentile(), spectrum.toString());
            assertTrue(spectrum.get(i).us() >= spectrum.get(i - 1).us(), "monotone: " + spectrum);
        }
        assertEquals(r.p50Us(), spectrum.get(0).us(), 1e-9, "the spectrum's p50 is the table's");
    }
}
