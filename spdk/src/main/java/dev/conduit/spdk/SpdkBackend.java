package dev.conduit.spdk;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.ErrorDomain;
import dev.conduit.core.IoResult;
import dev.conduit.nativebindings.spdk.SpdkController;
import dev.conduit.nativebindings.spdk.SpdkNamespaceInfo;
import dev.conduit.nativebindings.spdk.SpdkQueuePair;
import dev.conduit.nativebindings.spdk.SpdkStatus;
import dev.conduit.scheduler.Backend;
import dev.conduit.scheduler.DeviceTarget;
import dev.conduit.scheduler.DeviceWaker;
import dev.conduit.scheduler.IoOp;
import dev.conduit.scheduler.IoStatus;
import dev.conduit.scheduler.IoTask;
import dev.conduit.scheduler.TaskCompletionHandler;

/**
 * The {@code spdk} backend: one SPDK I/O queue pair, polled by its device's thread. SPDK's
 * completions are polled, never signalled, so the device's duty cycle (Agrona's model) is exactly
 * SPDK's: {@link #poll} runs {@code spdk_nvme_qpair_process_completions}, and
 * {@link #prepareToPark()} keeps the device spinning while commands are in flight. One device (one
 * thread) per queue pair; several devices give several queue pairs on one controller.
 *
 * <p>Tasks map to one command each: a single iovec goes as {@code spdk_nvme_ns_cmd_read/write}, more
 * as the SGL form; the task index is the command's tag. A submission SPDK refuses for lack of
 * request slots ({@code -ENOMEM}) waits and is retried on the next poll; any other refusal fails the
 * task with its errno. A non-zero NVMe status completes the task with
 * {@code IoResult.failure(NVME, (SCT << 8) | SC)}; commands SPDK aborts (the queue pair failed or
 * was freed) complete as {@link IoStatus#CANCELLED}. When the transport fails
 * ({@code process_completions} returns {@code -ENXIO}) every later task fails with
 * {@code NVMF_CONNECTION_CLOSED}.
 *
 * <p>Deadlines and cancellation are the device's (it fails the request and waits for the command to
 * finish before reusing its memory); {@link #cancel} asks SPDK to abort the command
 * ({@code spdk_nvme_ctrlr_cmd_abort_ext}), which then completes as {@link IoStatus#CANCELLED}, or
 * normally when the abort came too late; while aborts are pending each poll also runs the
 * controller's admin completions. {@link #requestFlush()} issues an NVMe Flush from any thread
 * through the device's own thread, which owns the queue pair.
 *
 * <p>Memory: host memory. NVMe/TCP copies through its socket, so any host memory works; a PCIe
 * controller needs DMA-safe memory (SPDK DMA buffers or memory registered with
 * {@code spdk_mem_register}), which SPDK checks when the command is built.
 *
 * <p>Threading: the {@link dev.conduit.scheduler.Backend} methods run on the device's thread;
 * {@link #requestFlush()} from any thread.
 */
public final class SpdkBackend implements Backend
{
    private static final int ENOMEM = 12;
    private static final int ENXIO = 6;

    private final SpdkController controller;
    private final SpdkNamespaceInfo namespace;
    private final int queueSize;
    private final int capacity;
    private final IoTask[] inFlight;
    private final boolean[] abortAsked;
    private final ArrayDeque<IoTask> waiting = new ArrayDeque<>();
    private final ArrayDeque<IoTask> refused = new ArrayDeque<>();
    // Asked from any thread, taken by the device's: every poll and park checks it, so no lock (an
    // uncontended monitor on each duty cycle showed in the profile of the polling loop).
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> flushRequests = new ConcurrentLinkedQueue<>();
    private CompletableFuture<Void> flushRefused; // taken, refused with -ENOMEM: first again on the next poll
    private CompletableFuture<Void> flushInFlight;
    private SpdkQueuePair queuePair;
    private TaskCompletionHandler handler;
    private DeviceWaker waker;
    private int reported;
    private int aborting;
    private boolean failed;

    /**
     * @param controller the attached controller (allocates the queue pair at {@link #start}).
     * @param namespace  the namespace this backend's tasks address.
     * @param queueSize  NVMe queue entries; also the most tasks this backend owns at once.
     */
    public SpdkBackend(final SpdkController controller, final SpdkNamespaceInfo namespace, final int queueSize)
    {
        if (queueSize < 2)
        {
            throw new IllegalArgumentException("queue size must be >= 2: " + queueSize);
        }
        this.controller = controller;
        this.namespace = namespace;
        this.queueSize = queueSize;
        this.capacity = queueSize;
        this.inFlight = new IoTask[capacity + 1]; // the last tag is the flush's
        this.abortAsked = new boolean[capacity];
    }

    @Override
    public String name()
    {
        return "spdk";
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    @Override
    public String unsupportedReason(final DeviceTarget target)
    {
        if (!(target instanceof SpdkTarget t) || t.controller() != controller || t.namespace().nsid() != namespace.nsid())
        {
            return "not namespace " + namespace.nsid() + " of the SPDK controller " + controller.transportId();
        }
        return null;
    }

    @Override
    public void start(final DeviceWaker waker)
    {
        this.waker = waker;
        // Requests beyond the NVMe queue depth wait inside SPDK; one more for the flush's tag.
        this.queuePair = controller.allocateQueuePair(queueSize, capacity + 1, this::onComplete);
    }

    @Override
    public void submit(final IoTask task)
    {
        if (failed)
        {
            refused.add(task);
            return;
        }
        final int rc = issue(task);
        if (rc == -ENOMEM)
        {
            waiting.add(task);
        }
        else if (rc != 0)
        {
            refuse(task, rc);
        }
    }

    private void refuse(final IoTask task, final int rc)
    {
        if (rc == -ENXIO)
        {
            failed = true; // the queue pair's transport is gone
        }
        task.backendData(IoResult.errno(-rc));
        refused.add(task);
    }

    private int issue(final IoTask task)
    {
        final int sector = namespace.sectorBytes();
        final long lba = task.offsetBytes() / sector;
        final int blocks = (int) (task.lengthBytes() / sector);
        final boolean write = task.op() == IoOp.WRITE;
        final int rc = task.iovCount() == 1
            ? queuePair.submit(write, namespace, task.iovAddress(0), lba, blocks, task.index())
            : queuePair.submitVector(write, namespace, task.iov(), task.iovCount(), lba, blocks, task.index());
        if (rc == 0)
        {
            inFlight[task.index()] = task;
        }
        return rc;
    }

    @Override
    public int flush()
    {
        return 0; // commands go to SPDK at submit; SPDK batches its own doorbells and socket writes
    }

    @Override
    public int poll(final TaskCompletionHandler handler, final int limit)
    {
        this.handler = handler;
        reported = 0;
        while (!refused.isEmpty() && reported < limit)
        {
            final IoTask task = refused.poll();
            final long result = failed ? IoResult.of(ErrorCode.NVMF_CONNECTION_CLOSED) : task.backendData();
            reported++;
            handler.onTaskComplete(task, result);
        }
        startFlush();
        if (aborting > 0)
        {
            queuePair.pollAdmin(); // the Abort commands' completions; the aborted ones come below
        }
        if (queuePair.outstanding() > 0 && reported < limit)
        {
            final int rc = queuePair.poll(limit - reported);
            if (rc == -ENXIO)
            {
                // SPDK has completed every outstanding command as aborted; nothing new can be issued.
                failed = true;
                refused.addAll(waiting);
                waiting.clear();
                failFlushes();
            }
        }
        while (!failed && !waiting.isEmpty())
        {
            final IoTask task = waiting.peek();
            final int rc = issue(task);
            if (rc == -ENOMEM)
            {
                break;
            }
            waiting.poll();
            if (rc != 0)
            {
                refuse(task, rc);
            }
        }
        return reported;
    }

    private void onComplete(final int tag, final int statusRaw)
    {
        if (tag == capacity)
        {
            final CompletableFuture<Void> done = flushInFlight;
            flushInFlight = null;
            final int code = SpdkStatus.code(statusRaw);
            if (code == 0)
            {
                done.complete(null);
            }
            else
            {
                done.completeExceptionally(SpdkStatus.failure(statusRaw, "flush of " + controller.transportId()));
            }
            return;
        }
        final IoTask task = inFlight[tag];
        inFlight[tag] = null;
        if (abortAsked[tag])
        {
            abortAsked[tag] = false;
            aborting--;
        }
        final int code = SpdkStatus.code(statusRaw);
        final long result;
        if (code == 0)
        {
            result = task.lengthBytes();
        }
        else if (SpdkStatus.errorCode(code) == ErrorCode.CANCELLED)
        {
            result = IoStatus.CANCELLED;
        }
        else
        {
            result = IoResult.failure(ErrorDomain.NVME, code);
        }
        reported++;
        handler.onTaskComplete(task, result);
    }

    /**
     * Asks the device's thread to issue an NVMe Flush (write cache to media) after the writes that
     * completed before this call.
     *
     * @return completes when the controller has flushed; exceptionally with the NVMe status or
     *         {@code NVMF_CONNECTION_CLOSED}.
     */
    public CompletableFuture<Void> requestFlush()
    {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        flushRequests.add(done);
        final DeviceWaker w = waker;
        if (w != null)
        {
            w.wake();
        }
        return done;
    }

    private void startFlush()
    {
        if (flushInFlight != null)
        {
            return;
        }
        final CompletableFuture<Void> next = flushRefused != null ? flushRefused : flushRequests.poll();
        flushRefused = null;
        if (next == null)
        {
            return;
        }
        if (failed)
        {
            next.completeExceptionally(closed());
            return;
        }
        final int rc = queuePair.flush(namespace, capacity);
        if (rc == 0)
        {
            flushInFlight = next;
        }
        else if (rc == -ENOMEM)
        {
            flushRefused = next;
        }
        else
        {
            next.completeExceptionally(new ConduitException(ErrorCode.IO_ERROR, ErrorDomain.ERRNO, -rc, null,
                "spdk_nvme_ns_cmd_flush(" + controller.transportId() + ") refused: " + rc, null));
        }
    }

    private void failFlushes()
    {
        if (flushRefused != null)
        {
            flushRefused.completeExceptionally(closed());
            flushRefused = null;
        }
        CompletableFuture<Void> next;
        while ((next = flushRequests.poll()) != null)
        {
            next.completeExceptionally(closed());
        }
    }

    private ConduitException closed()
    {
        return new ConduitException(ErrorCode.NVMF_CONNECTION_CLOSED, "the SPDK queue pair to " + controller.transportId() + " failed");
    }

    @Override
    public boolean cancel(final IoTask task)
    {
        final int tag = task.index();
        if (failed || tag >= capacity || inFlight[tag] != task || abortAsked[tag] || queuePair.abort(tag) != 0)
        {
            return false; // not (or no longer) in SPDK's hands, already asked, or SPDK refused: it completes as it will
        }
        abortAsked[tag] = true;
        aborting++;
        return true;
    }

    @Override
    public boolean prepareToPark()
    {
        final boolean flushPending = flushRefused != null || !flushRequests.isEmpty();
        // Completions exist only when polled: with anything in flight the device must keep polling.
        return flushPending || !refused.isEmpty() || !waiting.isEmpty() || queuePair.outstanding() > 0;
    }

    @Override
    public void close()
    {
        if (queuePair != null)
        {
            queuePair.close();
        }
        failFlushes();
    }
}
