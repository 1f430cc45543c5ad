package dev.conduit.nvmeof.initiator;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.IoResult;
import dev.conduit.scheduler.Backend;
import dev.conduit.scheduler.DeviceWaker;
import dev.conduit.scheduler.IoOp;
import dev.conduit.scheduler.IoStatus;
import dev.conduit.scheduler.IoTask;
import dev.conduit.scheduler.TaskCompletionHandler;

/**
 * The scheduler backend of one remote controller ({@link RemoteNamespace}): each task becomes NVMe
 * Read/Write commands of at most MDTS bytes spread over the controller's I/O queues, sent from the
 * device's thread without waiting; completions arrive on the queues' reading threads, which record
 * them and wake the device. The device's queue depth is capped at the commands the I/O queues
 * hold ({@code ioQueues × (entries − 1)}).
 *
 * <p>Errors: an NVMe status is the task's result in the NVME domain (SCT &lt;&lt; 8 | SC), so a caller
 * sees {@code NVME_COMMAND_FAILED} with the status; a lost connection hands the task to a retry
 * thread that runs it through the namespace's blocking path, which reconnects and resends (or fails
 * with {@code NVMF_RECONNECT_FAILED}); a task is never reported done without its completions.
 *
 * <p>Threading: the {@link Backend} methods on the device's thread; completions on any thread.
 */
public final class NvmfBackend implements Backend
{
    private static final System.Logger LOG = System.getLogger("conduit.nvmf");

    private final RemoteNamespace namespace;
    private final int capacity;
    private final IoTask[] assigned;
    private final long[] results;
    private final int[] free;
    private int freeCount;
    private final ConcurrentLinkedQueue<Integer> completed = new ConcurrentLinkedQueue<>();
    private final ExecutorService retry;
    private final AtomicLong retried = new AtomicLong();
    private volatile DeviceWaker waker;

    /**
     * @param deviceName the device's name (thread names).
     * @param namespace  the remote namespace; stays owned by the caller.
     * @param queueDepth tasks the device wants in flight (capped by the queues' entries).
     */
    public NvmfBackend(final String deviceName, final RemoteNamespace namespace, final int queueDepth)
    {
        this.namespace = namespace;
        this.capacity = Math.max(1, Math.min(queueDepth, namespace.ioQueues() * (namespace.queueEntries() - 1)));
        this.assigned = new IoTask[capacity];
        this.results = new long[capacity];
        this.free = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            free[freeCount++] = i;
        }
        this.retry = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name(deviceName + "-nvmf-retry").unstarted(r));
    }

    @Override
    public String name()
    {
        return "nvmf";
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    /** @return tasks that lost their connection and were run again through the reconnecting path. */
    public long retried()
    {
        return retried.get();
    }

    @Override
    public void start(final DeviceWaker deviceWaker)
    {
        this.waker = deviceWaker;
    }

    @Override
    public void submit(final IoTask task)
    {
        final int slot = free[--freeCount];
        assigned[slot] = task;
        final boolean write = task.op() == IoOp.WRITE;
        final CompletableFuture<?>[] transfers = new CompletableFuture<?>[task.iovCount()];
        try
        {
            long offsetBytes = task.offsetBytes();
            for (int i = 0; i < transfers.length; i++)
            {
                transfers[i] = namespace.submitTransfer(write, piece(task, i), offsetBytes);
                offsetBytes += task.iovLength(i);
            }
        }
        catch (final ConduitException e)
        {
            // Refused before anything was sent (alignment, range, closed): commands already sent still settle first.
            for (int i = 0; i < transfers.length && transfers[i] != null; i++)
            {
                transfers[i].exceptionally(ignored -> null).join();
            }
            finish(slot, IoStatus.of(e));
            return;
        }
        CompletableFuture.allOf(transfers).whenComplete((ignored, failure) ->
        {
            if (failure == null)
            {
                finish(slot, task.lengthBytes());
            }
            else if (RemoteNamespace.lostConnection(failure))
            {
                retried.incrementAndGet();
                retry.execute(() -> finish(slot, blocking(task)));
            }
            else
            {
                finish(slot, IoStatus.of(failure.getCause() instanceof ConduitException c ? c : failure));
            }
        });
    }

    /** The task's {@code i}-th buffer; global scope, so the queues' reading threads may fill it. */
    private static MemorySegment piece(final IoTask task, final int i)
    {
        return MemorySegment.ofAddress(task.iovAddress(i)).reinterpret(task.iovLength(i));
    }

    /** Runs the task through the namespace's blocking path, which reconnects and resends. */
    private long blocking(final IoTask task)
    {
        try
        {
            long offsetBytes = task.offsetBytes();
            for (int i = 0; i < task.iovCount(); i++)
            {
                final MemorySegment buffer = piece(task, i);
                if (task.op() == IoOp.WRITE)
                {
                    namespace.write(buffer, offsetBytes);
                }
                else
                {
                    namespace.readFully(buffer, offsetBytes);
                }
                offsetBytes += buffer.byteSize();
            }
            return task.lengthBytes();
        }
        catch (final ConduitException e)
        {
            LOG.log(System.Logger.Level.WARNING, "nvmf: {0} failed after reconnecting: {1}", namespace.id(), e.getMessage());
            return IoStatus.of(e);
        }
        catch (final RuntimeException e)
        {
            return IoResult.of(ErrorCode.INTERNAL_ERROR);
        }
    }

    private void finish(final int slot, final long result)
    {
        results[slot] = result;
        completed.add(slot);
        final DeviceWaker deviceWaker = waker;
        if (deviceWaker != null)
        {
            deviceWaker.wake();
        }
    }

    @Override
    public int flush()
    {
        return 0;
    }

    @Override
    public int poll(final TaskCompletionHandler handler, final int limit)
    {
        int count = 0;
        for (Integer slot = count < limit ? completed.poll() : null; slot != null; slot = ++count < limit ? completed.poll() : null)
        {
            final long result = results[slot];
            handler.onTaskComplete(release(slot), result);
        }
        return count;
    }

    /** Frees a slot (on the device's thread) and returns the task it held. */
    private IoTask release(final int slot)
    {
        final IoTask task = assigned[slot];
        assigned[slot] = null;
        free[freeCount++] = slot;
        return task;
    }

    @Override
    public boolean prepareToPark()
    {
        return !completed.isEmpty();
    }

    @Override
    public void close()
    {
        retry.shutdownNow();
        try
        {
            if (!retry.awaitTermination(60, TimeUnit.SECONDS))
            {
                LOG.log(System.Logger.Level.WARNING, "nvmf: retry thread of {0} did not stop within 60 s", namespace.id());
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
