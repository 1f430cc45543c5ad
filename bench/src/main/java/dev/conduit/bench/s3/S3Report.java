package dev.conduit.bench.s3;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.bench.BenchReport;
import dev.conduit.bench.BenchResult;
import dev.conduit.bench.Progress;
import dev.conduit.bench.Sizes;
import dev.conduit.bench.VsFio;

/**
 * Renders an S3 run in the shape of {@link BenchReport}: the measured side under {@code conduit}
 * (each figure the median over the rounds), {@code fio} and {@code ratio} null, every round under
 * {@code rounds}, and the settings under {@code config}. S3 adds {@code req_s}, {@code lat_us.p90},
 * {@code requests}, {@code gets}/{@code puts} and {@code errors} (failed requests by status, summed
 * over the rounds).
 *
 * @param config what ran.
 * @param rounds each round's result, at least one.
 */
public record S3Report(S3BenchConfig config, List<S3Result> rounds)
{
    /** Copies the rounds. */
    public S3Report
    {
        rounds = List.copyOf(rounds);
        if (rounds.isEmpty())
        {
            throw new IllegalArgumentException("no rounds");
        }
    }

    /** @return each figure the median over the rounds. */
    public BenchResult median()
    {
        return VsFio.median(rounds.stream().map(S3Result::result).toList());
    }

    /** @return failed requests by kind, over all rounds. */
    public Map<String, Long> errors()
    {
        final Map<String, Long> errors = new TreeMap<>();
        rounds.forEach(r -> r.errors().forEach((k, v) -> errors.merge(k, v, Long::sum)));
        return errors;
    }

    /** @return the JSON object. */
    public ObjectNode json()
    {
        final ObjectMapper mapper = new ObjectMapper();
        final ObjectNode root = mapper.createObjectNode();
        final ObjectNode side = root.putObject("conduit");
        side.setAll(BenchReport.side(mapper, median()));
        side.put("req_s", BenchReport.round(median().iops(), 1));
        ((ObjectNode)side.get("lat_us")).put("p90", BenchReport.round(medianP90(), 2));
        long requests = 0;
        long gets = 0;
        long puts = 0;
        for (final S3Result r : rounds)
        {
            requests += r.requests();
            gets += r.gets();
            puts += r.puts();
        }
        side.put("requests", requests);
        side.put("gets", gets);
        side.put("puts", puts);
        final ObjectNode errors = side.putObject("errors");
        errors().forEach(errors::put);
        root.putNull("fio");
        root.putNull("ratio");
        final ArrayNode list = root.putArray("rounds");
        for (int i = 0; i < rounds.size(); i++)
        {
            final S3Result r = rounds.get(i);
            final ObjectNode node = list.addObject();
            node.put("round", i + 1);
            final ObjectNode one = node.putObject("conduit");
            one.setAll(BenchReport.side(mapper, r.result()));
            one.put("req_s", BenchReport.round(r.result().iops(), 1));
            ((ObjectNode)one.get("lat_us")).put("p90", BenchReport.round(r.p90Us(), 2));
            one.put("requests", r.requests());
            one.put("gets", r.gets());
            one.put("puts", r.puts());
            one.put("get_bytes", r.getBytes());
            one.put("put_bytes", r.putBytes());
            final ObjectNode roundErrors = one.putObject("errors");
            r.errors().forEach(roundErrors::put);
        }
        final ObjectNode c = root.putObject("config");
        c.put("target", "s3://" + config.target().bucket() + "/" + config.target().prefix());
        c.put("endpoint", config.target().endpoint().toString());
        c.put("mode", config.mode().cliName());
        c.put("get_ratio", config.effectiveGetRatio());
        c.put("bs", config.objectBytes());
        c.put("objects", config.objects());
        c.put("qd", config.concurrency());
        c.put("threads", 1);
        c.put("time_s", config.timeNs() / 1e9);
        c.put("ramp_s", config.rampNs() / 1e9);
        c.put("rounds", rounds.size());
        c.put("rate_iops", config.rateOps());
        c.put("latency_from", config.openLoop() ? "scheduled start (open loop)" : "request sent (closed loop)");
        c.put("setup", config.setup());
        c.put("cleanup", config.cleanup());
        c.put("backend", median().detail());
        return root;
    }

    private double medianP90()
    {
        return VsFio.median(rounds.stream().mapToDouble(S3Result::p90Us).toArray());
    }

    /** @return a table for a terminal, ending with a one-line summary. */
    public String text()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "conduit bench: s3 %s%s bs=%s objects=%d qd=%d%s on %s%n",
            config.mode().cliName(), config.mode() == S3Mode.MIXED ? " get-ratio=" + config.getRatio() : "",
            Sizes.fioSize(config.objectBytes()), config.objects(), config.concurrency(),
            config.openLoop() ? " rate=" + config.rateOps() + "/s" : "", config.target()));
        sb.append(BenchReport.HEADER);
        for (int i = 0; i < rounds.size() && rounds.size() > 1; i++)
        {
            BenchReport.row(sb, "round " + (i + 1), rounds.get(i).result());
        }
        final BenchResult median = median();
        BenchReport.row(sb, rounds.size() > 1 ? "median of rounds" : "s3", median);
        sb.append(String.format(Locale.ROOT, "%.3f GiB/s, %.0f req/s, p50 %s p90 %s p99 %s p99.9 %s max %s; " +
            "%d requests, errors: %s%n", median.gibPerSec(), median.iops(), Progress.formatUs(median.p50Us()),
            Progress.formatUs(medianP90()), Progress.formatUs(median.p99Us()), Progress.formatUs(median.p999Us()),
            Progress.formatUs(median.maxUs()), rounds.stream().mapToLong(S3Result::requests).sum(), S3Result.describe(errors())));
        return sb.toString();
    }
}
