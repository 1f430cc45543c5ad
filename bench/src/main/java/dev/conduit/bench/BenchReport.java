package dev.conduit.bench;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders a benchmark's results: a table for people, or one JSON object ({@code conduit}, {@code fio},
 * {@code ratio}, {@code rounds}, {@code fio_command}, {@code config}) for scripts. With fio, the
 * {@code conduit} and {@code fio} figures are each side's medians over the rounds and the ratio is the
 * median of the per-round ratios; every round is listed as well.
 *
 * @param config     what ran.
 * @param conduit    Conduit's result (the medians over the rounds when fio ran).
 * @param rounds     the Conduit/fio pairs, empty without {@code --vs-fio}.
 * @param fioCommand fio's command line, empty without {@code --vs-fio}.
 */
public record BenchReport(BenchConfig config, BenchResult conduit, List<VsFio.Round> rounds, List<String> fioCommand)
{
    /** The table's column headings, over the rows {@link #row} writes. */
    public static final String HEADER = String.format(Locale.ROOT, "%-46s %10s %12s %11s %11s %11s %11s%n", "", "GiB/s",
        "IOPS", "p50", "p99", "p99.9", "max");

    /**
     * A report of Conduit alone.
     *
     * @param config  what ran.
     * @param conduit its result.
     */
    public BenchReport(final BenchConfig config, final BenchResult conduit)
    {
        this(config, conduit, List.of(), List.of());
    }

    /** @return fio's medians over the rounds, or null without fio. */
    public BenchResult fio()
    {
        return rounds.isEmpty() ? null : VsFio.median(rounds, false);
    }

    /** @return the median over the rounds of Conduit ÷ fio throughput, or NaN without fio. */
    public double ratioGibPerSec()
    {
        return rounds.isEmpty() ? Double.NaN : VsFio.medianRatio(rounds, VsFio.Round::ratioGibPerSec);
    }

    /** @return the median over the rounds of Conduit ÷ fio IOPS, or NaN without fio. */
    public double ratioIops()
    {
        return rounds.isEmpty() ? Double.NaN : VsFio.medianRatio(rounds, VsFio.Round::ratioIops);
    }

    /** @return the JSON object. */
    public ObjectNode json()
    {
        final ObjectMapper mapper = new ObjectMapper();
        final ObjectNode root = mapper.createObjectNode();
        root.set("conduit", side(mapper, conduit));
        if (rounds.isEmpty())
        {
            root.putNull("fio");
            root.putNull("ratio");
        }
        else
        {
            root.set("fio", side(mapper, fio()));
            final ObjectNode ratio = ratio(root.putObject("ratio"), ratioGibPerSec(), ratioIops());
            ratio.put("of", "median of the per-round ratios");
            final ArrayNode list = root.putArray("rounds");
            for (final VsFio.Round round : rounds)
            {
                final ObjectNode node = list.addObject();
                node.put("round", round.number());
                node.put("first", round.conduitFirst() ? "conduit" : "fio");
                node.set("conduit", side(mapper, round.conduit()));
                node.set("fio", side(mapper, round.fio()));
                ratio(node.putObject("ratio"), round.ratioGibPerSec(), round.ratioIops());
            }
            final ArrayNode command = root.putArray("fio_command");
            fioCommand.forEach(command::add);
        }
        final ObjectNode c = root.putObject("config");
        c.put("target", config.target());
        c.put("mode", config.mode().fioName());
        c.put("bs", config.blockSizeBytes());
        c.put("qd", config.queueDepth());
        c.put("threads", config.threads());
        c.put("size", config.sizeBytes());
        c.put("time_s", config.timeNs() / 1e9);
        c.put("ramp_s", config.rampNs() / 1e9);
        c.put("direct", config.direct());
        c.put("backend", conduit.detail());
        c.put("priority", config.priority().name());
        c.put("path", config.dataPath());
        c.put("rounds", rounds.size());
        c.put("rate_iops", config.rateIops());
        c.put("latency_from", config.openLoop() ? "scheduled start (open loop)" : "submission (closed loop)");
        return root;
    }

    private static ObjectNode ratio(final ObjectNode node, final double gibPerSec, final double iops)
    {
        node.put("gib_s", round(gibPerSec, 4));
        node.put("iops", round(iops, 4));
        return node;
    }

    /**
     * @param mapper the mapper building the document.
     * @param r      one side's result.
     * @return its JSON object: {@code gib_s}, {@code iops}, {@code lat_us}, {@code bytes}, {@code ios},
     *         {@code seconds}, {@code detail}, as every report shows a side; and where the result kept them
     *         {@code per_second} ({@code [{t, gib_s, iops}]}) and {@code lat_spectrum_us} ({@code [{p, us}]}).
     */
    public static ObjectNode side(final ObjectMapper mapper, final BenchResult r)
    {
        final ObjectNode node = mapper.createObjectNode();
        node.put("gib_s", round(r.gibPerSec(), 4));
        node.put("iops", round(r.iops(), 1));
        final ObjectNode lat = node.putObject("lat_us");
        lat.put("p50", round(r.p50Us(), 2));
        lat.put("p99", round(r.p99Us(), 2));
        lat.put("p999", round(r.p999Us(), 2));
        lat.put("max", round(r.maxUs(), 2));
        lat.put("samples", r.latencySamples());
        node.put("bytes", r.bytes());
        node.put("ios", r.ios());
        node.put("seconds", round(r.seconds(), 3));
        node.put("detail", r.detail());
        if (!r.perSecond().isEmpty())
        {
            final ArrayNode series = node.putArray("per_second");
            for (final RateSample sample : r.perSecond())
            {
                series.addObject().put("t", round(sample.atS(), 3)).put("gib_s", round(sample.gibPerSec(), 4))
                    .put("iops", round(sample.iops(), 1));
            }
        }
        if (!r.spectrum().isEmpty())
        {
            final ArrayNode spectrum = node.putArray("lat_spectrum_us");
            for (final LatencyPoint point : r.spectrum())
            {
                spectrum.addObject().put("p", point.percentile()).put("us", round(point.us(), 2));
            }
        }
        return node;
    }

    /**
     * @param value  a figure.
     * @param digits decimals to keep.
     * @return the figure rounded for the report.
     */
    public static double round(final double value, final int digits)
    {
        final double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    /** @return a table for a terminal. */
    public String text()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s %s bs=%s qd=%d threads=%d%s%s on %s%n", "conduit bench:",
            config.mode().fioName(), Sizes.fioSize(config.blockSizeBytes()), config.queueDepth(), config.threads(),
            config.direct() ? " direct" : " buffered", config.openLoop() ? " rate=" + config.rateIops() + "/s" : "",
            config.target()));
        sb.append(HEADER);
        for (final VsFio.Round round : rounds)
        {
            final String first = round.conduitFirst() ? "conduit first" : "fio first";
            row(sb, "round " + round.number() + " conduit (" + first + ")", round.conduit());
            row(sb, "round " + round.number() + " fio", round.fio());
            sb.append(String.format(Locale.ROOT, "%-46s %10.3f %12.3f%n", "round " + round.number() + " conduit / fio",
                round.ratioGibPerSec(), round.ratioIops()));
        }
        row(sb, (rounds.isEmpty() ? "" : "median ") + "conduit (" + conduit.detail() + ")", conduit);
        if (!rounds.isEmpty())
        {
            final BenchResult fio = fio();
            row(sb, "median " + fio.detail(), fio);
            sb.append(String.format(Locale.ROOT, "%-46s %10.3f %12.3f%n", "conduit / fio (median of rounds)",
                ratioGibPerSec(), ratioIops()));
        }
        return sb.toString();
    }

    /**
     * Appends one result as a table row under {@link #HEADER}.
     *
     * @param sb   the table.
     * @param name the row's name.
     * @param r    the result.
     */
    public static void row(final StringBuilder sb, final String name, final BenchResult r)
    {
        sb.append(String.format(Locale.ROOT, "%-46s %10.3f %12.0f %11s %11s %11s %11s%n", name, r.gibPerSec(), r.iops(),
            Progress.formatUs(r.p50Us()), Progress.formatUs(r.p99Us()), Progress.formatUs(r.p999Us()),
            Progress.formatUs(r.maxUs())));
    }
}
