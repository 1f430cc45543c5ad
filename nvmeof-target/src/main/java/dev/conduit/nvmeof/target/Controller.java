package dev.conduit.nvmeof.target;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.pdu.Wire;

/**
 * A controller: created by an admin-queue Connect, owned by one host, with its properties (CC,
 * CSTS), features, I/O queues and keep-alive timer. When the keep-alive timer expires, or the admin
 * queue closes, the controller is torn down: every one of its connections is closed.
 *
 * <p>Threading: properties and features are changed by the admin queue's reading thread;
 * {@link #touch()} by any queue's reading thread; the keep-alive check runs on the target's timer
 * thread; {@link #teardown} may run on any of them (it is idempotent).
 */
final class Controller
{
    private static final System.Logger LOG = System.getLogger("conduit.nvmf");

    /** CSTS.RDY. */
    static final int CSTS_RDY = 0x1;
    /** CSTS.CFS: controller fatal status. */
    static final int CSTS_CFS = 0x2;
    /** CSTS.SHST = 10b: shutdown processing complete. */
    static final int CSTS_SHST_COMPLETE = 0x8;
    /** Most Asynchronous Event Requests held at once (AERL + 1). */
    static final int AER_LIMIT = 4;
    /** The Changed Namespace List log: 1024 NSIDs. */
    static final int CHANGED_NAMESPACE_LOG_BYTES = 4096;
    /** Asynchronous Event Configuration bit 8: Namespace Attribute Notices. */
    static final int AEC_NAMESPACE_ATTRIBUTE = 1 << 8;
    /** The completion of a Namespace Attribute Changed notice: type 2 (notice), info 0x00, log page 0x04. */
    static final long NAMESPACE_ATTRIBUTE_CHANGED = 0x02 | 0x00 << 8 | (long)LogPages.CHANGED_NAMESPACES << 16;

    private final NvmfTarget target;
    private final int cntlid;
    private final Subsystem subsystem;
    private final String hostNqn;
    private final QueueConnection admin;
    private final ConcurrentHashMap<Integer, QueueConnection> ioQueues = new ConcurrentHashMap<>();
    private volatile long lastTouchNs = System.nanoTime();
    private volatile long katoMs;
    private volatile boolean tornDown;
    private ScheduledFuture<?> keepAliveCheck;

    int cc;
    int csts;
    volatile int asyncEventConfig;
    int ioQueuesGranted;
    /** Held Asynchronous Event Requests, oldest first; guarded by {@code this}. */
    private final ArrayDeque<Command> heldEvents = new ArrayDeque<>();
    /** NSIDs changed since the host last read log 0x04; guarded by {@code this}. */
    private final TreeSet<Long> changedNamespaces = new TreeSet<>();
    private boolean changedOverflow;
    private boolean noticePending;
    /** A notice was reported and the host has not read log 0x04 yet: no further notice until it does. */
    private boolean noticeMasked;

    Controller(
        final NvmfTarget target,
        final int cntlid,
        final Subsystem subsystem,
        final String hostNqn,
        final QueueConnection admin,
        final long katoMs)
    {
        this.target = target;
        this.cntlid = cntlid;
        this.subsystem = subsystem;
        this.hostNqn = hostNqn;
        this.admin = admin;
        this.katoMs = katoMs;
        this.ioQueuesGranted = target.config().maxIoQueues();
    }

    int cntlid()
    {
        return cntlid;
    }

    /** @return the NVM subsystem, or {@code null} for a discovery controller. */
    Subsystem subsystem()
    {
        return subsystem;
    }

    boolean discovery()
    {
        return subsystem == null;
    }

    String hostNqn()
    {
        return hostNqn;
    }

    NvmfTarget target()
    {
        return target;
    }

    long katoMs()
    {
        return katoMs;
    }

    /** Any command on any of the controller's queues counts as keep-alive traffic. */
    void touch()
    {
        lastTouchNs = System.nanoTime();
    }

    /** Sets KATO (Connect or Set Features) and (re)arms the timer; 0 turns it off. */
    synchronized void keepAliveTimeout(final long timeoutMs)
    {
        katoMs = timeoutMs;
        touch();
        if (keepAliveCheck != null)
        {
            keepAliveCheck.cancel(false);
            keepAliveCheck = null;
        }
        if (timeoutMs > 0 && !tornDown)
        {
            keepAliveCheck = target.timer().schedule(this::checkKeepAlive, timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    private void checkKeepAlive()
    {
        final long timeoutMs = katoMs;
        if (tornDown || timeoutMs == 0)
        {
            return;
        }
        final long idleNs = System.nanoTime() - lastTouchNs;
        final long leftNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs) - idleNs;
        if (leftNs <= 0)
        {
            LOG.log(System.Logger.Level.WARNING, "nvmf: controller {0} of {1}: no command for {2} ms (KATO {3} ms), tearing it down",
                cntlid, hostNqn, TimeUnit.NANOSECONDS.toMillis(idleNs), timeoutMs);
            target.countKeepAliveExpiry();
            teardown();
            return;
        }
        synchronized (this)
        {
            if (!tornDown && katoMs == timeoutMs)
            {
                keepAliveCheck = target.timer().schedule(this::checkKeepAlive, leftNs, TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * Holds an Asynchronous Event Request until an event, or answers it at once when one is waiting.
     * Admin queue's reading thread.
     *
     * @return {@link AdminHandler#HELD}, or the status that refuses it.
     */
    int holdAsyncEvent(final QueueConnection queue, final Command command)
    {
        synchronized (this)
        {
            if (heldEvents.size() >= AER_LIMIT)
            {
                return NvmeStatus.AER_LIMIT_EXCEEDED | NvmeStatus.DNR;
            }
            heldEvents.add(command);
        }
        deliverNotice();
        return AdminHandler.HELD;
    }

    /**
     * Records that namespace {@code nsid} was attached or detached and raises a Namespace Attribute
     * Changed notice when the host enabled it (AEC bit 8). Any thread.
     */
    void namespaceChanged(final long nsid)
    {
        synchronized (this)
        {
            if (changedNamespaces.size() < CHANGED_NAMESPACE_LOG_BYTES / 4)
            {
                changedNamespaces.add(nsid);
            }
            else
            {
                changedOverflow = true;
            }
            if ((asyncEventConfig & AEC_NAMESPACE_ATTRIBUTE) == 0)
            {
                return;
            }
            noticePending = true;
        }
        deliverNotice();
    }

    /** Answers the oldest held request with the pending notice, unless the last one is still unread. */
    private void deliverNotice()
    {
        final Command command;
        synchronized (this)
        {
            if (!noticePending || noticeMasked || heldEvents.isEmpty() || tornDown)
            {
                return;
            }
            command = heldEvents.poll();
            noticePending = false;
            noticeMasked = true;
        }
        command.result = NAMESPACE_ATTRIBUTE_CHANGED;
        try
        {
            admin.complete(command, NvmeStatus.SUCCESS);
        }
        catch (final IOException e)
        {
            // The admin connection is going away; teardown follows from its reading thread.
            LOG.log(System.Logger.Level.DEBUG, "nvmf: controller {0}: notice not sent: {1}", cntlid, e.getMessage());
        }
    }

    /**
     * Fills the Changed Namespace List log (NSIDs ascending; 0xFFFFFFFF first when more than 1024
     * changed); without {@code retain} it is cleared and notices are reported again.
     */
    void changedNamespaces(final MemorySegment out, final boolean retain)
    {
        synchronized (this)
        {
            if (changedOverflow)
            {
                Wire.put32(out, 0, 0xFFFF_FFFF);
            }
            else
            {
                long at = 0;
                for (final long nsid : changedNamespaces)
                {
                    Wire.put32(out, at, (int)nsid);
                    at += 4;
                }
            }
            if (retain)
            {
                return;
            }
            changedNamespaces.clear();
            changedOverflow = false;
            noticeMasked = false;
        }
        deliverNotice();
    }

    /**
     * @return whether an I/O queue with this ID may be added now.
     */
    boolean addIoQueue(final int qid, final QueueConnection queue)
    {
        return !tornDown && ioQueues.putIfAbsent(qid, queue) == null;
    }

    void onQueueClosed(final QueueConnection queue)
    {
        if (queue == admin)
        {
            teardown();
        }
        else
        {
            ioQueues.remove(queue.qid(), queue);
        }
    }

    /** Closes every connection of this controller and forgets it. Idempotent; any thread. */
    void teardown()
    {
        synchronized (this)
        {
            if (tornDown)
            {
                return;
            }
            tornDown = true;
            if (keepAliveCheck != null)
            {
                keepAliveCheck.cancel(false);
            }
        }
        target.removeController(this);
        admin.close();
        for (final QueueConnection queue : ioQueues.values())
        {
            queue.close();
        }
    }
}
