package dev.conduit.scheduler;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Metrics of one device, per priority class: counters ({@link DeviceCounter}), request latency from
 * submission to completion, and queue depth (tasks in flight).
 *
 * <p>Latency is recorded in nanoseconds into an HdrHistogram {@link Recorder} with 3 significant
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
 * <p>Threading: written only by the device's thread (counters with release stores, recorders
 * wait-free, nothing allocated); read from any thread.
 */
public final class DeviceMetrics
{
    /** Largest latency recorded; longer ones are clamped. */
    public static final long MAX_LATENCY_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int SIGNIFICANT_DIGITS = 3;
    private static final int CLASSES = Priority.values().length;

    private final String deviceName;
    private final int queueDepth;
    private final AtomicLongArray counters = new AtomicLongArray(CLASSES * DeviceCounter.count());
    private final AtomicIntegerArray inFlight = new AtomicIntegerArray(CLASSES);
    private final AtomicIntegerArray pending = new AtomicIntegerArray(CLASSES);
    private final Recorder[] latency = new Recorder[CLASSES];
    private final Recorder queueDepthRecorder;

    DeviceMetrics(final String deviceName, final int queueDepth)
    {
        this.deviceName = deviceName;
        this.queueDepth = queueDepth;
        for (int i = 0; i < CLASSES; i++)
        {
            latency[i] = new Recorder(MAX_LATENCY_NS, SIGNIFICANT_DIGITS);
        }
        this.queueDepthRecorder = new Recorder(Math.max(2, queueDepth), SIGNIFICANT_DIGITS);
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
        return latency[priority.ordinal()].getIntervalHistogram(recycle);
    }

    /**
     * Queue depth since the previous call: the number of tasks in flight, sampled at each dispatch.
     *
     * @param recycle the histogram returned by the previous call, or {@code null}.
     * @return the interval histogram.
     */
    public Histogram queueDepthInterval(final Histogram recycle)
    {
        return queueDepthRecorder.getIntervalHistogram(recycle);
    }

    void increment(final int classOrdinal, final DeviceCounter counter)
    {
        add(classOrdinal, counter, 1);
    }

    void add(final int classOrdinal, final DeviceCounter counter, final long delta)
    {
        final int i = classOrdinal * DeviceCounter.count() + counter.id();
        counters.setRelease(i, counters.getPlain(i) + delta);
    }

    void addConcurrently(final int classOrdinal, final DeviceCounter counter)
    {
        counters.getAndIncrement(classOrdinal * DeviceCounter.count() + counter.id());
    }

    void recordLatency(final int classOrdinal, final long latencyNs)
    {
        latency[classOrdinal].recordValue(Math.min(Math.max(latencyNs, 0), MAX_LATENCY_NS));
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
        queueDepthRecorder.recordValue(Math.min(tasks, Math.max(2, queueDepth)));
    }
}
