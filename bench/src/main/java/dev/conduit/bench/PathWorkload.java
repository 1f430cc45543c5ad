package dev.conduit.bench;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.IoResult;
import dev.conduit.gdspath.DataPath;
import dev.conduit.gdspath.DeviceBuffer;
import dev.conduit.gdspath.DeviceBufferPool;
import dev.conduit.scheduler.IoRequest;

/**
 * The {@link PathBench} workload: each job slot owns one {@link DeviceBuffer} and reads the block at its
 * offset through {@link DataPath#read}; with verification every block read is checked against
 * {@link BlockPattern} before the slot is reused. The first failure is kept with its message, so the bench
 * reports it rather than a bare code.
 *
 * <p>Resources: holds {@code qd × threads} buffers of the pool from construction to {@link #close()}.
 *
 * <p>Threading: {@link #issue} from the job threads and from completions; completions run on the
 * scheduler's device threads. One I/O per slot at a time, so a slot's completion object is reused.
 */
final class PathWorkload implements ConduitBench.Workload, AutoCloseable
{
    private final DataPath path;
    private final String key;
    private final long blockBytes;
    private final int queueDepth;
    private final boolean verify;
    private final DeviceBuffer[] buffers;
    private final SlotCompletion[] completions;
    private final LongAdder latencyNs = new LongAdder();
    private final LongAdder reads = new LongAdder();
    private final LongAdder verifiedBytes = new LongAdder();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    PathWorkload(final DataPath path, final String key, final DeviceBufferPool pool, final BenchConfig config,
        final boolean verify)
    {
        this.path = path;
        this.key = key;
        this.blockBytes = config.blockSizeBytes();
        this.queueDepth = config.queueDepth();
        this.verify = verify;
        this.buffers = new DeviceBuffer[config.totalQueueDepth()];
        this.completions = new SlotCompletion[buffers.length];
        for (int i = 0; i < buffers.length; i++)
        {
            buffers[i] = pool.acquire();
        }
    }

    @Override
    public void issue(final Job job, final int slot, final long offset, final MemorySegment unused,
        final IoRequest scratch)
    {
        final int i = job.index * queueDepth + slot;
        SlotCompletion completion = completions[i];
        if (completion == null)
        {
            // First I/O of this slot, on the job's own thread; later ones are ordered after it by its completion.
            completion = new SlotCompletion(job, slot, buffers[i]);
            completions[i] = completion;
        }
        completion.offsetBytes = offset;
        completion.startNs = System.nanoTime();
        final CompletableFuture<Long> read;
        try
        {
            read = path.read(key, offset, blockBytes, completion.buffer, 0);
        }
        catch (final RuntimeException e)
        {
            completion.accept(null, e);
            return;
        }
        read.whenComplete(completion);
    }

    /** @return mean time from submission to completion over every read, microseconds. */
    double meanLatencyUs()
    {
        final long n = reads.sum();
        return n == 0 ? 0 : latencyNs.sum() / 1000.0 / n;
    }

    /** @return bytes compared with the pattern and found equal (0 without verification). */
    long verifiedBytes()
    {
        return verifiedBytes.sum();
    }

    /**
     * @param fallback what the driver reported.
     * @return the first failure a read had, with its message, else {@code fallback}.
     */
    RuntimeException failureOr(final RuntimeException fallback)
    {
        final RuntimeException first = failure.get();
        return first != null ? first : fallback;
    }

    /** Returns every buffer to its pool (the driver has seen every completion by now). */
    @Override
    public void close()
    {
        for (final DeviceBuffer buffer : buffers)
        {
            buffer.close();
        }
    }

    private long fail(final Throwable t)
    {
        final Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        final RuntimeException e = cause instanceof RuntimeException r ? r
            : new ConduitException(ErrorCode.IO_ERROR, "read of " + key + " failed: " + cause, cause);
        failure.compareAndSet(null, e);
        return IoResult.of(e instanceof ConduitException ce ? ce.code() : ErrorCode.INTERNAL_ERROR);
    }

    /** One slot's completion: latency, verification, then the job's callback. */
    private final class SlotCompletion implements BiConsumer<Long, Throwable>
    {
        private final Job job;
        private final int slot;
        private final DeviceBuffer buffer;
        private long offsetBytes;
        private long startNs;

        SlotCompletion(final Job job, final int slot, final DeviceBuffer buffer)
        {
            this.job = job;
            this.slot = slot;
            this.buffer = buffer;
        }

        @Override
        public void accept(final Long bytes, final Throwable error)
        {
            latencyNs.add(System.nanoTime() - startNs);
            reads.increment();
            final long result;
            if (error != null)
            {
                result = fail(error);
            }
            else if (verify)
            {
                result = check(bytes);
            }
            else
            {
                result = bytes;
            }
            job.onComplete(slot, result);
        }

        private long check(final long bytes)
        {
            // The host copy of the block: the buffer itself on the host path.
            final long bad = BlockPattern.firstMismatch(buffer.segment().asSlice(0, bytes), offsetBytes);
            if (bad >= 0)
            {
                return fail(new ConduitException(ErrorCode.CORRUPT_EXTENT, "--verify: byte " + bad + " of " + key
                    + " read through the " + path.kind().label() + " path differs from what was put"));
            }
            verifiedBytes.add(bytes);
            return bytes;
        }
    }
}
