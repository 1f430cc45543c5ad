package dev.conduit.jmh.scheduler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.conduit.scheduler.DeviceContext;
import dev.conduit.scheduler.DeviceTarget;
import dev.conduit.scheduler.IoCallback;
import dev.conduit.scheduler.IoDevice;
import dev.conduit.scheduler.IoRequest;
import dev.conduit.scheduler.IoScheduler;
import dev.conduit.scheduler.NullBackend;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.SchedulerContext;
import dev.conduit.scheduler.TargetHandle;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scheduler alone: requests go submit → ring → device thread (admit, dispatch) → {@link NullBackend}
 * (completes at once) → completion callback, with no storage underneath. One JMH thread produces and the
 * device thread consumes, so the benchmark occupies two cores.
 *
 * <ul>
 * <li>{@code throughput}: the producer keeps up to {@value #WINDOW} requests outstanding (it spins when
 *     the window is full), so ops/s is the submit→complete rate. Run with {@code -prof gc}: the steady
 *     state allocates nothing (0 B/op). At tear-down the device's own latency histogram (submit to
 *     completion, under this load) is printed.</li>
 * <li>{@code roundTrip}: one request at a time, the producer spinning until its callback has run;
 *     JMH's sample mode reports the percentiles (p50, p99, p99.9) of that latency.</li>
 * </ul>
 *
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED -jar jmh/target/benchmarks.jar NullBackendBenchmark -f 2 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class NullBackendBenchmark
{
    /** Most requests outstanding in {@code throughput}. */
    static final int WINDOW = 256;
    private static final int WAIT_SPINS = 1000;
    private static final long REQUEST_BYTES = 4096;
    private static final long SPREAD_BYTES = 1L << 20;

    private Arena arena;
    private IoScheduler scheduler;
    private IoDevice device;
    private TargetHandle target;
    private MemorySegment buffer;

    /** Starts a scheduler with one null-backend device. */
    @Setup(Level.Trial)
    public void setUp()
    {
        arena = Arena.ofShared();
        buffer = arena.allocate(REQUEST_BYTES, 4096);
        scheduler = IoScheduler.launch(new SchedulerContext());
        device = scheduler.addDevice("null0", new NullBackend(1024),
            new DeviceContext().queueDepth(1024).ringSize(1024).maxRequests(2048));
        target = device.attach(new SizedDevice(1L << 50));
    }

    /** Prints the device's latency percentiles for the trial, then stops the scheduler. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        final Histogram latency = device.metrics().latencyInterval(Priority.LATENCY, null);
        System.out.printf(Locale.ROOT, "%n[device latency, submit->complete, ns] count=%d p50=%d p99=%d p99.9=%d max=%d%n",
            latency.getTotalCount(), latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
            latency.getValueAtPercentile(99.9), latency.getMaxValue());
        scheduler.close();
        arena.close();
    }

    /** Per-producer state: a reusable request and a completion counter written by the device thread. */
    @State(Scope.Thread)
    public static class Producer implements IoCallback
    {
        final IoRequest request = new IoRequest();
        final AtomicLong completed = new AtomicLong();
        long submitted;
        /** The producer's last reading of {@link #completed}: re-read only when the window looks full (as the Disruptor caches its gating sequence). */
        long completedSeen;

        @Override
        public void onComplete(final long tag, final long result)
        {
            completed.lazySet(completed.get() + 1);
        }

        /** Waits for outstanding requests so trials do not overlap. */
        @TearDown(Level.Iteration)
        public void drain()
        {
            while (completed.get() != submitted)
            {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * One request submitted; the window bounds how far submission runs ahead of completion.
     *
     * @param p producer state.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    public void throughput(final Producer p)
    {
        final long submitted = p.submitted;
        if (submitted - p.completedSeen >= WINDOW)
        {
            long completed;
            int spins = 0;
            while (submitted - (completed = p.completed.get()) >= WINDOW)
            {
                // Spin briefly, then yield: on a host where both threads end up on one CPU, a producer
                // that only spins starves the device thread it is waiting for.
                if (++spins < WAIT_SPINS)
                {
                    Thread.onSpinWait();
                }
                else
                {
                    Thread.yield();
                }
            }
            p.completedSeen = completed;
        }
        p.request.read(target, (submitted & 1023) * SPREAD_BYTES, buffer, 0, REQUEST_BYTES);
        device.submit(p.request, p, submitted);
        p.submitted = submitted + 1;
    }

    /**
     * One request submitted and waited for.
     *
     * @param p producer state.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void roundTrip(final Producer p)
    {
        final long submitted = p.submitted;
        p.request.read(target, (submitted & 1023) * SPREAD_BYTES, buffer, 0, REQUEST_BYTES);
        device.submit(p.request, p, submitted);
        p.submitted = submitted + 1;
        int spins = 0;
        while (p.completed.get() != submitted + 1)
        {
            if (++spins < WAIT_SPINS)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield();
            }
        }
    }

    /** A target that the null backend never touches: only its size matters. */
    private record SizedDevice(long sizeBytes) implements DeviceTarget
    {
        @Override
        public String name()
        {
            return "null";
        }

        @Override
        public int alignment()
        {
            return 1;
        }
    }
}
