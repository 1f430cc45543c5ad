package dev.conduit.bench;

import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders a benchmark's results: a table for people, or one JSON object
 * ({@code conduit}, {@code fio}, {@code ratio}, {@code config}) for scripts.
 *
 * @param config  what ran.
 * @param conduit Conduit's result.
 * @param fio     fio's result, or null without {@code --vs-fio}.
 */
public record BenchReport(BenchConfig config, BenchResult conduit, BenchResult fio)
{
    /** @return Conduit ÷ fio throughput, or NaN without fio. */
    public double ratioGibPerSec()
    {
        return fio == null || fio.gibPerSec() == 0 ? Double.NaN : conduit.gibPerSec() / fio.gibPerSec();
    }

    /** @return Conduit ÷ fio IOPS, or NaN without fio. */
    public double ratioIops()
    {
        return fio == null || fio.iops() == 0 ? Double.NaN : conduit.iops() / fio.iops();
    }

    /** @return the JSON object. */
    public ObjectNode json()
    {
        final ObjectMapper mapper = new ObjectMapper();
        final ObjectNode root = mapper.createObjectNode();
        root.set("conduit", side(mapper, conduit));
        if (fio == null)
        {
            root.putNull("fio");
            root.putNull("ratio");
        }
        else
        {
            root.set("fio", side(mapper, fio));
            final ObjectNode ratio = root.putObject("ratio");
            ratio.put("gib_s", round(ratioGibPerSec(), 4));
            ratio.put("iops", round(ratioIops(), 4));
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
        return root;
    }

    private static ObjectNode side(final ObjectMapper mapper, final BenchResult r)
    {
        final ObjectNode node = mapper.createObjectNode();
        node.put("gib_s", round(r.gibPerSec(), 4));
        node.put("iops", round(r.iops(), 1));
        final ObjectNode lat = node.putObject("lat_us");
        lat.put("p50", round(r.p50Us(), 2));
        lat.put("p99", round(r.p99Us(), 2));
        lat.put("p999", round(r.p999Us(), 2));
        lat.put("max", round(r.maxUs(), 2));
        node.put("bytes", r.bytes());
        node.put("ios", r.ios());
        node.put("seconds", round(r.seconds(), 3));
        node.put("detail", r.detail());
        return node;
    }

    private static double round(final double value, final int digits)
    {
        final double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    /** @return a table for a terminal. */
    public String text()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s %s bs=%s qd=%d threads=%d%s on %s%n", "conduit bench:",
            config.mode().fioName(), Sizes.fioSize(config.blockSizeBytes()), config.queueDepth(), config.threads(),
            config.direct() ? " direct" : " buffered", config.target()));
        sb.append(String.format(Locale.ROOT, "%-26s %10s %12s %11s %11s %11s %11s%n", "", "GiB/s", "IOPS", "p50", "p99",
            "p99.9", "max"));
        row(sb, "conduit (" + conduit.detail() + ")", conduit);
        if (fio != null)
        {
            row(sb, fio.detail(), fio);
            sb.append(String.format(Locale.ROOT, "%-26s %10.3f %12.3f%n", "conduit / fio", ratioGibPerSec(), ratioIops()));
        }
        return sb.toString();
    }

    private static void row(final StringBuilder sb, final String name, final BenchResult r)
    {
        sb.append(String.format(Locale.ROOT, "%-26s %10.3f %12.0f %11s %11s %11s %11s%n", name, r.gibPerSec(), r.iops(),
            Progress.formatUs(r.p50Us()), Progress.formatUs(r.p99Us()), Progress.formatUs(r.p999Us()),
            Progress.formatUs(r.maxUs())));
    }
}
