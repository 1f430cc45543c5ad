package dev.conduit.nvmeof.initiator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.command.Opcodes;

/**
 * A host's controller over NVMe/TCP: the admin queue, the enable handshake (CC.EN, wait for
 * CSTS.RDY), Number of Queues and the I/O queues, each its own connection; shutdown (CC.SHN, wait
 * for CSTS.SHST) on close.
 *
 * <p>Threading: the queues are thread-safe; connect and close from one thread; {@link #abort} from any.
 */
public final class HostController implements AutoCloseable
{
    private static final int CC_ENABLE = 0x1 | (6 << 16) | (4 << 20);
    private static final int CC_SHUTDOWN_NORMAL = 1 << 14;
    private static final int POLL_TRIES = 500;
    private static final long POLL_INTERVAL_MS = 10;

    private final HostQueue admin;
    private final long commandTimeoutMs;
    private final List<HostQueue> ioQueues = new ArrayList<>();
    private final Arena arena = Arena.ofShared();
    private boolean queuesClosed;

    private HostController(final HostQueue admin, final long commandTimeoutMs)
    {
        this.admin = admin;
        this.commandTimeoutMs = commandTimeoutMs;
    }

    /**
     * Connects the admin queue, enables the controller and connects {@code ioQueueCount} I/O queues.
     *
     * @return the controller, ready for I/O.
     */
    public static HostController connect(
        final InetSocketAddress address, final HostQueue.Options options, final String subsystemNqn, final int ioQueueCount)
    {
        final HostController controller = new HostController(HostQueue.connect(address, options, subsystemNqn, 0, 0xFFFF),
            options.commandTimeoutMs());
        try
        {
            controller.enable();
            if (ioQueueCount > 0)
            {
                final HostQueue.Completion queues = controller.adminCommand(Sqes.setFeatures(controller.sqe(),
                    Opcodes.FEATURE_NUMBER_OF_QUEUES, (ioQueueCount - 1) | (ioQueueCount - 1) << 16), null, "Set Features (queues)");
                final int granted = (int)Math.min(queues.result() & 0xFFFF, queues.result() >>> 16 & 0xFFFF) + 1;
                if (granted < ioQueueCount)
                {
                    throw new ConduitException(ErrorCode.NOT_SUPPORTED, "asked for " + ioQueueCount + " I/O queues, granted " + granted);
                }
            }
            for (int qid = 1; qid <= ioQueueCount; qid++)
            {
                controller.ioQueues.add(HostQueue.connect(address, options, subsystemNqn, qid, controller.admin.cntlid()));
            }
            return controller;
        }
        catch (final RuntimeException e)
        {
            controller.closeQueues();
            throw e;
        }
    }

    /** @return the admin queue. */
    public HostQueue admin()
    {
        return admin;
    }

    /** @return I/O queue {@code index} (0-based; its QID is index + 1). */
    public HostQueue io(final int index)
    {
        return ioQueues.get(index);
    }

    /** @return the controller ID. */
    public int cntlid()
    {
        return admin.cntlid();
    }

    private MemorySegment sqe()
    {
        return arena.allocate(64, 8);
    }

    /**
     * Runs an admin command and requires success.
     *
     * @param sqe  the command.
     * @param data controller-to-host data destination, or {@code null}.
     * @return its completion.
     * @throws ConduitException {@code NVME_COMMAND_FAILED} with the status when it failed.
     */
    public HostQueue.Completion adminCommand(final MemorySegment sqe, final MemorySegment data, final String name)
    {
        final HostQueue.Completion completion = HostQueue.await(admin.submit(sqe, data, false), name, commandTimeoutMs);
        if (!completion.ok())
        {
            throw NvmeStatus.failure(completion.status(), name);
        }
        return completion;
    }

    /**
     * Identify.
     *
     * @param out  a shared (or global/auto) arena: the queue's reading thread writes the page.
     * @param cns  the CNS value.
     * @param nsid the namespace ID, when the CNS takes one.
     * @return the 4096-byte data structure, allocated in {@code out}.
     */
    public MemorySegment identify(final Arena out, final int cns, final long nsid)
    {
        final MemorySegment page = out.allocate(4096, 4096);
        adminCommand(Sqes.identify(sqe(), cns, nsid, 0), page, "Identify CNS " + cns);
        return page;
    }

    private void enable()
    {
        adminCommand(Sqes.propertySet(sqe(), Opcodes.PROP_CC, CC_ENABLE), null, "Property Set CC.EN");
        waitStatus(0x1, 0x1, "CSTS.RDY");
    }

    private void waitStatus(final int mask, final int value, final String what)
    {
        for (int tries = 0; tries < POLL_TRIES; tries++)
        {
            final long csts = adminCommand(Sqes.propertyGet(sqe(), Opcodes.PROP_CSTS, false), null, "Property Get CSTS").result();
            if ((csts & 0x2) != 0)
            {
                throw new ConduitException(ErrorCode.DEVICE_FAILED, "controller fatal status (CSTS.CFS) while waiting for " + what);
            }
            if ((csts & mask) == value)
            {
                return;
            }
            // A controller may take up to CAP.TO to get ready; polling is what the protocol offers.
            try
            {
                TimeUnit.MILLISECONDS.sleep(POLL_INTERVAL_MS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new ConduitException(ErrorCode.INTERRUPTED, "interrupted waiting for " + what, e);
            }
        }
        throw new ConduitException(ErrorCode.TIMED_OUT, what + " not reached after " + POLL_TRIES * POLL_INTERVAL_MS + " ms");
    }

    /** Shuts the controller down (CC.SHN, waits for CSTS.SHST complete) and closes every queue. */
    @Override
    public void close()
    {
        try
        {
            if (!admin.isClosed())
            {
                adminCommand(Sqes.propertySet(sqe(), Opcodes.PROP_CC, CC_ENABLE | CC_SHUTDOWN_NORMAL), null, "Property Set CC.SHN");
                waitStatus(0xC, 0x8, "CSTS.SHST complete");
            }
        }
        finally
        {
            closeQueues();
        }
    }

    /**
     * Drops every connection without the shutdown handshake: for a controller whose connection is
     * lost or stalled. Commands in flight fail with {@code NVMF_CONNECTION_CLOSED}. Idempotent;
     * may run while other threads submit.
     */
    public void abort()
    {
        closeQueues();
    }

    private synchronized void closeQueues()
    {
        if (queuesClosed)
        {
            return;
        }
        queuesClosed = true;
        for (final HostQueue queue : ioQueues)
        {
            queue.close();
        }
        admin.close();
        arena.close();
    }
}
