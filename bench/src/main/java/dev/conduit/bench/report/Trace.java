package dev.conduit.bench.report;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One side of one round of a run, as its JSON holds it: what the charts draw one line for.
 *
 * @param label e.g. {@code conduit r1}, {@code fio r2}, or {@code conduit} for a run without rounds.
 * @param side  the side's JSON object ({@code gib_s}, {@code iops}, {@code per_second}, {@code lat_spectrum_us}...).
 */
public record Trace(String label, JsonNode side)
{
    /** The peers a run's rounds may name next to {@code conduit}. */
    private static final List<String> PEERS = List.of("fio");

    /**
     * @param run a run's JSON (as {@code conduit bench --json} writes it).
     * @return every side of every round, Conduit's first in each round; or Conduit alone for a run without rounds.
     */
    public static List<Trace> of(final JsonNode run)
    {
        final List<Trace> traces = new ArrayList<>();
        final JsonNode rounds = run.path("rounds");
        if (!rounds.isArray() || rounds.isEmpty())
        {
            traces.add(new Trace("conduit", run.path("conduit")));
            return traces;
        }
        for (final JsonNode round : rounds)
        {
            final String suffix = " r" + round.path("round").asInt();
            traces.add(new Trace("conduit" + suffix, round.path("conduit")));
            for (final String peer : PEERS)
            {
                if (round.hasNonNull(peer))
                {
                    traces.add(new Trace(peer + suffix, round.path(peer)));
                }
            }
        }
        return traces;
    }

    /** @return the per-second samples, {@code [{t, gib_s, iops}]}, empty when the run kept none. */
    public JsonNode perSecond()
    {
        return side.path("per_second");
    }

    /** @return the latency spectrum, {@code [{p, us}]}, empty when the run kept none. */
    public JsonNode spectrum()
    {
        return side.path("lat_spectrum_us");
    }
}
