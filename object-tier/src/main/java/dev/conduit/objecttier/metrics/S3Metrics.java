package dev.conduit.objecttier.metrics;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.conduit.objecttier.S3Error;
import dev.conduit.scheduler.IoDevice;
import dev.conduit.scheduler.IoScheduler;
import dev.conduit.scheduler.Priority;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The S3 server's counters: requests by operation and status, bytes in and out by operation,
 * latency by operation (HdrHistogram, 1 µs to 1 h at 3 significant digits, reported as cumulative
 * Prometheus buckets), requests and connections in flight, and data-path failures.
 *
 * <p>Operations are named once at construction and then addressed by index, and statuses fall
 * into a fixed table of slots, so {@link #record} allocates nothing: it bumps adders and records
 * into a concurrent histogram.
 *
 * <p>Threading: every method is thread-safe; writers never block each other or a scrape.
 */
public final class S3Metrics
{
    private static final int[] STATUSES = {100, 200, 204, 206, 304, 400, 403, 404, 405, 409, 411, 412, 416, 431, 500,
        501, 503};
    private static final int OTHER_STATUS = STATUSES.length;
    private static final long MAX_LATENCY_US = 3_600_000_000L;

    private final String[] operations;
    private final LongAdder[][] requests;
    private final LongAdder[] bytesIn;
    private final LongAdder[] bytesOut;
    private final LongAdder[] latencySumUs;
    private final Histogram[] latencyUs;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final LongAdder rejectedConnections = new LongAdder();
    private final LongAdder corruptReads = new LongAdder();
    private final LongAdder internalErrors = new LongAdder();
    private final LongAdder[] errors = new LongAdder[S3Error.values().length];
    private volatile IoScheduler scheduler;

    /**
     * @param operations the operation names, indexed as {@link #record} addresses them.
     */
    public S3Metrics(final List<String> operations)
    {
        this.operations = operations.toArray(new String[0]);
        final int n = this.operations.length;
        requests = new LongAdder[n][STATUSES.length + 1];
        bytesIn = new LongAdder[n];
        bytesOut = new LongAdder[n];
        latencySumUs = new LongAdder[n];
        latencyUs = new Histogram[n];
        for (int i = 0; i < n; i++)
        {
            for (int s = 0; s <= STATUSES.length; s++)
            {
                requests[i][s] = new LongAdder();
            }
            bytesIn[i] = new LongAdder();
            bytesOut[i] = new LongAdder();
            latencySumUs[i] = new LongAdder();
            latencyUs[i] = new ConcurrentHistogram(1, MAX_LATENCY_US, 3);
        }
        for (int e = 0; e < errors.length; e++)
        {
            errors[e] = new LongAdder();
        }
    }

    /**
     * @param ioScheduler the scheduler whose device queues a scrape also reports (may be null).
     */
    public void scheduler(final IoScheduler ioScheduler)
    {
        this.scheduler = ioScheduler;
    }

    /**
     * Records one finished request.
     *
     * @param operation     index of the operation.
     * @param status        HTTP status sent.
     * @param bytesInCount  body bytes received.
     * @param bytesOutCount body bytes sent.
     * @param durationUs    from request line to last byte written, microseconds.
     */
    public void record(final int operation, final int status, final long bytesInCount, final long bytesOutCount,
        final long durationUs)
    {
        requests[operation][statusSlot(status)].increment();
        bytesIn[operation].add(bytesInCount);
        bytesOut[operation].add(bytesOutCount);
        latencySumUs[operation].add(durationUs);
        latencyUs[operation].recordValue(Math.max(1, Math.min(durationUs, MAX_LATENCY_US)));
    }

    /**
     * Counts an S3 error answered, by its code (the status alone cannot tell NoSuchKey from
     * NoSuchBucket, or SignatureDoesNotMatch from AccessDenied).
     *
     * @param error the error sent.
     */
    public void error(final S3Error error)
    {
        errors[error.ordinal()].increment();
    }

    /**
     * @param error an S3 error.
     * @return how many times it was answered.
     */
    public long errors(final S3Error error)
    {
        return errors[error.ordinal()].sum();
    }

    /** A request has started (its headers were decoded). */
    public void requestStarted()
    {
        inFlight.incrementAndGet();
    }

    /** A request has finished (or its connection went away). */
    public void requestFinished()
    {
        inFlight.decrementAndGet();
    }

    /** @return requests started and not yet finished. */
    public int inFlightRequests()
    {
        return inFlight.get();
    }

    /** @return a new connection's count, including it. */
    public int connectionOpened()
    {
        return connections.incrementAndGet();
    }

    /** A connection closed. */
    public void connectionClosed()
    {
        connections.decrementAndGet();
    }

    /** A connection was refused because the server was at its limit. */
    public void connectionRejected()
    {
        rejectedConnections.increment();
    }

    /** A verified read found a corrupt checksum chunk while an object was being served. */
    public void corruptRead()
    {
        corruptReads.increment();
    }

    /** @return how many corrupt chunks aborted a GET. */
    public long corruptReads()
    {
        return corruptReads.sum();
    }

    /** A request failed with an unexpected exception (answered InternalError). */
    public void internalError()
    {
        internalErrors.increment();
    }

    /**
     * @param operation index of the operation.
     * @param status    an HTTP status.
     * @return requests of that operation answered with that status.
     */
    public long requests(final int operation, final int status)
    {
        return requests[operation][statusSlot(status)].sum();
    }

    /**
     * Renders every metric in the Prometheus text format 0.0.4.
     *
     * @param bufferPoolFree free buffers in the GET buffer pool.
     * @param bufferPoolSize size of the GET buffer pool.
     * @return the scrape.
     */
    public String scrape(final int bufferPoolFree, final int bufferPoolSize)
    {
        final StringBuilder sb = new StringBuilder(8192);
        final PrometheusText text = new PrometheusText(sb);
        text.family("conduit_s3_requests_total", "counter", "S3 requests by operation and HTTP status.");
        for (int op = 0; op < operations.length; op++)
        {
            for (int s = 0; s <= STATUSES.length; s++)
            {
                final long count = requests[op][s].sum();
                if (count > 0)
                {
                    text.sample("conduit_s3_requests_total", count, "operation", operations[op],
                        "status", s == OTHER_STATUS ? "other" : Integer.toString(STATUSES[s]));
                }
            }
        }
        perOperation(text, "conduit_s3_received_bytes_total", "Request body bytes received, by operation.", bytesIn);
        perOperation(text, "conduit_s3_sent_bytes_total", "Response body bytes sent, by operation.", bytesOut);
        latency(text);
        text.family("conduit_s3_requests_in_flight", "gauge", "Requests started and not finished.")
            .sample("conduit_s3_requests_in_flight", inFlight.get());
        text.family("conduit_s3_connections", "gauge", "Open client connections.")
            .sample("conduit_s3_connections", connections.get());
        text.family("conduit_s3_rejected_connections_total", "counter", "Connections refused at the connection limit.")
            .sample("conduit_s3_rejected_connections_total", rejectedConnections.sum());
        text.family("conduit_s3_corrupt_reads_total", "counter",
            "GETs aborted because a served chunk failed its checksum.")
            .sample("conduit_s3_corrupt_reads_total", corruptReads.sum());
        text.family("conduit_s3_errors_total", "counter", "S3 error documents sent, by error code.");
        for (final S3Error error : S3Error.values())
        {
            final long count = errors[error.ordinal()].sum();
            if (count > 0)
            {
                text.sample("conduit_s3_errors_total", count, "code", error.name());
            }
        }
        text.family("conduit_s3_internal_errors_total", "counter", "Requests answered InternalError.")
            .sample("conduit_s3_internal_errors_total", internalErrors.sum());
        text.family("conduit_s3_read_buffers_free", "gauge", "Free buffers of the GET buffer pool.")
            .sample("conduit_s3_read_buffers_free", bufferPoolFree);
        text.family("conduit_s3_read_buffers", "gauge", "Buffers in the GET buffer pool.")
            .sample("conduit_s3_read_buffers", bufferPoolSize);
        schedulerQueues(text);
        return sb.toString();
    }

    private void perOperation(final PrometheusText text, final String name, final String help, final LongAdder[] values)
    {
        text.family(name, "counter", help);
        for (int op = 0; op < operations.length; op++)
        {
            final long value = values[op].sum();
            if (value > 0)
            {
                text.sample(name, value, "operation", operations[op]);
            }
        }
    }

    private void latency(final PrometheusText text)
    {
        final String name = "conduit_s3_request_duration_seconds";
        text.family(name, "histogram", "Request latency, request line to last byte written, by operation.");
        for (int op = 0; op < operations.length; op++)
        {
            final Histogram snapshot = latencyUs[op].copy();
            final long total = snapshot.getTotalCount();
            if (total == 0)
            {
                continue;
            }
            final long[] perBucket = new long[LatencyBuckets.UPPER_BOUNDS_US.length];
            for (final HistogramIterationValue value : snapshot.recordedValues())
            {
                final long us = snapshot.highestEquivalentValue(value.getValueIteratedTo());
                for (int b = 0; b < perBucket.length; b++)
                {
                    if (us <= LatencyBuckets.UPPER_BOUNDS_US[b])
                    {
                        perBucket[b] += value.getCountAtValueIteratedTo();
                        break;
                    }
                }
            }
            long cumulative = 0;
            for (int b = 0; b < perBucket.length; b++)
            {
                cumulative += perBucket[b];
                text.sample(name + "_bucket", cumulative, "operation", operations[op], "le", LatencyBuckets.LABELS[b]);
            }
            text.sample(name + "_bucket", total, "operation", operations[op], "le", "+Inf");
            text.sample(name + "_sum", latencySumUs[op].sum() / 1e6, "operation", operations[op]);
            text.sample(name + "_count", total, "operation", operations[op]);
        }
    }

    private void schedulerQueues(final PrometheusText text)
    {
        final IoScheduler ioScheduler = scheduler;
        if (ioScheduler == null)
        {
            return;
        }
        final List<IoDevice> devices = ioScheduler.devices();
        text.family("conduit_scheduler_pending_requests", "gauge", "Requests queued on a scheduler device, by class.");
        for (final IoDevice device : devices)
        {
            for (final Priority priority : Priority.values())
            {
                text.sample("conduit_scheduler_pending_requests", device.metrics().pendingRequests(priority),
                    "device", device.name(), "priority", priority.name());
            }
        }
        text.family("conduit_scheduler_in_flight_tasks", "gauge", "Tasks in flight on a scheduler device.");
        for (final IoDevice device : devices)
        {
            text.sample("conduit_scheduler_in_flight_tasks", device.metrics().inFlightTasks(), "device", device.name());
        }
    }

    private static int statusSlot(final int status)
    {
        for (int i = 0; i < STATUSES.length; i++)
        {
            if (STATUSES[i] == status)
            {
                return i;
            }
        }
        return OTHER_STATUS;
    }
}
