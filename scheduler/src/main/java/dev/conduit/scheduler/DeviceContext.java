package dev.conduit.scheduler;

/**
 * Settings of one device queue. Every setting has a {@code *_DEFAULT}; setters override it (the
 * {@code conduit} command sets them from its configuration, {@code scheduler.*} keys), and
 * {@link #conclude(int)} validates the whole set once, when the device is added.
 *
 * <p>The defaults suit NVMe: 32 tasks in flight, 4 MiB tasks, requests up to 128 KiB merged with
 * their neighbours into at most 32 iovecs, 1/8 of the queue depth kept free of {@code BULK} work.
 *
 * <p>Threading: configure on one thread, then hand to {@link IoScheduler#addDevice}; immutable after
 * {@link #conclude()}.
 */
public final class DeviceContext
{
    /** Default most tasks in flight per device. */
    public static final int QUEUE_DEPTH_DEFAULT = 32;
    /**
     * Default most completions handled per duty cycle. Small, so that work freed by a completion
     * (a callback's next request, a queued task) reaches the device promptly instead of waiting for a
     * long batch (measurements in the scheduler README).
     */
    public static final int COMPLETION_BATCH_DEFAULT = 8;
    /**
     * Default most tasks handed to the backend per flush (one {@code io_uring_enter}); a duty cycle
     * that dispatches more flushes more than once. Batches amortise the syscall; very large ones
     * also let the block layer merge neighbouring requests into fewer, larger ones.
     */
    public static final int SUBMIT_BATCH_DEFAULT = 32;
    /** Default largest task: requests beyond it are split. */
    public static final long TASK_SIZE_DEFAULT = 4L << 20;
    /** Default ring slots (a power of two): producers block or are rejected beyond this. */
    public static final int RING_SIZE_DEFAULT = 1024;
    /** Default most admitted, unfinished requests per device (the request pool). */
    public static final int MAX_REQUESTS_DEFAULT = 2048;
    /** Default most buffer pieces (merged requests) in one task. */
    public static final int MAX_IOV_DEFAULT = 32;
    /** Default size up to which a request may be merged with adjacent ones; 0 disables merging. */
    public static final long COALESCE_MAX_BYTES_DEFAULT = 128L << 10;
    /** Default number of queued requests searched for an adjacent neighbour. */
    public static final int COALESCE_WINDOW_DEFAULT = 16;
    /** Default: -1, meaning 1/8 of the queue depth (at least 1 when the queue depth is 2 or more). */
    public static final int LATENCY_RESERVE_DEFAULT = -1;
    /** Default consecutive LATENCY dispatches allowed while BULK waits. */
    public static final int LATENCY_BURST_DEFAULT = 8;
    /** Default interval between scans for expired deadlines. */
    public static final long DEADLINE_CHECK_INTERVAL_DEFAULT = 100_000;

    private int queueDepth = QUEUE_DEPTH_DEFAULT;
    private int completionBatch = COMPLETION_BATCH_DEFAULT;
    private int submitBatch = SUBMIT_BATCH_DEFAULT;
    private long taskSizeBytes = TASK_SIZE_DEFAULT;
    private int ringSize = RING_SIZE_DEFAULT;
    private int maxRequests = MAX_REQUESTS_DEFAULT;
    private int maxIovPerTask = MAX_IOV_DEFAULT;
    private long coalesceMaxBytes = COALESCE_MAX_BYTES_DEFAULT;
    private int coalesceWindow = COALESCE_WINDOW_DEFAULT;
    private int latencyReserve = LATENCY_RESERVE_DEFAULT;
    private int latencyBurst = LATENCY_BURST_DEFAULT;
    private long deadlineCheckIntervalNs = DEADLINE_CHECK_INTERVAL_DEFAULT;
    private boolean concluded;

    /**
     * @param queueDepth most tasks in flight on the device (capped by the backend's capacity).
     * @return this.
     */
    public DeviceContext queueDepth(final int queueDepth)
    {
        checkMutable();
        this.queueDepth = queueDepth;
        return this;
    }

    /** @return most tasks in flight. */
    public int queueDepth()
    {
        return queueDepth;
    }

    /**
     * @param completionBatch most completions handled per duty cycle before new work is dispatched.
     * @return this.
     */
    public DeviceContext completionBatch(final int completionBatch)
    {
        checkMutable();
        this.completionBatch = completionBatch;
        return this;
    }

    /** @return most completions handled per duty cycle. */
    public int completionBatch()
    {
        return completionBatch;
    }

    /**
     * @param submitBatch most tasks handed to the backend per flush.
     * @return this.
     */
    public DeviceContext submitBatch(final int submitBatch)
    {
        checkMutable();
        this.submitBatch = submitBatch;
        return this;
    }

    /** @return most tasks per flush. */
    public int submitBatch()
    {
        return submitBatch;
    }

    /**
     * @param taskSizeBytes largest task; larger requests are split into tasks of this size.
     * @return this.
     */
    public DeviceContext taskSizeBytes(final long taskSizeBytes)
    {
        checkMutable();
        this.taskSizeBytes = taskSizeBytes;
        return this;
    }

    /** @return largest task in bytes. */
    public long taskSizeBytes()
    {
        return taskSizeBytes;
    }

    /**
     * @param ringSize ring slots, a power of two.
     * @return this.
     */
    public DeviceContext ringSize(final int ringSize)
    {
        checkMutable();
        this.ringSize = ringSize;
        return this;
    }

    /** @return ring slots. */
    public int ringSize()
    {
        return ringSize;
    }

    /**
     * @param maxRequests most admitted, unfinished requests; beyond it the device stops taking
     *                    events off the ring, which fills and pushes back on producers.
     * @return this.
     */
    public DeviceContext maxRequests(final int maxRequests)
    {
        checkMutable();
        this.maxRequests = maxRequests;
        return this;
    }

    /** @return the request pool size. */
    public int maxRequests()
    {
        return maxRequests;
    }

    /**
     * @param maxIovPerTask most buffer pieces per task (at most 1024, the kernel's IOV_MAX).
     * @return this.
     */
    public DeviceContext maxIovPerTask(final int maxIovPerTask)
    {
        checkMutable();
        this.maxIovPerTask = maxIovPerTask;
        return this;
    }

    /** @return most buffer pieces per task. */
    public int maxIovPerTask()
    {
        return maxIovPerTask;
    }

    /**
     * @param coalesceMaxBytes requests up to this size may be merged with adjacent ones; 0 disables.
     * @return this.
     */
    public DeviceContext coalesceMaxBytes(final long coalesceMaxBytes)
    {
        checkMutable();
        this.coalesceMaxBytes = coalesceMaxBytes;
        return this;
    }

    /** @return merge threshold in bytes. */
    public long coalesceMaxBytes()
    {
        return coalesceMaxBytes;
    }

    /**
     * @param coalesceWindow queued requests searched for an adjacent neighbour.
     * @return this.
     */
    public DeviceContext coalesceWindow(final int coalesceWindow)
    {
        checkMutable();
        this.coalesceWindow = coalesceWindow;
        return this;
    }

    /** @return the merge search window. */
    public int coalesceWindow()
    {
        return coalesceWindow;
    }

    /**
     * @param latencyReserve queue-depth slots BULK may never use; -1 for 1/8 of the queue depth.
     * @return this.
     */
    public DeviceContext latencyReserve(final int latencyReserve)
    {
        checkMutable();
        this.latencyReserve = latencyReserve;
        return this;
    }

    /** @return slots reserved for LATENCY (resolved after {@link #conclude()}). */
    public int latencyReserve()
    {
        return latencyReserve;
    }

    /**
     * @param latencyBurst consecutive LATENCY dispatches allowed while BULK waits before one BULK task goes.
     * @return this.
     */
    public DeviceContext latencyBurst(final int latencyBurst)
    {
        checkMutable();
        this.latencyBurst = latencyBurst;
        return this;
    }

    /** @return the LATENCY burst length. */
    public int latencyBurst()
    {
        return latencyBurst;
    }

    /**
     * @param deadlineCheckIntervalNs interval between scans for expired deadlines.
     * @return this.
     */
    public DeviceContext deadlineCheckIntervalNs(final long deadlineCheckIntervalNs)
    {
        checkMutable();
        this.deadlineCheckIntervalNs = deadlineCheckIntervalNs;
        return this;
    }

    /** @return the deadline scan interval. */
    public long deadlineCheckIntervalNs()
    {
        return deadlineCheckIntervalNs;
    }

    /**
     * Validates the settings against the backend and freezes them.
     *
     * @param backendCapacity the backend's {@link Backend#capacity()}; the queue depth is capped at it.
     * @return this.
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public DeviceContext conclude(final int backendCapacity)
    {
        if (concluded)
        {
            return this;
        }
        require(queueDepth >= 1, "queueDepth must be >= 1: " + queueDepth);
        queueDepth = Math.min(queueDepth, backendCapacity);
        require(completionBatch >= 1, "completionBatch must be >= 1: " + completionBatch);
        require(submitBatch >= 1, "submitBatch must be >= 1: " + submitBatch);
        require(taskSizeBytes >= 4096 && taskSizeBytes % 4096 == 0,
            "taskSizeBytes must be a positive multiple of 4096: " + taskSizeBytes);
        require(ringSize >= 2 && Integer.bitCount(ringSize) == 1, "ringSize must be a power of two >= 2: " + ringSize);
        require(maxRequests >= 1, "maxRequests must be >= 1: " + maxRequests);
        require(maxIovPerTask >= 1 && maxIovPerTask <= 1024, "maxIovPerTask must be in [1, 1024]: " + maxIovPerTask);
        require(coalesceMaxBytes >= 0, "coalesceMaxBytes must be >= 0: " + coalesceMaxBytes);
        require(coalesceWindow >= 0, "coalesceWindow must be >= 0: " + coalesceWindow);
        if (latencyReserve < 0)
        {
            latencyReserve = queueDepth >= 2 ? Math.max(1, queueDepth / 8) : 0;
        }
        require(latencyReserve < queueDepth, "latencyReserve must be < queueDepth (" + queueDepth + "): " + latencyReserve);
        require(latencyBurst >= 1, "latencyBurst must be >= 1: " + latencyBurst);
        require(deadlineCheckIntervalNs >= 0, "deadlineCheckIntervalNs must be >= 0: " + deadlineCheckIntervalNs);
        concluded = true;
        return this;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }

    private void checkMutable()
    {
        if (concluded)
        {
            throw new IllegalStateException("DeviceContext is concluded");
        }
    }
}
