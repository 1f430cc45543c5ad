package dev.conduit.bench;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.scheduler.DeviceMetrics;
import dev.conduit.scheduler.IoStatus;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs a benchmark's jobs to the end (size or time) on the calling thread: starts one thread per job,
 * ends the ramp, prints progress once a second, stops timed runs, and turns the jobs' counts and
 * latencies into a {@link BenchResult}.
 */
final class Driver
{
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private Driver()
    {
    }

    /**
     * @param config      the benchmark.
     * @param workload    how one I/O is issued.
     * @param regionBytes bytes the offsets range over.
     * @param slabs       one buffer slab per job ({@code qd} slots of the block size), or null when the workload
     *                    reads into memory of its own.
     * @param progress    live progress.
     * @param detail      what Conduit ran on, for the report.
     * @return the result.
     * @throws ConduitException with the errno name when an I/O fails.
     */
    static BenchResult drive(
        final BenchConfig config, final ConduitBench.Workload workload, final long regionBytes,
        final MemorySegment[] slabs, final Progress progress, final String detail)
    {
        final CountDownLatch done = new CountDownLatch(config.threads());
        final long perJobBytes = config.timeNs() > 0 ? Long.MAX_VALUE : regionBytes;
        final Recorder recorder = new Recorder(DeviceMetrics.MAX_LATENCY_NS, 3);
        final Job[] jobs = new Job[config.threads()];
        for (int j = 0; j < jobs.length; j++)
        {
            jobs[j] = new Job(j, config, workload, slabs == null ? null : slabs[j], regionBytes, perJobBytes, done, recorder, 0x5EED + j);
            jobs[j].measuring = config.rampNs() == 0;
        }
        final Histogram total = new Histogram(DeviceMetrics.MAX_LATENCY_NS, 3);
        Histogram interval = null;

        final long launchNs = System.nanoTime();
        for (final Job job : jobs)
        {
            Thread.ofPlatform().name("conduit-bench-job-" + job.seed).start(job::run);
        }
        long startNs = launchNs;
        if (config.rampNs() > 0)
        {
            // Ramp: run unmeasured (JIT warm-up, device steady state), then count from here.
            await(done, config.rampNs());
            startNs = System.nanoTime();
            for (final Job job : jobs)
            {
                job.measuring = true;
            }
            progress.note("ramp done after " + config.rampNs() / 1_000_000 + " ms; measuring");
        }
        // Measured for the full --time from the end of the ramp, however late the ramp's wake-up came.
        final long stopAtNs = startNs + config.timeNs();
        long lastNs = startNs;
        long lastBytes = 0;
        long lastIos = 0;
        boolean stopped = false;
        final List<RateSample> perSecond = new ArrayList<>();
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
                interval = recorder.getIntervalHistogram(interval);
                total.add(interval);
                final long bytes = sum(jobs, true);
                final long ios = sum(jobs, false);
                final double seconds = (tickNs - lastNs) / 1e9;
                // Only measured intervals: once stopped, the jobs' draining is no second of the run.
                if (!stopped)
                {
                    perSecond.add(RateSample.between(startNs, lastNs, tickNs, bytes - lastBytes, ios - lastIos));
                }
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
        total.add(recorder.getIntervalHistogram(interval));
        progress.finishLine();
        final long bytes = sum(jobs, true);
        final long ios = sum(jobs, false);
        final double seconds = Math.max(1e-9, (endNs - startNs) / 1e9);
        return BenchResult.of("conduit", detail, bytes, ios, seconds, total).withPerSecond(perSecond);
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
}
