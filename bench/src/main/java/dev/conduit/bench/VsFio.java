package dev.conduit.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * {@code conduit bench --vs-fio}: Conduit and fio on the same work, taken in turns.
 *
 * <p>First one unmeasured pass of Conduit reads the whole target once (so both sides find it laid
 * out and warm, and so fio learns where the I/O goes and how: {@link ConduitRun}). Then
 * {@code --rounds N} pairs run alternately, Conduit first in odd rounds and fio first in even ones
 * (Conduit, fio, fio, Conduit, ...), so drift in the machine (page cache, device temperature,
 * neighbours) falls on both sides alike. The reported ratio is the median of the per-round ratios.
 */
public final class VsFio
{
    private static final long WARM_BLOCK_BYTES = 1 << 20;

    private VsFio()
    {
    }

    /**
     * One Conduit/fio pair.
     *
     * @param number       1-based.
     * @param conduitFirst Conduit ran before fio in this round.
     * @param conduit      Conduit's result.
     * @param fio          fio's result.
     */
    public record Round(int number, boolean conduitFirst, BenchResult conduit, BenchResult fio)
    {
        /** @return Conduit ÷ fio throughput in this round. */
        public double ratioGibPerSec()
        {
            return ratio(conduit.gibPerSec(), fio.gibPerSec());
        }

        /** @return Conduit ÷ fio IOPS in this round. */
        public double ratioIops()
        {
            return ratio(conduit.iops(), fio.iops());
        }

        private static double ratio(final double conduit, final double fio)
        {
            return fio == 0 ? Double.NaN : conduit / fio;
        }
    }

    /**
     * Runs the comparison.
     *
     * @param config   the benchmark.
     * @param fio      the fio executable.
     * @param progress live progress.
     * @return the report with every round.
     * @throws dev.conduit.core.ConduitException {@link ErrorCode#INVALID_ARGUMENT} when fio cannot be
     *         given what Conduit used, or Conduit's I/O path changed between rounds.
     */
    public static BenchReport run(final BenchConfig config, final Path fio, final Progress progress)
    {
        if (config.backend().equals(IoPath.NULL))
        {
            // Refused before any I/O: the null backend does none, so fio has nothing to match.
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "the null backend does no I/O; fio has nothing to compare it with (drop --vs-fio or --backend null)");
        }
        progress.note("warming: laying out the target if needed, then one unmeasured sequential read of all of it");
        final List<Region> regions = ConduitBench.execute(warmUp(config), Progress.silent()).regions();
        final Sides sides = new Sides(config, fio, regions, progress);
        final List<Round> rounds = alternate(config.rounds(), sides::conduit, sides::fio, progress);
        return new BenchReport(config, median(rounds, true), rounds, sides.command);
    }

    /** The warm-up pass: every block of the target read once, sequentially, in 1 MiB reads (4 in flight). */
    static BenchConfig warmUp(final BenchConfig c)
    {
        final boolean small = c.sizeBytes() > 0 && c.sizeBytes() < WARM_BLOCK_BYTES;
        return new BenchConfig(c.target(), BenchMode.READ, small ? c.blockSizeBytes() : Math.max(c.blockSizeBytes(),
            WARM_BLOCK_BYTES), 4, 1,
            c.sizeBytes(), 0, 0, c.direct(), c.backend(), c.priority(), c.dataPath(), c.dataDir(), 1, 0);
    }

    /**
     * The two sides of a comparison. fio's command is made after Conduit's first run, from the I/O path
     * Conduit really had (registered buffers can be refused at start-up); every later Conduit run must
     * have had the same.
     */
    private static final class Sides
    {
        private final BenchConfig config;
        private final Path fio;
        private final List<Region> regions;
        private final Progress progress;
        private IoPath ioPath;
        private List<String> command;

        Sides(final BenchConfig config, final Path fio, final List<Region> regions, final Progress progress)
        {
            this.config = config;
            this.fio = fio;
            this.regions = regions;
            this.progress = progress;
        }

        BenchResult conduit()
        {
            final ConduitRun run = ConduitBench.execute(config, progress);
            if (ioPath == null)
            {
                ioPath = run.ioPath();
                command = FioRunner.command(fio, config, ioPath, regions);
            }
            else if (!ioPath.equals(run.ioPath()))
            {
                throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "Conduit's I/O path changed between rounds (" + ioPath.describe() + ", then " +
                    run.ioPath().describe() + "); fio's would no longer match");
            }
            return run.result();
        }

        BenchResult fio()
        {
            return FioRunner.run(command, config, progress);
        }
    }

    /**
     * Runs {@code rounds} pairs, alternating which side goes first: Conduit, fio, fio, Conduit, ...
     *
     * @param rounds   pairs to run.
     * @param conduit  runs Conduit once.
     * @param fio      runs fio once.
     * @param progress where each round is announced.
     * @return the rounds in order.
     */
    static List<Round> alternate(final int rounds, final Supplier<BenchResult> conduit, final Supplier<BenchResult> fio,
        final Progress progress)
    {
        final List<Round> done = new ArrayList<>(rounds);
        for (int i = 1; i <= rounds; i++)
        {
            final boolean conduitFirst = i % 2 == 1;
            progress.note("round " + i + " of " + rounds + ": " + (conduitFirst ? "conduit, then fio" : "fio, then conduit"));
            final BenchResult first = conduitFirst ? conduit.get() : fio.get();
            final BenchResult second = conduitFirst ? fio.get() : conduit.get();
            done.add(new Round(i, conduitFirst, conduitFirst ? first : second, conduitFirst ? second : first));
        }
        return done;
    }

    /**
     * @param values any number, at least one.
     * @return the middle value (the mean of the middle two for an even count).
     */
    public static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /**
     * @param rounds the rounds.
     * @param ratio  the per-round ratio to take.
     * @return the median of the paired (per-round) ratios.
     */
    static double medianRatio(final List<Round> rounds, final ToDoubleFunction<Round> ratio)
    {
        return median(rounds.stream().mapToDouble(ratio).toArray());
    }

    /**
     * @param rounds  the rounds.
     * @param conduit Conduit's side, else fio's.
     * @return that side's results, each figure the median over the rounds.
     */
    static BenchResult median(final List<Round> rounds, final boolean conduit)
    {
        return median(rounds.stream().map(r -> conduit ? r.conduit() : r.fio()).toList());
    }

    /**
     * @param results one side's results over several rounds, at least one.
     * @return each figure the median over them.
     */
    public static BenchResult median(final List<BenchResult> results)
    {
        final BenchResult any = results.get(0);
        return new BenchResult(any.tool(), any.detail(), (long)median(results, r -> r.bytes()),
            (long)median(results, r -> r.ios()), median(results, BenchResult::seconds),
            median(results, BenchResult::gibPerSec), median(results, BenchResult::iops), median(results, BenchResult::p50Us),
            median(results, BenchResult::p99Us), median(results, BenchResult::p999Us), median(results, BenchResult::maxUs),
            (long)median(results, r -> r.latencySamples()));
    }

    private static double median(final List<BenchResult> results, final ToDoubleFunction<BenchResult> field)
    {
        return median(results.stream().mapToDouble(field).toArray());
    }
}
