package dev.conduit.cli.bench;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.conduit.bench.BenchConfig;
import dev.conduit.bench.BenchMode;
import dev.conduit.bench.BenchReport;
import dev.conduit.bench.ConduitBench;
import dev.conduit.bench.FioRunner;
import dev.conduit.bench.Progress;
import dev.conduit.bench.Sizes;
import dev.conduit.bench.VsFio;
import dev.conduit.cli.Main;
import dev.conduit.scheduler.Priority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code conduit bench}: throughput, IOPS and latency of Conduit's I/O path on a file, block device
 * or store object, optionally next to fio on the same work ({@code --vs-fio}: rounds taken in turns,
 * the ratio the median of the per-round ratios). Progress goes to stderr; the report (a table, or one
 * JSON object with {@code --json}) to stdout.
 */
@Command(name = "bench", sortOptions = false,
    description = {"Measure Conduit's I/O path (GiB/s, IOPS, latency p50/p99/p99.9/max), optionally next to fio.",
        "Sizes take k/m/g suffixes (4k, 1m, 2g); durations s/ms/m (10s). --target FILE is created at --size if absent;",
        "a block device (/dev/loopN) is used as it is."})
public final class BenchCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    private Main main;

    @Option(names = "--target", required = true, paramLabel = "FILE|DEVICE|store",
        description = "file or block device to benchmark, or 'store'")
    private String target;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "read",
        description = "read, write, randread or randwrite (default: ${DEFAULT-VALUE})")
    private String mode;

    @Option(names = "--bs", paramLabel = "SIZE", defaultValue = "1m", description = "block size, 4k..16m (default: ${DEFAULT-VALUE})")
    private String blockSize;

    @Option(names = "--qd", paramLabel = "N", defaultValue = "32", description = "I/Os in flight per thread (default: ${DEFAULT-VALUE})")
    private int queueDepth;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "jobs, each with its own offsets (default: ${DEFAULT-VALUE})")
    private int threads;

    @Option(names = "--size", paramLabel = "SIZE", description = "file size; without --time also the bytes each job moves")
    private String size;

    @Option(names = "--time", paramLabel = "DURATION", description = "run this long, wrapping around the file")
    private String time;

    @Option(names = "--ramp", paramLabel = "DURATION",
        description = "with --time: run this long first without measuring, on both sides (fio's ramp_time)")
    private String ramp;

    @Option(names = "--path", paramLabel = "PATH", defaultValue = "host", description = "data path: host (default: ${DEFAULT-VALUE})")
    private String dataPath;

    @Option(names = "--json", description = "print one JSON object on stdout")
    private boolean json;

    @Option(names = "--vs-fio", description = "also run fio on the same work (same engine options, depth, regions, " +
        "direct/buffered), in alternating rounds, and print the median ratio")
    private boolean vsFio;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
        description = "with --vs-fio: Conduit/fio pairs, taken in turns (default: ${DEFAULT-VALUE})")
    private int rounds;

    @Option(names = "--rate", paramLabel = "IOPS", description = "open loop: start this many I/Os per second in all, " +
        "on a schedule; latency counts from each I/O's scheduled start (corrected for coordinated omission)")
    private long rateIops;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
        description = "auto, io_uring, pread or null (default: ${DEFAULT-VALUE}: io_uring when available)")
    private String backend;

    @Option(names = "--priority", paramLabel = "CLASS", defaultValue = "latency", description = "latency or bulk (default: ${DEFAULT-VALUE})")
    private String priority;

    @Option(names = "--buffered", description = "go through the page cache (default: O_DIRECT)")
    private boolean buffered;

    @Option(names = "--fio", paramLabel = "PATH", description = "fio executable (default: fio on PATH)")
    private String fioPath;

    @Override
    public Integer call()
    {
        final BenchConfig config = new BenchConfig(target, BenchMode.parse(mode), Sizes.parseBytes(blockSize), queueDepth,
            threads, size == null ? 0 : Sizes.parseBytes(size), time == null ? 0 : Sizes.parseDurationNs(time),
            ramp == null ? 0 : Sizes.parseDurationNs(ramp), !buffered,
            backend, priority(priority), dataPath, main.dataDir(), rounds, rateIops);
        // Fail fast, before a long Conduit run, when fio was asked for and is missing.
        final Path fio = vsFio ? FioRunner.locate(fioPath) : null;
        final PrintStream err = System.err;
        final Progress progress = new Progress(err, System.console() != null, false);

        final BenchReport report = fio == null ? new BenchReport(config, ConduitBench.run(config, progress)) :
            VsFio.run(config, fio, progress);
        final PrintWriter out = spec.commandLine().getOut();
        out.print(json ? report.json().toString() + System.lineSeparator() : report.text());
        out.flush();
        return 0;
    }

    private static Priority priority(final String name)
    {
        for (final Priority p : Priority.values())
        {
            if (p.name().equalsIgnoreCase(name))
            {
                return p;
            }
        }
        throw new IllegalArgumentException("--priority must be latency or bulk: " + name);
    }
}
