package dev.conduit.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

import dev.conduit.core.ConduitException;
import dev.conduit.scheduler.Backend;
import dev.conduit.scheduler.Backends;
import dev.conduit.scheduler.DeviceContext;
import dev.conduit.scheduler.FileTarget;
import dev.conduit.scheduler.IoDevice;
import dev.conduit.scheduler.IoRequest;
import dev.conduit.scheduler.IoScheduler;
import dev.conduit.scheduler.IoStatus;
import dev.conduit.scheduler.IoUringBackend;
import dev.conduit.scheduler.NullBackend;
import dev.conduit.scheduler.PreadBackend;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.SchedulerContext;
import dev.conduit.scheduler.TargetHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The Conduit side of {@code conduit bench}: fio-like {@link Job jobs} driving the scheduler, over a
 * file or block device ({@code --target FILE}: one scheduler device, set up here) or over an object in
 * the store ({@code --target store}, see {@link StoreBench}); {@link Driver} runs the jobs and measures.
 *
 * <p>Over a file each job's I/Os go in with {@code trySubmit}, which cannot be refused because a job
 * never has more than {@code qd} requests outstanding and the ring holds them all. Sequential jobs
 * each start at offset 0 and wrap at the end; random jobs pick uniformly random, block-aligned offsets
 * (fio's {@code norandommap}).
 */
public final class ConduitBench
{
    private ConduitBench()
    {
    }

    /** Issues one I/O of a job; the completion must reach {@link Job#onComplete} exactly once. */
    interface Workload
    {
        /**
         * @param job     the job (its callback).
         * @param slot    buffer slot, the completion's tag.
         * @param offset  target offset (file) or object offset (store).
         * @param buffer  the slot's buffer.
         * @param scratch a request object owned by the calling thread.
         */
        void issue(Job job, int slot, long offset, MemorySegment buffer, IoRequest scratch);

        /** @return true when every completion arrives on one thread (one device), so closed-loop jobs need no lock. */
        default boolean completesOnOneThread()
        {
            return false;
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param config   what to run.
     * @param progress live progress output.
     * @return the result.
     * @throws ConduitException with the errno name when an I/O fails.
     */
    public static BenchResult run(final BenchConfig config, final Progress progress)
    {
        return execute(config, progress).result();
    }

    /**
     * Runs the benchmark and says how and where it did its I/O (for fio).
     *
     * @param config   what to run.
     * @param progress live progress output.
     * @return the run.
     */
    public static ConduitRun execute(final BenchConfig config, final Progress progress)
    {
        if (NvmfBench.isNvmf(config.target()))
        {
            return NvmfBench.run(config, progress);
        }
        if (config.target().equals(BenchConfig.STORE))
        {
            return StoreBench.run(config, progress);
        }
        final Path path = Path.of(config.target());
        return runOnFile(config, path, TargetFile.prepare(path, config.sizeBytes(), config.direct(), progress), progress);
    }

    private static ConduitRun runOnFile(final BenchConfig config, final Path path, final long fileBytes,
        final Progress progress)
    {
        if (fileBytes < config.blockSizeBytes())
        {
            throw new IllegalArgumentException(path + " is smaller than one block (" + fileBytes + " bytes)");
        }
        final int totalQd = config.totalQueueDepth();
        try (Arena arena = Arena.ofShared(); FileTarget file = FileTarget.open(path, config.direct()))
        {
            final MemorySegment[] slabs = slabs(arena, config);
            final Backend backend = backend(config.backend(), totalQd, slabs);
            final BenchResult result;
            try (IoScheduler scheduler = IoScheduler.launch(new SchedulerContext().threadNamePrefix("conduit-bench-")))
            {
                final int ringSize = Integer.highestOneBit(Math.max(64, totalQd * 2 - 1)) << 1;
                final IoDevice device = scheduler.addDevice("bench", backend, new DeviceContext()
                    .queueDepth(totalQd)
                    .taskSizeBytes(Math.max(DeviceContext.TASK_SIZE_DEFAULT, config.blockSizeBytes()))
                    .ringSize(ringSize)
                    .maxRequests(ringSize)
                    .latencyReserve(config.priority() == Priority.BULK ? 0 : -1));
                final Workload workload = new FileWorkload(device, device.attach(file), config);
                // Asked for after the run: registering the buffers happens on the device's thread at start-up.
                result = Driver.drive(config, workload, fileBytes, slabs, progress, "");
            }
            final IoPath ioPath = IoPath.of(backend, backend instanceof IoUringBackend, config.direct());
            return new ConduitRun(withDetail(result, ioPath.describe()), ioPath, List.of(new Region(path, 0, fileBytes)));
        }
    }

    static BenchResult withDetail(final BenchResult r, final String detail)
    {
        return new BenchResult(r.tool(), detail, r.bytes(), r.ios(), r.seconds(), r.gibPerSec(), r.iops(), r.p50Us(),
            r.p99Us(), r.p999Us(), r.maxUs(), r.latencySamples(), r.perSecond(), r.spectrum());
    }

    /** Reads or writes of the block size at the job's offsets, straight into the file's device. */
    private static final class FileWorkload implements Workload
    {
        private final IoDevice device;
        private final TargetHandle target;
        private final boolean read;
        private final long blockBytes;
        private final Priority priority;

        FileWorkload(final IoDevice device, final TargetHandle target, final BenchConfig config)
        {
            this.device = device;
            this.target = target;
            this.read = config.mode().isRead();
            this.blockBytes = config.blockSizeBytes();
            this.priority = config.priority();
        }

        @Override
        public void issue(final Job job, final int slot, final long offset, final MemorySegment buffer,
            final IoRequest scratch)
        {
            if (read)
            {
                scratch.read(target, offset, buffer, 0, blockBytes);
            }
            else
            {
                scratch.write(target, offset, buffer, 0, blockBytes);
            }
            if (device.trySubmit(scratch.priority(priority), job, slot) == IoStatus.REJECTED)
            {
                // Cannot happen (the ring holds every job's queue depth); reported, not hidden.
                job.onComplete(slot, IoStatus.REJECTED);
            }
        }

        @Override
        public boolean completesOnOneThread()
        {
            return true;
        }
    }

    static MemorySegment[] slabs(final Arena arena, final BenchConfig config)
    {
        final MemorySegment[] slabs = new MemorySegment[config.threads()];
        for (int j = 0; j < slabs.length; j++)
        {
            slabs[j] = arena.allocate(config.queueDepth() * config.blockSizeBytes(), 4096);
            if (!config.mode().isRead())
            {
                fill(slabs[j], j);
            }
        }
        return slabs;
    }

    private static Backend backend(final String name, final int queueDepth, final MemorySegment[] slabs)
    {
        return switch (name)
        {
            case "io_uring" -> new IoUringBackend("conduit-bench", queueDepth, true, slabs);
            case "pread" -> new PreadBackend("conduit-bench-pread", queueDepth);
            case "null" -> new NullBackend(Math.max(queueDepth, 1));
            default -> Backends.ioUringSupport().available() ?
                new IoUringBackend("conduit-bench", queueDepth, true, slabs) :
                new PreadBackend("conduit-bench-pread", queueDepth);
        };
    }

    private static void fill(final MemorySegment slab, final int seed)
    {
        long state = 0x2545F4914F6CDD1DL + seed;
        for (long i = 0; i < slab.byteSize(); i += 8)
        {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            slab.set(JAVA_LONG, i, state);
        }
    }
}
