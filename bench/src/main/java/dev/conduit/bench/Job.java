package dev.conduit.bench;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import dev.conduit.core.ErrorCode;
import dev.conduit.core.IoResult;
import dev.conduit.scheduler.DeviceMetrics;
import dev.conduit.scheduler.IoCallback;
import dev.conduit.scheduler.IoRequest;
import org.HdrHistogram.Recorder;

/**
 * One fio-like job: {@code qd} buffer slots, each holding at most one I/O.
 *
 * <p>Closed loop (the default): every slot always holds an I/O; the job's thread issues the first
 * {@code qd} and each completion issues the slot's next. Open loop ({@code --rate}): the job's thread
 * starts I/O number {@code k} at {@code start + k × interval} whatever the completions do, waiting for
 * a free slot when all are busy; latency is then measured from the scheduled start, so an I/O held up
 * behind a slow one counts the wait (no coordinated omission).
 *
 * <p>Latency is taken per I/O with {@link System#nanoTime()} at issue (or the scheduled start) and at
 * completion, so it is not quantised to a device's duty cycle. Only I/Os completing after the ramp
 * are counted, each once in the bytes, the I/Os and the histogram.
 *
 * <p>Threading: completions may arrive on several device threads at once (a store spans namespaces)
 * and, open loop, race the pacing thread, so then the job's state is guarded by a lock; closed loop
 * over one device they all arrive on its thread and none is needed. The next I/O is issued outside
 * the lock, so a submit that waits for ring space never holds it.
 */
final class Job implements IoCallback
{
    private static final long SLOT_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ConduitBench.Workload workload;
    private final MemorySegment[] buffers;
    private final long blockBytes;
    private final int queueDepth;
    private final boolean random;
    private final long blocks;
    private final long bytesToIssue;
    private final long intervalNs;
    private final CountDownLatch done;
    private final Recorder latency;
    private final ReentrantLock lock;
    private final SplittableRandom rng;
    private final long[] startNs;
    private final ArrayBlockingQueue<Integer> freeSlots;
    private final IoRequest callbackRequest = new IoRequest();
    private long cursorBytes;
    private long issuedBytes;
    private int outstanding;
    private boolean pacing;
    final int index;
    final int seed;
    final AtomicLong completedBytes = new AtomicLong();
    final AtomicLong completedIos = new AtomicLong();
    volatile boolean measuring;
    volatile boolean stopping;
    volatile long finishedNs;
    volatile long firstError;

    /**
     * @param index        the job's number, {@code 0..threads-1}.
     * @param config       the benchmark (block size, depth, mode, rate).
     * @param workload     how an I/O is issued.
     * @param slab         {@code qd} buffers of the block size, or null where the workload brings its own memory
     *                     (the buffers the workload is handed are then null).
     * @param regionBytes  bytes the offsets range over.
     * @param bytesToIssue bytes to move, or {@link Long#MAX_VALUE} until stopped.
     * @param done         counted down once when the job has finished.
     * @param latency      where each measured I/O's latency goes.
     * @param seed         the random offsets' seed.
     */
    Job(final int index, final BenchConfig config, final ConduitBench.Workload workload, final MemorySegment slab,
        final long regionBytes, final long bytesToIssue, final CountDownLatch done, final Recorder latency, final int seed)
    {
        this.index = index;
        this.workload = workload;
        this.blockBytes = config.blockSizeBytes();
        this.queueDepth = config.queueDepth();
        this.buffers = new MemorySegment[queueDepth];
        for (int slot = 0; slot < buffers.length && slab != null; slot++)
        {
            buffers[slot] = slab.asSlice(slot * blockBytes, blockBytes);
        }
        this.random = config.mode().isRandom();
        this.blocks = regionBytes / blockBytes;
        this.bytesToIssue = bytesToIssue == Long.MAX_VALUE ? Long.MAX_VALUE : blocks * blockBytes;
        this.intervalNs = config.openLoop() ? Math.max(1, TimeUnit.SECONDS.toNanos(config.threads()) / config.rateIops()) : 0;
        this.done = done;
        this.latency = latency;
        this.lock = config.openLoop() || !workload.completesOnOneThread() ? new ReentrantLock() : null;
        this.seed = seed;
        this.rng = new SplittableRandom(seed);
        this.startNs = new long[queueDepth];
        this.freeSlots = config.openLoop() ? new ArrayBlockingQueue<>(queueDepth) : null;
    }

    /** On the job's own thread: issues the first {@code qd} I/Os (closed loop) or paces them all (open loop). */
    void run()
    {
        if (intervalNs > 0)
        {
            pace();
        }
        else
        {
            prime();
        }
    }

    private void prime()
    {
        final int first = (int)Math.min(queueDepth, Math.max(1, bytesToIssue / blockBytes));
        final long[] offsets = new long[first];
        // Before the first submission, so it happens-before every completion.
        for (int slot = 0; slot < first; slot++)
        {
            offsets[slot] = nextOffset();
        }
        issuedBytes = first * blockBytes;
        outstanding = first;
        final IoRequest primer = new IoRequest();
        for (int slot = 0; slot < first; slot++)
        {
            startNs[slot] = System.nanoTime();
            workload.issue(this, slot, offsets[slot], buffers[slot], primer);
        }
    }

    private void pace()
    {
        for (int slot = 0; slot < queueDepth; slot++)
        {
            freeSlots.add(slot);
        }
        pacing = true;
        final IoRequest request = new IoRequest();
        final long firstNs = System.nanoTime();
        for (long k = 0; ; k++)
        {
            final long scheduledNs = firstNs + k * intervalNs;
            for (long waitNs = scheduledNs - System.nanoTime(); waitNs > 0 && !stopping;
                waitNs = scheduledNs - System.nanoTime())
            {
                LockSupport.parkNanos(Math.min(waitNs, SLOT_WAIT_NS));
            }
            final Integer slot = takeSlot();
            final long offset;
            lock.lock();
            try
            {
                if (slot == null || stopping || issuedBytes >= bytesToIssue)
                {
                    pacing = false;
                    finishIfIdle();
                    return;
                }
                issuedBytes += blockBytes;
                outstanding++;
                offset = nextOffset();
                // Measured from when it should have started, not from when a slot came free.
                startNs[slot] = scheduledNs;
            }
            finally
            {
                lock.unlock();
            }
            workload.issue(this, slot, offset, buffers[slot], request);
        }
    }

    private Integer takeSlot()
    {
        try
        {
            Integer slot = null;
            while (slot == null && !stopping)
            {
                slot = freeSlots.poll(SLOT_WAIT_NS, TimeUnit.NANOSECONDS);
            }
            return slot;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            stopping = true;
            return null;
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

    @Override
    public void onComplete(final long tag, final long result)
    {
        final long nowNs = System.nanoTime();
        final int slot = (int)tag;
        final ReentrantLock lock = this.lock;
        final long nextOffset;
        if (lock != null)
        {
            lock.lock();
        }
        try
        {
            outstanding--;
            if (result == blockBytes)
            {
                if (measuring)
                {
                    latency.recordValue(Math.min(Math.max(0, nowNs - startNs[slot]), DeviceMetrics.MAX_LATENCY_NS));
                    completedBytes.lazySet(completedBytes.get() + blockBytes);
                    completedIos.lazySet(completedIos.get() + 1);
                }
            }
            else if (firstError == 0)
            {
                // Offsets stay inside the target, so a short transfer is as wrong as an error.
                firstError = result < 0 ? result : IoResult.of(ErrorCode.SHORT_READ);
                stopping = true;
            }
            if (freeSlots != null)
            {
                freeSlots.add(slot);
                finishIfIdle();
                return;
            }
            if (stopping || issuedBytes >= bytesToIssue)
            {
                finishIfIdle();
                return;
            }
            issuedBytes += blockBytes;
            outstanding++;
            nextOffset = nextOffset();
            startNs[slot] = System.nanoTime();
        }
        finally
        {
            if (lock != null)
            {
                lock.unlock();
            }
        }
        // Closed loop over a file every completion arrives on the one device thread: one scratch request is enough.
        workload.issue(this, slot, nextOffset, buffers[slot], callbackRequest);
    }

    /** Under the job's lock (or on its only completing thread): counts the job done once nothing is left. */
    private void finishIfIdle()
    {
        if (outstanding == 0 && !pacing && finishedNs == 0)
        {
            finishedNs = System.nanoTime();
            done.countDown();
        }
    }
}
