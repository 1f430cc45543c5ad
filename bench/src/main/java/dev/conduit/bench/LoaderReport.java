package dev.conduit.bench;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@link LoaderBench} found. JSON: {@code loader} (samples/s, GiB/s, samples, batches, reads, bytes,
 * seconds, CPU, the consumer's wait per batch; medians over the rounds with fio), {@code conduit} (the
 * Loader as a bench side, the shape every report shows), {@code fio}, {@code ratio} ({@code gib_s}: the
 * median of the per-round Loader ÷ fio), {@code rounds}, {@code fio_command} and {@code config}; without
 * fio the last four are null or empty, as in a plain run.
 *
 * @param config     what ran.
 * @param shards     shards under the prefix.
 * @param chunkBytes the shards' CRC-32C chunk (the first shard's): what a verified read widens to.
 * @param path       the data path the Loader read through.
 * @param warmup     the unmeasured epochs before the runs.
 * @param runs       the Loader's runs, one per round.
 * @param rounds     Loader/fio pairs, empty without fio.
 * @param fioCommand fio's command line, empty without fio.
 */
public record LoaderReport(
    LoaderBenchConfig config, int shards, int chunkBytes, String path, LoaderBench.Warmup warmup, List<LoaderBench.LoaderRun> runs,
    List<VsFio.Round> rounds,
    List<String> fioCommand)
{
    /** @return the median Loader throughput over the runs, GiB/s. */
    public double gibPerSec()
    {
        return VsFio.median(runs.stream().mapToDouble(r -> r.result().gibPerSec()).toArray());
    }

    /** @return the median samples per second over the runs. */
    public double samplesPerSecond()
    {
        return VsFio.median(runs.stream().mapToDouble(LoaderBench.LoaderRun::samplesPerSecond).toArray());
    }

    /** @return Loader ÷ fio throughput, the median of the per-round ratios; NaN without fio. */
    public double ratioGibPerSec()
    {
        return rounds.isEmpty() ? Double.NaN : VsFio.medianRatio(rounds, VsFio.Round::ratioGibPerSec);
    }

    /** @return the JSON object. */
    public ObjectNode json()
    {
        final ObjectMapper mapper = new ObjectMapper();
        final ObjectNode root = mapper.createObjectNode();
        final LoaderBench.LoaderRun first = runs.getFirst();
        final ObjectNode loader = root.putObject("loader");
        loader.put("samples_per_s", BenchReport.round(samplesPerSecond(), 1));
        loader.put("gib_s", BenchReport.round(gibPerSec(), 4));
        loader.put("samples", first.samples());
        loader.put("batches", first.batches());
        loader.put("reads", first.reads());
        loader.put("bytes", first.bytes());
        loader.put("storage_bytes", first.storageBytes());
        loader.put("read_amplification", BenchReport.round(first.readAmplification(), 4));
        loader.put("chunk_bytes", chunkBytes);
        loader.put("seconds", BenchReport.round(VsFio.median(runs.stream().mapToDouble(LoaderBench.LoaderRun::seconds)
            .toArray()), 3));
        final double cpuPerGib = VsFio.median(runs.stream()
            .mapToDouble(r -> ProcessCpu.secondsPerGib(r.cpuNs(), r.bytes())).toArray());
        loader.putObject("cpu").put("s_per_gib", BenchReport.round(cpuPerGib, 4));
        loader.putObject("batch_wait_us").put("p50", BenchReport.round(first.result().p50Us(), 2))
            .put("p99", BenchReport.round(first.result().p99Us(), 2)).put("max", BenchReport.round(first.result().maxUs(), 2));
        final BenchResult conduit = VsFio.median(runs.stream().map(LoaderBench.LoaderRun::result).toList());
        root.set("conduit", BenchReport.side(mapper, conduit));
        if (rounds.isEmpty())
        {
            root.putNull("fio");
            root.putNull("ratio");
        }
        else
        {
            root.set("fio", BenchReport.side(mapper, VsFio.median(rounds, false)));
            root.putObject("ratio").put("gib_s", BenchReport.round(ratioGibPerSec(), 4))
                .put("of", "median of the per-round Loader / fio sequential read of the same extents");
            final ArrayNode list = root.putArray("rounds");
            for (final VsFio.Round round : rounds)
            {
                final ObjectNode node = list.addObject();
                node.put("round", round.number());
                node.put("first", round.conduitFirst() ? "loader" : "fio");
                node.set("conduit", BenchReport.side(mapper, round.conduit()));
                node.set("fio", BenchReport.side(mapper, round.fio()));
                node.putObject("ratio").put("gib_s", BenchReport.round(round.ratioGibPerSec(), 4));
            }
            final ArrayNode command = root.putArray("fio_command");
            fioCommand.forEach(command::add);
        }
        final ObjectNode c = root.putObject("config");
        c.put("target", "loader");
        c.put("prefix", config.prefix());
        c.put("shards", shards);
        c.put("batch", config.batchSize());
        c.put("epochs", config.epochs());
        c.put("ring", config.ringSize());
        c.put("read_ahead_bytes", config.readAheadBytes());
        c.put("buffer", config.effectiveBufferBytes());
        c.put("qd", config.queueDepth());
        c.put("block_samples", config.blockSamples());
        c.put("verify", config.verify());
        c.put("path", path);
        c.put("rounds", rounds.size());
        c.putObject("warmup").put("epochs", warmup.epochs()).put("seconds", BenchReport.round(warmup.seconds(), 3));
        c.put("fio_time_s", BenchReport.round(config.fioTimeNs() / 1e9, 3));
        return root;
    }

    /** @return a table for a terminal. */
    public String text()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "conduit bench --loader: %d shards under %s, batch %d, %d epoch(s), %s path%n",
            shards, config.prefix(), config.batchSize(), config.epochs(), path));
        sb.append(String.format(Locale.ROOT, "warm-up: %d unmeasured epoch(s) in %.1f s%n", warmup.epochs(), warmup.seconds()));
        sb.append(BenchReport.HEADER);
        for (final VsFio.Round round : rounds)
        {
            BenchReport.row(sb, "round " + round.number() + " loader", round.conduit());
            BenchReport.row(sb, "round " + round.number() + " fio", round.fio());
        }
        BenchReport.row(sb, (rounds.isEmpty() ? "" : "median ") + "loader (IOPS: range reads)",
            VsFio.median(runs.stream().map(LoaderBench.LoaderRun::result).toList()));
        if (!rounds.isEmpty())
        {
            BenchReport.row(sb, "median fio sequential, same extents", VsFio.median(rounds, false));
        }
        sb.append(String.format(Locale.ROOT, "loader: %.1f samples/s, %.4f GiB/s%s%n", samplesPerSecond(), gibPerSec(),
            rounds.isEmpty() ? "" : String.format(Locale.ROOT, ", loader / fio %.3f (median of rounds)", ratioGibPerSec())));
        sb.append(String.format(Locale.ROOT, "loader: %.3f bytes read from storage per byte delivered (%s)%n",
            runs.getFirst().readAmplification(), config.verify()
                ? "CRC-32C verified: whole " + Sizes.fioSize(chunkBytes) + " chunks are read; conduit format --chunk-size sets them"
                : "not verified"));
        return sb.toString();
    }
}
