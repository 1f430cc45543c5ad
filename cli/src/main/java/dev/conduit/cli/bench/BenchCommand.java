package dev.conduit.cli.bench;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.bench.BenchConfig;
import dev.conduit.bench.BenchMode;
import dev.conduit.bench.BenchReport;
import dev.conduit.bench.ConduitBench;
import dev.conduit.bench.FioRunner;
import dev.conduit.bench.LoaderBench;
import dev.conduit.bench.LoaderBenchConfig;
import dev.conduit.bench.LoaderReport;
import dev.conduit.bench.PathBench;
import dev.conduit.bench.PathReport;
import dev.conduit.bench.Progress;
import dev.conduit.bench.Sizes;
import dev.conduit.bench.VsFio;
import dev.conduit.bench.XferType;
import dev.conduit.bench.fabric.FabricBench;
import dev.conduit.bench.fabric.FabricBenchConfig;
import dev.conduit.bench.fabric.FabricReport;
import dev.conduit.bench.fabric.Iperf3;
import dev.conduit.bench.report.ReportWriter;
import dev.conduit.bench.s3.S3Bench;
import dev.conduit.bench.s3.S3BenchConfig;
import dev.conduit.bench.s3.S3Credentials;
import dev.conduit.bench.s3.S3Mode;
import dev.conduit.bench.s3.S3Report;
import dev.conduit.bench.s3.S3Target;
import dev.conduit.cli.Main;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.scheduler.Priority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code conduit bench}: throughput, IOPS and latency of Conduit's I/O path on a file, block device
 * or store object, optionally next to fio on the same work ({@code --vs-fio}: rounds taken in turns,
 * the ratio the median of the per-round ratios); or, with {@code --target s3://BUCKET/PREFIX}, of any
 * S3 endpoint under GET, PUT or mixed load ({@link S3Bench}). Progress goes to stderr; the report (a
 * table, or one JSON object with {@code --json}) to stdout.
 */
@Command(name = "bench", sortOptions = false, subcommands = BenchCompareCommand.class,
    description = {"Measure Conduit's I/O path (GiB/s, IOPS, latency p50/p99/p99.9/max), optionally next to fio.",
        "Sizes take k/m/g suffixes (4k, 1m, 2g); durations s/ms/m (10s). --target FILE is created at --size if absent;",
        "a block device (/dev/loopN) is used as it is.",
        "--target s3://BUCKET/PREFIX --endpoint http://HOST:PORT loads an S3 server: --mode get|put|mixed over --objects",
        "objects of --bs bytes on --qd connections; credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION.",
        "--report DIR also writes DIR/result.json, a self-contained DIR/report.html and the charts as PNG files.",
        "--fabric runs Conduit's NVMe/TCP target on a RAM namespace and Conduit's initiator against it over 127.0.0.1,",
        "next to iperf3's loopback TCP throughput (iperf3 must be installed)."})
public final class BenchCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    private Main main;

    /** The S3 target's URL scheme. */
    static final String S3_SCHEME = "s3://";

    /** The NVMe/TCP target's URL scheme. */
    static final String NVMF_SCHEME = "nvmf://";

    /**
     * The environment the S3 credentials come from. {@link Main} keeps its copy to itself, and the AWS
     * variables are no Conduit configuration, so the process's own is taken here; tests give their own.
     */
    private Map<String, String> environment = System.getenv();

    // Checked in call(), not by picocli: `bench compare` has no target, and picocli would demand the parent's.
    @Option(names = "--target", paramLabel = "FILE|DEVICE|store|s3://BUCKET/PREFIX|nvmf://HOST:PORT/NQN/NSID",
        description = "file or block device to benchmark, 'store', an S3 bucket and key prefix, or a remote NVMe/TCP " +
            "namespace (read through Conduit's initiator, one I/O queue per --threads job, as host " +
            "nqn.2026-01.dev.conduit:bench)")
    private String target;

    @Option(names = "--mode", paramLabel = "MODE",
        description = "read, write, randread or randwrite (default: read); with s3://: get, put or mixed (default: get)")
    private String mode;

    @Option(names = "--endpoint", paramLabel = "URL", description = "with s3://: the S3 endpoint, http://HOST:PORT")
    private String endpoint;

    @Option(names = "--objects", paramLabel = "N", description = "with s3://: objects in the set (default: 16)")
    private Integer objects;

    @Option(names = "--get-ratio", paramLabel = "SHARE", description = "with s3:// --mode mixed: the share of GETs, " +
        "0..1 (default: 0.9)")
    private Double getRatio;

    @Option(names = "--no-setup", description = "with s3://: the objects exist already; do not PUT them first")
    private boolean noSetup;

    @Option(names = "--cleanup", description = "with s3://: DELETE the objects afterwards")
    private boolean cleanup;

    @Option(names = "--bs", paramLabel = "SIZE", defaultValue = "1m", description = "block size, 4k..16m; with s3:// the " +
        "object size, 0..1g (default: ${DEFAULT-VALUE})")
    private String blockSize;

    @Option(names = {"--qd", "--concurrency"}, paramLabel = "N", defaultValue = "32", description = "I/Os in flight per " +
        "thread; with s3:// keep-alive connections, one request in flight on each (default: ${DEFAULT-VALUE})")
    private int queueDepth;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "jobs, each with its own offsets (default: ${DEFAULT-VALUE})")
    private int threads;

    @Option(names = "--size", paramLabel = "SIZE", description = "file size; without --time also the bytes each job moves")
    private String size;

    @Option(names = "--time", paramLabel = "DURATION", description = "run this long, wrapping around the file " +
        "(with s3://: each round, default 10s; with --loader --vs-fio: each fio round, default 1s)")
    private String time;

    @Option(names = "--ramp", paramLabel = "DURATION",
        description = "with --time: run this long first without measuring, on both sides (fio's ramp_time; with " +
            "s3:// before each round; with --loader: unmeasured epochs first, at least one, default 5s)")
    private String ramp;

    @Option(names = "--path", paramLabel = "PATH", description = "read a store object through the data path: gds, " +
        "bounce or host (implies --target store; a path this host cannot serve fails with doctor's reason)")
    private String dataPath;

    @Option(names = {"-x", "--xfer-type"}, paramLabel = "N", description = "gdsio's transfer type instead of --path: " +
        "0 GPU_DIRECT, 5 GPU_DIRECT_ASYNC, 6 GPU_BATCH (gds), 1 CPU_ONLY (host), 2 CPU_GPU (bounce)")
    private Integer xferType;

    @Option(names = "--verify", description = "with --path: check every block read against what was put, on the host " +
        "(after a device-to-host copy on the GPU paths)")
    private boolean verify;

    @Option(names = "--loader", arity = "0..1", paramLabel = "PREFIX", fallbackValue = LoaderBenchConfig.PREFIX_DEFAULT,
        description = "run the training Loader over the tar shards under PREFIX in the store (generated when none: " +
            "--size bytes of --shard-size shards of --sample-size samples; default prefix " +
            LoaderBenchConfig.PREFIX_DEFAULT + "); with --vs-fio next to fio reading the same extents")
    private String loaderPrefix;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "32", description = "with --loader: samples per batch " +
        "(default: ${DEFAULT-VALUE})")
    private int batch;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "2", description = "with --loader: epochs per run " +
        "(default: ${DEFAULT-VALUE})")
    private int epochs;

    @Option(names = "--sample-size", paramLabel = "SIZE", defaultValue = "100k", description = "with --loader: bytes per " +
        "generated sample (default: ${DEFAULT-VALUE})")
    private String sampleSize;

    @Option(names = "--shard-size", paramLabel = "SIZE", defaultValue = "4m", description = "with --loader: largest " +
        "generated shard (default: ${DEFAULT-VALUE})")
    private String shardSize;

    @Option(names = "--ring", paramLabel = "N", defaultValue = "0", description = "with --loader: batch buffers in the " +
        "ring (default: the Loader's, enough buffers for --read-ahead and at least 4)")
    private int ring;

    @Option(names = "--read-ahead", paramLabel = "SIZE", defaultValue = "32m", description = "with --loader: bytes of " +
        "batches the Loader reads ahead of the consumer (default: ${DEFAULT-VALUE})")
    private String readAhead;

    @Option(names = "--block", paramLabel = "N", defaultValue = "0", description = "with --loader: consecutive samples " +
        "of a shard the shuffle keeps together (default: the Loader's)")
    private int blockSamples;

    @Option(names = "--no-crc", description = "with --loader: read without checking the store's CRC-32C (fio checks " +
        "nothing; verified reads widen to whole CRC chunks)")
    private boolean noCrc;

    @Option(names = "--defer-crc", description = "with --loader: check the CRC-32C on the consumer's thread before a " +
        "batch is handed out, not on the device thread as each read completes")
    private boolean deferCrc;

    @Option(names = "--buffer", paramLabel = "SIZE", description = "with --loader: bytes per ring buffer (default: a " +
        "batch of samples with room for the gaps coalesced reads span)")
    private String buffer;

    @Option(names = "--json", description = "print one JSON object on stdout")
    private boolean json;

    @Option(names = "--vs-fio", description = "also run fio on the same work (same engine options, depth, regions, " +
        "direct/buffered), in alternating rounds, and print the median ratio")
    private boolean vsFio;

    @Option(names = "--rounds", paramLabel = "N",
        description = "with --vs-fio: Conduit/fio pairs, taken in turns (default: 3); with s3://: measured rounds, " +
            "reported with their median (default: 1)")
    private Integer rounds;

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

    @Option(names = "--fabric", description = "NVMe/TCP over loopback: Conduit's target on a RAM namespace, Conduit's " +
        "initiator reading it (128 KiB at QD 32, then 4 KiB at QD 64, over 2 I/O queues; --time per phase, default 3s), " +
        "next to iperf3's loopback TCP throughput measured in the same run")
    private boolean fabric;

    @Option(names = "--report", paramLabel = "DIR", description = "also write DIR/result.json, DIR/report.html " +
        "(charts inline, viewable offline) and the charts as DIR/throughput.png, iops.png, latency.png, ratio.png")
    private Path reportDir;

    @Override
    public Integer call()
    {
        if (fabric)
        {
            return callFabric();
        }
        if (loaderPrefix != null)
        {
            return callLoader();
        }
        final boolean throughDataPath = dataPath != null || xferType != null;
        if (target == null && throughDataPath)
        {
            target = BenchConfig.STORE;
        }
        if (target == null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--target'");
        }
        if (target.startsWith(S3_SCHEME))
        {
            return callS3();
        }
        if (endpoint != null || objects != null || getRatio != null || noSetup || cleanup)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT,
                "--endpoint, --objects, --get-ratio, --no-setup and --cleanup go with an s3:// target: " + target);
        }
        if (verify && !throughDataPath)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "--verify goes with --path or -x");
        }
        final XferType xfer = xferType();
        final BenchConfig config = new BenchConfig(target, BenchMode.parse(mode == null ? "read" : mode),
            Sizes.parseBytes(blockSize), queueDepth, threads, size == null ? 0 : Sizes.parseBytes(size),
            time == null ? 0 : Sizes.parseDurationNs(time), ramp == null ? 0 : Sizes.parseDurationNs(ramp), !buffered,
            backend, throughDataPath ? Priority.BULK : priority(priority), xfer.path().label(), main.dataDir(),
            rounds == null ? BenchConfig.ROUNDS_DEFAULT : rounds, rateIops);
        if (throughDataPath)
        {
            return callPath(config, xfer);
        }
        if (vsFio && config.target().startsWith(NVMF_SCHEME))
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "--vs-fio needs a local file or the store: fio cannot " +
                "open " + config.target());
        }
        // Fail fast, before a long Conduit run, when fio was asked for and is missing.
        final Path fio = vsFio ? FioRunner.locate(fioPath) : null;
        final PrintStream err = System.err;
        final Progress progress = new Progress(err, System.console() != null, false);

        final BenchReport report = fio == null ? new BenchReport(config, ConduitBench.run(config, progress)) :
            VsFio.run(config, fio, progress);
        print(json ? report.json().toString() + System.lineSeparator() : report.text());
        writeReport(report.json(), config.target());
        return 0;
    }

    private int callFabric()
    {
        if (target != null || loaderPrefix != null || dataPath != null || xferType != null || vsFio || reportDir != null)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "--fabric serves and reads its own RAM namespace over " +
                "loopback: drop --target, --loader, --path, -x, --vs-fio and --report");
        }
        final FabricBenchConfig config;
        try
        {
            config = FabricBenchConfig.defaults(time == null ? FabricBenchConfig.PHASE_DEFAULT_NS : Sizes.parseDurationNs(time));
        }
        catch (final IllegalArgumentException e)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
        }
        // Fail fast, before the NVMe/TCP phases, when iperf3 is missing.
        final Path iperf3 = Iperf3.locate();
        final FabricReport report = FabricBench.run(config, iperf3, new Progress(System.err, System.console() != null, false));
        print(json ? report.json().toString() + System.lineSeparator() : report.text());
        return 0;
    }

    private int callLoader()
    {
        if (target != null || xferType != null || verify)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "--loader reads the shards under its prefix in the " +
                "store (--data): drop --target, -x and --verify");
        }
        final LoaderBenchConfig config;
        try
        {
            config = new LoaderBenchConfig(loaderPrefix, batch, epochs, Sizes.parseBytes(sampleSize),
                Sizes.parseBytes(shardSize), size == null ? 64L << 20 : Sizes.parseBytes(size), ring,
                buffer == null ? 0 : Sizes.parseBytes(buffer), queueDepth,
                rounds == null ? (vsFio ? BenchConfig.ROUNDS_DEFAULT : 1) : rounds, xferType().path().label(),
                main.dataDir(), blockSamples, !noCrc, Sizes.parseBytes(readAhead), deferCrc,
                ramp == null ? LoaderBenchConfig.WARMUP_NS_DEFAULT : Sizes.parseDurationNs(ramp),
                time == null ? LoaderBenchConfig.FIO_TIME_NS_DEFAULT : Sizes.parseDurationNs(time));
        }
        catch (final IllegalArgumentException e)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
        }
        final Path fio = vsFio ? FioRunner.locate(fioPath) : null;
        final LoaderReport report = LoaderBench.run(config, fio, new Progress(System.err, System.console() != null, false));
        print(json ? report.json().toString() + System.lineSeparator() : report.text());
        writeReport(report.json(), "the Loader over " + config.prefix());
        return 0;
    }

    private int callPath(final BenchConfig config, final XferType xfer)
    {
        if (!config.target().equals(BenchConfig.STORE))
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "--path and -x read a store object (--data): " +
                "drop --target " + config.target());
        }
        if (vsFio)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "--vs-fio compares the store's own reads: use " +
                "--target store --vs-fio (or --loader --vs-fio); --path runs alone");
        }
        final PathReport report = PathBench.run(config, xfer, verify,
            new Progress(System.err, System.console() != null, false));
        print(json ? report.json().toString() + System.lineSeparator() : report.text());
        writeReport(report.json(), "store object through the " + xfer.path().label() + " path");
        return 0;
    }

    /**
     * @return the transfer type {@code -x} names, else the plain one of {@code --path}, else CPU_ONLY (host).
     * @throws ConduitException {@link ErrorCode#INVALID_ARGUMENT} when {@code -x} and {@code --path} disagree.
     */
    XferType xferType()
    {
        final XferType byPath = switch (dataPath == null ? "host" : dataPath)
        {
            case "gds" -> XferType.GPU_DIRECT;
            case "bounce" -> XferType.CPU_GPU;
            case "host" -> XferType.CPU_ONLY;
            default -> throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "--path must be gds, bounce or host: " + dataPath);
        };
        if (xferType == null)
        {
            return byPath;
        }
        final XferType x = XferType.of(xferType);
        if (dataPath != null && x.path() != byPath.path())
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "-x " + xferType + " (" + x.gdsioName() + ") runs on the " +
                x.path().label() + " path, not --path " + dataPath);
        }
        return x;
    }

    private int callS3()
    {
        final S3BenchConfig config = s3Config();
        final S3Report report = S3Bench.run(config, new Progress(System.err, System.console() != null, false));
        print(json ? report.json().toString() + System.lineSeparator() : report.text());
        writeReport(report.json(), target + " at " + endpoint);
        return 0;
    }

    private void writeReport(final ObjectNode run, final String measured)
    {
        if (reportDir != null)
        {
            // Probed only for a report: doctor's probes (CUDA among them) are no part of a plain run.
            final Path page = ReportWriter.writeRun(reportDir, run, BenchHostFacts.of(main, measured,
                dataPath == null ? "host" : dataPath));
            System.err.println("report: " + page.toAbsolutePath());
        }
    }

    /**
     * @return the S3 run the options describe.
     * @throws ConduitException {@link ErrorCode#INVALID_ARGUMENT} for a bad URL, missing credentials, an option
     *         that does not apply to S3, or a value out of range; nothing has been sent yet.
     */
    S3BenchConfig s3Config()
    {
        if (vsFio || size != null || threads != 1 || buffered)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT,
                "--vs-fio, --size, --threads and --buffered do not apply to an s3:// target (use --objects and --qd)");
        }
        try
        {
            final S3Target s3 = S3Target.parse(target, endpoint);
            final S3Credentials credentials = S3Credentials.fromEnvironment(environment);
            final S3Mode s3Mode = S3Mode.parse(mode == null ? "get" : mode);
            if (getRatio != null && s3Mode != S3Mode.MIXED)
            {
                throw new IllegalArgumentException("--get-ratio goes with --mode mixed");
            }
            return new S3BenchConfig(s3, credentials, s3Mode, getRatio == null ? 0.9 : getRatio,
                objects == null ? 16 : objects, Sizes.parseBytes(blockSize), queueDepth,
                time == null ? S3BenchConfig.TIME_DEFAULT_NS : Sizes.parseDurationNs(time),
                ramp == null ? 0 : Sizes.parseDurationNs(ramp), rounds == null ? 1 : rounds, rateIops, !noSetup, cleanup);
        }
        catch (final IllegalArgumentException e)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
        }
    }

    /**
     * @param env the environment to take the AWS variables from instead of the process's.
     * @return this.
     */
    BenchCommand environment(final Map<String, String> env)
    {
        this.environment = Map.copyOf(env);
        return this;
    }

    private void print(final String text)
    {
        final PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
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
