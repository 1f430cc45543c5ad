package dev.conduit.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code conduit bench compare A.json B.json}: Conduit's figures in two runs of the same workload, B
 * against A.
 *
 * <p>Each figure (GiB/s, IOPS or req/s, p50, p99, p99.9) is the run's median over its rounds. A change is
 * <em>outside the spread</em> when B's median lies outside A's rounds (their min..max) and A's median lies
 * outside B's rounds: neither run's rounds can account for the other's median, so round-to-round noise
 * does not explain it. A run with fewer than two rounds has no spread; its changes are marked
 * {@link Spread#UNKNOWN}.
 */
public final class RunComparison
{
    /** The configuration fields that make two runs the same workload (target, time and rounds may differ). */
    static final List<String> WORKLOAD = List.of("mode", "bs", "qd", "threads", "size", "direct", "rate_iops", "path",
        "get_ratio", "objects");

    /** Where B's change stands against the rounds' spread. */
    public enum Spread
    {
        /** Each median lies within the other run's min..max over its rounds: noise can explain it. */
        WITHIN,
        /** Each median lies outside the other run's min..max: a change the rounds do not explain. */
        OUTSIDE,
        /** A run has fewer than two rounds, so there is no spread to judge by. */
        UNKNOWN
    }

    /**
     * One figure in both runs.
     *
     * @param figure        e.g. {@code GiB/s} or {@code p99 (µs)}.
     * @param a             A's median.
     * @param b             B's median.
     * @param aMin          A's smallest round.
     * @param aMax          A's largest round.
     * @param bMin          B's smallest round.
     * @param bMax          B's largest round.
     * @param changePercent (B - A) / A, in percent.
     * @param spread        whether the change lies outside the rounds' spread.
     */
    public record Row(String figure, double a, double b, double aMin, double aMax, double bMin, double bMax,
        double changePercent, Spread spread)
    {
    }

    /** A figure: its name and where it lies in a side's JSON. */
    private record Figure(String name, String field, String latency)
    {
        double of(final JsonNode side)
        {
            final JsonNode node = latency == null ? side.path(field) : side.path("lat_us").path(latency);
            return node.isNumber() ? node.asDouble() : Double.NaN;
        }
    }

    private final List<Row> rows;
    private final String workload;

    private RunComparison(final List<Row> rows, final String workload)
    {
        this.rows = rows;
        this.workload = workload;
    }

    /**
     * @param a the earlier (baseline) run's JSON.
     * @param b the later run's JSON.
     * @return the comparison.
     * @throws IllegalArgumentException when the runs are of different workloads, naming the fields that differ.
     */
    public static RunComparison of(final JsonNode a, final JsonNode b)
    {
        if (!a.path("config").isObject() || !b.path("config").isObject())
        {
            throw new IllegalArgumentException("not a conduit bench result (no \"config\" object)");
        }
        final List<String> differences = new ArrayList<>();
        for (final String field : WORKLOAD)
        {
            final JsonNode x = a.path("config").path(field);
            final JsonNode y = b.path("config").path(field);
            if (!Objects.equals(x, y))
            {
                differences.add(field + " " + text(x) + " vs " + text(y));
            }
        }
        if (!differences.isEmpty())
        {
            throw new IllegalArgumentException("the runs are of different workloads (" +
                String.join(", ", differences) + "); compare runs of the same workload");
        }
        final String rate = a.path("conduit").has("req_s") ? "req/s" : "IOPS";
        final List<Figure> figures = List.of(new Figure("GiB/s", "gib_s", null), new Figure(rate, "iops", null),
            new Figure("p50 (µs)", null, "p50"), new Figure("p99 (µs)", null, "p99"),
            new Figure("p99.9 (µs)", null, "p999"));
        final List<Row> rows = new ArrayList<>();
        for (final Figure figure : figures)
        {
            rows.add(row(figure, a, b));
        }
        final JsonNode c = a.path("config");
        return new RunComparison(List.copyOf(rows), String.format(Locale.ROOT, "%s bs=%s qd=%s threads=%s",
            c.path("mode").asText(), c.path("bs").asText(), c.path("qd").asText(), c.path("threads").asText()));
    }

    private static Row row(final Figure figure, final JsonNode a, final JsonNode b)
    {
        final double[] ra = rounds(figure, a);
        final double[] rb = rounds(figure, b);
        final double ma = figure.of(a.path("conduit"));
        final double mb = figure.of(b.path("conduit"));
        final Spread spread;
        if (ra.length < 2 || rb.length < 2)
        {
            spread = Spread.UNKNOWN;
        }
        else
        {
            final boolean bOutsideA = mb < min(ra) || mb > max(ra);
            final boolean aOutsideB = ma < min(rb) || ma > max(rb);
            spread = bOutsideA && aOutsideB ? Spread.OUTSIDE : Spread.WITHIN;
        }
        return new Row(figure.name(), ma, mb, min(ra), max(ra), min(rb), max(rb), (mb - ma) / ma * 100.0, spread);
    }

    /** @return the figure in each of the run's rounds; the run's own figure when it has no rounds. */
    private static double[] rounds(final Figure figure, final JsonNode run)
    {
        final JsonNode rounds = run.path("rounds");
        if (!rounds.isArray() || rounds.isEmpty())
        {
            return new double[] {figure.of(run.path("conduit"))};
        }
        final double[] values = new double[rounds.size()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = figure.of(rounds.get(i).path("conduit"));
        }
        return values;
    }

    private static double min(final double[] values)
    {
        double min = Double.POSITIVE_INFINITY;
        for (final double v : values)
        {
            min = Math.min(min, v);
        }
        return min;
    }

    private static double max(final double[] values)
    {
        double max = Double.NEGATIVE_INFINITY;
        for (final double v : values)
        {
            max = Math.max(max, v);
        }
        return max;
    }

    private static String text(final JsonNode node)
    {
        return node.isMissingNode() ? "(none)" : node.asText();
    }

    /** @return one row per figure. */
    public List<Row> rows()
    {
        return rows;
    }

    /** @return the workload both runs ran, in a line. */
    public String workload()
    {
        return workload;
    }

    /** @return the table for a terminal. */
    public String text()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("conduit bench compare: ").append(workload).append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "%-12s %14s %14s %9s  %-23s %-23s %s%n", "", "A (median)", "B (median)",
            "change", "A rounds", "B rounds", "vs spread"));
        for (final Row r : rows)
        {
            sb.append(String.format(Locale.ROOT, "%-12s %14.4f %14.4f %+8.2f%%  %-23s %-23s %s%n", r.figure(), r.a(),
                r.b(), r.changePercent(), range(r.aMin(), r.aMax()), range(r.bMin(), r.bMax()),
                r.spread().name().toLowerCase(Locale.ROOT)));
        }
        sb.append("outside: each run's median lies outside the other's min..max over its rounds; unknown: a run has " +
            "fewer than 2 rounds").append(System.lineSeparator());
        return sb.toString();
    }

    private static String range(final double min, final double max)
    {
        return String.format(Locale.ROOT, "%.4g..%.4g", min, max);
    }
}
