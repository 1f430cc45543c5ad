package dev.conduit.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench compare} on crafted runs: within the rounds' spread, outside it, no spread, different workloads. */
class RunComparisonTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * A run as {@code bench --vs-fio --json} writes it, Conduit's side only: one round per GiB/s value, the
     * other figures derived from it (IOPS at 4k, latency falling as throughput rises); medians at the top.
     */
    private static ObjectNode run(final int bs, final double medianGib, final double... roundsGib)
    {
        final ObjectNode run = MAPPER.createObjectNode();
        final ObjectNode config = run.putObject("config");
        config.put("mode", "randread").put("bs", bs).put("qd", 16).put("threads", 1).put("size", 268435456)
            .put("direct", true).put("rate_iops", 0).put("path", "host").put("target", "/tmp/x").put("time_s", 3.0);
        run.set("conduit", side(medianGib));
        final ArrayNode rounds = run.putArray("rounds");
        for (int i = 0; i < roundsGib.length; i++)
        {
            final ObjectNode round = rounds.addObject();
            round.put("round", i + 1);
            round.set("conduit", side(roundsGib[i]));
        }
        return run;
    }

    private static ObjectNode side(final double gib)
    {
        final ObjectNode side = MAPPER.createObjectNode();
        side.put("gib_s", gib).put("iops", gib * 262144);
        side.putObject("lat_us").put("p50", 100 / gib).put("p99", 400 / gib).put("p999", 900 / gib);
        return side;
    }

    private static RunComparison.Row row(final RunComparison c, final String figure)
    {
        return c.rows().stream().filter(r -> r.figure().equals(figure)).findFirst().orElseThrow();
    }

    @Test
    void shouldCallAChangeInsideTheRoundsSpreadWithin()
    {
        // A's rounds 0.9..1.1 hold B's median 1.05, and B's 0.95..1.15 hold A's 1.0: noise explains it.
        final RunComparison c = RunComparison.of(run(4096, 1.0, 0.9, 1.0, 1.1), run(4096, 1.05, 0.95, 1.05, 1.15));
        final RunComparison.Row gib = row(c, "GiB/s");
        assertEquals(5.0, gib.changePercent(), 1e-9);
        assertEquals(RunComparison.Spread.WITHIN, gib.spread());
        assertEquals(0.9, gib.aMin(), 1e-12);
        assertEquals(1.15, gib.bMax(), 1e-12);
        assertEquals(RunComparison.Spread.WITHIN, row(c, "p99 (µs)").spread());
        assertEquals(5, c.rows().size(), "GiB/s, IOPS, p50, p99, p99.9");
    }

    @Test
    void shouldCallAChangeBeyondBothRunsRoundsOutside()
    {
        final RunComparison c = RunComparison.of(run(4096, 1.0, 0.95, 1.0, 1.05), run(4096, 1.5, 1.45, 1.5, 1.6));
        final RunComparison.Row gib = row(c, "GiB/s");
        assertEquals(50.0, gib.changePercent(), 1e-9);
        assertEquals(RunComparison.Spread.OUTSIDE, gib.spread());
        final RunComparison.Row p99 = row(c, "p99 (µs)");
        assertEquals((400 / 1.5 - 400) / 400 * 100, p99.changePercent(), 1e-9);
        assertEquals(RunComparison.Spread.OUTSIDE, p99.spread());
        assertTrue(c.text().contains("outside"), c.text());
    }

    @Test
    void shouldNotCallItOutsideWhenOnlyOneRunsRoundsMissTheOther()
    {
        // B's median 1.2 is above A's tight rounds, but B's wide rounds (0.8..1.6) hold A's median: within.
        final RunComparison c = RunComparison.of(run(4096, 1.0, 0.99, 1.0, 1.01), run(4096, 1.2, 0.8, 1.2, 1.6));
        assertEquals(RunComparison.Spread.WITHIN, row(c, "GiB/s").spread());
    }

    @Test
    void shouldHaveNoSpreadForASingleRound()
    {
        final ObjectNode a = run(4096, 1.0);
        a.remove("rounds");
        final RunComparison c = RunComparison.of(a, run(4096, 2.0, 1.9, 2.0, 2.1));
        assertEquals(RunComparison.Spread.UNKNOWN, row(c, "GiB/s").spread());
        assertEquals(100.0, row(c, "GiB/s").changePercent(), 1e-9);
    }

    @Test
    void shouldRefuseRunsOfDifferentWorkloads()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> RunComparison.of(run(4096, 1.0, 1.0, 1.0), run(1048576, 1.0, 1.0, 1.0)));
        assertTrue(e.getMessage().contains("different workloads") && e.getMessage().contains("bs 4096 vs 1048576"),
            e.getMessage());
        final JsonNode notARun = MAPPER.createObjectNode().put("hello", 1);
        assertThrows(IllegalArgumentException.class, () -> RunComparison.of(notARun, run(4096, 1.0, 1.0)));
    }

    @Test
    void shouldCompareRunsOnDifferentTargetsAndDurations()
    {
        final ObjectNode b = run(4096, 1.0, 1.0, 1.0);
        ((ObjectNode)b.path("config")).put("target", "/dev/nvme0n1").put("time_s", 30.0);
        assertEquals(0.0, row(RunComparison.of(run(4096, 1.0, 1.0, 1.0), b), "GiB/s").changePercent(), 1e-12);
    }
}
