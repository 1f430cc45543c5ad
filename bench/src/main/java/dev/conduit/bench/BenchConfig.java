package dev.conduit.bench;

import java.nio.file.Path;
import java.util.Objects;

import dev.conduit.scheduler.Priority;

/**
 * One {@code conduit bench} run, validated. Sizes follow fio: {@code sizeBytes} is the file size
 * (created or extended to it) and, without {@code timeNs}, also the bytes each job transfers.
 *
 * @param target         a file path, or {@link #STORE} for the block-layout store.
 * @param mode           access pattern.
 * @param blockSizeBytes bytes per I/O, 4 KiB to 16 MiB, a multiple of 4096.
 * @param queueDepth     I/Os each job keeps in flight.
 * @param threads        jobs (fio's numjobs), each with its own offset stream.
 * @param sizeBytes      file size (0: use the existing file's size).
 * @param timeNs         run for this long, wrapping around the file (0: transfer {@code sizeBytes} per job).
 * @param rampNs         run this long first without measuring (fio's {@code ramp_time}; needs {@code timeNs}).
 * @param direct         O_DIRECT (fio's {@code direct=1}).
 * @param backend        {@code auto}, {@code io_uring}, {@code pread} or {@code null}.
 * @param priority       the class the requests go in.
 * @param dataPath       where the bytes land: {@code host}, {@code bounce} or {@code gds} (the GPU paths only
 *                       over the store, through {@link PathBench}).
 * @param dataDir        the store's data directory (used with {@code --target store}).
 * @param rounds         with fio: Conduit/fio pairs to run (alternating which goes first); the ratio is their median.
 * @param rateIops       open loop: I/Os started per second over all jobs, on a fixed schedule whatever the
 *                       completions do, latency measured from each I/O's scheduled start (0: closed loop, the
 *                       next I/O issued when one completes).
 */
public record BenchConfig(
    String target, BenchMode mode, long blockSizeBytes, int queueDepth, int threads, long sizeBytes, long timeNs,
    long rampNs, boolean direct, String backend, Priority priority, String dataPath, Path dataDir, int rounds,
    long rateIops)
{
    /** The {@code --target} value that names the block-layout store instead of a file. */
    public static final String STORE = "store";
    /** Smallest block size. */
    public static final long MIN_BLOCK_SIZE = 4096;
    /** Largest block size. */
    public static final long MAX_BLOCK_SIZE = 16L << 20;
    /** Conduit/fio pairs run by default. */
    public static final int ROUNDS_DEFAULT = 3;

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public BenchConfig
    {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(dataPath, "dataPath");
        if (blockSizeBytes < MIN_BLOCK_SIZE || blockSizeBytes > MAX_BLOCK_SIZE || blockSizeBytes % 4096 != 0)
        {
            throw new IllegalArgumentException("--bs must be a multiple of 4k between 4k and 16m: " + blockSizeBytes);
        }
        if (queueDepth < 1 || queueDepth > 4096)
        {
            throw new IllegalArgumentException("--qd must be between 1 and 4096: " + queueDepth);
        }
        if (threads < 1 || threads > 256)
        {
            throw new IllegalArgumentException("--threads must be between 1 and 256: " + threads);
        }
        if (sizeBytes < 0 || (sizeBytes > 0 && sizeBytes < blockSizeBytes))
        {
            throw new IllegalArgumentException("--size must be at least the block size: " + sizeBytes);
        }
        if (timeNs < 0 || rampNs < 0)
        {
            throw new IllegalArgumentException("--time and --ramp must be positive");
        }
        if (rampNs > 0 && timeNs == 0)
        {
            throw new IllegalArgumentException("--ramp needs --time");
        }
        if (!backend.equals("auto") && !backend.equals("io_uring") && !backend.equals("pread") && !backend.equals("null"))
        {
            throw new IllegalArgumentException("--backend must be auto, io_uring, pread or null: " + backend);
        }
        if (target.equals(STORE) && (dataDir == null || !mode.isRead()))
        {
            throw new IllegalArgumentException("--target store measures object reads from the data directory: " +
                "use --mode read or randread (and --data DIR)");
        }
        if (rounds < 1 || rounds > 99)
        {
            throw new IllegalArgumentException("--rounds must be between 1 and 99: " + rounds);
        }
        if (rateIops < 0 || (rateIops > 0 && rateIops < threads))
        {
            throw new IllegalArgumentException("--rate must be at least one I/O per second per thread: " + rateIops);
        }
        if (target.equals(STORE) && !direct)
        {
            throw new IllegalArgumentException("--target store reads with O_DIRECT (the store's namespaces are opened " +
                "so), so --buffered would compare a buffered fio with a direct Conduit: drop --buffered");
        }
        if (!dataPath.equals("host") && !dataPath.equals("bounce") && !dataPath.equals("gds"))
        {
            throw new IllegalArgumentException("--path must be gds, bounce or host: " + dataPath);
        }
        if (!dataPath.equals("host") && !target.equals(STORE))
        {
            throw new IllegalArgumentException("--path " + dataPath + " reads store objects: use --target store");
        }
    }

    /**
     * A closed-loop run with the default number of rounds.
     *
     * @param target         a file path, or {@link #STORE}.
     * @param mode           access pattern.
     * @param blockSizeBytes bytes per I/O.
     * @param queueDepth     I/Os each job keeps in flight.
     * @param threads        jobs.
     * @param sizeBytes      file size (0: the existing file's).
     * @param timeNs         duration (0: by size).
     * @param rampNs         unmeasured start.
     * @param direct         O_DIRECT.
     * @param backend        the scheduler backend.
     * @param priority       the requests' class.
     * @param dataPath       {@code host}, {@code bounce} or {@code gds}.
     * @param dataDir        the store's data directory.
     */
    public BenchConfig(
        final String target, final BenchMode mode, final long blockSizeBytes, final int queueDepth, final int threads,
        final long sizeBytes, final long timeNs, final long rampNs, final boolean direct, final String backend,
        final Priority priority, final String dataPath, final Path dataDir)
    {
        this(target, mode, blockSizeBytes, queueDepth, threads, sizeBytes, timeNs, rampNs, direct, backend, priority,
            dataPath, dataDir, ROUNDS_DEFAULT, 0);
    }

    /** @return true when I/Os start on a schedule ({@code --rate}) rather than as others complete. */
    public boolean openLoop()
    {
        return rateIops > 0;
    }

    /** @return total I/Os in flight over all jobs. */
    public int totalQueueDepth()
    {
        return queueDepth * threads;
    }
}
