package dev.conduit.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.Errno;
import dev.conduit.scheduler.Backend;
import dev.conduit.scheduler.Backends;
import dev.conduit.scheduler.DeviceContext;
import dev.conduit.scheduler.DeviceMetrics;
import dev.conduit.scheduler.FileTarget;
import dev.conduit.scheduler.IoCallback;
import dev.conduit.scheduler.IoDevice;
import dev.conduit.scheduler.IoRequest;
import dev.conduit.scheduler.IoScheduler;
import dev.conduit.scheduler.IoStatus;
import dev.conduit.scheduler.IoUringBackend;
import dev.conduit.scheduler.NullBackend;
import dev.conduit.scheduler.PreadBackend;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.TargetHandle;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The Conduit side of {@code conduit bench}: fio-like jobs driving the scheduler, over a file
 * ({@code --target FILE}: one scheduler device) or over an object in the store ({@code --target store},
 * see {@link StoreBench}).
 *
 * <p>Each job (fio's {@code numjobs}) owns {@code qd} buffer slots and keeps one I/O in flight per
 * slot: its thread issues the first {@code qd}, and from then on each completion, on a device thread,
 * issues the slot's next I/O (over a file with {@code trySubmit}, which cannot be refused because a
 * job never has more than {@code qd} requests outstanding and the ring holds them all). Sequential jobs
 * each start at offset 0 and wrap at the end; random jobs pick uniformly random, block-aligned offsets
 * (fio's {@code norandommap}). Latency is submission to completion: over a file the device's own
 * histogram (stamped at submit, recorded at completion), over the store timed per object-range read by
 * the job; throughput counts bytes completed from the first submission (or the end of the ramp) to
 * the last completion.
 */
public final class ConduitBench
{
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

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

        /**
         * @return the latency of completed I/Os since the last call (recycling {@code recycle}), when
         *         the scheduler measures it already; null to have the jobs time every I/O themselves.
         */
        default Histogram latencyInterval(final Histogram recycle)
        {
            return null;
        }

        /** @return true when every completion arrives on one thread (one device), so jobs need no lock. */
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
        if (config.target().equals(BenchConfig.STORE))
        {
            return StoreBench.run(config, progress).result();
        }
        final Path path = Path.of(config.target());
        final long fileBytes = TargetFile.prepare(path, config.sizeBytes(), config.direct(), progress);
        if (fileBytes < config.blockSizeBytes())
        {
            throw new IllegalArgumentException(path + " is smaller than one block (" + fileBytes + " bytes)");
        }
        final int totalQd = config.totalQueueDepth();
        try (Arena arena = Arena.ofShared(); FileTarget file = FileTarget.open(path, config.direct()))
        {
            final MemorySegment[] slabs = slabs(arena, config);
            final Backend backend = backend(config.backend(), totalQd, slabs);
            try (IoScheduler scheduler = IoScheduler.launch(new IoScheduler.Context().threadNamePrefix("conduit-bench-")))
            {
                final int ringSize = Integer.highestOneBit(Math.max(64, totalQd * 2 - 1)) << 1;
                final IoDevice device = scheduler.addDevice("bench", backend, new DeviceContext()
                    .queueDepth(totalQd)
                    .taskSizeBytes(Math.max(DeviceContext.TASK_SIZE_DEFAULT, config.blockSizeBytes()))
                    .ringSize(ringSize)
                    .maxRequests(ringSize)
                    .latencyReserve(config.priority() == Priority.BULK ? 0 : -1));
                final TargetHandle target = device.attach(file);
                final boolean read = config.mode().isRead();
                final long blockBytes = config.blockSizeBytes();
                final Priority priority = config.priority();
                final Workload workload = new Workload()
                {
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
                            job.onComplete(slot, -Errno.EAGAIN);
                        }
                    }

                    @Override
                    public Histogram latencyInterval(final Histogram recycle)
                    {
                        // The device's own submit-to-complete histogram: nothing extra on its thread.
                        return device.metrics().latencyInterval(priority, recycle);
                    }

                    @Override
                    public boolean completesOnOneThread()
                    {
                        return true;
                    }
                };
                return drive(config, workload, fileBytes, slabs, progress, () -> describe(backend));
            }
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

    private static String describe(final Backend backend)
    {
        if (backend instanceof IoUringBackend uring)
        {
            return "io_uring" + (uring.usesRegisteredFiles() ? "+regfiles" : "") +
                (uring.registeredBuffersProblem().isEmpty() ? "+fixedbufs" : "");
        }
        return backend.name();
    }

    /**
     * Runs the jobs to the end (size or time) and measures them.
     *
     * @param config      the benchmark.
     * @param workload    how one I/O is issued.
     * @param regionBytes bytes the offsets range over.
     * @param slabs       one buffer slab per job ({@code qd} slots of the block size).
     * @param progress    live progress.
     * @param detail      what Conduit ran on (backend), for the report; asked for after the run.
     * @return the result.
     */
    static BenchResult drive(
        final BenchConfig config, final Workload workload, final long regionBytes, final MemorySegment[] slabs,
        final Progress progress, final Supplier<String> detail)
    {
        final CountDownLatch done = new CountDownLatch(config.threads());
        final long perJobBytes = config.timeNs() > 0 ? Long.MAX_VALUE : regionBytes;
        final boolean timedByScheduler = workload.latencyInterval(null) != null;
        final Recorder recorder = timedByScheduler ? null : new Recorder(DeviceMetrics.MAX_LATENCY_NS, 3);
        final java.util.function.UnaryOperator<Histogram> latency = timedByScheduler ? workload::latencyInterval :
            recorder::getIntervalHistogram;
        final Job[] jobs = new Job[config.threads()];
        for (int j = 0; j < jobs.length; j++)
        {
            jobs[j] = new Job(config, workload, slabs[j], regionBytes, perJobBytes, done, recorder, 0x5EED + j);
        }
        final Histogram total = new Histogram(DeviceMetrics.MAX_LATENCY_NS, 3);
        Histogram interval = latency.apply(null);

        final long launchNs = System.nanoTime();
        for (final Job job : jobs)
        {
            Thread.ofPlatform().name("conduit-bench-job-" + job.seed).start(job::prime);
        }
        final long stopAtNs = launchNs + config.rampNs() + config.timeNs();
        long startNs = launchNs;
        long baseBytes = 0;
        long baseIos = 0;
        if (config.rampNs() > 0)
        {
            // Ramp: run unmeasured (JIT warm-up, device steady state), then start counting from here.
            await(done, config.rampNs());
            interval = latency.apply(interval);
            startNs = System.nanoTime();
            baseBytes = sum(jobs, true);
            baseIos = sum(jobs, false);
            progress.note("ramp done after " + config.rampNs() / 1_000_000 + " ms; measuring");
        }
        long lastNs = startNs;
        long lastBytes = baseBytes;
        long lastIos = baseIos;
        boolean stopped = false;
        while (done.getCount() > 0)
        {
            final long nowNs = System.nanoTime();
            if (!stopped && config.timeNs() > 0 && nowNs - stopAtNs >= 0)
            {
                for (final Job job : jobs)
                {
                    job.stopping = true;
                }
                stopped = true;
            }
            final long waitNs = config.timeNs() > 0 && !stopped ?
                Math.min(PROGRESS_INTERVAL_NS, stopAtNs - nowNs) : PROGRESS_INTERVAL_NS;
            if (await(done, Math.max(1, waitNs)))
            {
                break;
            }
            final long tickNs = System.nanoTime();
            if (tickNs - lastNs >= PROGRESS_INTERVAL_NS / 2)
            {
                interval = latency.apply(interval);
                total.add(interval);
                final long bytes = sum(jobs, true);
                final long ios = sum(jobs, false);
                final double seconds = (tickNs - lastNs) / 1e9;
                progress.update("conduit", (tickNs - startNs) / 1e9, (bytes - lastBytes) / seconds,
                    (ios - lastIos) / seconds, interval.getValueAtPercentile(99) / 1000.0);
                lastNs = tickNs;
                lastBytes = bytes;
                lastIos = ios;
            }
        }
        long endNs = startNs;
        for (final Job job : jobs)
        {
            endNs = Math.max(endNs, job.finishedNs);
            if (job.firstError != 0)
            {
                throw IoStatus.toException(job.firstError, "benchmark " + config.mode().fioName() + " of " + config.target());
            }
        }
        total.add(latency.apply(interval));
        progress.finishLine();
        final long bytes = sum(jobs, true) - baseBytes;
        final long ios = sum(jobs, false) - baseIos;
        final double seconds = Math.max(1e-9, (endNs - startNs) / 1e9);
        return new BenchResult("conduit", detail.get(), bytes, ios, seconds, bytes / seconds / BenchResult.GIB,
            ios / seconds, total.getValueAtPercentile(50) / 1000.0, total.getValueAtPercentile(99) / 1000.0,
            total.getValueAtPercentile(99.9) / 1000.0, total.getMaxValue() / 1000.0);
    }

    private static long sum(final Job[] jobs, final boolean bytes)
    {
        long sum = 0;
        for (final Job job : jobs)
        {
            sum += bytes ? job.completedBytes.get() : job.completedIos.get();
        }
        return sum;
    }

    private static boolean await(final CountDownLatch latch, final long timeoutNs)
    {
        try
        {
            return latch.await(timeoutNs, TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new ConduitException(ErrorCode.INTERRUPTED, "benchmark interrupted");
        }
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

    /**
     * One fio-like job: {@code qd} slots, each always holding one I/O, the next issued from the
     * previous one's completion. Completions may arrive on several device threads at once (a store
     * spans namespaces), so then the job's state is guarded by a lock (over one file they all arrive
     * on the device's thread and none is needed); the next I/O is issued outside it, so a submit that
     * waits for ring space never holds it.
     */
    static final class Job implements IoCallback
    {
        private final Workload workload;
        private final MemorySegment[] buffers;
        private final long blockBytes;
        private final int queueDepth;
        private final boolean random;
        private final long blocks;
        private final long bytesToIssue;
        private final CountDownLatch done;
        private final Recorder latency;
        private final java.util.concurrent.locks.ReentrantLock lock;
        private final int seed;
        private final SplittableRandom rng;
        private final long[] issuedNs;
        private final IoRequest callbackRequest = new IoRequest();
        private long cursorBytes;
        private long issuedBytes;
        private int outstanding;
        final AtomicLong completedBytes = new AtomicLong();
        final AtomicLong completedIos = new AtomicLong();
        volatile boolean stopping;
        volatile long finishedNs;
        volatile long firstError;

        Job(final BenchConfig config, final Workload workload, final MemorySegment slab, final long regionBytes,
            final long bytesToIssue, final CountDownLatch done, final Recorder latency, final int seed)
        {
            this.workload = workload;
            this.blockBytes = config.blockSizeBytes();
            this.buffers = new MemorySegment[config.queueDepth()];
            for (int slot = 0; slot < buffers.length; slot++)
            {
                buffers[slot] = slab.asSlice(slot * blockBytes, blockBytes);
            }
            this.queueDepth = config.queueDepth();
            this.random = config.mode().isRandom();
            this.blocks = regionBytes / blockBytes;
            this.bytesToIssue = bytesToIssue == Long.MAX_VALUE ? Long.MAX_VALUE : blocks * blockBytes;
            this.done = done;
            this.latency = latency;
            this.lock = workload.completesOnOneThread() ? null : new java.util.concurrent.locks.ReentrantLock();
            this.seed = seed;
            this.rng = new SplittableRandom(seed);
            this.issuedNs = new long[queueDepth];
        }

        /** On the job's thread: claims the first offsets under the monitor, then issues them. */
        void prime()
        {
            final int first = (int)Math.min(queueDepth, Math.max(1, bytesToIssue / blockBytes));
            final long[] offsets = new long[first];
            // Before the first submission, so it happens-before every completion.
            for (int slot = 0; slot < first; slot++)
            {
                offsets[slot] = nextOffset();
                issuedNs[slot] = System.nanoTime();
            }
            issuedBytes = first * blockBytes;
            outstanding = first;
            final IoRequest primer = new IoRequest();
            for (int slot = 0; slot < first; slot++)
            {
                workload.issue(this, slot, offsets[slot], buffer(slot), primer);
            }
        }

        private MemorySegment buffer(final int slot)
        {
            return buffers[slot];
        }

        private long nextOffset()
        {
            if (random)
            {
                return rng.nextLong(blocks) * blockBytes;
            }
            final long offset = cursorBytes;
            cursorBytes = offset + blockBytes >= blocks * blockBytes ? 0 : offset + blockBytes;
            return offset;
        }

        @Override
        public void onComplete(final long tag, final long result)
        {
            final int slot = (int)tag;
            final java.util.concurrent.locks.ReentrantLock lock = this.lock;
            final long nextOffset;
            if (lock != null)
            {
                lock.lock();
            }
            try
            {
                final long nowNs = latency != null ? System.nanoTime() : 0;
                if (latency != null)
                {
                    latency.recordValue(Math.min(Math.max(0, nowNs - issuedNs[slot]), DeviceMetrics.MAX_LATENCY_NS));
                }
                outstanding--;
                if (result == blockBytes)
                {
                    completedBytes.lazySet(completedBytes.get() + blockBytes);
                    completedIos.lazySet(completedIos.get() + 1);
                }
                else if (firstError == 0)
                {
                    // Offsets stay inside the target, so a short transfer is as wrong as an error.
                    firstError = result < 0 ? result : -Errno.EIO;
                    stopping = true;
                }
                if (stopping || issuedBytes >= bytesToIssue)
                {
                    if (outstanding == 0)
                    {
                        finishedNs = System.nanoTime();
                        done.countDown();
                    }
                    return;
                }
                issuedBytes += blockBytes;
                outstanding++;
                nextOffset = nextOffset();
                if (latency != null)
                {
                    issuedNs[slot] = System.nanoTime();
                }
            }
            finally
            {
                if (lock != null)
                {
                    lock.unlock();
                }
            }
            // Over a file every completion arrives on the one device thread, so one scratch request is enough.
            workload.issue(this, slot, nextOffset, buffer(slot), callbackRequest);
        }
    }
}
