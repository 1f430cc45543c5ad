package dev.conduit.scheduler;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

import org.HdrHistogram.Histogram;

/**
 * Metrics of one device, per priority class: counters ({@link DeviceCounter}), request latency from
 * submission to completion, and queue depth (tasks in flight).
 *
 * <p>Latency is recorded in nanoseconds into HdrHistograms behind a {@code WriterReaderPhaser}, like
 * HdrHistogram's {@code Recorder}, but in batches: the device's thread (the only writer) keeps a
 * duty cycle's counts and latencies in plain arrays and publishes them once per cycle, so counting
 * a request costs no atomic operation. Values are exact to 3 significant
 * digits up to 60 s (longer values are clamped to 60 s): a 4 KiB read that took 83,456 ns is
 * recorded as 83,456 &plusmn; 64 ns. Readers take interval histograms, recycling the previous one,
 * and accumulate them if they want totals:
 *
 * <pre>{@code
 * Histogram interval = null;
 * while (running)
 * {
 *     interval = metrics.latencyInterval(Priority.LATENCY, interval);
 *     total.add(interval);
 * }
 * }</pre>
 *
 * <p>Rates (IOPS, bytes/s) are differences of {@link #counter} readings over time.
 *
 * <p>Threading: written only by the device's thread (nothing allocated), published at the end of each
 * duty cycle, so readers see a cycle's requests together, and a completion callback can run a moment
 * before its request is counted; read from any thread.
 */
public final class DeviceMetrics
{
    /** Largest latency recorded; longer ones are clamped. */
    public static final long MAX_LATENCY_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int SIGNIFICANT_DIGITS = 3;
    private static final int CLASSES = Priority.values().length;
    private static final int LATENCY_BATCH = 1024;
    private static final int QUEUE_DEPTH = 2;

    private final String deviceName;
    private final int queueDepth;
    private final AtomicLongArray counters = new AtomicLongArray(CLASSES * DeviceCounter.count());
    /** Device-thread increments since the last {@link #publish()}; plain, so counting a request costs an array add. */
    private final long[] pendingCounts = new long[CLASSES * DeviceCounter.count()];
    /** Latencies (nanoseconds, class in the top bit) completed since the last publish. */
    private final long[] pendingLatencies = new long[LATENCY_BATCH];
    private int pendingLatencyCount;
    private boolean dirty;
    private final AtomicIntegerArray inFlight = new AtomicIntegerArray(CLASSES);
    private final AtomicIntegerArray pending = new AtomicIntegerArray(CLASSES);
    /** Histograms 0 and 1: latency of LATENCY and BULK; 2: queue depth. */
    private final BatchRecorder recorder;
    private long queueDepthSample = -1;

    DeviceMetrics(final String deviceName, final int queueDepth)
    {
        this.deviceName = deviceName;
        this.queueDepth = queueDepth;
        this.recorder = new BatchRecorder(SIGNIFICANT_DIGITS, MAX_LATENCY_NS, MAX_LATENCY_NS, Math.max(2, queueDepth));
    }

    /** @return the device's name. */
    public String deviceName()
    {
        return deviceName;
    }

    /** @return the device's queue depth limit. */
    public int queueDepth()
    {
        return queueDepth;
    }

    /**
     * @param priority class.
     * @param counter  which counter.
     * @return its value since the device started.
     */
    public long counter(final Priority priority, final DeviceCounter counter)
    {
        return counters.get(priority.ordinal() * DeviceCounter.count() + counter.id());
    }

    /**
     * @param counter which counter.
     * @return its value summed over both classes.
     */
    public long counter(final DeviceCounter counter)
    {
        long sum = 0;
        for (int i = 0; i < CLASSES; i++)
        {
            sum += counters.get(i * DeviceCounter.count() + counter.id());
        }
        return sum;
    }

    /**
     * @param priority class.
     * @return tasks of this class in flight now.
     */
    public int inFlightTasks(final Priority priority)
    {
        return inFlight.get(priority.ordinal());
    }

    /** @return tasks in flight now, both classes. */
    public int inFlightTasks()
    {
        return inFlight.get(0) + inFlight.get(1);
    }

    /**
     * @param priority class.
     * @return requests of this class admitted and waiting for (more) dispatch.
     */
    public int pendingRequests(final Priority priority)
    {
        return pending.get(priority.ordinal());
    }

    /**
     * Latency since the previous call for this class.
     *
     * @param priority class.
     * @param recycle  the histogram returned by the previous call, or {@code null}.
     * @return submit-to-complete latency in nanoseconds of requests completed in the interval.
     */
    public Histogram latencyInterval(final Priority priority, final Histogram recycle)
    {
        return recorder.intervalHistogram(priority.ordinal(), recycle);
    }

    /**
     * Queue depth since the previous call: the number of tasks in flight, sampled once per duty cycle
     * that dispatched something.
     *
     * @param recycle the histogram returned by the previous call, or {@code null}.
     * @return the interval histogram.
     */
    public Histogram queueDepthInterval(final Histogram recycle)
    {
        return recorder.intervalHistogram(QUEUE_DEPTH, recycle);
    }

    void increment(final int classOrdinal, final DeviceCounter counter)
    {
        pendingCounts[classOrdinal * DeviceCounter.count() + counter.id()]++;
        dirty = true;
    }

    void add(final int classOrdinal, final DeviceCounter counter, final long delta)
    {
        pendingCounts[classOrdinal * DeviceCounter.count() + counter.id()] += delta;
        dirty = true;
    }

    void addConcurrently(final int classOrdinal, final DeviceCounter counter)
    {
        counters.getAndIncrement(classOrdinal * DeviceCounter.count() + counter.id());
    }

    void recordLatency(final int classOrdinal, final long latencyNs)
    {
        if (pendingLatencyCount == LATENCY_BATCH)
        {
            publishHistograms();
        }
        final long value = Math.min(Math.max(latencyNs, 0), MAX_LATENCY_NS);
        pendingLatencies[pendingLatencyCount++] = classOrdinal == 0 ? value : value | Long.MIN_VALUE;
        dirty = true;
    }

    void inFlight(final int classOrdinal, final int tasks)
    {
        inFlight.setRelease(classOrdinal, tasks);
    }

    void pending(final int classOrdinal, final int requests)
    {
        pending.setRelease(classOrdinal, requests);
    }

    void recordQueueDepth(final int tasks)
    {
        queueDepthSample = Math.min(tasks, Math.max(2, queueDepth));
        dirty = true;
    }

    /**
     * Device thread, once per duty cycle that did work: makes the cycle's counts, latencies and
     * queue-depth sample visible to readers (two phaser entries per histogram, not two per request).
     */
    void publish()
    {
        if (!dirty)
        {
            return;
        }
        dirty = false;
        final long[] pendingCounts = this.pendingCounts;
        for (int i = 0; i < pendingCounts.length; i++)
        {
            final long delta = pendingCounts[i];
            if (delta != 0)
            {
                counters.setRelease(i, counters.getPlain(i) + delta);
                pendingCounts[i] = 0;
            }
        }
        publishHistograms();
    }

    private void publishHistograms()
    {
        final int count = pendingLatencyCount;
        if (count == 0 && queueDepthSample < 0)
        {
            return;
        }
        final BatchRecorder recorder = this.recorder;
        final long token = recorder.begin();
        try
        {
            for (int i = 0; i < count; i++)
            {
                final long v = pendingLatencies[i];
                recorder.record(v >= 0 ? 0 : 1, v & Long.MAX_VALUE);
            }
            if (queueDepthSample >= 0)
            {
                recorder.record(QUEUE_DEPTH, queueDepthSample);
            }
        }
        finally
        {
            recorder.end(token);
        }
        pendingLatencyCount = 0;
        queueDepthSample = -1;
    }
}
