package dev.conduit.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.scheduler.Priority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rounds taken in turns, the ratio the median of the paired ratios, every round in the JSON. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class VsFioTest
{
    private static BenchResult result(final String tool, final double gibPerSec)
    {
        return new BenchResult(tool, tool, 1, 1, 1, gibPerSec, gibPerSec * 1000, 1, 2, 3, 4, 1);
    }

    @Test
    void shouldAlternateWhichSideRunsFirst()
    {
        final List<String> order = new ArrayList<>();
        final List<VsFio.Round> rounds = VsFio.alternate(4, () ->
        {
            order.add("conduit");
            return result("conduit", 1);
        }, () ->
        {
            order.add("fio");
            return result("fio", 1);
        }, Progress.silent());
        assertEquals(List.of("conduit", "fio", "fio", "conduit", "conduit", "fio", "fio", "conduit"), order);
        assertEquals(List.of(true, false, true, false), rounds.stream().map(VsFio.Round::conduitFirst).toList());
        assertEquals(List.of(1, 2, 3, 4), rounds.stream().map(VsFio.Round::number).toList());
    }

    @Test
    void shouldTakeTheMedianOfThePairedRatios() throws Exception
    {
        // Per-round ratios 0.5, 3.0 and 0.75: their median is 0.75, while the ratio of the
        // medians (Conduit 3.0, fio 2.0) would be 1.5.
        final double[] conduit = {1.0, 6.0, 3.0};
        final double[] fio = {2.0, 2.0, 4.0};
        final int[] next = {0, 0};
        final List<VsFio.Round> rounds = VsFio.alternate(3, () -> result("conduit", conduit[next[0]++]),
            () -> result("fio", fio[next[1]++]), Progress.silent());
        final BenchConfig config = new BenchConfig("f", BenchMode.READ, 1 << 20, 32, 1, 1L << 30, 0, 0, true, "auto",
            Priority.LATENCY, "host", Path.of("var"));
        final BenchReport report = new BenchReport(config, VsFio.median(rounds, true), rounds, List.of("fio", "--x"));
        assertEquals(0.75, report.ratioGibPerSec(), 1e-12);
        assertEquals(0.75, report.ratioIops(), 1e-12);
        assertEquals(3.0, report.conduit().gibPerSec(), 1e-12, "Conduit's figures are its medians");
        assertEquals(2.0, report.fio().gibPerSec(), 1e-12, "and fio's are fio's");

        final JsonNode json = new ObjectMapper().readTree(report.json().toString());
        assertEquals(3, json.get("rounds").size());
        assertEquals(List.of(0.5, 3.0, 0.75), List.of(json.get("rounds").get(0).get("ratio").get("gib_s").asDouble(),
            json.get("rounds").get(1).get("ratio").get("gib_s").asDouble(),
            json.get("rounds").get(2).get("ratio").get("gib_s").asDouble()));
        assertEquals("fio", json.get("rounds").get(1).get("first").asText());
        assertEquals(6.0, json.get("rounds").get(1).get("conduit").get("gib_s").asDouble(), 1e-9);
        assertEquals(0.75, json.get("ratio").get("gib_s").asDouble(), 1e-9);
        assertEquals("--x", json.get("fio_command").get(1).asText());
    }

    @Test
    void shouldTakeTheMiddleOrTheMeanOfTheMiddleTwo()
    {
        assertEquals(2.0, VsFio.median(new double[] {3, 1, 2}), 0);
        assertEquals(2.5, VsFio.median(new double[] {4, 1, 3, 2}), 0);
        assertEquals(7.0, VsFio.median(new double[] {7}), 0);
    }
}
