package dev.conduit.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.conduit.nativebindings.ConduitException;
import dev.conduit.nativebindings.Errno;
import dev.conduit.scheduler.Backend;
import dev.conduit.scheduler.Backends;
import dev.conduit.scheduler.DeviceContext;
import dev.conduit.scheduler.DeviceCounter;
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

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The Conduit side of {@code conduit bench}: fio-like jobs driving one scheduler device over a file.
 *
 * <p>Each job (fio's {@code numjobs}) owns {@code qd} buffer slots and keeps one request in flight per
 * slot: its thread submits the first {@code qd}, and from then on each completion callback, on the
 * device's thread, submits the slot's next I/O ({@code trySubmit}, which cannot be refused because
 * a job never has more than {@code qd} requests outstanding and the ring holds them all). Sequential
 * jobs each start at offset 0 and wrap at the end of the file; random jobs pick uniformly random,
 * block-aligned offsets (fio's {@code norandommap}). Latency is the scheduler's own submit-to-complete
 * histogram; throughput counts bytes completed over the time from the first submission to the last
 * completion.
 */
public final class ConduitBench
{
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private ConduitBench()
    {
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
            throw new ConduitException("UNSUPPORTED", ConduitException.Category.ERROR,
                "--target store needs the block-layout store, which is not in this build yet; use --target FILE");
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
            final MemorySegment[] slabs = new MemorySegment[config.threads()];
            for (int j = 0; j < slabs.length; j++)
            {
                slabs[j] = arena.allocate(config.queueDepth() * config.blockSizeBytes(), 4096);
                if (!config.mode().isRead())
                {
                    fill(slabs[j], j);
                }
            }
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
                return drive(config, device, device.attach(file), fileBytes, slabs, progress);
            }
        }
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

    private static BenchResult drive(
        final BenchConfig config, final IoDevice device, final TargetHandle target, final long fileBytes,
        final MemorySegment[] slabs, final Progress progress)
    {
        final CountDownLatch done = new CountDownLatch(config.threads());
        final long perJobBytes = config.timeNs() > 0 ? Long.MAX_VALUE : fileBytes;
        final Job[] jobs = new Job[config.threads()];
        for (int j = 0; j < jobs.length; j++)
        {
            jobs[j] = new Job(config, device, target, slabs[j], fileBytes, perJobBytes, done, 0x5EED + j);
        }
        final DeviceMetrics metrics = device.metrics();
        final Priority priority = config.priority();
        final Histogram total = new Histogram(DeviceMetrics.MAX_LATENCY_NS, 3);
        Histogram interval = metrics.latencyInterval(priority, null);

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
            interval = metrics.latencyInterval(priority, interval);
            startNs = System.nanoTime();
            baseBytes = metrics.counter(priority, DeviceCounter.BYTES);
            baseIos = metrics.counter(priority, DeviceCounter.REQUESTS);
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
                interval = metrics.latencyInterval(priority, interval);
                total.add(interval);
                final long bytes = metrics.counter(priority, DeviceCounter.BYTES);
                final long ios = metrics.counter(priority, DeviceCounter.REQUESTS);
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
                final int errno = (int)-job.firstError;
                throw new ConduitException(Errno.name(errno), ConduitException.Category.ERROR,
                    "benchmark I/O failed: " + config.mode().fioName() + " of " + target + ": " + Errno.name(errno) +
                    " (" + errno + ") " + Errno.describe(errno));
            }
        }
        total.add(metrics.latencyInterval(priority, interval));
        progress.finishLine();
        final long bytes = metrics.counter(priority, DeviceCounter.BYTES) - baseBytes;
        final long ios = metrics.counter(priority, DeviceCounter.REQUESTS) - baseIos;
        final double seconds = Math.max(1e-9, (endNs - startNs) / 1e9);
        return new BenchResult("conduit", describe(device.backend()), bytes, ios, seconds, bytes / seconds / BenchResult.GIB,
            ios / seconds, total.getValueAtPercentile(50) / 1000.0, total.getValueAtPercentile(99) / 1000.0,
            total.getValueAtPercentile(99.9) / 1000.0, total.getMaxValue() / 1000.0);
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

    private static boolean await(final CountDownLatch latch, final long timeoutNs)
    {
        try
        {
            return latch.await(timeoutNs, TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new ConduitException("INTERRUPTED", ConduitException.Category.ERROR, "benchmark interrupted");
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

    /** One fio-like job: {@code qd} slots, each always holding one request, resubmitted from the completion callback. */
    private static final class Job implements IoCallback
    {
        private final IoDevice device;
        private final TargetHandle target;
        private final MemorySegment slab;
        private final long blockBytes;
        private final int queueDepth;
        private final boolean read;
        private final boolean random;
        private final long blocks;
        private final long bytesToIssue;
        private final Priority priority;
        private final CountDownLatch done;
        private final int seed;
        private final SplittableRandom rng;
        private final IoRequest request = new IoRequest();
        private long cursorBytes;
        private long issuedBytes;
        private int outstanding;
        volatile boolean stopping;
        volatile long finishedNs;
        volatile long firstError;

        Job(final BenchConfig config, final IoDevice device, final TargetHandle target, final MemorySegment slab,
            final long fileBytes, final long bytesToIssue, final CountDownLatch done, final int seed)
        {
            this.device = device;
            this.target = target;
            this.slab = slab;
            this.blockBytes = config.blockSizeBytes();
            this.queueDepth = config.queueDepth();
            this.read = config.mode().isRead();
            this.random = config.mode().isRandom();
            this.blocks = fileBytes / blockBytes;
            this.bytesToIssue = bytesToIssue == Long.MAX_VALUE ? Long.MAX_VALUE : blocks * blockBytes;
            this.priority = config.priority();
            this.done = done;
            this.seed = seed;
            this.rng = new SplittableRandom(seed);
        }

        /** On the job's thread: claims the first offsets, then submits them (after which only callbacks touch the job). */
        void prime()
        {
            final int first = (int)Math.min(queueDepth, Math.max(1, bytesToIssue / blockBytes));
            final long[] offsets = new long[first];
            for (int slot = 0; slot < first; slot++)
            {
                offsets[slot] = nextOffset();
            }
            issuedBytes = first * blockBytes;
            outstanding = first;
            final IoRequest primer = new IoRequest();
            for (int slot = 0; slot < first; slot++)
            {
                set(primer, offsets[slot], slot);
                device.submit(primer, this, slot);
            }
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

        private void set(final IoRequest r, final long offset, final int slot)
        {
            if (read)
            {
                r.read(target, offset, slab, slot * blockBytes, blockBytes);
            }
            else
            {
                r.write(target, offset, slab, slot * blockBytes, blockBytes);
            }
            r.priority(priority);
        }

        @Override
        public void onComplete(final long tag, final long result)
        {
            outstanding--;
            if (result != blockBytes)
            {
                // Offsets stay inside the file, so a short transfer is as wrong as an error.
                if (firstError == 0)
                {
                    firstError = result < 0 ? result : -Errno.EIO;
                }
                stopping = true;
            }
            if (!stopping && issuedBytes < bytesToIssue)
            {
                issuedBytes += blockBytes;
                set(request, nextOffset(), (int)tag);
                if (device.trySubmit(request, this, tag) >= 0)
                {
                    outstanding++;
                    return;
                }
                firstError = IoStatus.REJECTED;
                stopping = true;
            }
            if (outstanding == 0)
            {
                finishedNs = System.nanoTime();
                done.countDown();
            }
        }
    }
}
