package dev.conduit.jmh.nativebindings.uring;

import java.util.concurrent.TimeUnit;

import dev.conduit.nativebindings.uring.CompletionHandler;
import dev.conduit.nativebindings.uring.IoUring;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * io_uring round trip cost without a device: NOPs prepared in place, submitted with one
 * io_uring_enter per batch (which also waits for the batch), and reaped through a preallocated
 * handler. Every invocation moves {@value #NOPS_PER_INVOCATION} NOPs in batches of
 * {@code batchSize}, so the score is NOPs per second and {@code -prof gc} gives bytes per NOP.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@OperationsPerInvocation(IoUringNopBenchmark.NOPS_PER_INVOCATION)
public class IoUringNopBenchmark implements CompletionHandler
{
    /** NOPs per benchmark invocation; a multiple of every batch size. */
    static final int NOPS_PER_INVOCATION = 32;

    /** NOPs per io_uring_enter. */
    @Param({"1", "8", "32"})
    public int batchSize;

    private IoUring ring;
    private long nextUserData;
    private long completionSum;

    /** Creates a ring deep enough for the largest batch. */
    @Setup(Level.Trial)
    public void setUp()
    {
        ring = IoUring.create(NOPS_PER_INVOCATION);
    }

    /**
     * @return a value derived from every completion, so none can be optimised away.
     */
    @Benchmark
    public long submitAndReapNops()
    {
        final IoUring ring = this.ring;
        final int batchSize = this.batchSize;
        for (int done = 0; done < NOPS_PER_INVOCATION; done += batchSize)
        {
            for (int i = 0; i < batchSize; i++)
            {
                if (!ring.tryPrepNop(nextUserData++))
                {
                    throw new IllegalStateException("ring full: completions were not reaped");
                }
            }
            ring.submitAndWait(batchSize);
            ring.reap(this);
        }
        return completionSum;
    }

    @Override
    public void onComplete(final long userData, final int result, final int flags)
    {
        completionSum += userData + result;
    }

    /** Closes the ring. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        ring.close();
    }
}
