package dev.conduit.bench.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.conduit.bench.BenchResult;
import dev.conduit.bench.Progress;
import dev.conduit.bench.RateSample;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One phase of an S3 run on the calling thread: opens the connections, ends the ramp, prints progress
 * once a second, stops a timed phase, waits (boundedly) for the requests in flight, and sums the
 * connections' counts and latencies into an {@link S3Result}.
 */
final class S3Phase
{
    /** Latencies above this (one hour) are recorded as this. */
    static final long MAX_LATENCY_NS = TimeUnit.HOURS.toNanos(1);

    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    /** After the stop, requests in flight get this long to finish before their connections are dropped. */
    private static final long DRAIN_NS = TimeUnit.SECONDS.toNanos(30);
    /** Connects time out after 5 s each (the bootstrap's option); this bounds waiting for all of them. */
    private static final long CONNECT_WAIT_NS = TimeUnit.SECONDS.toNanos(30);

    private final S3Load load;
    private final S3Plan plan;
    private final Recorder recorder = new Recorder(MAX_LATENCY_NS, 3);
    final CountDownLatch done;
    private final List<S3Connection> connections;
    /** Counted down once per connection when its first connect has succeeded or failed. */
    final CountDownLatch connected;
    /** Set when every connection is up (or has failed once): requests may start. */
    volatile boolean going;
    /** Timed phases retry a failed connect until they stop; setup and cleanup give up on it. */
    final boolean retryConnects;
    volatile boolean measuring;
    volatile boolean stopping;

    private S3Phase(final S3Load load, final S3Plan plan, final int connections, final long rateOps, final long seed,
        final boolean retryConnects)
    {
        this.load = load;
        this.retryConnects = retryConnects;
        this.plan = plan;
        this.done = new CountDownLatch(connections);
        this.connected = new CountDownLatch(connections);
        this.connections = new ArrayList<>(connections);
        final long intervalNs = rateOps > 0 ? Math.max(1, TimeUnit.SECONDS.toNanos(connections) / rateOps) : 0;
        for (int i = 0; i < connections; i++)
        {
            this.connections.add(new S3Connection(this, load.group().next(), seed + i, intervalNs));
        }
    }

    Bootstrap bootstrap()
    {
        return load.bootstrap();
    }

    S3Target target()
    {
        return load.config().target();
    }

    S3Signer signer()
    {
        return load.signer();
    }

    S3Plan plan()
    {
        return plan;
    }

    ByteBuf body()
    {
        return load.body();
    }

    long objectBytes()
    {
        return load.config().objectBytes();
    }

    void record(final long latencyNs)
    {
        recorder.recordValue(Math.min(Math.max(0, latencyNs), MAX_LATENCY_NS));
    }

    /**
     * Runs a timed phase of random requests.
     *
     * @param load     the shared parts.
     * @param plan     what each request is.
     * @param rampNs   unmeasured start.
     * @param timeNs   measured duration.
     * @param progress live progress.
     * @param seed     the connections' random seeds start here.
     * @return what the measured part achieved.
     */
    static S3Result timed(final S3Load load, final S3Plan plan, final long rampNs, final long timeNs,
        final Progress progress, final long seed)
    {
        final S3BenchConfig config = load.config();
        return new S3Phase(load, plan, config.concurrency(), config.rateOps(), seed, true).run(rampNs, timeNs, progress);
    }

    /**
     * Runs a plan that runs out (setup, cleanup), all of it measured, with no time limit.
     *
     * @param load        the shared parts.
     * @param plan        the requests.
     * @param connections connections to share them out over.
     * @param progress    live progress.
     * @return what it achieved.
     */
    static S3Result untimed(final S3Load load, final S3Plan plan, final int connections, final Progress progress)
    {
        return new S3Phase(load, plan, connections, 0, 1, false).run(0, 0, progress);
    }

    private S3Result run(final long rampNs, final long timeNs, final Progress progress)
    {
        measuring = rampNs == 0;
        for (final S3Connection connection : connections)
        {
            connection.start();
        }
        // The clock starts when the connections are open: TCP handshakes are not request latency.
        awaitConnected();
        going = true;
        for (final S3Connection connection : connections)
        {
            connection.go();
        }
        long startNs = System.nanoTime();
        if (rampNs > 0)
        {
            await(rampNs);
            startNs = System.nanoTime();
            measuring = true;
        }
        final Histogram total = new Histogram(MAX_LATENCY_NS, 3);
        Histogram interval = null;
        final long stopAtNs = startNs + timeNs;
        long lastNs = startNs;
        long lastBytes = 0;
        long lastRequests = 0;
        long drainUntilNs = 0;
        final List<RateSample> perSecond = new ArrayList<>();
        while (done.getCount() > 0)
        {
            final long nowNs = System.nanoTime();
            if (!stopping && timeNs > 0 && nowNs - stopAtNs >= 0)
            {
                stopping = true;
                drainUntilNs = nowNs + DRAIN_NS;
            }
            if (stopping && nowNs - drainUntilNs >= 0)
            {
                // A request that has not ended 30 s after the stop is counted as failed, not waited for.
                connections.forEach(S3Connection::abort);
                await(DRAIN_NS);
                break;
            }
            final long waitNs = timeNs > 0 && !stopping ? Math.min(PROGRESS_INTERVAL_NS, stopAtNs - nowNs) :
                PROGRESS_INTERVAL_NS;
            if (await(Math.max(1, waitNs)))
            {
                break;
            }
            final long tickNs = System.nanoTime();
            if (tickNs - lastNs >= PROGRESS_INTERVAL_NS / 2)
            {
                interval = recorder.getIntervalHistogram(interval);
                total.add(interval);
                final long bytes = sum(true);
                final long requests = sum(false);
                final double seconds = (tickNs - lastNs) / 1e9;
                if (!stopping)
                {
                    // Measured seconds only, as Conduit's file runs keep them; the drain after the stop is none.
                    perSecond.add(RateSample.between(startNs, lastNs, tickNs, bytes - lastBytes,
                        requests - lastRequests));
                }
                progress.update("s3", (tickNs - startNs) / 1e9, (bytes - lastBytes) / seconds,
                    (requests - lastRequests) / seconds, interval.getValueAtPercentile(99) / 1000.0);
                lastNs = tickNs;
                lastBytes = bytes;
                lastRequests = requests;
            }
        }
        if (done.getCount() > 0)
        {
            throw new ConduitException(ErrorCode.TIMED_OUT, "S3 connections did not stop after being dropped");
        }
        progress.finishLine();
        total.add(recorder.getIntervalHistogram(interval));
        return result(startNs, total, perSecond);
    }

    private S3Result result(final long startNs, final Histogram total, final List<RateSample> perSecond)
    {
        long endNs = startNs;
        long gets = 0;
        long puts = 0;
        long getBytes = 0;
        long putBytes = 0;
        final Map<String, Long> errors = new TreeMap<>();
        String firstFailure = null;
        for (final S3Connection c : connections)
        {
            endNs = Math.max(endNs, c.finishedNs);
            gets += c.gets;
            puts += c.puts;
            getBytes += c.getBytes;
            putBytes += c.putBytes;
            c.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            firstFailure = firstFailure == null ? c.firstFailure : firstFailure;
        }
        final long ok = sum(false);
        final long bytes = sum(true);
        final double seconds = Math.max(1e-9, (endNs - startNs) / 1e9);
        final BenchResult result = BenchResult.of("s3", "netty http/1.1, sigv4 unsigned payload", bytes, ok, seconds,
            total).withPerSecond(perSecond);
        return new S3Result(result, total.getValueAtPercentile(90) / 1000.0, gets, puts, getBytes, putBytes, errors,
            firstFailure);
    }

    private long sum(final boolean bytes)
    {
        long sum = 0;
        for (final S3Connection c : connections)
        {
            sum += bytes ? c.okBytes.get() : c.okRequests.get();
        }
        return sum;
    }

    private void awaitConnected()
    {
        try
        {
            if (!connected.await(CONNECT_WAIT_NS, TimeUnit.NANOSECONDS))
            {
                stopping = true;
                connections.forEach(S3Connection::abort);
                throw new ConduitException(ErrorCode.TIMED_OUT, "connections to " + target().endpoint() +
                    " neither opened nor failed within " + TimeUnit.NANOSECONDS.toSeconds(CONNECT_WAIT_NS) + " s");
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            stopping = true;
            connections.forEach(S3Connection::abort);
            throw new ConduitException(ErrorCode.INTERRUPTED, "S3 benchmark interrupted");
        }
    }

    private boolean await(final long timeoutNs)
    {
        try
        {
            return done.await(timeoutNs, TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            stopping = true;
            connections.forEach(S3Connection::abort);
            throw new ConduitException(ErrorCode.INTERRUPTED, "S3 benchmark interrupted");
        }
    }
}
